// The scalar oracle: math.md sections 2 to 4 literally, int64 intermediates, no blocking.
#pragma once

#include "i8gemm/i8gemm.hpp"
#include "i8gemm/quantize.hpp"

namespace i8gemm::reference {

// B as the oracle reads it: K x N (layout kn) or N x K (layout nk) row-major.
struct BMatrix {
  const std::int8_t* data;
  std::int64_t k, n, ld;
  BLayout layout;
  ZeroPoints zero_point;
  std::int32_t at(std::int64_t kk, std::int64_t j) const {
    return layout == BLayout::kn ? data[kk * ld + j] : data[j * ld + kk];
  }
};

// The exact acc[i, j] of math.md section 2 (before the int32 wrap).
std::int64_t exact_accumulator(const detail::ADesc& a, const BMatrix& b, std::int64_t i,
                               std::int64_t j);

// Runs the whole GEMM: acc, wrapped to int32, then out's stage.
void gemm(const detail::ADesc& a, const BMatrix& b, const detail::OutDesc& out);

// math.md section 4 literally: float A (M x K, lda) quantized to `quantized` (s8 or u8) with
// each row's parameters, or the whole tensor's; the int64 product with B's zero points; out's
// float32 stage (its b scales, bias and clamp) with the row's scale. Writes the parameters used
// to params[0..M) when set. Throws Error naming the row and column of a NaN or infinity.
void gemm_dynamic(const float* a, std::int64_t m, std::int64_t k, std::int64_t lda,
                  detail::AType quantized, bool per_tensor, const BMatrix& b,
                  const detail::OutDesc& out, QuantParams* params = nullptr);

}  // namespace i8gemm::reference
