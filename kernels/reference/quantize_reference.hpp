// The scalar, literal definition of docs/math.md section 1: the oracle of every quantization
// path, and the tail handling of the vectorized kernels. No validation: callers check arguments.
//
// Every function is out of line (explicitly instantiated in quantize_reference.cpp) so that the
// per-ISA kernel files, compiled with other flags, never emit their own copy of it. The
// functions over arrays compute in the default floating-point environment (fp_env.hpp) whatever
// the caller's; the one-value functions in the caller's (the array functions' callers set it).
#pragma once

#include <cstddef>
#include <cstdint>

#include "i8gemm/quantize.hpp"

namespace i8gemm::reference {

// Asymmetric: [min, max] widened to include 0, mapped onto [qmin, qmax] (qmin < qmax).
QuantParams choose_quant_params(float min, float max, std::int32_t qmin, std::int32_t qmax);
// Symmetric: zero point 0, range [-qmax, qmax].
QuantParams choose_quant_params_symmetric(float min, float max, std::int32_t qmax);
// Symmetric over the full range [qmin, qmax] (qmin = -qmax - 1): zero point 0,
// scale = max(|min|, |max|) / ((qmax - qmin) / 2), as PyTorch's symmetric qscheme.
QuantParams choose_quant_params_symmetric_full(float min, float max, std::int32_t qmin,
                                               std::int32_t qmax);

// One value. A NaN r quantizes as 0.0f does.
template <typename Q>
Q quantize_value(float r, float inv_scale, std::int32_t zero_point, std::int32_t qmin,
                 std::int32_t qmax);
float dequantize_value(std::int32_t q, float scale, std::int32_t zero_point);

template <typename Q>
void quantize(const float* x, std::size_t n, const QuantParams& p, Q* q);
template <typename Q>
void dequantize(const Q* q, std::size_t n, const QuantParams& p, float* x);

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

// The least and greatest of x[0..n) (n > 0); returns the index of the first NaN or infinity, or
// n (quantize_dispatch.hpp's MinMaxFn).
std::size_t min_max(const float* x, std::size_t n, float* lo, float* hi);

// Mean of (dequantize(quantize(x)) - x)^2, summed in double in index order; 0 when n == 0.
double quantization_mse(const float* x, std::size_t n, const QuantParams& p);
// The same over a matrix with per-row / per-column parameters, summed in row-major order.
double quantization_mse_rows(const float* x, std::int64_t rows, std::int64_t cols,
                             std::int64_t ld_x, const QuantParams* params);
double quantization_mse_columns(const float* x, std::int64_t rows, std::int64_t cols,
                                std::int64_t ld_x, const QuantParams* params);

}  // namespace i8gemm::reference
