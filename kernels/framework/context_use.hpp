// A Context serves one call at a time. Each entry point that runs a GEMM, packs or changes the
// Context holds a ContextUse for its duration: a second one (another thread, or a task of the
// call re-entering it) is refused with an Error instead of sharing the scratch and corrupting
// both calls. One atomic exchange per call.
#pragma once

#include "framework/context_state.hpp"

namespace i8gemm::detail {

class ContextUse {
 public:
  explicit ContextUse(ContextState& st) : st_(st) {
    if (st.in_use.exchange(true, std::memory_order_acquire)) {
      throw Error(
          "context: used by two threads at once (or re-entered from one of its own tasks); a "
          "Context runs one call at a time: give each thread its own");
    }
  }
  ~ContextUse() { st_.in_use.store(false, std::memory_order_release); }
  ContextUse(const ContextUse&) = delete;
  ContextUse& operator=(const ContextUse&) = delete;

 private:
  ContextState& st_;
};

}  // namespace i8gemm::detail
