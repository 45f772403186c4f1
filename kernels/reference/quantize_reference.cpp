#include "reference/quantize_reference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "framework/fp_env.hpp"
#include "reference/round_half_even.hpp"

namespace i8gemm::reference {
namespace {

// clamp(v, qmin, qmax) for an integral float v; the comparisons in double are exact for every
// float and every int32, so no value is rounded before it is clamped.
std::int32_t clamp_to_range(float v, std::int32_t qmin, std::int32_t qmax) {
  if (static_cast<double>(v) <= qmin) return qmin;
  if (static_cast<double>(v) >= qmax) return qmax;
  return static_cast<std::int32_t>(v);
}

// 1 / s must stay finite or r * (1 / s) turns 0 into NaN: a non-empty range too narrow for
// that gets the smallest normal scale, whose reciprocal (2^126) is finite.
float usable_scale(float scale) {
  return std::isfinite(1.0f / scale) ? scale : std::numeric_limits<float>::min();
}

template <typename T>
double squared(T v) {
  return static_cast<double>(v) * static_cast<double>(v);
}

double roundtrip_error(float r, float inv_scale, const QuantParams& p) {
  const std::int32_t q = quantize_value<std::int32_t>(r, inv_scale, p.zero_point, p.qmin, p.qmax);
  return squared(static_cast<double>(dequantize_value(q, p.scale, p.zero_point)) -
                 static_cast<double>(r));
}

}  // namespace

QuantParams choose_quant_params(float min, float max, std::int32_t qmin, std::int32_t qmax) {
  const detail::FpEnvGuard default_fp_environment;
  const float lo = std::min(min, 0.0f);
  const float hi = std::max(max, 0.0f);
  if (lo == hi) return QuantParams{1.0f, std::clamp(0, qmin, qmax), qmin, qmax};
  const float levels = static_cast<float>(static_cast<std::int64_t>(qmax) - qmin);
  const float scale = usable_scale((hi - lo) / levels);
  const float zero_point = round_half_even(static_cast<float>(qmin) - lo / scale);
  return QuantParams{scale, clamp_to_range(zero_point, qmin, qmax), qmin, qmax};
}

QuantParams choose_quant_params_symmetric(float min, float max, std::int32_t qmax) {
  const detail::FpEnvGuard default_fp_environment;
  const float abs_max = std::max(std::fabs(min), std::fabs(max));
  if (abs_max == 0.0f) return QuantParams{1.0f, 0, -qmax, qmax};
  return QuantParams{usable_scale(abs_max / static_cast<float>(qmax)), 0, -qmax, qmax};
}

std::size_t min_max(const float* x, std::size_t n, float* lo, float* hi) {
  float l = std::numeric_limits<float>::infinity(), h = -l;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) return i;
    l = std::min(l, x[i]);
    h = std::max(h, x[i]);
  }
  *lo = l;
  *hi = h;
  return n;
}

QuantParams choose_quant_params_symmetric_full(float min, float max, std::int32_t qmin,
                                               std::int32_t qmax) {
  const float abs_max = std::max(std::fabs(min), std::fabs(max));
  if (abs_max == 0.0f) return QuantParams{1.0f, 0, qmin, qmax};
  const float half_levels = static_cast<float>(static_cast<std::int64_t>(qmax) - qmin) / 2.0f;
  return QuantParams{usable_scale(abs_max / half_levels), 0, qmin, qmax};
}

template <typename Q>
Q quantize_value(float r, float inv_scale, std::int32_t zero_point, std::int32_t qmin,
                 std::int32_t qmax) {
  if (std::isnan(r)) r = 0.0f;
  const float v = round_half_even(r * inv_scale + static_cast<float>(zero_point));
  return static_cast<Q>(clamp_to_range(v, qmin, qmax));
}

float dequantize_value(std::int32_t q, float scale, std::int32_t zero_point) {
  // q - z needs 33 bits when both are int32.
  return scale * static_cast<float>(static_cast<std::int64_t>(q) - zero_point);
}

template <typename Q>
void quantize(const float* x, std::size_t n, const QuantParams& p, Q* q) {
  const detail::FpEnvGuard default_fp_environment;
  const float inv_scale = 1.0f / p.scale;
  for (std::size_t i = 0; i < n; ++i) {
    q[i] = quantize_value<Q>(x[i], inv_scale, p.zero_point, p.qmin, p.qmax);
  }
}

template <typename Q>
void dequantize(const Q* q, std::size_t n, const QuantParams& p, float* x) {
  const detail::FpEnvGuard default_fp_environment;
  for (std::size_t i = 0; i < n; ++i) x[i] = dequantize_value(q[i], p.scale, p.zero_point);
}

