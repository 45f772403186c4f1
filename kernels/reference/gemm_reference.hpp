// The scalar oracle: math.md sections 2 and 3 literally, int64 intermediates, no blocking.
// It is also the `scalar` path.
#pragma once

#include "i8gemm/i8gemm.hpp"

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

}  // namespace i8gemm::reference
