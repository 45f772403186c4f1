// MR x 16 tiles, K in pairs, AVX2. A is packed widened to int16, B packed as int8 and widened
// as it is loaded (vpmovsxbw), and the two multiplied with vpmaddwd, exact for every input (see
// dot_x32c2__avx512bw.hpp); the classic vpmaddubsw kernel would saturate int16 on uint8 x int8
// pairs. B stays int8 in memory because it is the operand that streams: a GEMV reads each byte
// of B once, so int16 B would double its time, and in the blocked loops the same L1 holds a KC
// about 1.4 times as long (blocking.cpp). The widening load costs a shuffle-port uop beside the
// multiply port's vpmaddwd (measured on a Zen 2: README). At 6 rows, 12 accumulators, 2 B vectors,
// a broadcast and a product fill the 16 ymm registers.
#pragma once

#include "framework/isa_namespace.hpp"

#include <immintrin.h>

#include <cstdint>

namespace i8gemm::detail::I8GEMM_ISA_NS {

struct DotX16c2Avx2 {
  using Vec = __m256i;
  static constexpr int kLanes = 8;
  static constexpr int kBStep = 32;  // 16 columns x 2 int8
  static Vec zero() { return _mm256_setzero_si256(); }
  static Vec load(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
  static Vec load_b(const void* p) {
    return _mm256_cvtepi8_epi16(_mm_loadu_si128(static_cast<const __m128i*>(p)));
  }
  static void store(void* p, Vec v) { _mm256_storeu_si256(static_cast<__m256i*>(p), v); }
  static Vec broadcast(std::int32_t x) { return _mm256_set1_epi32(x); }
  static Vec add(Vec x, Vec y) { return _mm256_add_epi32(x, y); }
  // The add is written in place: from the intrinsic GCC 12 computes the sum into a new
  // register and copies it back, one extra instruction per accumulator per K group, enough to
  // make the loop front-end bound.
  static Vec dot(Vec acc, Vec a, Vec b) {
    const Vec product = _mm256_madd_epi16(a, b);
    __asm__("vpaddd %1, %0, %0" : "+x"(acc) : "x"(product));
    return acc;
  }
};

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
