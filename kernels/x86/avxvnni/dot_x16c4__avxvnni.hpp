// MR x 16 tiles, K in groups of 4, AVX-VNNI: the VEX-encoded vpdpbusd on ymm (uint8 x int8, four
// products per int32 lane) of Intel client CPUs without AVX-512 (Alder Lake to Arrow Lake). As
// on avx512vnni, A (uint8, or int8 + 128) is the broadcast unsigned operand and B the signed
// vector; no intermediate is narrower than int32, so every input is exact. At 6 rows, 12
// accumulators, 2 B vectors and a broadcast fit the 16 ymm registers.
#pragma once

#include "framework/isa_namespace.hpp"

#include <immintrin.h>

#include <cstdint>

namespace i8gemm::detail::I8GEMM_ISA_NS {

struct DotX16c4Avxvnni {
  using Vec = __m256i;
  static constexpr int kLanes = 8;
  static constexpr int kBStep = 64;  // 16 columns x 4 int8
  static Vec zero() { return _mm256_setzero_si256(); }
  static Vec load(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
  static Vec load_b(const void* p) { return load(p); }
  static void store(void* p, Vec v) { _mm256_storeu_si256(static_cast<__m256i*>(p), v); }
  static Vec broadcast(std::int32_t x) { return _mm256_set1_epi32(x); }
  static Vec flip_bytes(Vec v) {
    return _mm256_xor_si256(v, _mm256_set1_epi32(static_cast<int>(0x80808080u)));
  }
  static Vec add(Vec x, Vec y) { return _mm256_add_epi32(x, y); }
  static Vec dot(Vec acc, Vec a, Vec b) { return _mm256_dpbusd_avx_epi32(acc, a, b); }
};

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
