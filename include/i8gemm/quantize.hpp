// i8gemm quantization utilities: choosing (scale, zero point) from a range, quantizing /
// dequantizing float arrays per tensor, per row or per column (docs/math.md section 1), and
// quantizing a layer's bias to int32 (section 5).
//
// Every function is bit-exact with the scalar reference on every ISA path. Arithmetic is fp32
// with round-to-nearest-even and denormals kept, whatever the caller's rounding mode or
// FTZ/DAZ (the caller's environment is restored on return):
//   quantize:   q = clamp(round_half_even(r * (1 / s) + z), qmin, qmax), 1 / s computed once
//   dequantize: r = s * float(q - z)
// A NaN input quantizes as 0.0 does (to z); +-inf quantize to qmax / qmin.
//
// Supported storage types Q: int8_t, uint8_t, int16_t, uint16_t, int32_t. Invalid arguments
// throw i8gemm::Error naming the argument.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm {

// The two symmetric ranges (zero point 0, signed only), for b bits:
//   restricted  [-(2^(b-1) - 1), 2^(b-1) - 1], scale = max(|min|, |max|) / (2^(b-1) - 1):
//               -q is representable for every q (TensorFlow Lite's int8 weights, gemmlowp);
//   full        [-2^(b-1), 2^(b-1) - 1], scale = max(|min|, |max|) / ((qmax - qmin) / 2), i.e.
//               / (2^(b-1) - 0.5) (PyTorch's symmetric qscheme): one more level; +max(|r|)
//               lands on 2^(b-1) - 0.5 and is clamped to qmax.
enum class SymmetricRange { restricted, full };

// The integer range to quantize into: signed [-2^(b-1), 2^(b-1) - 1], unsigned [0, 2^b - 1], or
// symmetric (signed only, zero point 0) over `symmetric_range`. bits in 2..32 signed, 2..31
// unsigned (QuantParams holds qmin/qmax as int32; [0, 2^32 - 1] does not fit). Storage must hold
// the range: int8_t/uint8_t up to 8 bits, int16_t/uint16_t up to 16, int32_t beyond.
// The arithmetic is fp32 throughout (math.md): above 24 bits a float no longer resolves every
// level, so r * (1 / s) + z is rounded to the float grid (a multiple of 2^(e-23) near 2^e)
// before it is rounded to an integer; the result is still deterministic and the same on every
// path, but its error can exceed half a step. (An int32 bias is quantized with quantize_bias,
// in double, exactly.)
struct QuantSpec {
  int bits = 8;
  bool is_signed = true;
  bool symmetric = false;
  SymmetricRange symmetric_range = SymmetricRange::restricted;  // when symmetric
};

// r ~= scale * (q - zero_point), q in [qmin, qmax].
struct QuantParams {
  float scale;
  std::int32_t zero_point;
  std::int32_t qmin;
  std::int32_t qmax;
};

// Parameters for values observed in [min, max] (finite, min <= max). The range is widened to
// include 0; a range of only 0 gives scale 1, zero point 0. Throws Error naming spec.bits,
// spec.is_signed, spec.symmetric or spec.symmetric_range when the spec is out of range.
QuantParams choose_quant_params(float min, float max, QuantSpec spec = {});
// The same into an arbitrary integer range qmin < qmax (asymmetric).
QuantParams choose_quant_params_range(float min, float max, std::int32_t qmin, std::int32_t qmax);

// One QuantParams per row (rows entries) / per column (cols entries) of the row-major matrix x,
// from that row's / column's min and max. Every value must be finite.
std::vector<QuantParams> choose_quant_params_rows(const float* x, std::int64_t rows,
                                                  std::int64_t cols, std::int64_t ld_x,
                                                  QuantSpec spec = {});
std::vector<QuantParams> choose_quant_params_columns(const float* x, std::int64_t rows,
                                                     std::int64_t cols, std::int64_t ld_x,
                                                     QuantSpec spec = {});

