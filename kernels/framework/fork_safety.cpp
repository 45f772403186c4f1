#include "framework/fork_safety.hpp"

#include <pthread.h>

#include <atomic>

namespace i8gemm::detail {
namespace {

std::atomic<std::uint64_t> generation{0};

void on_fork_child() {
  generation.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

std::uint64_t process_generation() {
  // Registered once, before the first pool starts (pools ask for their generation when they
  // start). pthread_atfork fails only without memory for the handler.
  static const int registered = pthread_atfork(nullptr, nullptr, &on_fork_child);
  (void)registered;
  return generation.load(std::memory_order_relaxed);
}

}  // namespace i8gemm::detail
