// Internal: the quantization kernels each path registers (PathConfig::quant), and entry points
// that run a given path's, so tests can compare each path's against the reference. The public
// functions in quantize.hpp run the default path's (I8GEMM_ISA honoured).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "i8gemm/i8gemm.hpp"
#include "i8gemm/quantize.hpp"

namespace i8gemm::detail {

// Like the public functions (same validation), on a given path; throws Error if it is not
// available.
template <typename Q>
void quantize(Isa path, const float* x, std::size_t n, const QuantParams& p, Q* q);
template <typename Q>
void dequantize(Isa path, const Q* q, std::size_t n, const QuantParams& p, float* x);
template <typename Q>
void quantize_rows(Isa path, const float* x, std::int64_t rows, std::int64_t cols,
                   std::int64_t ld_x, const QuantParams* params, Q* q, std::int64_t ld_q);
template <typename Q>
void quantize_columns(Isa path, const float* x, std::int64_t rows, std::int64_t cols,
                      std::int64_t ld_x, const QuantParams* params, Q* q, std::int64_t ld_q);
template <typename Q>
void dequantize_rows(Isa path, const Q* q, std::int64_t rows, std::int64_t cols, std::int64_t ld_q,
                     const QuantParams* params, float* x, std::int64_t ld_x);
template <typename Q>
void dequantize_columns(Isa path, const Q* q, std::int64_t rows, std::int64_t cols,
                        std::int64_t ld_q, const QuantParams* params, float* x, std::int64_t ld_x);
double quantization_mse(Isa path, const float* x, std::size_t n, const QuantParams& p);
double quantization_mse_rows(Isa path, const float* x, std::int64_t rows, std::int64_t cols,
                             std::int64_t ld_x, const QuantParams* params);
double quantization_mse_columns(Isa path, const float* x, std::int64_t rows, std::int64_t cols,
                                std::int64_t ld_x, const QuantParams* params);

// choose_quant_params_rows and then quantize_rows to int8_t (the same parameters and bytes, a
// NaN or infinity named the same way; a spec whose range int8_t cannot hold is refused), in one
// pass over x instead of two: each row is ranged and then quantized while it is still in L1
// (QuantizedWeights of N x K weights). On the default path.
std::vector<QuantParams> choose_and_quantize_rows_s8(const float* x, std::int64_t rows,
                                                     std::int64_t cols, std::int64_t ld_x,
                                                     QuantSpec spec, std::int8_t* q,
                                                     std::int64_t ld_q);

// ---------------------------------------------------------------------------------------------
// Kernel tables (filled by the per-ISA instantiation files)
// ---------------------------------------------------------------------------------------------

// Per-column parameters as arrays (one entry per column), inv_scale[j] = 1.0f / scale[j].
struct QuantColumnParams {
  const float* scale;
  const float* inv_scale;
  const std::int32_t* zero_point;
  const std::int32_t* qmin;
  const std::int32_t* qmax;
};

// Kernels over one contiguous run of n values; the column forms take the parameters of the n
// columns the run covers. Arguments are already validated.
template <typename Q>
struct QuantKernels {
  void (*quantize)(const float* x, std::size_t n, const QuantParams& p, Q* q);
  void (*quantize_columns)(const float* x, std::size_t n, const QuantColumnParams& p, Q* q);
  void (*dequantize)(const Q* q, std::size_t n, const QuantParams& p, float* x);
  void (*dequantize_columns)(const Q* q, std::size_t n, const QuantColumnParams& p, float* x);
};

// The least and greatest of x[0..n) (n > 0) into *lo and *hi; returns the index of the first
// NaN or infinity, or n when there is none (lo and hi are then unspecified). Min and max are
// exact, so every path gives the same pair.
using MinMaxFn = std::size_t (*)(const float* x, std::size_t n, float* lo, float* hi);

struct QuantKernelTable {
  MinMaxFn min_max;
  QuantKernels<std::int8_t> s8;
  QuantKernels<std::uint8_t> u8;
  QuantKernels<std::int16_t> s16;
  QuantKernels<std::uint16_t> u16;
  QuantKernels<std::int32_t> s32;
};

}  // namespace i8gemm::detail
