// The amx path's 32 x 32 micro-kernel (amx_tile_kernels.hpp) that also writes the tile computed
// before it: after the multiplies of each K group are issued, it applies the output stage to the
// next row or two of that earlier tile and stores them to C, so that the epilogue's vector work
// runs while the tile unit works. The driver prefetches a tile's lines of C before the kernel
// that computes it, so they are there when the next kernel writes them. Every output stage but
// fixed point with a multiplier of 1/2 or more or with per-row zero-point terms
// (i8gemm_overlap_min_k_groups__amx), which run after the kernel, as on every path. The arithmetic
// is epilogue.hpp's (accumulators, below_half, scale_round, dequantize), so the bits are the same.
//
// Why: tdpb*d run on the tile unit and the epilogue on the AVX-512 ports, and the core runs both
// at once when their instructions are finely interleaved. Measured on this project's Xeon (one
// core): a loop of the four tdpbusd of a K group takes 28.2 ns a trip, and the same with 64
// independent AVX-512 uops between trips (36 ns with 128). After its kernel, the exact int8
// epilogue (about 16 vector uops per 16 outputs) is a quarter of a 1024^3 call. Calling the
// epilogue function between K groups was slower than after the kernel (8 rows at a time
// 1.04-1.09 of the time, 2 rows 1.13-1.20): each call redoes the per-column set-up, and a burst
// fills the scheduler ahead of the next group's tile loads. So the stage is prepared once per
// tile and applied a row or two at a time. For the fixed-point stage, an earlier writer made of
// one stage object per 16-column block (each with its own copies of the output's constants, and
// the row-term checks) ran 0.97-1.12 of the plain kernel's time where RequantizeRows runs
// 0.84-0.93 (A and C hot); why, with the same vector instructions per row, was not found. So the
// usual fixed-point case has a writer of its own, without row terms.
//
// With few K groups each group carries many rows and the vector work outlasts the tile unit's:
// the path uses this kernel for KC blocks of at least as many groups as the stage needs
// (i8gemm_overlap_min_k_groups__amx, below).
//
// Measured, int8 out by fixed point, with the benchmark suite (A and C rotated through memory;
// old and new binaries alternating, 4 rounds x 3 repetitions, best of 12, new / old time): 1000^3
// 0.95, 1024^3 0.96, 2048^3 0.91, 384 x 1024^2 0.93, 384 x 4096 x 1024 0.92, 128 x 4096^2 0.96.
// The other stages, in one process against the plain kernel (calls alternating, medians of the
// pairs): int32 0.90-0.97, int8 by fp32 scales 0.88-0.90, float32 (the dynamically quantized
// call) 0.91-0.96.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <type_traits>

#include "epilogue/epilogue.hpp"
#include "framework/epilogue_args.hpp"
#include "framework/isa_namespace.hpp"
#include "framework/path_config.hpp"
#include "framework/prefetch.hpp"
#include "x86/amx/amx_tile_kernels.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {
namespace {

using namespace amx;
namespace epi = ::i8gemm::I8GEMM_ISA_NS::epilogue;
using Arch = xsimd::avx512bw;
using Epilogue = epi::Epilogue<Arch>;
using I32 = xsimd::batch<std::int32_t, Arch>;
using Multiply = epi::MultiplyBelowHalf<Arch>;

// An earlier tile's requantization, prepared once: per 16-column block its multipliers and
// column terms, and what the rows share.
template <typename T>
class RequantizeRows {
 public:
  explicit RequantizeRows(const PendingEpilogue& e)
      : multiply0_(multiplier(*e.args, e.col0, std::min(e.n, 16))),
        multiply1_(multiplier(*e.args, e.col0 + 16, e.n - 16)),
        col_term0_(load(e.args->col_terms, e.col0, std::min(e.n, 16))),
        col_term1_(load(e.args->col_terms, e.col0 + 16, e.n - 16)),
        zp_(e.args->out->zero_point),
        lo_(e.args->out->min),
        hi_(e.args->out->max),
        clamp_lo_(e.args->out->min > std::numeric_limits<T>::min()),
        clamp_hi_(e.args->out->max < std::numeric_limits<T>::max()),
        dst_(static_cast<T*>(e.args->out->data) + e.row0 * e.args->out->ld + e.col0),
        ld_(e.args->out->ld),
        count0_(std::min(e.n, 16)),
        count1_(e.n - 16),
        tile_(e.tile),
        tile_ld_(e.tile_ld) {}

