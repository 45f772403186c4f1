#include "reference/gemm_reference.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "framework/fp_env.hpp"
#include "reference/output_stage_reference.hpp"
#include "reference/quantize_reference.hpp"

namespace i8gemm::reference {
namespace {

std::int32_t a_at(const detail::ADesc& a, std::int64_t i, std::int64_t k) {
  const std::int64_t idx = i * a.ld + k;
  return a.type == detail::AType::s8 ? static_cast<const std::int8_t*>(a.data)[idx]
                                     : static_cast<const std::uint8_t*>(a.data)[idx];
}

std::int32_t zero_point_at(const ZeroPoints& z, std::int64_t idx) {
  return z.per_channel != nullptr ? z.per_channel[idx] : z.value;
}

void store(const detail::OutDesc& out, std::int64_t i, std::int64_t j, std::int32_t acc) {
  const std::int64_t idx = i * out.ld + j;
  const std::int32_t bias = out.bias != nullptr ? out.bias[j] : 0;
  const std::int32_t v = wrap32(std::int64_t{acc} + bias);
  switch (out.kind) {
    case detail::OutKind::int32:
      static_cast<std::int32_t*>(out.data)[idx] = v;
      return;
    case detail::OutKind::fixed_point:
    case detail::OutKind::float_scale: {
      const std::int32_t y =
          out.kind == detail::OutKind::fixed_point
              ? requantize_fixed_point(v, out.multipliers ? out.multipliers[j] : out.multiplier,
                                       out.zero_point, out.min, out.max)
              : requantize_float(v, out.scales ? out.scales[j] : out.scale, out.zero_point, out.min,
                                 out.max);
      if (out.type == detail::OutType::s8) {
        static_cast<std::int8_t*>(out.data)[idx] = static_cast<std::int8_t>(y);
      } else {
        static_cast<std::uint8_t*>(out.data)[idx] = static_cast<std::uint8_t>(y);
      }
      return;
    }
    case detail::OutKind::float32:
      // The float stage takes no int32 bias: acc alone, then the float bias.
      static_cast<float*>(out.data)[idx] = dequantize_output(
          acc, out.a_scales ? out.a_scales[i] : out.a_scale, out.scales ? out.scales[j] : out.scale,
          out.bias_f ? out.bias_f[j] : 0.0f, out.min_f, out.max_f);
      return;
  }
}

}  // namespace

std::int64_t exact_accumulator(const detail::ADesc& a, const BMatrix& b, std::int64_t i,
                               std::int64_t j) {
  const std::int64_t za = zero_point_at(a.zero_point, i);
  const std::int64_t zb = zero_point_at(b.zero_point, j);
  std::int64_t acc = 0;
  for (std::int64_t k = 0; k < b.k; ++k) acc += (a_at(a, i, k) - za) * (b.at(k, j) - zb);
  return acc;
}

void gemm(const detail::ADesc& a, const BMatrix& b, const detail::OutDesc& out) {
  const detail::FpEnvGuard default_fp_environment;  // the caller's rounding mode or FTZ/DAZ
                                                    // would change the fp32 stages
  for (std::int64_t i = 0; i < out.rows; ++i) {
    for (std::int64_t j = 0; j < out.cols; ++j)
      store(out, i, j, wrap32(exact_accumulator(a, b, i, j)));
  }
}

void gemm_dynamic(const float* a, std::int64_t m, std::int64_t k, std::int64_t lda,
                  detail::AType quantized, bool per_tensor, const BMatrix& b,
                  const detail::OutDesc& out, QuantParams* params) {
  const detail::FpEnvGuard default_fp_environment;  // the caller's rounding mode or FTZ/DAZ
  const std::int32_t qmin = quantized == detail::AType::s8 ? -128 : 0;
  const std::int32_t qmax = quantized == detail::AType::s8 ? 127 : 255;
  // 1. Ranges, each value checked.
  std::vector<float> lo(static_cast<std::size_t>(m), 0.0f), hi(static_cast<std::size_t>(m), 0.0f);
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t kk = 0; kk < k; ++kk) {
      const float v = a[i * lda + kk];
      if (!std::isfinite(v)) {
        throw Error("a[" + std::to_string(i) + "][" + std::to_string(kk) + "]: " +
                    std::to_string(v) + " is not finite");
      }
      lo[i] = kk == 0 ? v : std::min(lo[i], v);
      hi[i] = kk == 0 ? v : std::max(hi[i], v);
    }
  }
  if (per_tensor && m > 0) {
    const float tensor_lo = *std::min_element(lo.begin(), lo.end());
    const float tensor_hi = *std::max_element(hi.begin(), hi.end());
    std::fill(lo.begin(), lo.end(), tensor_lo);
    std::fill(hi.begin(), hi.end(), tensor_hi);
  }
  std::vector<std::int32_t> q(static_cast<std::size_t>(k));
  for (std::int64_t i = 0; i < m; ++i) {
    // 2. Parameters; 3. quantization.
    const QuantParams p = choose_quant_params(lo[i], hi[i], qmin, qmax);
    if (params != nullptr) params[i] = p;
    const float inv_scale = 1.0f / p.scale;
    for (std::int64_t kk = 0; kk < k; ++kk) {
      q[kk] = quantize_value<std::int32_t>(a[i * lda + kk], inv_scale, p.zero_point, qmin, qmax);
    }
    for (std::int64_t j = 0; j < b.n; ++j) {
      // 4. The exact integer product; 5. the float32 stage with the row's scale.
      const std::int64_t zb = zero_point_at(b.zero_point, j);
      std::int64_t acc = 0;
      for (std::int64_t kk = 0; kk < k; ++kk) acc += (q[kk] - p.zero_point) * (b.at(kk, j) - zb);
      static_cast<float*>(out.data)[i * out.ld + j] = dequantize_output(
          wrap32(acc), p.scale, out.scales ? out.scales[j] : out.scale,
          out.bias_f ? out.bias_f[j] : 0.0f, out.min_f, out.max_f);
    }
  }
}

}  // namespace i8gemm::reference
