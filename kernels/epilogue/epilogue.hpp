// The epilogue, written once over an xsimd arch and instantiated per ISA (epilogue__<isa>.cpp):
// zero-point terms (epilogue_args.hpp), bias, then the output stage of math.md section 3 on
// one row of a tile at a time while the tile is in L1. Bit-exact with reference/.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "epilogue/primitives.hpp"
#include "framework/epilogue_args.hpp"

namespace i8gemm::epilogue {

template <class Arch>
struct Epilogue {
  using I32 = xsimd::batch<std::int32_t, Arch>;
  using F32 = xsimd::batch<float, Arch>;
  static constexpr int kWidth = static_cast<int>(I32::size);

  // Loads `count` <= kWidth values; past the end of a user array nothing is read.
  template <typename T>
  static xsimd::batch<T, Arch> load(const T* p, int count) {
    if (count == kWidth) return xsimd::batch<T, Arch>::load_unaligned(p);
    alignas(64) T lanes[kWidth] = {};
    std::memcpy(lanes, p, sizeof(T) * static_cast<std::size_t>(count));
    return xsimd::batch<T, Arch>::load_aligned(lanes);
  }
  template <typename T>
  static void store(T* p, xsimd::batch<T, Arch> v, int count) {
    if (count == kWidth) {
      v.store_unaligned(p);
      return;
    }
    alignas(64) T lanes[kWidth];
    v.store_aligned(lanes);
    std::memcpy(p, lanes, sizeof(T) * static_cast<std::size_t>(count));
  }

  static I32 saturating_left_shift(I32 x, I32 shift) {
    const I32 hi = I32(INT32_MAX) >> shift;
    const I32 lo = I32(INT32_MIN) >> shift;
    const I32 shifted = x << shift;
    return select_i32<Arch>(x > hi, I32(INT32_MAX),
                            select_i32<Arch>(x < lo, I32(INT32_MIN), shifted));
  }

  // x / 2^e rounded to nearest, ties away from zero (gemmlowp's RoundingDivideByPOT).
  static I32 rounding_divide_by_pot(I32 x, I32 e) {
    const I32 mask = (I32(1) << e) - I32(1);
    const I32 remainder = x & mask;
    const I32 threshold = (mask >> 1) - (x >> 31);  // + 1 for negative x
    // remainder and threshold are in [0, 2^31): the sign of their difference is the compare.
    return (x >> e) - ((threshold - remainder) >> 31);
  }

  // The accumulators of row i, columns [j, j + count), with the zero-point terms and the int32
  // bias (folded into col_terms) applied.
  static I32 accumulators(const detail::EpilogueArgs& args, const std::int32_t* tile_row,
                          std::int64_t i, std::int64_t j, int count) {
    // The tile is MR x NR with NR a multiple of kWidth: whole vectors are in bounds.
    I32 acc = I32::load_unaligned(tile_row) + load(args.col_terms + j, count);
    if (args.a_zero_points != nullptr) {
      acc -= I32(args.a_zero_points[i]) * load(args.col_sums + j, count);
    }
    if (args.row_terms != nullptr) {
      const I32 zb =
          args.b_zero_points ? load(args.b_zero_points + j, count) : I32(args.b_zero_point);
      acc -= zb * I32(args.row_terms[i]);
    }
    return acc;
  }

  template <typename T>
  static void fixed_point_row(const detail::EpilogueArgs& args, const std::int32_t* tile, int n,
                              std::int64_t i, std::int64_t col0, T* dst) {
    const detail::OutDesc& out = *args.out;
    const I32 zp(out.zero_point), lo(out.min), hi(out.max);
    for (int c = 0; c < n; c += kWidth) {
      const int count = std::min(kWidth, n - c);
      const std::int64_t j = col0 + c;
      I32 m0, left, right;
      if (args.m0s != nullptr) {
        m0 = load(args.m0s + j, count);
        left = load(args.left_shifts + j, count);
        right = load(args.right_shifts + j, count);
      } else {
        m0 = I32(out.multiplier.m0);
        left = I32(std::max(out.multiplier.shift, 0));
        right = I32(std::max(-out.multiplier.shift, 0));
      }
      I32 v = accumulators(args, tile + c, i, j, count);
      if (args.any_left_shift) v = saturating_left_shift(v, left);
      v = rounding_divide_by_pot(rounding_doubling_high_mul(v, m0), right);
      // v + zp cannot wrap: |v| <= 2^31 / 2 after the doubling high multiply by m0 < 2^31.
      v = xsimd::min(xsimd::max(v + zp, lo), hi);
      store_narrow<T, Arch>(dst + c, v, count);
    }
  }