  void write(int r) const {
    const std::int32_t* t = tile_ + r * tile_ld_;
    T* c = dst_ + r * ld_;
    one(multiply0_, col_term0_, t, c, count0_);
    if (count1_ > 0) one(multiply1_, col_term1_, t + 16, c + 16, count1_);
  }

 private:
  // Columns [j, j + count) of a per-column array; for a block with no valid column (count <= 0)
  // nothing is read and the lanes are a harmless constant.
  static I32 load(const std::int32_t* v, std::int64_t j, int count) {
    return count > 0 ? Epilogue::load(v + j, count) : I32(0);
  }
  // The block's multipliers (a harmless constant for a block with no valid column).
  static Multiply multiplier(const EpilogueArgs& args, std::int64_t j, int count) {
    if (count <= 0) return Multiply(I32(1 << 30), I32(1));
    const Epilogue::Multipliers q = Epilogue::multipliers(args, j, count);
    return Multiply(q.m0, q.right);
  }
  void one(const Multiply& multiply, I32 col_term, const std::int32_t* t, T* c, int count) const {
    const I32 v = Epilogue::below_half(multiply, I32::load_unaligned(t) + col_term, zp_, lo_, hi_,
                                       clamp_lo_, clamp_hi_);
    epi::store_narrow_saturating<T, Arch>(c, v, count);
  }

  Multiply multiply0_, multiply1_;
  I32 col_term0_, col_term1_, zp_, lo_, hi_;
  bool clamp_lo_, clamp_hi_;
  T* dst_;
  std::int64_t ld_;
  int count0_, count1_;
  const std::int32_t* tile_;
  int tile_ld_;
};

// What the writers of the other stages share: the tile's rows' zero-point terms, its two blocks
// of 16 columns (for at most 16 valid columns the second is a copy of the first and never
// written), and where its rows go in C.
template <typename Out>
class TileRows {
 public:
  explicit TileRows(const PendingEpilogue& e)
      : rows_(Epilogue::rows_of(*e.args, e.row0)),
        c0_(Epilogue::columns(*e.args, e.col0, std::min(e.n, 16))),
        c1_(e.n > 16 ? Epilogue::columns(*e.args, e.col0 + 16, e.n - 16) : c0_),
        dst_(static_cast<Out*>(e.args->out->data) + e.row0 * e.args->out->ld + e.col0),
        ld_(e.args->out->ld),
        tile_(e.tile),
        tile_ld_(e.tile_ld),
        two_(e.n > 16) {}

  // stage(block, accumulators, destination, count) on each block of row r.
  template <class Stage>
  void write(int r, Stage&& stage) const {
    const std::int32_t* t = tile_ + r * tile_ld_;
    Out* c = dst_ + r * ld_;
    stage(0, Epilogue::accumulators(rows_, c0_, t, r), c, c0_.count);
    if (two_) stage(1, Epilogue::accumulators(rows_, c1_, t + 16, r), c + 16, c1_.count);
  }
  const Epilogue::Columns& columns(int block) const { return block == 0 ? c0_ : c1_; }

 private:
  Epilogue::Rows rows_;
  Epilogue::Columns c0_, c1_;
  Out* dst_;
  std::int64_t ld_;
  const std::int32_t* tile_;
  int tile_ld_;
  bool two_;
};

using F32 = xsimd::batch<float, Arch>;

// Per-column floats (scales, biases) of a tile's two blocks, or `otherwise` in every lane (no
// array, or no valid column in the block).
class PerBlock {
 public:
  template <typename Out>
  PerBlock(const float* values, float otherwise, const TileRows<Out>& tile)
      : block_{of(values, otherwise, tile.columns(0)), of(values, otherwise, tile.columns(1))} {}
  F32 operator[](int block) const { return block_[block]; }

 private:
  static F32 of(const float* v, float otherwise, const Epilogue::Columns& c) {
    return v != nullptr && c.count > 0 ? Epilogue::load(v + c.j, c.count) : F32(otherwise);
  }
  F32 block_[2];
};

class Int32Rows {
 public:
  explicit Int32Rows(const PendingEpilogue& e) : tile_(e) {}
  void write(int r) const {
    tile_.write(r,
                [](int, I32 acc, std::int32_t* c, int count) { Epilogue::store(c, acc, count); });
  }

