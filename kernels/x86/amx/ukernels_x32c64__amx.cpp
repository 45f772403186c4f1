// AMX-INT8 micro-kernels: 32 x 32 (2 x 2 accumulator tiles) and 16 x 32 (1 x 2), int8 or uint8
// A times int8 B into int32. They assume the tile configuration of amx_tiles.hpp is loaded on
// the calling thread (the path's per-thread hook).
//
// A panel (as the user gave it, no offset): per K group g, MR rows x 64 bytes, row r at byte
//   (g * MR + r) * 64, so each 16-row A tile of a group is one tileloadd with stride 64.
// B panel (int8, 32 columns): per quad q of 4 consecutive k, 32 columns x 4 bytes, column j's
//   4 values at byte q * 128 + j * 4 (the VNNI-4 layout the tile unit multiplies). A K group is
//   16 rows of 128 bytes; columns 0-15 are bytes 0..63 of each row and columns 16-31 bytes
//   64..127, so each 16 x 16 B tile is one tileloadd with stride 128. This is byte for byte
//   avx512vnni's x32c4 B panel with K padded to 64, so one packed B also serves that path's
//   kernels, to which the amx path hands GEMV-like calls (path__amx.cpp).
//
// Tile registers (palette 1, each 16 rows x 64 bytes; amx_tiles.hpp):
//   tmm0..tmm3  accumulators, 16 x 16 int32: tmm0 = C[0:16, 0:16], tmm1 = C[0:16, 16:32],
//               tmm2 = C[16:32, 0:16], tmm3 = C[16:32, 16:32]
//   tmm4, tmm5  A rows 0-15 and 16-31 of the current K group (16 rows x 64 k)
//   tmm6, tmm7  B columns 0-15 and 16-31 of the current K group (16 quads x 16 columns x 4 k)
// All 8 tiles are in use: 2 x 2 is the largest accumulator block that leaves room for the two A
// and two B tiles it reuses (each loaded tile feeds two tdpb*d).
//
// Tile numbers are literals everywhere: a tile register is encoded in the instruction itself and
// there is no indexed access to tile registers, so GCC's intrinsics are macros that paste the
// number into the assembly text. Hence the kernel bodies are written out rather than looped over
// tile indices.
//
// The arithmetic is exact: tdpbssd / tdpbusd multiply bytes into int32 and add groups of four
// products into int32 lanes with wrap-around (no saturation, no intermediate narrower than 32
// bits), the same modulo-2^32 sums as the scalar oracle. tdpbusd takes A unsigned and B signed,
// tdpbssd both signed, so int8 and uint8 A are used as given (no +128 offset).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "framework/isa_namespace.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {
namespace {

constexpr long kARowBytes = 64;      // one row of an A tile: 64 k
constexpr long kBRowBytes = 128;     // one quad of k for 32 columns (both B tiles)
constexpr long kCRowBytes = 32 * 4;  // c_tile row: 32 int32
constexpr std::size_t kBGroupBytes = 16 * kBRowBytes;  // 64 k x 32 columns

// dst += A x B with A signed (tdpbssd) or unsigned (tdpbusd); B is signed in both.
#define I8GEMM_AMX_DP(kSignedA, dst, a, b) \
  do {                                     \
    if constexpr (kSignedA) {              \
      _tile_dpbssd(dst, a, b);             \
    } else {                               \
      _tile_dpbusd(dst, a, b);             \
    }                                      \
  } while (0)

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
  do {                                              \
    if constexpr (kHint) {                          \
      _tile_stream_loadd(tile, ptr, stride);        \
    } else {                                        \
      _tile_loadd(tile, ptr, stride);               \
    }                                               \
  } while (0)

// GCC 12's tileloadd intrinsic is an asm statement without a memory operand, so the compiler
// does not know it reads the panels or c_tile. Kernels are called through a pointer from another
// translation unit, which already completes the caller's stores first; this barrier keeps that
// true if a kernel is ever inlined into code that writes the panels just before calling it.
inline void compiler_memory_barrier() {
  __asm__ volatile("" : : : "memory");
}

// The K loops: tmm0..tmm3 (or tmm0, tmm1) += the products over k_groups groups. A's rows are
// `lda` bytes apart and its next K group `a_step` bytes on: (64, MR * 64) in a packed panel, (the
// matrix's row stride, 64) when the tiles are read straight from the user's rows.
//
// Each loaded tile feeds two tdpb*d. A tile is reloaded only once the instructions reading it
// have issued: the tile unit does not rename tile registers, so loading into a tile that a
// pending tdpb*d still reads waits for it (measured: reusing B tiles across two K groups in the
// 16-row kernel ran at a fifth of the speed).
template <bool kSignedA, bool kHintA>
inline void k_loop_32x32(std::size_t k_groups, const char* a, long lda, long a_step,
                         const char* b) {
  const char* a1 = a + 16 * lda;
  for (std::size_t g = 0; g < k_groups; ++g) {
    I8GEMM_AMX_LOAD_A(kHintA, 4, a, lda);
    _tile_loadd(6, b, kBRowBytes);
    I8GEMM_AMX_DP(kSignedA, 0, 4, 6);
    _tile_loadd(7, b + 64, kBRowBytes);
    I8GEMM_AMX_DP(kSignedA, 1, 4, 7);
    I8GEMM_AMX_LOAD_A(kHintA, 5, a1, lda);
    I8GEMM_AMX_DP(kSignedA, 2, 5, 6);
    I8GEMM_AMX_DP(kSignedA, 3, 5, 7);
    a += a_step;
    a1 += a_step;
    b += kBGroupBytes;
  }
}

template <bool kSignedA, bool kHintA>
inline void k_loop_16x32(std::size_t k_groups, const char* a, long lda, long a_step,
                         const char* b) {
  for (std::size_t g = 0; g < k_groups; ++g) {
    I8GEMM_AMX_LOAD_A(kHintA, 4, a, lda);
    _tile_loadd(6, b, kBRowBytes);
    I8GEMM_AMX_DP(kSignedA, 0, 4, 6);
    _tile_loadd(7, b + 64, kBRowBytes);
    I8GEMM_AMX_DP(kSignedA, 1, 4, 7);
    a += a_step;
    b += kBGroupBytes;
  }
}

template <bool kSignedA>
void tile_32x32(std::size_t k_groups, const void* a_base, long lda, long a_step,
                const void* b_panel, std::int32_t* c_tile, bool accumulate) {
  compiler_memory_barrier();
  const char* a = static_cast<const char*>(a_base);
  const char* b = static_cast<const char*>(b_panel);
  char* c = reinterpret_cast<char*>(c_tile);
  if (accumulate) {
    _tile_loadd(0, c, kCRowBytes);
    _tile_loadd(1, c + 64, kCRowBytes);
    _tile_loadd(2, c + 16 * kCRowBytes, kCRowBytes);
    _tile_loadd(3, c + 16 * kCRowBytes + 64, kCRowBytes);
  } else {
    _tile_zero(0);
    _tile_zero(1);
    _tile_zero(2);
    _tile_zero(3);
  }
  if (k_groups > kPlainLoadMaxGroups) {
    k_loop_32x32<kSignedA, true>(k_groups, a, lda, a_step, b);
  } else {
    k_loop_32x32<kSignedA, false>(k_groups, a, lda, a_step, b);
  }
  _tile_stored(0, c, kCRowBytes);
  _tile_stored(1, c + 64, kCRowBytes);
  _tile_stored(2, c + 16 * kCRowBytes, kCRowBytes);
  _tile_stored(3, c + 16 * kCRowBytes + 64, kCRowBytes);
}

template <bool kSignedA>
void tile_16x32(std::size_t k_groups, const void* a_base, long lda, long a_step,
                const void* b_panel, std::int32_t* c_tile, bool accumulate) {
  compiler_memory_barrier();
  const char* a = static_cast<const char*>(a_base);
  const char* b = static_cast<const char*>(b_panel);
  char* c = reinterpret_cast<char*>(c_tile);
  if (accumulate) {
    _tile_loadd(0, c, kCRowBytes);
    _tile_loadd(1, c + 64, kCRowBytes);
  } else {
    _tile_zero(0);
    _tile_zero(1);
  }
  if (k_groups > kPlainLoadMaxGroups) {
    k_loop_16x32<kSignedA, true>(k_groups, a, lda, a_step, b);
  } else {
    k_loop_16x32<kSignedA, false>(k_groups, a, lda, a_step, b);
  }
  _tile_stored(0, c, kCRowBytes);
  _tile_stored(1, c + 64, kCRowBytes);
}

#undef I8GEMM_AMX_LOAD_A
#undef I8GEMM_AMX_DP

}  // namespace

