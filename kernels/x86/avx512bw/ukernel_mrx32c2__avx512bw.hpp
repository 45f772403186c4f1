// MR x 32 tile, K in pairs, for AVX-512BW without VNNI. A and B are packed widened to int16 and
// multiplied with vpmaddwd: each int32 lane gets a0*b0 + a1*b1 with |a| <= 255, |b| <= 128,
// at most 65280, so nothing saturates (vpmaddubsw on uint8 x int8 would: 255*127*2 > 32767).
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace i8gemm::detail {

template <int kMr>
void ukernel_mrx32c2__avx512bw(std::size_t k_groups, const void* a_panel, const void* b_panel,
                               std::int32_t* c, bool accumulate) {
  // With few rows the 2 x MR accumulator chains are too few to hide the vpmaddwd + vpaddd latency:
  // short kernels keep kSets independent sets over consecutive K groups and add them at the end.
  constexpr int kSets = kMr >= 4 ? 1 : 4 / kMr;
  const auto* a = static_cast<const std::int32_t*>(a_panel);  // one row's K group per int32
  const auto* b = static_cast<const std::int16_t*>(b_panel);
  __m512i acc[kSets][kMr][2];
#pragma GCC unroll 8
  for (int s = 0; s < kSets; ++s) {
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) acc[s][r][0] = acc[s][r][1] = _mm512_setzero_si512();
  }
  auto step = [&](int s) {
    const __m512i b0 = _mm512_loadu_si512(b);
    const __m512i b1 = _mm512_loadu_si512(b + 32);
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) {
      const __m512i av = _mm512_set1_epi32(a[r]);
      acc[s][r][0] = _mm512_add_epi32(acc[s][r][0], _mm512_madd_epi16(av, b0));
      acc[s][r][1] = _mm512_add_epi32(acc[s][r][1], _mm512_madd_epi16(av, b1));
    }
    a += kMr;
    b += 64;
  };
  std::size_t g = 0;
  for (; g + kSets <= k_groups; g += kSets) {
#pragma GCC unroll 4
    for (int s = 0; s < kSets; ++s) step(s);
  }
  for (; g < k_groups; ++g) step(0);
#pragma GCC unroll 8
  for (int r = 0; r < kMr; ++r) {
#pragma GCC unroll 4
    for (int s = 1; s < kSets; ++s) {
      acc[0][r][0] = _mm512_add_epi32(acc[0][r][0], acc[s][r][0]);
      acc[0][r][1] = _mm512_add_epi32(acc[0][r][1], acc[s][r][1]);
    }
    std::int32_t* row = c + r * 32;
    if (accumulate) {
      acc[0][r][0] = _mm512_add_epi32(acc[0][r][0], _mm512_loadu_si512(row));
      acc[0][r][1] = _mm512_add_epi32(acc[0][r][1], _mm512_loadu_si512(row + 16));
    }
    _mm512_storeu_si512(row, acc[0][r][0]);
    _mm512_storeu_si512(row + 16, acc[0][r][1]);
  }
}

}  // namespace i8gemm::detail
