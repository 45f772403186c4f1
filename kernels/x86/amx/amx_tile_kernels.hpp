// The AMX path's K loop and tile kernels, shared by the plain micro-kernels
// (ukernels_x32c64__amx.cpp) and the one that overlaps an earlier tile's epilogue with its
// multiply-adds (ukernel_32x32c64_overlapped__amx.cpp). Panel layouts and tile registers: see
// ukernels_x32c64__amx.cpp.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "framework/isa_namespace.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS::amx {

constexpr long kARowBytes = 64;      // one row of an A tile: 64 k
constexpr long kBRowBytes = 128;     // one quad of k for 32 columns (both B tiles)
constexpr long kCRowBytes = 32 * 4;  // a buffer's c_tile row (32 int32): the overlapped kernel's
constexpr std::size_t kBGroupBytes = 16 * kBRowBytes;  // 64 k x 32 columns

// One of two tile instructions by a compile-time condition. The tile intrinsics are macros whose
// tile numbers must be literals, so the choice is made around whole statements.
#define I8GEMM_AMX_EITHER(condition, if_true, if_false) \
  do {                                                  \
    if constexpr (condition) {                          \
      if_true;                                          \
    } else {                                            \
      if_false;                                         \
    }                                                   \
  } while (0)

// dst += A x B with A signed (tdpbssd) or unsigned (tdpbusd); B is signed in both.
#define I8GEMM_AMX_DP(kSignedA, dst, a, b) \
  I8GEMM_AMX_EITHER(kSignedA, _tile_dpbssd(dst, a, b), _tile_dpbusd(dst, a, b))

// Cache hints. tileloaddt1 is tileloadd with a hint that the data need not stay in the nearest
// cache level. Both kernels load A with it and B without: the driver runs every A panel of an MC
// block against one B panel before moving to the next, so the B panel is what stays in L1 and the
// A panels stream from L2. With K = 1024 each panel is 32 KiB and the two overflow the 48 KiB
// L1D; without the hint the streaming A evicts the B panel. Measured on the same panels called
// repeatedly (K = 1024, medians): 32 x 32 at 2,127 GMAC/s with the hint on A, 1,919 with it on B,
// 1,457 without; 16 x 32 at 2,006 with it on A, 1,786 without. When both panels fit in L1 with
// room to spare the hint only costs (7-8 % at K = 256), so calls of at most kPlainLoadMaxGroups K
// groups (K <= 384: panels of at most 12 KiB each) load A plainly. A hint changes where lines are
// cached, never a result.

constexpr std::size_t kPlainLoadMaxGroups = 6;

// Loads an A tile (16 rows of 64 bytes, `stride` bytes apart), with the streaming hint or without.
#define I8GEMM_AMX_LOAD_A(kHint, tile, ptr, stride) \
  I8GEMM_AMX_EITHER(kHint, _tile_stream_loadd(tile, ptr, stride), _tile_loadd(tile, ptr, stride))

// GCC 12's tileloadd intrinsic is an asm statement without a memory operand, so the compiler
// does not know it reads the panels or c_tile. Kernels are called through a pointer from another
// translation unit, which already completes the caller's stores first; this barrier keeps that
// true if a kernel is ever inlined into code that writes the panels just before calling it.
inline void compiler_memory_barrier() {
  __asm__ volatile("" : : : "memory");
}

// The K loop: tmm0..tmm3 (kRows = 32; tmm0, tmm1 for 16) += the products over k_groups groups. A's
// rows are `lda` bytes apart and its next K group `a_step` bytes on: (64, MR * 64) in a packed
// panel, (the matrix's row stride, 64) when the tiles are read straight from the user's rows.
//
// Each loaded tile feeds two tdpb*d. A tile is reloaded only once the instructions reading it
// have issued: the tile unit does not rename tile registers, so loading into a tile that a
// pending tdpb*d still reads waits for it (measured: reusing B tiles across two K groups in the
// 16-row kernel ran at a fifth of the speed).
//
// after_group(g) runs once the multiplies of group g are issued: the overlapped kernel
// (ukernel_32x32c64_overlapped__amx.cpp) writes rows of an earlier tile there while the tile unit
// works; the plain kernels pass nothing to do.
template <bool kSignedA, bool kHintA, int kRows, class AfterGroup>
inline void k_loop(std::size_t k_groups, const char* a, long lda, long a_step, const char* b,
                   AfterGroup&& after_group) {
  const char* a1 = a + 16 * lda;
  for (std::size_t g = 0; g < k_groups; ++g) {
    I8GEMM_AMX_LOAD_A(kHintA, 4, a, lda);
    _tile_loadd(6, b, kBRowBytes);
    I8GEMM_AMX_DP(kSignedA, 0, 4, 6);
    _tile_loadd(7, b + 64, kBRowBytes);
    I8GEMM_AMX_DP(kSignedA, 1, 4, 7);
    if constexpr (kRows == 32) {
      I8GEMM_AMX_LOAD_A(kHintA, 5, a1, lda);
      I8GEMM_AMX_DP(kSignedA, 2, 5, 6);
      I8GEMM_AMX_DP(kSignedA, 3, 5, 7);
    }
    a += a_step;
    a1 += a_step;
    b += kBGroupBytes;
    after_group(g);
  }
}

// The micro-kernels, kRows = 32 (2 x 2 accumulator tiles) or 16 (1 x 2): c_tile (row-major, 32
// int32 a row, rows `ldc` int32 apart) = or += the product, calling after_group as in k_loop.
template <bool kSignedA, int kRows, class AfterGroup>
inline void tile_kernel(std::size_t k_groups, const void* a_base, long lda, long a_step,
                        const void* b_panel, std::int32_t* c_tile, std::size_t ldc, bool accumulate,
                        AfterGroup&& after_group) {
  static_assert(kRows == 16 || kRows == 32, "one or two rows of accumulator tiles");
  compiler_memory_barrier();
  const char* a = static_cast<const char*>(a_base);
  const char* b = static_cast<const char*>(b_panel);
  char* c = reinterpret_cast<char*>(c_tile);
  const long c_row_bytes = static_cast<long>(ldc * sizeof(std::int32_t));
  if (accumulate) {
    _tile_loadd(0, c, c_row_bytes);
    _tile_loadd(1, c + 64, c_row_bytes);
    if constexpr (kRows == 32) {
      _tile_loadd(2, c + 16 * c_row_bytes, c_row_bytes);
      _tile_loadd(3, c + 16 * c_row_bytes + 64, c_row_bytes);
    }
  } else {
    _tile_zero(0);
    _tile_zero(1);
    if constexpr (kRows == 32) {
      _tile_zero(2);
      _tile_zero(3);
    }
  }
  if (k_groups > kPlainLoadMaxGroups) {
    k_loop<kSignedA, true, kRows>(k_groups, a, lda, a_step, b, after_group);
  } else {
    k_loop<kSignedA, false, kRows>(k_groups, a, lda, a_step, b, after_group);
  }
  _tile_stored(0, c, c_row_bytes);
  _tile_stored(1, c + 64, c_row_bytes);
  if constexpr (kRows == 32) {
    _tile_stored(2, c + 16 * c_row_bytes, c_row_bytes);
    _tile_stored(3, c + 16 * c_row_bytes + 64, c_row_bytes);
  }
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS::amx
