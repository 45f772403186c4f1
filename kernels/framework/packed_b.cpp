#include <atomic>
#include <cstring>

#include "framework/context_state.hpp"
#include "framework/context_use.hpp"
#include "framework/pack.hpp"
#include "framework/packed_b_state.hpp"
#include "framework/validate.hpp"

namespace i8gemm {

PackedB::PackedB(Context& ctx, MatrixView<const std::int8_t> b, BLayout layout,
                 ZeroPoints zero_point)
    : state_(std::make_unique<detail::PackedBState>()) {
  detail::ContextState& st = ctx.state();
  const detail::ContextUse in_use(st);
  const detail::BDesc desc{b.data, b.rows, b.cols, b.ld, layout, zero_point};
  detail::validate_b(desc);
  const Isa isa = st.isa;
  const std::int64_t k = desc.k(), n = desc.n();
  detail::validate_packed_b_size(k, n);
  const detail::PathConfig& cfg = *st.path;  // the context's: available
  const std::size_t b_bytes = detail::packed_b_bytes(cfg, k, n);
  const std::size_t panel_bytes = detail::round_up(b_bytes, 64);
  const std::size_t sums_bytes = detail::round_up(static_cast<std::size_t>(n) * 4, 64);
  const std::size_t zp_bytes = zero_point.per_channel ? sums_bytes : 0;
  auto* base = static_cast<char*>(state_->buffer.reserve(panel_bytes + sums_bytes + zp_bytes + 64));
  auto* sums = reinterpret_cast<std::int32_t*>(base + panel_bytes);
  detail::pack_b(cfg, desc, base, sums);
  ZeroPoints zp = zero_point;
  if (zero_point.per_channel != nullptr) {
    auto* owned = reinterpret_cast<std::int32_t*>(base + panel_bytes + sums_bytes);
    std::memcpy(owned, zero_point.per_channel, static_cast<std::size_t>(n) * 4);
    zp.per_channel = owned;
  }
  static std::atomic<std::uint64_t> packings{0};
  state_->isa = isa;
  state_->id = ++packings;
  state_->view =
      detail::PackedBView{base, sums, zp, k, n, detail::packed_b_panel_bytes(cfg, k), b_bytes};
  st.last_used = isa;
}

PackedB::~PackedB() = default;
PackedB::PackedB(PackedB&&) noexcept = default;
PackedB& PackedB::operator=(PackedB&&) noexcept = default;

const detail::PackedBState& PackedB::state() const {
  if (!state_) throw Error("b: moved-from PackedB (it holds nothing until assigned a PackedB)");
  return *state_;
}

Isa PackedB::isa() const {
  return state().isa;
}
std::int64_t PackedB::k() const {
  return state().view.k;
}
std::int64_t PackedB::n() const {
  return state().view.n;
}
std::size_t PackedB::size_bytes() const {
  return state().buffer.size();
}
const std::int32_t* PackedB::column_sums() const {
  return state().view.col_sums;
}

}  // namespace i8gemm
