// The epilogue, written once over an xsimd arch and instantiated per ISA (epilogue__<isa>.cpp):
// zero-point terms (epilogue_args.hpp), bias, then the output stage of math.md section 3 on
// one row of a tile at a time while the tile is in L1. Bit-exact with reference/.
#pragma once

#include "framework/isa_namespace.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

#include <xsimd/xsimd.hpp>

#include "epilogue/column_terms.hpp"
#include "epilogue/primitives.hpp"
#include "framework/epilogue_args.hpp"

namespace i8gemm::I8GEMM_ISA_NS::epilogue {

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
    const I32 hi = shift_right<Arch>(I32(INT32_MAX), shift);
    const I32 lo = shift_right<Arch>(I32(INT32_MIN), shift);
    const I32 shifted = shift_left<Arch>(x, shift);
    return select_i32<Arch>(x > hi, I32(INT32_MAX),
                            select_i32<Arch>(x < lo, I32(INT32_MIN), shifted));
  }

  // What every row of a tile shares for columns [j, j + count): loaded once per tile.
  struct Columns {
    std::int64_t j;
    int count;
    I32 col_term, col_sum, zb;
  };

  static Columns columns(const detail::EpilogueArgs& args, std::int64_t j, int count) {
    Columns c{j, count, load(args.col_terms + j, count), I32(0), I32(args.b_zero_point)};
    if (args.a_zero_points != nullptr) c.col_sum = load(args.col_sums + j, count);
    if (args.b_zero_points != nullptr) c.zb = load(args.b_zero_points + j, count);
    return c;
  }

  // The per-row terms of the tile's rows, indexed from its first row. Copied out of args once
  // per tile and passed by value, like Columns and Dst: read through a reference in the row
  // loops, they were reloaded after every store of a byte of C, which may alias anything.
  struct Rows {
    const std::int32_t* a_zero_points;  // or null
    const std::int32_t* row_terms;      // or null
  };
  static Rows rows_of(const detail::EpilogueArgs& args, std::int64_t row0) {
    return Rows{
        args.a_zero_points ? args.a_zero_points + (row0 - args.a_zero_points_row0) : nullptr,
        args.row_terms ? args.row_terms + (row0 - args.row_terms_row0) : nullptr};
  }

  // Row r of the tile with the zero-point terms and the int32 bias (folded into col_terms).
  static I32 accumulators(const Rows& rows, const Columns& c, const std::int32_t* tile_row, int r) {
    // The tile is MR x NR with NR a multiple of kWidth: whole vectors are in bounds.
    I32 acc = I32::load_unaligned(tile_row) + c.col_term;
    if (rows.a_zero_points != nullptr) acc -= I32(rows.a_zero_points[r]) * c.col_sum;
    if (rows.row_terms != nullptr) acc -= c.zb * I32(rows.row_terms[r]);
    return acc;
  }

  // Where row r of the column block goes in C.
  template <typename T>
  struct Dst {
    T* p;
    std::int64_t ld;
    T* row(int r) const { return p + r * ld; }
  };
  template <typename T>
  static Dst<T> dst_of(const detail::OutDesc& out, std::int64_t i, std::int64_t j) {
    return Dst<T>{static_cast<T*>(out.data) + i * out.ld + j, out.ld};
  }

  // The fixed-point stage when every multiplier is below 1/2, for the saturating narrowing
  // store: v + zp cannot wrap, so it is added first and clamped only at bounds inside the output
  // type's range (the store clamps at the type's own).
  template <class Multiply>
  static I32 below_half(const Multiply& multiply, I32 acc, I32 zp, I32 lo, I32 hi, bool clamp_lo,
                        bool clamp_hi) {
    I32 v = multiply(acc) + zp;
    if (clamp_lo) v = xsimd::max(v, lo);
    if (clamp_hi) v = xsimd::min(v, hi);
    return v;
  }

  // The float32 stage on one vector: (sA_i sB_j) acc + bias_j, two roundings (no contraction;
  // math.md section 3), clamped.
  static F32 dequantize(I32 acc, F32 a_scale, F32 b_scale, F32 bias, F32 lo, F32 hi) {
    const F32 y = (a_scale * b_scale) * xsimd::to_float(acc) + bias;
    return xsimd::min(xsimd::max(y, lo), hi);
  }

  // The fixed-point multipliers of columns [j, j + count): m0, left shift and right shift.
  struct Multipliers {
    I32 m0, left, right;
  };
  static Multipliers multipliers(const detail::EpilogueArgs& args, std::int64_t j, int count) {
    if (args.m0s != nullptr) {
      return {load(args.m0s + j, count), load(args.left_shifts + j, count),
              load(args.right_shifts + j, count)};
    }
    const QuantizedMultiplier q = args.out->multiplier;
    return {I32(q.m0), I32(std::max(q.shift, 0)), I32(std::max(-q.shift, 0))};
  }

  // The tile's row scales (float32 stage) from its first row, or null (OutDesc::a_scale).
  static const float* row_scales(const detail::EpilogueArgs& args, std::int64_t row0) {
    return args.a_scales ? args.a_scales + (row0 - args.a_scales_row0) : nullptr;
  }

  // f(0), ..., f(kV - 1) as a std::array: what each of a block's vectors needs.
  template <std::size_t kV, class F>
  static auto per_vector(F&& f) {
    return per_vector(f, std::make_integer_sequence<int, static_cast<int>(kV)>{});
  }
  template <class F, int... kI>
  static auto per_vector(F& f, std::integer_sequence<int, kI...>) {
    return std::array{f(kI)...};
  }

  // f(0), ..., f(kV - 1), unrolled.
  template <std::size_t kV, class F>
  static void for_each_vector(F&& f) {
    per_vector<kV>([&](int i) {
      f(i);
      return 0;
    });
  }
  // The columns [j, j + count) of a block of kV vectors (whole ones when kV is 2). Built where
  // they are used: copied between functions as arguments, their vectors were stored whole and
  // reloaded in halves, which stalled store forwarding (a tenth of a one-row call).
  template <std::size_t kV>
  static std::array<Columns, kV> block_columns(const detail::EpilogueArgs& args, std::int64_t j,
                                               int count) {
    return per_vector<kV>(
        [&](int i) { return columns(args, j + i * kWidth, kV == 2 ? kWidth : count); });
  }
  // The lanes of a block's vector i: all of them in a block of two.
  template <std::size_t kV>
  static int count_of(const std::array<Columns, kV>& c, int i) {
    return kV == 2 ? kWidth : c[i].count;
  }

  // Row r's kV vectors as T: c[0].count lanes when kV is 1, both vectors whole when it is 2.
  // kSaturating: any int32 lanes, clamped to T's range; otherwise each is within it.
  template <typename T, bool kSaturating, std::size_t kV>
  static void store_row(T* p, const std::array<I32, kV>& v, const std::array<Columns, kV>& c) {
    if constexpr (kV == 2) {
      if constexpr (kSaturating) {
        store_narrow_pair_saturating<T, Arch>(p, v[0], v[1]);
      } else {
        store_narrow_pair<T, Arch>(p, v[0], v[1]);
      }
    } else if constexpr (kSaturating) {
      store_narrow_saturating<T, Arch>(p, v[0], c[0].count);
    } else {
      store_narrow<T, Arch>(p, v[0], c[0].count);
    }
  }

  // The rows from which fixed_point takes MultiplyBelowHalf over RoundingMultiply (below): 16,
  // and 4 with AVX-512 (16 lanes), where the one rounding's set-up pays earlier (avx512vnni on the
  // Zen 5, the whole call, A and C rotated, binaries alternating, 9 rounds, medians, new / old
  // time: 8 x 16 x 16 0.98, 8 x 64^2 0.97-0.99, 12 x 64^2 0.98, 6 x 256^2 0.99, 4 x 256^2 0.99,
  // 15 x 1024^2 1.00; from 1 to 3 rows one rounding took 1.00-1.02 of the two steps' time).
  static constexpr int kRowsForOneRounding = kWidth == 16 ? 4 : 16;
  template <typename T, std::size_t kV>
  static void fixed_point(const detail::EpilogueArgs& args, const Rows rows, std::int64_t j,
                          int count, const std::int32_t* tile, int tile_ld, int m,
                          const Dst<T> dst) {
    const detail::OutDesc& out = *args.out;
    const auto c = block_columns<kV>(args, j, count);
    const I32 zp(out.zero_point);
    const auto q = per_vector<kV>([&](int i) { return multipliers(args, c[i].j, count_of(c, i)); });
    if (args.every_right_shift) {
      // v + zp cannot wrap: add it first, clamp only where a bound is inside T's range, and let
      // the saturating narrowing store clamp at T's own (two to three instructions fewer a row).
      // Where one bound is inside, both are applied (the other is a no-op before the store):
      // one test a row instead of two (avx2, measured as below: 0.92-0.95 of the time at 16-60
      // rows).
      const I32 lo(out.min), hi(out.max);
      const bool clamp =
          out.min > std::numeric_limits<T>::min() || out.max < std::numeric_limits<T>::max();
      const auto row_loop = [&](const auto& multiply) {
        for (int r = 0; r < m; ++r) {
          const std::int32_t* t = tile + r * tile_ld;
          store_row<T, true>(dst.row(r), per_vector<kV>([&](int i) {
                               return below_half(multiply[i],
                                                 accumulators(rows, c[i], t + i * kWidth, r), zp,
                                                 lo, hi, clamp, clamp);
                             }),
                             c);
        }
      };
      // MultiplyBelowHalf's set-up per column block costs more than its rows save below about
      // 16 rows (avx2 on a Zen 2, the epilogue alone on a 16-column block, best of 7, ns a call,
      // two steps / one rounding: 1 row 23.6 / 30.8, 4 rows 35.8 / 42.0, 8 rows 55.1 / 58.9, 16
      // rows 92.2 / 93.4, even; 60 rows 306.7 / 288.3): GEMVs and calls of a few rows take the two
      // steps. The bits are the same. (With AVX-512 from 4 rows: kRowsForOneRounding.)
      if (m < kRowsForOneRounding) {
        row_loop(
            per_vector<kV>([&](int i) { return RoundingMultiply<Arch>(q[i].m0, q[i].right); }));
      } else {
        row_loop(
            per_vector<kV>([&](int i) { return MultiplyBelowHalf<Arch>(q[i].m0, q[i].right); }));
      }
      return;
    }
    const I32 lo_minus_zp(out.min - out.zero_point), hi_minus_zp(out.max - out.zero_point);
    const auto multiply =
        per_vector<kV>([&](int i) { return RoundingMultiply<Arch>(q[i].m0, q[i].right); });
    const bool any_left_shift = args.any_left_shift;
    for (int r = 0; r < m; ++r) {
      const std::int32_t* t = tile + r * tile_ld;
      store_row<T, false>(dst.row(r), per_vector<kV>([&](int i) {
                            I32 v = accumulators(rows, c[i], t + i * kWidth, r);
                            if (any_left_shift) v = saturating_left_shift(v, q[i].left);
                            v = multiply[i](v);
                            // Clamped before zp is added: with no right shift v reaches
                            // INT32_MAX, and v + zp would wrap.
                            return xsimd::min(xsimd::max(v, lo_minus_zp), hi_minus_zp) + zp;
                          }),
                          c);
    }
  }

  template <typename T, std::size_t kV>
  static void float_scale(const detail::EpilogueArgs& args, const Rows rows, std::int64_t j,
                          int count, const std::int32_t* tile, int tile_ld, int m,
                          const Dst<T> dst) {
    const detail::OutDesc& out = *args.out;
    const auto c = block_columns<kV>(args, j, count);
    // Clamping the rounded product to [min - zp, max - zp] in fp32 is exact (small integers)
    // and equals clamping zp + product, as the oracle does.
    const F32 lo(static_cast<float>(out.min - out.zero_point));
    const F32 hi(static_cast<float>(out.max - out.zero_point));
    const I32 zp(out.zero_point);
    const auto scale = per_vector<kV>([&](int i) {
      return out.scales ? load(out.scales + c[i].j, count_of(c, i)) : F32(out.scale);
    });
    for (int r = 0; r < m; ++r) {
      const std::int32_t* t = tile + r * tile_ld;
      store_row<T, false>(dst.row(r), per_vector<kV>([&](int i) {
                            return scale_round(accumulators(rows, c[i], t + i * kWidth, r),
                                               scale[i], lo, hi, zp);
                          }),
                          c);
    }
  }
  // The float requantization on one vector: zp + round(acc * scale), with lo and hi the bounds
  // less zp.
  static I32 scale_round(I32 acc, F32 scale, F32 lo, F32 hi, I32 zp) {
    const F32 rounded = xsimd::nearbyint(xsimd::to_float(acc) * scale);
    return xsimd::to_int(xsimd::min(xsimd::max(rounded, lo), hi)) + zp;
  }

  // Columns [j, j + count) of the tile: kV vectors, whole when kV is 2.
  template <std::size_t kV>
  static void block(const detail::EpilogueArgs& args, const Rows rows, const std::int32_t* t,
                    int tile_ld, int m, int count, std::int64_t row0, std::int64_t j) {
    const detail::OutDesc& out = *args.out;
    switch (out.kind) {
      case detail::OutKind::int32: {
        const auto c = block_columns<kV>(args, j, count);
        const Dst<std::int32_t> dst = dst_of<std::int32_t>(out, row0, j);
        for (int r = 0; r < m; ++r) {
          for_each_vector<kV>([&](int i) {
            store(dst.row(r) + i * kWidth,
                  accumulators(rows, c[i], t + r * tile_ld + i * kWidth, r), count_of(c, i));
          });
        }
        break;
      }
      case detail::OutKind::fixed_point:
        if (out.type == detail::OutType::s8) {
          fixed_point<std::int8_t, kV>(args, rows, j, count, t, tile_ld, m,
                                       dst_of<std::int8_t>(out, row0, j));
        } else {
          fixed_point<std::uint8_t, kV>(args, rows, j, count, t, tile_ld, m,
                                        dst_of<std::uint8_t>(out, row0, j));
        }
        break;
      case detail::OutKind::float_scale:
        if (out.type == detail::OutType::s8) {
          float_scale<std::int8_t, kV>(args, rows, j, count, t, tile_ld, m,
                                       dst_of<std::int8_t>(out, row0, j));
        } else {
          float_scale<std::uint8_t, kV>(args, rows, j, count, t, tile_ld, m,
                                        dst_of<std::uint8_t>(out, row0, j));
        }
        break;
      case detail::OutKind::float32: {
        const auto c = block_columns<kV>(args, j, count);
        const auto b_scale = per_vector<kV>([&](int i) {
          return out.scales ? load(out.scales + c[i].j, count_of(c, i)) : F32(out.scale);
        });
        const auto bias = per_vector<kV>([&](int i) {
          return out.bias_f ? load(out.bias_f + c[i].j, count_of(c, i)) : F32(0.0f);
        });
        const F32 lo(out.min_f), hi(out.max_f);
        const Dst<float> dst = dst_of<float>(out, row0, j);
        // The tile's row scales, or null; a local, like Rows, so stores of C never reload it.
        const float* a_scales = row_scales(args, row0);
        const float a_scale_all = out.a_scale;
        for (int r = 0; r < m; ++r) {
          const F32 a_scale(a_scales ? a_scales[r] : a_scale_all);
          for_each_vector<kV>([&](int i) {
            store(dst.row(r) + i * kWidth,
                  dequantize(accumulators(rows, c[i], t + r * tile_ld + i * kWidth, r), a_scale,
                             b_scale[i], bias[i], lo, hi),
                  count_of(c, i));
          });
        }
        break;
      }
    }
  }

  static void run(const detail::EpilogueArgs& args, const std::int32_t* tile, int tile_ld, int m,
                  int n, std::int64_t row0, std::int64_t col0) {
    const Rows rows = rows_of(args, row0);
    // Column blocks outside, rows inside: per-column terms are loaded once per call. Blocks of
    // two whole vectors where the columns allow: a row's loop overhead is shared, and avx2
    // narrows its 16 lanes into one store.
    int cb = 0;
    for (; cb + 2 * kWidth <= n; cb += 2 * kWidth) {
      block<2>(args, rows, tile + cb, tile_ld, m, 2 * kWidth, row0, col0 + cb);
    }
    for (; cb < n; cb += kWidth) {
      block<1>(args, rows, tile + cb, tile_ld, m, std::min(kWidth, n - cb), row0, col0 + cb);
    }
  }
};

}  // namespace i8gemm::I8GEMM_ISA_NS::epilogue

// Defines i8gemm_epilogue__<isa> (path_config.hpp, EpilogueKernels) for one path's object
// library.
#define I8GEMM_DEFINE_EPILOGUE(isa, arch)                                                          \
  namespace i8gemm::detail::I8GEMM_ISA_NS {                                                        \
  void i8gemm_epilogue_run__##isa(const EpilogueArgs& args, const std::int32_t* tile, int tile_ld, \
                                  int m, int n, std::int64_t row0, std::int64_t col0) {            \
    ::i8gemm::I8GEMM_ISA_NS::epilogue::Epilogue<arch>::run(args, tile, tile_ld, m, n, row0, col0); \
  }                                                                                                \
  I8GEMM_EPILOGUE_KERNELS(isa)                                                                     \
  }
