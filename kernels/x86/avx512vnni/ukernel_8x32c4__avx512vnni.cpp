// 8 x 32 tile, K in groups of 4, vpdpbusd (uint8 x int8 -> int32, four products per lane).
// vpdpbusd takes the unsigned operand in a register and only the signed one from memory, so A
// (uint8, or int8 + 128) is broadcast and B (int8) is the vector: 16 accumulators, 2 B vectors
// and one broadcast live in 19 of the 32 zmm registers. No intermediate is narrower than
// int32, so every input is exact.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace i8gemm::detail {

void i8gemm_ukernel_8x32c4__avx512vnni(std::size_t k_groups, const void* a_panel,
                                       const void* b_panel, std::int32_t* c, bool accumulate) {
  constexpr int kMr = 8;
  const auto* a = static_cast<const std::int32_t*>(a_panel);  // 4 bytes of a row per k group
  const auto* b = static_cast<const std::int8_t*>(b_panel);
  __m512i acc[kMr][2];
#pragma GCC unroll 8
  for (int r = 0; r < kMr; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_si512();
  for (std::size_t g = 0; g < k_groups; ++g) {
    const __m512i b0 = _mm512_loadu_si512(b);
    const __m512i b1 = _mm512_loadu_si512(b + 64);
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) {
      const __m512i av = _mm512_set1_epi32(a[r]);
      acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], av, b0);
      acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], av, b1);
    }
    a += kMr;
    b += 128;
  }
#pragma GCC unroll 8
  for (int r = 0; r < kMr; ++r) {
    std::int32_t* row = c + r * 32;
    if (accumulate) {
      acc[r][0] = _mm512_add_epi32(acc[r][0], _mm512_loadu_si512(row));
      acc[r][1] = _mm512_add_epi32(acc[r][1], _mm512_loadu_si512(row + 16));
    }
    _mm512_storeu_si512(row, acc[r][0]);
    _mm512_storeu_si512(row + 16, acc[r][1]);
  }
}

}  // namespace i8gemm::detail
