#include <string>

#include "framework/context_state.hpp"
#include "framework/path_config.hpp"

namespace i8gemm {

namespace detail {
void ContextState::parallel(std::size_t n, const std::function<void(std::size_t)>& task) {
  if (n == 1 || threads == 1) {
    for (std::size_t i = 0; i < n; ++i) task(i);
  } else if (parallel_for) {
    parallel_for(n, task);
  } else {
    pool->run(n, task);
  }
}

void ContextState::reserve_task_scratch() {
  const auto wanted = static_cast<std::size_t>(threads);
  if (task_scratch.size() >= wanted) return;
  task_scratch.resize(wanted);
  task_scratch_busy = std::make_unique<std::atomic<bool>[]>(wanted);
  for (std::size_t i = 0; i < wanted; ++i) task_scratch_busy[i].store(false);
}
}  // namespace detail

Context::Context() : state_(std::make_unique<detail::ContextState>()) {
  state_->isa = default_isa();
}

Context::Context(Isa isa) : state_(std::make_unique<detail::ContextState>()) {
  set_isa(isa);
}

Context::Context(Isa isa, int threads) : Context(isa) {
  set_num_threads(threads);
}

Context::~Context() = default;
Context::Context(Context&&) noexcept = default;
Context& Context::operator=(Context&&) noexcept = default;

Isa Context::isa() const {
  return state_->isa;
}

void Context::set_isa(Isa isa) {
  detail::require_available(isa, "isa");
  state_->isa = isa;
}

Isa Context::last_used_isa() const {
  return state_->last_used;
}

int Context::num_threads() const {
  return state_->threads;
}

void Context::set_num_threads(int threads) {
  if (threads < 1) throw Error("threads: " + std::to_string(threads) + " is less than 1");
  state_->parallel_for = nullptr;
  state_->pool.reset();
  if (threads > 1) state_->pool = std::make_unique<detail::ThreadPool>(threads - 1);
  state_->threads = threads;
}

void Context::set_parallel_for(ParallelFor parallel_for, int threads) {
  if (!parallel_for) {
    set_num_threads(threads);
    return;
  }
  if (threads < 1) throw Error("threads: " + std::to_string(threads) + " is less than 1");
  state_->pool.reset();
  state_->parallel_for = std::move(parallel_for);
  state_->threads = threads;
}

}  // namespace i8gemm
