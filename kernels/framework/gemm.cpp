// The GEMM entry points and a PreparedGemm's run: validate, then run the blocked driver on the
// context's path.
#include <algorithm>

#include "framework/context_state.hpp"
#include "framework/context_use.hpp"
#include "framework/driver.hpp"
#include "framework/fp_env.hpp"
#include "framework/pack.hpp"
#include "framework/packed_b_state.hpp"
#include "framework/prepared_gemm_state.hpp"
#include "framework/validate.hpp"

namespace i8gemm::detail {
namespace {

// The context's path: set_isa admits only built, available paths.
const PathConfig& path_of(const ContextState& st) {
  return *st.path;
}

void run(ContextState& st, const ADesc& a, const PackedBView& b, const OutDesc& out,
         const PreparedCall* prepared = nullptr) {
  run_blocked(st, path_of(st), a, b, out, prepared);
  st.last_used = st.isa;
}

// Whether a call does fp32 arithmetic (float A quantized on the way, an fp32 output stage), the
// only calls whose results the floating-point environment could change: the others run under
// the caller's, untouched. Reading MXCSR to check it took 8-10 ns of a 16^3 int8 call on a
// Zen 5 (avx512vnni, A and C rotated, calls alternating with and without it, 7 rounds: 0.93 of
// the time, 124 ns against 136).
bool uses_fp32(const ADesc& a, const OutDesc& out) {
  return a.type == AType::f32 || out.kind == OutKind::float_scale || out.kind == OutKind::float32;
}

// gemm() with packed B, or a PreparedGemm's run (`prepared`: its stage checked, its column
// terms computed).
[[gnu::always_inline]] inline void run_packed(Context& ctx, const ADesc& a, const PackedB& b,
                                              const OutDesc& out,
                                              const PreparedGemmState* prepared) {
  ContextState& st = ctx.state();
  const ContextUse in_use(st);
  const FpEnvGuard default_fp_environment(uses_fp32(a, out));
  const PackedBState& packed = b.state();
  validate_a(a);
  if (prepared == nullptr) {
    validate_gemm(a, packed.view.k, packed.view.n, out);
    validate_b_path(packed.isa, st.isa);
  } else {
    validate_prepared(*prepared, packed, st.isa);
    validate_shapes(a, packed.view.k, packed.view.n, out);
  }
  run(st, a, packed.view, out, prepared != nullptr ? &prepared->call : nullptr);
}

}  // namespace

void gemm_packed(Context& ctx, const ADesc& a, const PackedB& b, const OutDesc& out) {
  run_packed(ctx, a, b, out, nullptr);
}

void run_prepared(const PreparedGemmState& p, const void* a, std::int64_t a_rows,
                  std::int64_t a_cols, std::int64_t lda, void* c, std::int64_t c_rows,
                  std::int64_t c_cols, std::int64_t ldc) {
  OutDesc out = p.out;
  out.data = c;
  out.rows = c_rows;
  out.cols = c_cols;
  out.ld = ldc;
  run_packed(*p.ctx, ADesc{a, p.a_type, a_rows, a_cols, lda, ZeroPoints(p.a_zero_point)}, *p.b, out,
             &p);
}

void gemm_unpacked(Context& ctx, const ADesc& a, const BDesc& b, const OutDesc& out) {
  ContextState& st = ctx.state();
  const ContextUse in_use(st);
  const FpEnvGuard default_fp_environment(uses_fp32(a, out));
  validate_a(a);
  validate_b(b);
  const std::int64_t k = b.k(), n = b.n();
  validate_gemm(a, k, n, out);
  validate_c_disjoint(out, "b", b.data, b.rows, b.cols, b.ld, 1);
  validate_packed_b_size(k, n);
  if (a.rows == 0 || n == 0) {  // nothing to write (K = 0 alone still runs the output stage)
    st.last_used = st.isa;
    return;
  }
  const PathConfig& cfg = path_of(st);
  // (At least one byte: with K = 0 there are no panels, but the pointer must not be null.)
  const std::size_t b_bytes = packed_b_bytes(cfg, k, n);
  void* panels = st.packed_b.reserve(std::max<std::size_t>(1, b_bytes));
  auto* sums = st.b_sums.as<std::int32_t>(static_cast<std::size_t>(n));
  // A large B is packed by every thread, in runs of whole panels.
  const std::int64_t panels_total = (n + cfg.nr - 1) / cfg.nr;
  const std::int64_t per_task = st.threads > 1 && k * n >= (std::int64_t{1} << 18)
                                    ? std::max<std::int64_t>(1, panels_total / (4 * st.threads))
                                    : panels_total;
  auto pack_run = [&b, &cfg, panels, sums, per_task](std::size_t t) {
    const auto p0 = static_cast<std::int64_t>(t) * per_task;
    pack_b(cfg, b, panels, sums, p0, p0 + per_task);
  };
  // The std::function holds only a pointer: no allocation per call.
  const auto* pack_task = &pack_run;
  st.parallel(static_cast<std::size_t>((panels_total + per_task - 1) / per_task),
              [pack_task](std::size_t t) { (*pack_task)(t); });
  run(st, a, PackedBView{panels, sums, b.zero_point, k, n, packed_b_panel_bytes(cfg, k), b_bytes},
      out);
}

}  // namespace i8gemm::detail
