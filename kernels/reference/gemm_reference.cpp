#include "reference/gemm_reference.hpp"

#include "framework/fp_env.hpp"
#include "reference/output_stage_reference.hpp"

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
          out.bias_f ? out.bias_f[j] : 0.0f);
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

}  // namespace i8gemm::reference
