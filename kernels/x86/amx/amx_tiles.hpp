// The tile configuration every AMX micro-kernel of this path assumes, and the per-thread hooks
// that load and release it. The hooks are defined in amx_tiles.cpp; the path's descriptor
// registers them, so they run only where the path is available (CPU, OS and tile permission).
#pragma once

#include <cstdint>

#include "framework/isa_namespace.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

// The 64-byte operand of ldtilecfg (palette 1): bytes 0 palette, 1 start_row (restart point of
// an interrupted tileloadd/tilestored, 0 here), 2..15 reserved (zero), 16..47 bytes per row of
// tiles 0..15 (2 bytes each), 48..63 rows of tiles 0..15. Palette 1 has 8 tiles: entries 8..15
// must be zero or ldtilecfg faults.
struct alignas(64) AmxTileConfig {
  std::uint8_t palette_id;
  std::uint8_t start_row;
  std::uint8_t reserved[14];
  std::uint16_t colsb[16];
  std::uint8_t rows[16];
};
static_assert(sizeof(AmxTileConfig) == 64, "ldtilecfg reads exactly 64 bytes");

// Palette 1, tmm0..tmm7 all 16 rows x 64 bytes: an A tile is 16 rows x 64 k (int8/uint8), a B
// tile 16 quads of k x 16 columns x 4 bytes, an accumulator 16 x 16 int32.
inline constexpr AmxTileConfig kAmxTileConfig = {
    1, 0, {}, {64, 64, 64, 64, 64, 64, 64, 64}, {16, 16, 16, 16, 16, 16, 16, 16}};

// Loads kAmxTileConfig on the calling thread (ldtilecfg, which also zeroes every tile). About
// 120 ns with the teardown (measured), so once per call and thread costs nothing measurable.
//
// Lifetime: the configuration is per thread state (XSAVE component 17, beside the tile data,
// component 18). The OS saves and restores both with the thread on every context switch and
// around signal handlers, and a thread that migrates takes them along, so nothing but code
// running on this same thread, between two of its instructions, can change them. The framework
// calls i8gemm_amx_thread_init() on each thread that runs tiles at the start of each GEMM call (or
// task), before the first tile instruction, and i8gemm_amx_thread_teardown() when that thread is
// done with the call; between the two only i8gemm code runs on the thread. So another library in
// the process that loads its own configuration, or releases the tiles, between two of our calls
// cannot affect us: we load ours again on the next call (tested: after a foreign ldtilecfg of
// 8-row tiles, a kernel run without reloading computes wrong sums; with the per-call reload,
// exact; and oneDNN's AMX matmul interleaved with our calls on one thread leaves our results
// exact). Nor do we affect it beyond what it must already expect from any foreign code that
// runs between its own calls (oneDNN and MLAS configure per kernel execution too). Loading the
// configuration once per thread and never again would break the first time anyone else ran
// ldtilecfg or tilerelease on that thread. A check with sttilecfg (12 ns against 120 ns,
// measured) would only pay if the tiles stayed configured between calls, i.e. without the
// teardown, which would leave tile state live through every context switch and idle period of
// the pool's threads; at 120 ns per call and thread the plain reload is not worth it.
void i8gemm_amx_thread_init();

// Returns the tiles to their initial state (tilerelease): the tile data no longer has to be
// saved on context switches (the XSAVE "init" optimization) and the configuration is gone, so
// no tile instruction of ours may run on this thread until the next i8gemm_amx_thread_init().
void i8gemm_amx_thread_teardown();

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
