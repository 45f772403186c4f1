// MR x 8 tile, K in groups of 4, sdot by lane (Armv8.2 dotprod): each int32 lane of an
// accumulator gains the dot product of 4 int8 of A with 4 int8 of B. A is int8 (uint8 A is
// packed as A - 128, math.md section 2), B is int8; no intermediate is narrower than int32, so
// every input is exact.
//   A panel, per K group: MR rows x 4 bytes; an int8x16 holds 4 (group, row) entries, and
//   sdot's lane selects one of them.
//   B panel, per K group: 8 columns x 4 bytes = two int8x16, columns 0-3 and 4-7.
#pragma once

#include "framework/isa_namespace.hpp"

#include <arm_neon.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "arm/neon_util.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

template <int kMr>
void ukernel_mrx8c4__neon_dotprod(std::size_t k_groups, const void* a_panel, const void* b_panel,
                                  std::int32_t* c, std::size_t ldc, bool accumulate) {
  // Short kernels keep kSets consecutive K groups in independent accumulator sets (8 to 16
  // chains, enough to hide the sdot latency) and add them at the end.
  constexpr int kSets = kMr >= 8 ? 1 : std::min(4, 8 / kMr);
  constexpr int kEntries = kSets * kMr;  // (group, row) entries of 4 bytes per iteration
  static_assert(kEntries % 4 == 0, "A is loaded in whole int8x16");
  const auto* a = static_cast<const std::int8_t*>(a_panel);
  const auto* b = static_cast<const std::int8_t*>(b_panel);
  int32x4_t acc[kSets][kMr][2];
  static_for<kSets * kMr>(
      [&](auto e) { acc[e / kMr][e % kMr][0] = acc[e / kMr][e % kMr][1] = vdupq_n_s32(0); });
  for (std::size_t i = k_groups / kSets; i != 0; --i) {
    int8x16_t av[kEntries / 4], bv[2 * kSets];
    load_vectors<kEntries / 4>(a, av);
    load_vectors<2 * kSets>(b, bv);
    static_for<kEntries>([&](auto e) {
      constexpr int s = decltype(e)::value / kMr, r = decltype(e)::value % kMr;
      constexpr int v = decltype(e)::value / 4, lane = decltype(e)::value % 4;
      acc[s][r][0] = vdotq_laneq_s32(acc[s][r][0], bv[2 * s], av[v], lane);
      acc[s][r][1] = vdotq_laneq_s32(acc[s][r][1], bv[2 * s + 1], av[v], lane);
    });
    a += 4 * kEntries;
    b += 32 * kSets;
  }
  for (std::size_t g = k_groups % kSets; g != 0; --g) {
    const int8x16_t b0 = vld1q_s8(b), b1 = vld1q_s8(b + 16);
    static_for<kMr>([&](auto r) {
      std::int32_t group;
      std::memcpy(&group, a + 4 * r, 4);
      const int8x16_t av = vreinterpretq_s8_s32(vdupq_n_s32(group));
      acc[0][r][0] = vdotq_s32(acc[0][r][0], b0, av);
      acc[0][r][1] = vdotq_s32(acc[0][r][1], b1, av);
    });
    a += 4 * kMr;
    b += 32;
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
