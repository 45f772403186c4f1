// MR x 32 tiles, K in pairs, for AVX-512BW without VNNI. A and B are packed widened to int16 and
// multiplied with vpmaddwd: each int32 lane gets a0*b0 + a1*b1 with |a| <= 255, |b| <= 128,
// at most 65280, so nothing saturates (vpmaddubsw on uint8 x int8 would: 255*127*2 > 32767).
#pragma once

#include "framework/isa_namespace.hpp"

#include <immintrin.h>

#include <cstdint>

namespace i8gemm::detail::I8GEMM_ISA_NS {

struct DotX32c2Avx512bw {
  using Vec = __m512i;
  static constexpr int kLanes = 16;
  static constexpr int kBStep = 128;  // 32 columns x 2 int16
  static Vec zero() { return _mm512_setzero_si512(); }
  static Vec load(const void* p) { return _mm512_loadu_si512(p); }
  static Vec load_b(const void* p) { return load(p); }
  static void store(void* p, Vec v) { _mm512_storeu_si512(p, v); }
  static Vec broadcast(std::int32_t x) { return _mm512_set1_epi32(x); }
  static Vec add(Vec x, Vec y) { return _mm512_add_epi32(x, y); }
  // The add is written in place (see dot_x16c2__avx2.hpp).
  static Vec dot(Vec acc, Vec a, Vec b) {
    const Vec product = _mm512_madd_epi16(a, b);
    __asm__("vpaddd %1, %0, %0" : "+v"(acc) : "v"(product));
    return acc;
  }
};

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
