// Internal: the quantization kernel sets (one per ISA instantiation of quantize_kernels.hpp),
// their tables, and entry points that run a chosen set, so tests can compare each set against
// the reference. The public functions in quantize.hpp run best_quant_kernel_set().
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "i8gemm/quantize.hpp"

namespace i8gemm::detail {

enum class QuantKernelSet { baseline, avx2, avx512bw, neon64 };

const char* quant_kernel_set_name(QuantKernelSet set);
// GoogleTest prints a set by its name.
inline void PrintTo(QuantKernelSet set, std::ostream* os) { *os << quant_kernel_set_name(set); }
// Every set, worst first.
std::vector<QuantKernelSet> all_quant_kernel_sets();
// Compiled into this library and runnable on this CPU.
std::vector<QuantKernelSet> available_quant_kernel_sets();
// Why `set` cannot run here ("" when it can), e.g. "not compiled" or "CPU lacks avx512bw".
std::string quant_kernel_set_unavailable_reason(QuantKernelSet set);
// The last of available_quant_kernel_sets(); chosen once.
QuantKernelSet best_quant_kernel_set();

// Like the public functions (same validation), on a given set; throws Error if it is not
// available.
template <typename Q>
void quantize(QuantKernelSet set, const float* x, std::size_t n, const QuantParams& p, Q* q);
template <typename Q>
void dequantize(QuantKernelSet set, const Q* q, std::size_t n, const QuantParams& p, float* x);
template <typename Q>
void quantize_rows(QuantKernelSet set, const float* x, std::int64_t rows, std::int64_t cols,
                   std::int64_t ld_x, const QuantParams* params, Q* q, std::int64_t ld_q);
template <typename Q>
void quantize_columns(QuantKernelSet set, const float* x, std::int64_t rows, std::int64_t cols,
                      std::int64_t ld_x, const QuantParams* params, Q* q, std::int64_t ld_q);
template <typename Q>
void dequantize_rows(QuantKernelSet set, const Q* q, std::int64_t rows, std::int64_t cols,
                     std::int64_t ld_q, const QuantParams* params, float* x, std::int64_t ld_x);
template <typename Q>
void dequantize_columns(QuantKernelSet set, const Q* q, std::int64_t rows, std::int64_t cols,
                        std::int64_t ld_q, const QuantParams* params, float* x, std::int64_t ld_x);
double quantization_mse(QuantKernelSet set, const float* x, std::size_t n, const QuantParams& p);
double quantization_mse_rows(QuantKernelSet set, const float* x, std::int64_t rows,
                             std::int64_t cols, std::int64_t ld_x, const QuantParams* params);
double quantization_mse_columns(QuantKernelSet set, const float* x, std::int64_t rows,
                                std::int64_t cols, std::int64_t ld_x, const QuantParams* params);

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

struct QuantKernelTable {
  QuantKernels<std::int8_t> s8;
  QuantKernels<std::uint8_t> u8;
  QuantKernels<std::int16_t> s16;
  QuantKernels<std::uint16_t> u16;
  QuantKernels<std::int32_t> s32;
};

// Defined by quantize__baseline.cpp and by the ISA files that are compiled.
const QuantKernelTable& quant_kernels_baseline();
const QuantKernelTable& quant_kernels_avx2();
const QuantKernelTable& quant_kernels_avx512bw();
const QuantKernelTable& quant_kernels_neon64();

}  // namespace i8gemm::detail