// Per tensor: n values. Q must hold [p.qmin, p.qmax]; p.zero_point must lie in that range.
template <typename Q>
void quantize(const float* x, std::size_t n, const QuantParams& p, Q* q);
template <typename Q>
void dequantize(const Q* q, std::size_t n, const QuantParams& p, float* x);

// Row-major matrices: element (i, j) of x is x[i * ld_x + j]. `params` has one entry per row
// (rows entries) or per column (cols entries).
template <typename Q>
void quantize_rows(const float* x, std::int64_t rows, std::int64_t cols, std::int64_t ld_x,
                   const QuantParams* params, Q* q, std::int64_t ld_q);
template <typename Q>
void quantize_columns(const float* x, std::int64_t rows, std::int64_t cols, std::int64_t ld_x,
                      const QuantParams* params, Q* q, std::int64_t ld_q);
template <typename Q>
void dequantize_rows(const Q* q, std::int64_t rows, std::int64_t cols, std::int64_t ld_q,
                     const QuantParams* params, float* x, std::int64_t ld_x);
template <typename Q>
void dequantize_columns(const Q* q, std::int64_t rows, std::int64_t cols, std::int64_t ld_q,
                        const QuantParams* params, float* x, std::int64_t ld_x);

// Mean of (dequantize(quantize(x)) - x)^2 over all values, accumulated in double (0 when empty).
double quantization_mse(const float* x, std::size_t n, const QuantParams& p);
double quantization_mse_rows(const float* x, std::int64_t rows, std::int64_t cols,
                             std::int64_t ld_x, const QuantParams* params);
double quantization_mse_columns(const float* x, std::int64_t rows, std::int64_t cols,
                                std::int64_t ld_x, const QuantParams* params);

// The int32 bias of a quantized layer (math.md section 5), at scale input_scale * weight_scale[j]
// with zero point 0:
//   bias_q[j] = saturate_int32(round_half_even(double(bias[j]) /
//                                              (double(input_scale) * double(weight_scale[j]))))
// The product of two floats is exact in double and the quotient is rounded once before the
// rounding to an integer; results beyond int32 saturate to INT32_MIN / INT32_MAX. Per output
// channel (weight_scales: n values) or per tensor (one weight_scale). Throws Error naming the
// argument for a null pointer, n < 0, a non-finite bias value, or a scale that is not finite
// and > 0; nothing is written then.
void quantize_bias(const float* bias, std::int64_t n, float input_scale, const float* weight_scales,
                   std::int32_t* bias_q);
void quantize_bias(const float* bias, std::int64_t n, float input_scale, float weight_scale,
                   std::int32_t* bias_q);

#define I8GEMM_QUANTIZE_DECLARE(Q)                                                                 \
  extern template void quantize<Q>(const float*, std::size_t, const QuantParams&, Q*);             \
  extern template void dequantize<Q>(const Q*, std::size_t, const QuantParams&, float*);           \
  extern template void quantize_rows<Q>(const float*, std::int64_t, std::int64_t, std::int64_t,    \
                                        const QuantParams*, Q*, std::int64_t);                     \
  extern template void quantize_columns<Q>(const float*, std::int64_t, std::int64_t, std::int64_t, \
                                           const QuantParams*, Q*, std::int64_t);                  \
  extern template void dequantize_rows<Q>(const Q*, std::int64_t, std::int64_t, std::int64_t,      \
                                          const QuantParams*, float*, std::int64_t);               \
  extern template void dequantize_columns<Q>(const Q*, std::int64_t, std::int64_t, std::int64_t,   \
                                             const QuantParams*, float*, std::int64_t);
I8GEMM_QUANTIZE_DECLARE(std::int8_t)
I8GEMM_QUANTIZE_DECLARE(std::uint8_t)
I8GEMM_QUANTIZE_DECLARE(std::int16_t)
I8GEMM_QUANTIZE_DECLARE(std::uint16_t)
I8GEMM_QUANTIZE_DECLARE(std::int32_t)
#undef I8GEMM_QUANTIZE_DECLARE

}  // namespace i8gemm
