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
#include "x86/amx/amx_tile_kernels.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

using namespace amx;

void i8gemm_ukernel_32x32c64__amx_s8(std::size_t k_groups, const void* a_panel, const void* b_panel,
                                     std::int32_t* c_tile, std::size_t ldc, bool accumulate) {
  tile_kernel<true, 32>(k_groups, a_panel, kARowBytes, 32 * kARowBytes, b_panel, c_tile, ldc,
                        accumulate, [](std::size_t) {});
}
void i8gemm_ukernel_32x32c64__amx_u8(std::size_t k_groups, const void* a_panel, const void* b_panel,
                                     std::int32_t* c_tile, std::size_t ldc, bool accumulate) {
  tile_kernel<false, 32>(k_groups, a_panel, kARowBytes, 32 * kARowBytes, b_panel, c_tile, ldc,
                         accumulate, [](std::size_t) {});
}
void i8gemm_ukernel_16x32c64__amx_s8(std::size_t k_groups, const void* a_panel, const void* b_panel,
                                     std::int32_t* c_tile, std::size_t ldc, bool accumulate) {
  tile_kernel<true, 16>(k_groups, a_panel, kARowBytes, 16 * kARowBytes, b_panel, c_tile, ldc,
                        accumulate, [](std::size_t) {});
}
void i8gemm_ukernel_16x32c64__amx_u8(std::size_t k_groups, const void* a_panel, const void* b_panel,
                                     std::int32_t* c_tile, std::size_t ldc, bool accumulate) {
  tile_kernel<false, 16>(k_groups, a_panel, kARowBytes, 16 * kARowBytes, b_panel, c_tile, ldc,
                         accumulate, [](std::size_t) {});
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
