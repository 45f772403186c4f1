// MR x 8 tile (MR even), K in groups of 8, smmla (Armv8.6 i8mm): one instruction multiplies a
// 2 x 8 int8 block of A by an 8 x 2 int8 block of B into a 2 x 2 int32 block, 32 products.
// A is int8 (uint8 A is packed as A - 128, math.md section 2), B is int8; no intermediate is
// narrower than int32, so every input is exact.
//   A panel, per K group: MR rows x 8 bytes, so rows 2p and 2p + 1 are one int8x16.
//   B panel, per K group: 8 columns x 8 bytes, so columns 2q and 2q + 1 are one int8x16.
// The accumulator of row pair p and column pair q holds (2p, 2q) (2p, 2q+1) (2p+1, 2q)
// (2p+1, 2q+1); the 64-bit halves of two neighbouring column pairs zip into the rows of c.
#pragma once

#include "framework/isa_namespace.hpp"

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "arm/neon_util.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

template <int kMr>
void ukernel_mrx8c8__neon_i8mm(std::size_t k_groups, const void* a_panel, const void* b_panel,
                               std::int32_t* c, std::size_t ldc, bool accumulate) {
  static_assert(kMr % 2 == 0 && 8 % kMr == 0, "smmla takes A in pairs of rows");
  // Short kernels keep kSets consecutive K groups in independent accumulator sets (8 or 16
  // chains, enough to hide the smmla latency) and add them at the end.
  constexpr int kSets = kMr == 8 ? 1 : 2;
  constexpr int kPairs = kMr / 2;
  const auto* a = static_cast<const std::int8_t*>(a_panel);
  const auto* b = static_cast<const std::int8_t*>(b_panel);
  int32x4_t acc[kSets][kPairs][4];
  static_for<kSets * kPairs * 4>(
      [&](auto e) { acc[e / (4 * kPairs)][e / 4 % kPairs][e % 4] = vdupq_n_s32(0); });
  auto step = [&](auto set) {
    int8x16_t av[kPairs], bv[4];
    load_vectors<kPairs>(a, av);
    load_vectors<4>(b, bv);
    static_for<kPairs * 4>([&](auto e) {
      constexpr int p = decltype(e)::value / 4, q = decltype(e)::value % 4;
      acc[set][p][q] = vmmlaq_s32(acc[set][p][q], av[p], bv[q]);
    });
    a += 8 * kMr;
    b += 64;
  };
  for (std::size_t i = k_groups / kSets; i != 0; --i) static_for<kSets>(step);
  for (std::size_t g = k_groups % kSets; g != 0; --g) step(std::integral_constant<int, 0>{});
  static_for<kPairs>([&](auto p) {
    static_for<4 * (kSets - 1)>(
        [&](auto e) { acc[0][p][e % 4] = vaddq_s32(acc[0][p][e % 4], acc[e / 4 + 1][p][e % 4]); });
    int32x4_t rows[2][2];  // [row 2p or 2p + 1][columns 0-3 or 4-7]
    static_for<2>([&](auto h) {
      const int64x2_t left = vreinterpretq_s64_s32(acc[0][p][2 * h]);
      const int64x2_t right = vreinterpretq_s64_s32(acc[0][p][2 * h + 1]);
      rows[0][h] = vreinterpretq_s32_s64(vzip1q_s64(left, right));
      rows[1][h] = vreinterpretq_s32_s64(vzip2q_s64(left, right));
    });
    store_row8(c + static_cast<std::size_t>(2 * p) * ldc, rows[0][0], rows[0][1], accumulate);
    store_row8(c + static_cast<std::size_t>(2 * p + 1) * ldc, rows[1][0], rows[1][1], accumulate);
  });
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
