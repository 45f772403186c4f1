// The amx path's 32 x 32 micro-kernel (amx_tile_kernels.hpp) that also writes the tile computed
// before it: after the multiplies of each K group are issued, it requantizes the next row or two
// of that earlier tile into C, so that the epilogue's vector work runs while the tile unit works.
// The driver prefetches a tile's lines of C before the kernel that computes it, so they are there
// when the next kernel writes them. For the usual output stage only: int8 or uint8 by fixed point
// with every multiplier below 1/2 and no per-row zero-point terms
// (i8gemm_overlaps_epilogue__amx); the path's other epilogues run after the kernel, as on every
// path.
//
// Why: tdpb*d run on the tile unit and the epilogue on the AVX-512 ports, and the core runs both
// at once when their instructions are finely interleaved. Measured on this project's Xeon (one
// core): a loop of the four tdpbusd of a K group takes 28.2 ns a trip, and the same with 64
// independent AVX-512 uops between trips (36 ns with 128). After its kernel, the exact int8
// epilogue (about 16 vector uops per 16 outputs) is a quarter of a 1024^3 call. Calling the
// epilogue function between K groups was slower than after the kernel (8 rows at a time
// 1.04-1.09 of the time, 2 rows 1.13-1.20): each call redoes the per-column set-up, and a burst
// fills the scheduler ahead of the next group's tile loads. So the stage is prepared once per
// tile and applied a row or two at a time. A version over every output stage (epilogue.hpp's
// stages prepared per 16-column block, the same arithmetic) ran 0.97-1.12 of the plain kernel's
// time where this one runs 0.84-0.93 (A and C hot); why it lost, with the same vector
// instructions per row, was not found.
//
// With few K groups each group carries many rows and the vector work outlasts the tile unit's:
// the path uses this kernel for KC blocks of at least kOverlapMinKGroups groups (path__amx.cpp).
//
// Measured with the benchmark suite (A and C rotated through memory; old and new binaries
// alternating, 4 rounds x 3 repetitions, best of 12, new / old time): 1000^3 0.95, 1024^3 0.96,
// 2048^3 0.91, 384 x 1024^2 0.93, 384 x 4096 x 1024 0.92, 128 x 4096^2 0.96.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>

#include "epilogue/epilogue.hpp"
#include "framework/epilogue_args.hpp"
#include "framework/isa_namespace.hpp"
#include "framework/path_config.hpp"
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
  static Multiply multiplier(const EpilogueArgs& args, std::int64_t j, int count) {
    if (args.m0s == nullptr) {
      return Multiply(I32(args.out->multiplier.m0), I32(-args.out->multiplier.shift));
    }
    return count > 0 ? Multiply(load(args.m0s, j, count), load(args.right_shifts, j, count))
                     : Multiply(I32(1 << 30), I32(1));
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

// The kernel with the rows of `earlier` (null: none) spread over its K groups: after group g,
// those up to ceil(m (g + 1) / groups), so that the last group ends the tile.
template <bool kSignedA, typename T>
void overlapped_32x32(std::size_t k_groups, const void* a_panel, const void* b_panel,
                      std::int32_t* c_tile, bool accumulate, const PendingEpilogue* earlier) {
  alignas(64) unsigned char storage[sizeof(RequantizeRows<T>)];
  const RequantizeRows<T>* rows =
      earlier != nullptr ? new (storage) RequantizeRows<T>(*earlier) : nullptr;
  const int m = earlier != nullptr ? earlier->m : 0;
  int done = 0;
  std::size_t due = k_groups - 1;
  tile_kernel<kSignedA, 32>(k_groups, a_panel, kARowBytes, 32 * kARowBytes, b_panel, c_tile,
                            accumulate, [&](std::size_t) {
                              due += static_cast<std::size_t>(m);
                              for (; due >= k_groups; due -= k_groups) rows->write(done++);
                            });
}

template <bool kSignedA>
void overlapped_32x32(std::size_t k_groups, const void* a_panel, const void* b_panel,
                      std::int32_t* c_tile, bool accumulate, const PendingEpilogue* earlier) {
  if (earlier == nullptr || earlier->args->out->type == OutType::s8) {
    overlapped_32x32<kSignedA, std::int8_t>(k_groups, a_panel, b_panel, c_tile, accumulate,
                                            earlier);
  } else {
    overlapped_32x32<kSignedA, std::uint8_t>(k_groups, a_panel, b_panel, c_tile, accumulate,
                                             earlier);
  }
}

}  // namespace

bool i8gemm_overlaps_epilogue__amx(const EpilogueArgs& args) {
  return args.out->kind == OutKind::fixed_point && args.every_right_shift &&
         args.a_zero_points == nullptr && args.row_terms == nullptr;
}

void i8gemm_ukernel_32x32c64_overlapped__amx_s8(std::size_t k_groups, const void* a_panel,
                                                const void* b_panel, std::int32_t* c_tile,
                                                bool accumulate, const PendingEpilogue* earlier) {
  overlapped_32x32<true>(k_groups, a_panel, b_panel, c_tile, accumulate, earlier);
}
void i8gemm_ukernel_32x32c64_overlapped__amx_u8(std::size_t k_groups, const void* a_panel,
                                                const void* b_panel, std::int32_t* c_tile,
                                                bool accumulate, const PendingEpilogue* earlier) {
  overlapped_32x32<false>(k_groups, a_panel, b_panel, c_tile, accumulate, earlier);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
