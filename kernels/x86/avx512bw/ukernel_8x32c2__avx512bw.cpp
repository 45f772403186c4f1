// 8 x 32 tile, K in pairs, for AVX-512BW without VNNI. A and B are packed widened to int16 and
// multiplied with vpmaddwd: each int32 lane gets a0*b0 + a1*b1 with |a| <= 255, |b| <= 128,
// at most 65280, so nothing saturates (vpmaddubsw on uint8 x int8 would: 255*127*2 > 32767).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace i8gemm::detail {

void i8gemm_ukernel_8x32c2__avx512bw(std::size_t k_groups, const void* a_panel,
                                     const void* b_panel, std::int32_t* c, bool accumulate) {
  constexpr int kMr = 8;
  const auto* a = static_cast<const std::int32_t*>(a_panel);  // one int16 pair per row per group
  const auto* b = static_cast<const std::int16_t*>(b_panel);
  __m512i acc[kMr][2];
#pragma GCC unroll 8
  for (int r = 0; r < kMr; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_si512();
  for (std::size_t g = 0; g < k_groups; ++g) {
    const __m512i b0 = _mm512_loadu_si512(b);
    const __m512i b1 = _mm512_loadu_si512(b + 32);
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) {
      const __m512i av = _mm512_set1_epi32(a[r]);
      acc[r][0] = _mm512_add_epi32(acc[r][0], _mm512_madd_epi16(av, b0));
      acc[r][1] = _mm512_add_epi32(acc[r][1], _mm512_madd_epi16(av, b1));
    }
    a += kMr;
    b += 64;
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
