// 4 x 16 tile, K in pairs, AVX2. A and B are packed widened to int16 and multiplied with
// vpmaddwd, exact for every input (see ukernel_8x32c2__avx512bw.cpp); the classic
// vpmaddubsw kernel would saturate int16 on uint8 x int8 pairs. 8 accumulators, 2 B vectors,
// a broadcast and products fit the 16 ymm registers (GCC spills at 6 rows).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace i8gemm::detail {

void i8gemm_ukernel_4x16c2__avx2(std::size_t k_groups, const void* a_panel, const void* b_panel,
                                 std::int32_t* c, bool accumulate) {
  constexpr int kMr = 4;
  const auto* a = static_cast<const std::int32_t*>(a_panel);
  const auto* b = static_cast<const std::int16_t*>(b_panel);
  __m256i acc[kMr][2];
#pragma GCC unroll 4
  for (int r = 0; r < kMr; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  for (std::size_t g = 0; g < k_groups; ++g) {
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b));
    const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 16));
#pragma GCC unroll 4
    for (int r = 0; r < kMr; ++r) {
      const __m256i av = _mm256_set1_epi32(a[r]);
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(av, b0));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(av, b1));
    }
    a += kMr;
    b += 32;
  }
#pragma GCC unroll 4
  for (int r = 0; r < kMr; ++r) {
    auto* row = reinterpret_cast<__m256i*>(c + r * 16);
    if (accumulate) {
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_loadu_si256(row));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_loadu_si256(row + 1));
    }
    _mm256_storeu_si256(row, acc[r][0]);
    _mm256_storeu_si256(row + 1, acc[r][1]);
  }
}

}  // namespace i8gemm::detail
