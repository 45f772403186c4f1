#include "framework/context_state.hpp"

namespace i8gemm {

Context::Context() : state_(std::make_unique<detail::ContextState>()) {
  state_->isa = default_isa();
}

Context::Context(Isa isa) : state_(std::make_unique<detail::ContextState>()) {
  set_isa(isa);
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

}  // namespace i8gemm