template <typename Q>
void quantize_rows(const float* x, std::int64_t rows, std::int64_t cols, std::int64_t ld_x,
                   const QuantParams* params, Q* q, std::int64_t ld_q) {
  const detail::FpEnvGuard default_fp_environment;
  for (std::int64_t i = 0; i < rows; ++i) {
    reference::quantize(x + i * ld_x, static_cast<std::size_t>(cols), params[i], q + i * ld_q);
  }
}

template <typename Q>
void quantize_columns(const float* x, std::int64_t rows, std::int64_t cols, std::int64_t ld_x,
                      const QuantParams* params, Q* q, std::int64_t ld_q) {
  const detail::FpEnvGuard default_fp_environment;
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) {
      const QuantParams& p = params[j];
      q[i * ld_q + j] =
          quantize_value<Q>(x[i * ld_x + j], 1.0f / p.scale, p.zero_point, p.qmin, p.qmax);
    }
  }
}

template <typename Q>
void dequantize_rows(const Q* q, std::int64_t rows, std::int64_t cols, std::int64_t ld_q,
                     const QuantParams* params, float* x, std::int64_t ld_x) {
  const detail::FpEnvGuard default_fp_environment;
  for (std::int64_t i = 0; i < rows; ++i) {
    reference::dequantize(q + i * ld_q, static_cast<std::size_t>(cols), params[i], x + i * ld_x);
  }
}

template <typename Q>
void dequantize_columns(const Q* q, std::int64_t rows, std::int64_t cols, std::int64_t ld_q,
                        const QuantParams* params, float* x, std::int64_t ld_x) {
  const detail::FpEnvGuard default_fp_environment;
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) {
      x[i * ld_x + j] = dequantize_value(q[i * ld_q + j], params[j].scale, params[j].zero_point);
    }
  }
}

double quantization_mse(const float* x, std::size_t n, const QuantParams& p) {
  const detail::FpEnvGuard default_fp_environment;
  if (n == 0) return 0.0;
  const float inv_scale = 1.0f / p.scale;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += roundtrip_error(x[i], inv_scale, p);
  return sum / static_cast<double>(n);
}

double quantization_mse_rows(const float* x, std::int64_t rows, std::int64_t cols,
                             std::int64_t ld_x, const QuantParams* params) {
  const detail::FpEnvGuard default_fp_environment;
  if (rows <= 0 || cols <= 0) return 0.0;
  double sum = 0.0;
  for (std::int64_t i = 0; i < rows; ++i) {
    const float inv_scale = 1.0f / params[i].scale;
    for (std::int64_t j = 0; j < cols; ++j) {
      sum += roundtrip_error(x[i * ld_x + j], inv_scale, params[i]);
    }
  }
  return sum / (static_cast<double>(rows) * static_cast<double>(cols));
}

double quantization_mse_columns(const float* x, std::int64_t rows, std::int64_t cols,
                                std::int64_t ld_x, const QuantParams* params) {
  const detail::FpEnvGuard default_fp_environment;
  if (rows <= 0 || cols <= 0) return 0.0;
  double sum = 0.0;
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) {
      sum += roundtrip_error(x[i * ld_x + j], 1.0f / params[j].scale, params[j]);
    }
  }
  return sum / (static_cast<double>(rows) * static_cast<double>(cols));
}

#define I8GEMM_QUANTIZE_REFERENCE_INSTANTIATE(Q)                                            \
  template Q quantize_value<Q>(float, float, std::int32_t, std::int32_t, std::int32_t);     \
  template void quantize<Q>(const float*, std::size_t, const QuantParams&, Q*);             \
  template void dequantize<Q>(const Q*, std::size_t, const QuantParams&, float*);           \
  template void quantize_rows<Q>(const float*, std::int64_t, std::int64_t, std::int64_t,    \
                                 const QuantParams*, Q*, std::int64_t);                     \
  template void quantize_columns<Q>(const float*, std::int64_t, std::int64_t, std::int64_t, \
                                    const QuantParams*, Q*, std::int64_t);                  \
  template void dequantize_rows<Q>(const Q*, std::int64_t, std::int64_t, std::int64_t,      \
                                   const QuantParams*, float*, std::int64_t);               \
  template void dequantize_columns<Q>(const Q*, std::int64_t, std::int64_t, std::int64_t,   \
                                      const QuantParams*, float*, std::int64_t);
I8GEMM_QUANTIZE_REFERENCE_INSTANTIATE(std::int8_t)
I8GEMM_QUANTIZE_REFERENCE_INSTANTIATE(std::uint8_t)
I8GEMM_QUANTIZE_REFERENCE_INSTANTIATE(std::int16_t)
I8GEMM_QUANTIZE_REFERENCE_INSTANTIATE(std::uint16_t)
I8GEMM_QUANTIZE_REFERENCE_INSTANTIATE(std::int32_t)
#undef I8GEMM_QUANTIZE_REFERENCE_INSTANTIATE

}  // namespace i8gemm::reference
