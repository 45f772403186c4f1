// The scalar micro-kernels: MR x 4 tiles, one k at a time, A widened to int16 (int8 and uint8
// alike), B int8. Each product fits int32; the sums wrap modulo 2^32 in uint32, as every path's.
#include <cstddef>
#include <cstdint>

#include "framework/isa_namespace.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {
namespace {

template <int kMr>
void ukernel_mrx4c1(std::size_t k_units, const void* a_panel, const void* b_panel, std::int32_t* c,
                    std::size_t ldc, bool accumulate) {
  constexpr int kNr = 4;
  const auto* a = static_cast<const std::int16_t*>(a_panel);
  const auto* b = static_cast<const std::int8_t*>(b_panel);
  std::uint32_t acc[kMr][kNr] = {};
  for (std::size_t k = 0; k < k_units; ++k, a += kMr, b += kNr) {
    for (int r = 0; r < kMr; ++r) {
      for (int j = 0; j < kNr; ++j) {
        acc[r][j] += static_cast<std::uint32_t>(std::int32_t{a[r]} * std::int32_t{b[j]});
      }
    }
  }
  for (int r = 0; r < kMr; ++r) {
    for (int j = 0; j < kNr; ++j) {
      std::int32_t& out = c[static_cast<std::size_t>(r) * ldc + j];
      const std::uint32_t prior = accumulate ? static_cast<std::uint32_t>(out) : 0u;
      out = static_cast<std::int32_t>(acc[r][j] + prior);
    }
  }
}

}  // namespace

void i8gemm_ukernel_4x4c1__scalar(std::size_t k_units, const void* a, const void* b,
                                  std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx4c1<4>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_1x4c1__scalar(std::size_t k_units, const void* a, const void* b,
                                  std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx4c1<1>(k_units, a, b, c, ldc, accumulate);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