 private:
  TileRows<std::int32_t> tile_;
};

// int8 / uint8 by fp32 scales.
template <typename T>
class ScaleRows {
 public:
  explicit ScaleRows(const PendingEpilogue& e)
      : tile_(e),
        scale_(e.args->out->scales, e.args->out->scale, tile_),
        lo_(static_cast<float>(e.args->out->min - e.args->out->zero_point)),
        hi_(static_cast<float>(e.args->out->max - e.args->out->zero_point)),
        zp_(e.args->out->zero_point) {}
  void write(int r) const {
    tile_.write(r, [this](int block, I32 acc, T* c, int count) {
      epi::store_narrow<T, Arch>(c, Epilogue::scale_round(acc, scale_[block], lo_, hi_, zp_),
                                 count);
    });
  }

 private:
  TileRows<T> tile_;
  PerBlock scale_;
  F32 lo_, hi_;
  I32 zp_;
};

// float32 (dynamic quantization): per row the zero-point term and the row's scale.
class DequantizeRows {
 public:
  explicit DequantizeRows(const PendingEpilogue& e)
      : tile_(e),
        b_scale_(e.args->out->scales, e.args->out->scale, tile_),
        bias_(e.args->out->bias_f, 0.0f, tile_),
        lo_(e.args->out->min_f),
        hi_(e.args->out->max_f),
        a_scales_(Epilogue::row_scales(*e.args, e.row0)),
        a_scale_all_(e.args->out->a_scale) {}
  void write(int r) const {
    const F32 a_scale(a_scales_ != nullptr ? a_scales_[r] : a_scale_all_);
    tile_.write(r, [&](int block, I32 acc, float* c, int count) {
      Epilogue::store(
          c, Epilogue::dequantize(acc, a_scale, b_scale_[block], bias_[block], lo_, hi_), count);
    });
  }

 private:
  TileRows<float> tile_;
  PerBlock b_scale_, bias_;
  F32 lo_, hi_;
  const float* a_scales_;
  float a_scale_all_;
};

// The writers of 4-byte outputs, the only ones for which the driver may hand the kernel its own
// tile's lines of C to ask for (driver.cpp); otherwise c_tile is empty. (Int32Rows also stands
// for "no earlier tile", whatever the output.)
template <class Rows>
constexpr bool kFourByteOut =
    std::is_same_v<Rows, Int32Rows> || std::is_same_v<Rows, DequantizeRows>;

// The kernel with the rows of `earlier` (null: none) spread over its K groups: after group g,
// those up to ceil(m (g + 1) / groups), so that the last group ends the tile; and the lines of
// `prefetch`, into L2 (the next B slice, which the next KC block's or column's first kernel reads),
// and the rows of its c_tile in the same way as the earlier tile's.
// Without prefetches (kPrefetch false) the loop is the one of before they were added: with an
// empty prefetch loop in it, calls whose B fits in L2 ran 2-5 % slower (384 x 1024^2, 1024^3).
template <bool kSignedA, class Rows, bool kPrefetch>
void overlapped_32x32(std::size_t k_groups, const void* a_panel, const void* b_panel,
                      std::int32_t* c_tile, bool accumulate, const PendingEpilogue* earlier,
                      PrefetchSpread prefetch) {
  alignas(64) unsigned char storage[sizeof(Rows)];
  const Rows* rows = earlier != nullptr ? new (storage) Rows(*earlier) : nullptr;
  const int m = earlier != nullptr ? earlier->m : 0;
  int done = 0;
  std::size_t due = k_groups - 1;
  std::uintptr_t line = prefetch.begin;
  const PrefetchRows& c_lines = prefetch.c_tile;
  int c_done = 0;
  std::size_t c_due = k_groups - 1;
  tile_kernel<kSignedA, 32>(k_groups, a_panel, kARowBytes, 32 * kARowBytes, b_panel, c_tile,
                            kCRowBytes / sizeof(std::int32_t), accumulate, [&](std::size_t) {
                              if constexpr (kPrefetch) {
                                const std::uintptr_t end = line + prefetch.lines_per_unit * 64;
                                prefetch_lines<0, 2>(line, end);
                                line = end;
                              }
                              if constexpr (kFourByteOut<Rows>) {
                                c_due += static_cast<std::size_t>(c_lines.rows);
                                for (; c_due >= k_groups; c_due -= k_groups) {
                                  c_lines.row(c_done++);
                                }
                              }
                              due += static_cast<std::size_t>(m);
                              for (; due >= k_groups; due -= k_groups) rows->write(done++);
                            });
}

template <bool kSignedA>
void overlapped_32x32(std::size_t k_groups, const void* a_panel, const void* b_panel,
                      std::int32_t* c_tile, bool accumulate, const PendingEpilogue* earlier,
                      PrefetchSpread prefetch) {
  const auto with = [&](auto* writer) {
    using Rows = std::remove_pointer_t<decltype(writer)>;
    if (prefetch.begin != 0) {
      overlapped_32x32<kSignedA, Rows, true>(k_groups, a_panel, b_panel, c_tile, accumulate,
                                             earlier, prefetch);
    } else {
      overlapped_32x32<kSignedA, Rows, false>(k_groups, a_panel, b_panel, c_tile, accumulate,
                                              earlier, prefetch);
    }
  };
  if (earlier == nullptr) return with(static_cast<Int32Rows*>(nullptr));
  const OutDesc& out = *earlier->args->out;
  const bool s8 = out.type == OutType::s8;
  switch (out.kind) {
    case OutKind::int32:
      return with(static_cast<Int32Rows*>(nullptr));
    case OutKind::fixed_point:  // every multiplier below 1/2 (i8gemm_overlap_min_k_groups__amx)
      return s8 ? with(static_cast<RequantizeRows<std::int8_t>*>(nullptr))
                : with(static_cast<RequantizeRows<std::uint8_t>*>(nullptr));
    case OutKind::float_scale:
      return s8 ? with(static_cast<ScaleRows<std::int8_t>*>(nullptr))
                : with(static_cast<ScaleRows<std::uint8_t>*>(nullptr));
    case OutKind::float32:
      return with(static_cast<DequantizeRows*>(nullptr));
  }
}

}  // namespace

