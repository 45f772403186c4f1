// A blocking forced for the scope of a test (detail::blocking_override, what I8GEMM_BLOCKING
// sets), and the one before it restored when the scope ends, also where an assertion returns
// early.
#pragma once

#include "framework/blocking.hpp"

namespace i8gemm::testing {

class ForcedBlocking {
 public:
  ForcedBlocking() = default;
  explicit ForcedBlocking(const Blocking& forced) { set(forced); }
  ~ForcedBlocking() { detail::blocking_override() = saved_; }
  ForcedBlocking(const ForcedBlocking&) = delete;
  ForcedBlocking& operator=(const ForcedBlocking&) = delete;

  void set(const Blocking& forced) { detail::blocking_override() = forced; }

 private:
  Blocking saved_ = detail::blocking_override();
};

}  // namespace i8gemm::testing
