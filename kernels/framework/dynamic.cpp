// Dynamically quantized GEMM (dynamic.hpp, math.md section 4): weights prepared once, float
// activations quantized by the driver while it packs them (or once per call, before its blocks,
// where several N blocks meet the same rows: driver.cpp).
#include "i8gemm/dynamic.hpp"

#include <string>

#include "framework/context_state.hpp"
#include "framework/fp_env.hpp"
#include "framework/pack.hpp"
#include "framework/path_config.hpp"
#include "framework/validate.hpp"
#include "quantize/quantize_dispatch.hpp"
#include "reference/quantize_reference.hpp"

namespace i8gemm {
namespace {

constexpr QuantSpec kWeightSpec{8, true, true};  // symmetric int8 over [-127, 127]

// The whole tensor's parameters (per-tensor quantization): one pass over A for its range on the
// context's path, a NaN or infinity named by its row and column.
QuantParams tensor_params(const Context& ctx, MatrixView<const float> a, detail::AType quantized) {
  const detail::QuantKernelTable& kernels = *detail::find_path_config(ctx.isa())->quant;
  float lo = 0.0f, hi = 0.0f;
  for (std::int64_t i = 0; i < a.rows && a.cols > 0; ++i) {
    float row_lo, row_hi;
    detail::range_of_row_part(kernels, a.data + i * a.ld, i, 0, a.cols, &row_lo, &row_hi);
    lo = i == 0 || row_lo < lo ? row_lo : lo;
    hi = i == 0 || row_hi > hi ? row_hi : hi;
  }
  const bool s8 = quantized == detail::AType::s8;
  return reference::choose_quant_params(lo, hi, s8 ? -128 : 0, s8 ? 127 : 255);
}

}  // namespace

QuantizedWeights::Prepared QuantizedWeights::prepare(MatrixView<const float> w, BLayout layout) {
  const detail::FpEnvGuard default_fp_environment;
  if (w.rows < 0 || w.cols < 0 || w.ld < w.cols) {
    throw Error("w: " + std::to_string(w.rows) + " x " + std::to_string(w.cols) + " with ld " +
                std::to_string(w.ld) + " is not a matrix");
  }
  if (layout != BLayout::kn && layout != BLayout::nk) throw Error("layout: not kn or nk");
  const bool nk = layout == BLayout::nk;  // channels are rows
  Prepared p;
  p.n = nk ? w.rows : w.cols;
  p.k = nk ? w.cols : w.rows;
  p.layout = layout;
  p.q.resize(static_cast<std::size_t>(w.rows * w.cols));
  std::vector<QuantParams> params;
  if (nk) {
    params = detail::choose_and_quantize_rows_s8(w.data, w.rows, w.cols, w.ld, kWeightSpec,
                                                 p.q.data(), w.cols);
  } else {
    params = choose_quant_params_columns(w.data, w.rows, w.cols, w.ld, kWeightSpec);
    quantize_columns(w.data, w.rows, w.cols, w.ld, params.data(), p.q.data(), w.cols);
  }
  for (const QuantParams& c : params) p.scales.push_back(c.scale);
  return p;
}

QuantizedWeights::QuantizedWeights(Context& ctx, MatrixView<const float> w, BLayout layout)
    : QuantizedWeights(ctx, prepare(w, layout)) {}

QuantizedWeights::QuantizedWeights(Context& ctx, Prepared&& p)
    : scales_(std::move(p.scales)),
      packed_(ctx,
              p.layout == BLayout::nk
                  ? MatrixView<const std::int8_t>(p.q.empty() ? nullptr : p.q.data(), p.n, p.k)
                  : MatrixView<const std::int8_t>(p.q.empty() ? nullptr : p.q.data(), p.k, p.n),
              p.layout, 0) {}

void gemm_dynamic(Context& ctx, MatrixView<const float> a, const PackedB& b, const float* b_scales,
                  MatrixView<float> c, const DynamicOptions& options) {
  const detail::FpEnvGuard default_fp_environment;  // for the per-tensor range pass too
  if (options.granularity != ActivationQuant::per_row &&
      options.granularity != ActivationQuant::per_tensor) {
    throw Error("options.granularity: " + std::to_string(static_cast<int>(options.granularity)) +
                " is not per_row or per_tensor");
  }
  if (b_scales == nullptr && b.n() > 0)
    throw Error("b_scales: null for " + std::to_string(b.n()) + " columns");
  detail::DynamicA dyn{options.unsigned_activations ? detail::AType::u8 : detail::AType::s8,
                       nullptr, options.activation_params};
  OutputFloat stage;
  stage.b_scales = b_scales;
  stage.bias = options.bias;
  stage.min = options.min;
  stage.max = options.max;
  QuantParams tensor{};
  if (options.granularity == ActivationQuant::per_tensor) {
    // Validated first: the range pass reads A.
    detail::validate_a(
        detail::ADesc{a.data, detail::AType::f32, a.rows, a.cols, a.ld, ZeroPoints(0), &dyn});
    detail::require_available(ctx.isa(), "ctx");
    tensor = tensor_params(ctx, a, dyn.quantized);
    dyn.tensor = &tensor;
    dyn.params_out = nullptr;
    if (options.activation_params != nullptr) *options.activation_params = tensor;
    stage.a_scale = tensor.scale;
  }
  detail::gemm_packed(
      ctx, detail::ADesc{a.data, detail::AType::f32, a.rows, a.cols, a.ld, ZeroPoints(0), &dyn}, b,
      detail::out_desc(stage, c));
}

void gemm_dynamic(Context& ctx, MatrixView<const float> a, const QuantizedWeights& w,
                  MatrixView<float> c, const DynamicOptions& options) {
  gemm_dynamic(ctx, a, w.packed(), w.scales().data(), c, options);
}

}  // namespace i8gemm
