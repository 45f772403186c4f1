// MR x 8 tile, K one value at a time, for the Armv8.0 baseline. A and B arrive widened to int16
// (packed as PackedElem::s16), and smlal/smlal2 by lane multiply an int16 of A by 8 int16 of B
// into int32 accumulators. No sum of products is ever held in int16 (where (-128)(-128) twice
// overflows, the reason ruy forbids zero points of -128), so every input is exact.
//   A panel, per K step: MR int16; an int16x8 holds 8 / MR consecutive steps.
//   B panel, per K step: 8 int16 (one int16x8).
#pragma once

#include "framework/isa_namespace.hpp"

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "arm/neon_util.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

template <int kMr>
void ukernel_mrx8c1__neon(std::size_t k_groups, const void* a_panel, const void* b_panel,
                          std::int32_t* c, std::size_t ldc, bool accumulate) {
  static_assert(8 % kMr == 0, "an int16x8 of A holds whole K steps");
  // An iteration takes kAVecs int16x8 of A (two at MR = 8, so that A and B each take one ld1)
  // and kSteps K steps of B. Short kernels keep their steps in kSets independent accumulator
  // sets (16 chains at every MR, enough to hide the smlal latency), added at the end.
  constexpr int kSets = 8 / kMr;
  constexpr int kAVecs = kMr == 8 ? 2 : 1;
  constexpr int kSteps = 8 * kAVecs / kMr;
  const auto* a = static_cast<const std::int16_t*>(a_panel);
  const auto* b = static_cast<const std::int16_t*>(b_panel);
  int32x4_t acc[kSets][kMr][2];
  static_for<kSets * kMr>(
      [&](auto e) { acc[e / kMr][e % kMr][0] = acc[e / kMr][e % kMr][1] = vdupq_n_s32(0); });
  for (std::size_t i = k_groups / kSteps; i != 0; --i) {
    int16x8_t av[kAVecs], bv[kSteps];
    load_vectors<kAVecs>(a, av);
    load_vectors<kSteps>(b, bv);
    static_for<kSteps * kMr>([&](auto e) {
      constexpr int s = decltype(e)::value / kMr, r = decltype(e)::value % kMr;
      constexpr int set = s % kSets, v = decltype(e)::value / 8, lane = decltype(e)::value % 8;
      acc[set][r][0] = vmlal_laneq_s16(acc[set][r][0], vget_low_s16(bv[s]), av[v], lane);
      acc[set][r][1] = vmlal_high_laneq_s16(acc[set][r][1], bv[s], av[v], lane);
    });
    a += 8 * kAVecs;
    b += 8 * kSteps;
  }
  for (std::size_t g = k_groups % kSteps; g != 0; --g) {
    const int16x8_t bv = vld1q_s16(b);
    static_for<kMr>([&](auto r) {
      const int16x8_t av = vdupq_n_s16(a[r]);
      acc[0][r][0] = vmlal_s16(acc[0][r][0], vget_low_s16(bv), vget_low_s16(av));
      acc[0][r][1] = vmlal_high_s16(acc[0][r][1], bv, av);
    });
    a += kMr;
    b += 8;
  }
  static_for<kMr>([&](auto r) {
    static_for<kSets - 1>([&](auto s) {
      acc[0][r][0] = vaddq_s32(acc[0][r][0], acc[s + 1][r][0]);
      acc[0][r][1] = vaddq_s32(acc[0][r][1], acc[s + 1][r][1]);
    });
    store_row8(c + static_cast<std::size_t>(r) * ldc, acc[0][r][0], acc[0][r][1], accumulate);
  });
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
