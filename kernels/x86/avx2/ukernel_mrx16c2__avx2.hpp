// MR x 16 tile, K in pairs, AVX2. A and B are packed widened to int16 and multiplied with
// vpmaddwd, exact for every input (see ukernel_mrx32c2__avx512bw.hpp); the classic
// vpmaddubsw kernel would saturate int16 on uint8 x int8 pairs. 2 x MR accumulators, 2 B vectors,
// a broadcast and products fit the 16 ymm registers at MR <= 4 (GCC spills at 6 rows).
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace i8gemm::detail {

template <int kMr>
void ukernel_mrx16c2__avx2(std::size_t k_groups, const void* a_panel, const void* b_panel,
                           std::int32_t* c, bool accumulate) {
  // With few rows the 2 x MR accumulator chains are too few to hide the vpmaddwd + vpaddd latency:
  // short kernels keep kSets independent sets over consecutive K groups and add them at the end.
  constexpr int kSets = kMr >= 4 ? 1 : 4 / kMr;
  const auto* a = static_cast<const std::int32_t*>(a_panel);  // one row's K group per int32
  const auto* b = static_cast<const std::int16_t*>(b_panel);
  __m256i acc[kSets][kMr][2];
#pragma GCC unroll 8
  for (int s = 0; s < kSets; ++s) {
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) acc[s][r][0] = acc[s][r][1] = _mm256_setzero_si256();
  }
  auto step = [&](int s) {
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b));
    const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 16));
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) {
      const __m256i av = _mm256_set1_epi32(a[r]);
      acc[s][r][0] = _mm256_add_epi32(acc[s][r][0], _mm256_madd_epi16(av, b0));
      acc[s][r][1] = _mm256_add_epi32(acc[s][r][1], _mm256_madd_epi16(av, b1));
    }
    a += kMr;
    b += 32;
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
      acc[0][r][0] = _mm256_add_epi32(acc[0][r][0], acc[s][r][0]);
      acc[0][r][1] = _mm256_add_epi32(acc[0][r][1], acc[s][r][1]);
    }
    std::int32_t* row = c + r * 16;
    if (accumulate) {
      acc[0][r][0] =
          _mm256_add_epi32(acc[0][r][0], _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row)));
      acc[0][r][1] = _mm256_add_epi32(
          acc[0][r][1], _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 8)));
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(row), acc[0][r][0]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(row + 8), acc[0][r][1]);
  }
}

}  // namespace i8gemm::detail
