// MR x 32 tiles, K in groups of 4, vpdpbusd (uint8 x int8 -> int32, four products per lane).
// vpdpbusd takes the unsigned operand in a register and only the signed one from memory, so A
// (uint8, or int8 + 128) is broadcast and B (int8) is the vector. No intermediate is narrower
// than int32, so every input is exact.
#pragma once

#include "framework/isa_namespace.hpp"

#include <immintrin.h>

#include <cstdint>

namespace i8gemm::detail::I8GEMM_ISA_NS {

struct DotX32c4Avx512vnni {
  using Vec = __m512i;
  static constexpr int kLanes = 16;
  static constexpr int kBStep = 128;  // 32 columns x 4 int8
  static Vec zero() { return _mm512_setzero_si512(); }
  static Vec load(const void* p) { return _mm512_loadu_si512(p); }
  static Vec load_b(const void* p) { return load(p); }
  static void store(void* p, Vec v) { _mm512_storeu_si512(p, v); }
  static Vec broadcast(std::int32_t x) { return _mm512_set1_epi32(x); }
  static Vec flip_bytes(Vec v) {
    return _mm512_xor_si512(v, _mm512_set1_epi32(static_cast<int>(0x80808080u)));
  }
  static Vec add(Vec x, Vec y) { return _mm512_add_epi32(x, y); }
  static Vec dot(Vec acc, Vec a, Vec b) { return _mm512_dpbusd_epi32(acc, a, b); }
};

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