void i8gemm_ukernel_32x32c64__amx_s8(std::size_t k_groups, const void* a_panel, const void* b_panel,
                                     std::int32_t* c_tile, bool accumulate) {
  tile_32x32<true>(k_groups, a_panel, kARowBytes, 32 * kARowBytes, b_panel, c_tile, accumulate);
}
void i8gemm_ukernel_32x32c64__amx_u8(std::size_t k_groups, const void* a_panel, const void* b_panel,
                                     std::int32_t* c_tile, bool accumulate) {
  tile_32x32<false>(k_groups, a_panel, kARowBytes, 32 * kARowBytes, b_panel, c_tile, accumulate);
}
void i8gemm_ukernel_16x32c64__amx_s8(std::size_t k_groups, const void* a_panel, const void* b_panel,
                                     std::int32_t* c_tile, bool accumulate) {
  tile_16x32<true>(k_groups, a_panel, kARowBytes, 16 * kARowBytes, b_panel, c_tile, accumulate);
}
void i8gemm_ukernel_16x32c64__amx_u8(std::size_t k_groups, const void* a_panel, const void* b_panel,
                                     std::int32_t* c_tile, bool accumulate) {
  tile_16x32<false>(k_groups, a_panel, kARowBytes, 16 * kARowBytes, b_panel, c_tile, accumulate);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
