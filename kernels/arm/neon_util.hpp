// Helpers shared by the aarch64 micro-kernels.
#pragma once

#include "framework/isa_namespace.hpp"

#include <arm_neon.h>

#include <cstdint>
#include <type_traits>
#include <utility>

namespace i8gemm::detail::I8GEMM_ISA_NS {

// static_for<N>(f) calls f(std::integral_constant<int, 0>{}) ... f(..<N - 1>): the by-lane
// intrinsics need their lane as a constant expression, also in unoptimized builds, and arrays of
// vectors indexed by constants stay in registers.
template <class F, int... I>
inline void static_for_impl(F& f, std::integer_sequence<int, I...>) {
  (f(std::integral_constant<int, I>{}), ...);
}
template <int N, class F>
inline void static_for(F&& f) {
  static_for_impl(f, std::make_integer_sequence<int, N>{});
}

// ld1 of 1 to 4 consecutive q registers: one instruction for up to 64 bytes.
inline int8x16x4_t ld1_x4(const std::int8_t* p) {
  return vld1q_s8_x4(p);
}
inline int8x16x3_t ld1_x3(const std::int8_t* p) {
  return vld1q_s8_x3(p);
}
inline int8x16x2_t ld1_x2(const std::int8_t* p) {
  return vld1q_s8_x2(p);
}
inline int8x16_t ld1_x1(const std::int8_t* p) {
  return vld1q_s8(p);
}
inline int16x8x4_t ld1_x4(const std::int16_t* p) {
  return vld1q_s16_x4(p);
}
inline int16x8x3_t ld1_x3(const std::int16_t* p) {
  return vld1q_s16_x3(p);
}
inline int16x8x2_t ld1_x2(const std::int16_t* p) {
  return vld1q_s16_x2(p);
}
inline int16x8_t ld1_x1(const std::int16_t* p) {
  return vld1q_s16(p);
}

// Loads N consecutive q registers from p into v[0 .. N).
template <int N, typename T, typename V>
inline void load_vectors(const T* p, V* v) {
  constexpr int kLanes = 16 / sizeof(T);
  static_for<N / 4>([&](auto i) {
    const auto x = ld1_x4(p + 4 * kLanes * i);
    static_for<4>([&](auto j) { v[4 * i + j] = x.val[j]; });
  });
  constexpr int kDone = N / 4 * 4;
  if constexpr (N % 4 == 3) {
    const auto x = ld1_x3(p + kLanes * kDone);
    static_for<3>([&](auto j) { v[kDone + j] = x.val[j]; });
  } else if constexpr (N % 4 == 2) {
    const auto x = ld1_x2(p + kLanes * kDone);
    static_for<2>([&](auto j) { v[kDone + j] = x.val[j]; });
  } else if constexpr (N % 4 == 1) {
    v[kDone] = ld1_x1(p + kLanes * kDone);
  }
}

// Stores (or, if accumulate, adds to) 8 int32 of a c_tile row.
inline void store_row8(std::int32_t* row, int32x4_t lo, int32x4_t hi, bool accumulate) {
  if (accumulate) {
    lo = vaddq_s32(lo, vld1q_s32(row));
    hi = vaddq_s32(hi, vld1q_s32(row + 4));
  }
  vst1q_s32(row, lo);
  vst1q_s32(row + 4, hi);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