  template <typename T>
  static void float_scale_row(const detail::EpilogueArgs& args, const std::int32_t* tile, int n,
                              std::int64_t i, std::int64_t col0, T* dst) {
    const detail::OutDesc& out = *args.out;
    // Clamping the rounded product to [min - zp, max - zp] in fp32 is exact (small integers)
    // and equals clamping zp + product, as the oracle does.
    const F32 lo(static_cast<float>(out.min - out.zero_point));
    const F32 hi(static_cast<float>(out.max - out.zero_point));
    const I32 zp(out.zero_point);
    for (int c = 0; c < n; c += kWidth) {
      const int count = std::min(kWidth, n - c);
      const std::int64_t j = col0 + c;
      const F32 scale = out.scales ? load(out.scales + j, count) : F32(out.scale);
      const I32 v = accumulators(args, tile + c, i, j, count);
      const F32 r = xsimd::nearbyint(xsimd::to_float(v) * scale);
      const I32 y = xsimd::to_int(xsimd::min(xsimd::max(r, lo), hi)) + zp;
      store_narrow<T, Arch>(dst + c, y, count);
    }
  }

  static void run(const detail::EpilogueArgs& args, const std::int32_t* tile, int tile_ld, int m,
                  int n, std::int64_t row0, std::int64_t col0) {
    const detail::OutDesc& out = *args.out;
    for (int r = 0; r < m; ++r) {
      const std::int64_t i = row0 + r;
      const std::int32_t* t = tile + static_cast<std::ptrdiff_t>(r) * tile_ld;
      const std::int64_t offset = i * out.ld + col0;
      switch (out.kind) {
        case detail::OutKind::int32: {
          auto* dst = static_cast<std::int32_t*>(out.data) + offset;
          for (int c = 0; c < n; c += kWidth) {
            const int count = std::min(kWidth, n - c);
            store(dst + c, accumulators(args, t + c, i, col0 + c, count), count);
          }
          break;
        }
        case detail::OutKind::fixed_point:
          if (out.type == detail::OutType::s8) {
            fixed_point_row(args, t, n, i, col0, static_cast<std::int8_t*>(out.data) + offset);
          } else {
            fixed_point_row(args, t, n, i, col0, static_cast<std::uint8_t*>(out.data) + offset);
          }
          break;
        case detail::OutKind::float_scale:
          if (out.type == detail::OutType::s8) {
            float_scale_row(args, t, n, i, col0, static_cast<std::int8_t*>(out.data) + offset);
          } else {
            float_scale_row(args, t, n, i, col0, static_cast<std::uint8_t*>(out.data) + offset);
          }
          break;
        case detail::OutKind::float32: {
          auto* dst = static_cast<float*>(out.data) + offset;
          const float a_scale = out.a_scales ? out.a_scales[i] : out.a_scale;
          for (int c = 0; c < n; c += kWidth) {
            const int count = std::min(kWidth, n - c);
            const std::int64_t j = col0 + c;
            const F32 b_scale = out.scales ? load(out.scales + j, count) : F32(out.scale);
            const F32 bias = out.bias_f ? load(out.bias_f + j, count) : F32(0.0f);
            const F32 v = xsimd::to_float(accumulators(args, t + c, i, j, count));
            store(dst + c, (F32(a_scale) * b_scale) * v + bias, count);
          }
          break;
        }
      }
    }
  }
};

}  // namespace i8gemm::epilogue

// Defines i8gemm_epilogue__<isa> for one ISA's object library.
#define I8GEMM_DEFINE_EPILOGUE(isa, arch)                                                      \
  namespace i8gemm::detail {                                                                   \
  void i8gemm_epilogue__##isa(const EpilogueArgs& args, const std::int32_t* tile, int tile_ld, \
                              int m, int n, std::int64_t row0, std::int64_t col0) {            \
    epilogue::Epilogue<arch>::run(args, tile, tile_ld, m, n, row0, col0);                      \
  }                                                                                            \
  }