// The fewest K groups from which the kernel takes a stage: with few groups each group carries
// many rows, and the stage's vector work per group, not the tile unit's, sets the pace. Measured
// in pairs (calls alternating in one process against the plain kernel and its epilogue; A and C
// rotated through memory; medians of the pairs):
//   int32 (a load, an add and a store per row of 16): 2 and 3 groups 0.93-0.96, 4 to 6 0.80-0.94;
//   float32 (about 8 uops): 2 and 3 groups 0.99-1.02, 4 to 6 0.86-1.005;
//   int8 / uint8 by fixed point (about 16) or fp32 scales (about 10): 4 and 6 groups 1.01-1.06 at
//   256^3 and 256 x 256 x 384 (A and C hot: up to 1.19), 0.85-0.95 from 384 x 1024 x 256 on;
//   8 groups 0.94, 12 0.90, 16 0.87 (A and C hot). So 8.
// Fixed point with a multiplier of 1/2 or more (left shifts, rare) or with per-row zero-point
// terms, which RequantizeRows does not take, never.
std::size_t i8gemm_overlap_min_k_groups__amx(const EpilogueArgs& args) {
  switch (args.out->kind) {
    case OutKind::int32:
      return 2;
    case OutKind::float32:
      return 4;
    case OutKind::float_scale:
      return 8;
    case OutKind::fixed_point:
      return args.every_right_shift && args.a_zero_points == nullptr && args.row_terms == nullptr
                 ? 8
                 : 0;
  }
  return 0;
}

void i8gemm_ukernel_32x32c64_overlapped__amx_s8(std::size_t k_groups, const void* a_panel,
                                                const void* b_panel, std::int32_t* c_tile,
                                                bool accumulate, const PendingEpilogue* earlier,
                                                PrefetchSpread prefetch) {
  overlapped_32x32<true>(k_groups, a_panel, b_panel, c_tile, accumulate, earlier, prefetch);
}
void i8gemm_ukernel_32x32c64_overlapped__amx_u8(std::size_t k_groups, const void* a_panel,
                                                const void* b_panel, std::int32_t* c_tile,
                                                bool accumulate, const PendingEpilogue* earlier,
                                                PrefetchSpread prefetch) {
  overlapped_32x32<false>(k_groups, a_panel, b_panel, c_tile, accumulate, earlier, prefetch);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
