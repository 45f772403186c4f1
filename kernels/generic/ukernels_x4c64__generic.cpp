// The generic micro-kernels: MR x 4 tiles over K in groups of 64, A and B widened to int16, in
// plain C++ written for the compiler's vectorizer at the build's baseline. Each 2 x 4 block of
// the tile is eight independent dot products over K of int16 pairs into uint32 sums: the shape
// of a reduction the vectorizers recognize as multiply-add of pairs (pmaddwd with SSE2, smlal or
// sdot where the target has them), which the layout makes contiguous: a K group holds 64
// consecutive values of each row of A and of each column of B. A block of 2 rows keeps the
// 8 sums and the 6 operand vectors within 16 registers; the sums wrap modulo 2^32 (uint32, so
// no signed overflow), as every path's.
#include <cstddef>
#include <cstdint>

#include "framework/isa_namespace.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {
namespace {

constexpr int kNr = 4;
constexpr int kKg = 64;

// sums[r][j] = sum over k of A(row0 + r, k) * B(k, j), for kRows rows of an MR-row panel.
template <int kMr, int kRows>
void dot_block(std::size_t k_units, const std::int16_t* a, const std::int16_t* b,
               std::uint32_t (&sums)[kRows][kNr]) {
  for (std::size_t g = 0; g < k_units; ++g, a += kMr * kKg, b += kNr * kKg) {
    for (int t = 0; t < kKg; ++t) {
      for (int r = 0; r < kRows; ++r) {
        for (int j = 0; j < kNr; ++j) {
          sums[r][j] += static_cast<std::uint32_t>(a[r * kKg + t] * b[j * kKg + t]);
        }
      }
    }
  }
}

template <int kMr>
void ukernel_mrx4c64(std::size_t k_units, const void* a_panel, const void* b_panel, std::int32_t* c,
                     std::size_t ldc, bool accumulate) {
  const auto* a = static_cast<const std::int16_t*>(a_panel);
  const auto* b = static_cast<const std::int16_t*>(b_panel);
  constexpr int kRows = kMr >= 2 ? 2 : 1;
  for (int r0 = 0; r0 < kMr; r0 += kRows) {
    std::uint32_t sums[kRows][kNr] = {};
    dot_block<kMr, kRows>(k_units, a + r0 * kKg, b, sums);
    for (int r = 0; r < kRows; ++r) {
      for (int j = 0; j < kNr; ++j) {
        std::int32_t& out = c[static_cast<std::size_t>(r0 + r) * ldc + j];
        out = static_cast<std::int32_t>(sums[r][j] +
                                        (accumulate ? static_cast<std::uint32_t>(out) : 0u));
      }
    }
  }
}

}  // namespace

void i8gemm_ukernel_4x4c64__generic(std::size_t k_units, const void* a, const void* b,
                                    std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx4c64<4>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_2x4c64__generic(std::size_t k_units, const void* a, const void* b,
                                    std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx4c64<2>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_1x4c64__generic(std::size_t k_units, const void* a, const void* b,
                                    std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx4c64<1>(k_units, a, b, c, ldc, accumulate);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
