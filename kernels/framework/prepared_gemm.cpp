// PreparedGemm's creation: gemm()'s checks of B, A's zero point and the stage, done once; the
// stage's arrays copied; the column terms computed for the path and its delegate. Its run() is
// gemm.cpp's (run_prepared).
#include <string>

#include "framework/context_state.hpp"
#include "framework/context_use.hpp"
#include "framework/driver.hpp"
#include "framework/pack.hpp"
#include "framework/packed_b_state.hpp"
#include "framework/prepared_gemm_state.hpp"
#include "framework/validate.hpp"

namespace i8gemm::detail {
namespace {

// The caller's n values, or none.
template <typename T>
const T* copy_of(const T* values, std::int64_t n, std::vector<T>& copy) {
  if (values == nullptr) return nullptr;
  copy.assign(values, values + n);
  return copy.data();
}

}  // namespace

std::shared_ptr<const PreparedGemmState> prepare_gemm(Context& ctx, AType a_type,
                                                      std::int32_t a_zero_point, const PackedB& b,
                                                      const OutDesc& stage) {
  ContextState& st = ctx.state();
  const ContextUse in_use(st);
  const PackedBState& packed = b.state();
  validate_b_path(packed.isa, st.isa);
  const std::int64_t k = packed.view.k, n = packed.view.n;
  validate_a(ADesc{nullptr, a_type, 0, k, k, ZeroPoints(a_zero_point)});
  if (stage.kind == OutKind::float32 && stage.a_scales != nullptr) {
    throw Error(
        "a_scales: per-row scales of A are values of one call (M of them); a PreparedGemm's "
        "float32 stage takes a_scale per tensor (use gemm() for per-row scales)");
  }
  // One row stands for any: the float32 stage's product of the largest scales is checked.
  validate_stage(stage, 1, n);

  auto p = std::make_shared<PreparedGemmState>();
  p->ctx = &ctx;
  p->b = &b;
  p->b_id = packed.id;
  p->a_type = a_type;
  p->a_zero_point = a_zero_point;
  p->out = stage;
  p->out.data = nullptr;
  p->out.rows = p->out.cols = p->out.ld = 0;
  // The int32 bias goes into the column terms below, but out.bias is still tested by run_blocked
  // (the raw int32 shortcut, column_set): its copy keeps it valid. The float32 stage's bias_f,
  // the scales and the multipliers are read by the epilogues.
  p->out.bias = copy_of(stage.bias, n, p->bias);
  p->out.bias_f = copy_of(stage.bias_f, n, p->bias_f);
  p->out.scales = copy_of(stage.scales, n, p->scales);
  p->out.multipliers = copy_of(stage.multipliers, n, p->multipliers);
  if (n > 0) {
    const PathConfig& path = *st.path;
    const PathConfig* cfgs[2] = {
        &path, path.delegate_when != nullptr ? find_path_config(path.delegate) : nullptr};
    for (int i = 0; i < 2; ++i) {
      if (cfgs[i] == nullptr) continue;
      const auto count = static_cast<std::size_t>(n);
      p->call.sets[i] =
          column_set(*cfgs[i], packed.view, p->out, a_zero_point + a_offset(*cfgs[i], a_type),
                     p->col_terms[i].as<std::int32_t>(count),
                     splits_multipliers(p->out) ? p->m0s[i].as<std::int32_t>(3 * count) : nullptr);
    }
  }
  p->call.blocking = &p->blocking;
  return p;
}

void validate_prepared(const PreparedGemmState& p, const PackedBState& b, Isa context_isa) {
  if (b.id != p.b_id) {
    throw Error(
        "b: the PackedB this PreparedGemm was made with holds another packing now (assigned "
        "since); make the PreparedGemm again");
  }
  if (b.isa != context_isa) {
    throw Error(std::string("ctx: runs path ") + isa_name(context_isa) +
                ", but this PreparedGemm was made for path " + isa_name(b.isa) +
                " (its B's); set the context's path back");
  }
}

}  // namespace i8gemm::detail
