// The amx path's peak loop: tdpbusd on 2 x 2 independent accumulator tiles, operands loaded
// once (4 x 16 x 16 x 64 = 65,536 multiply-accumulates a trip).
#include <immintrin.h>

#include <cstring>

#include "framework/path_definition.hpp"
#include "x86/amx/amx_tiles.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {
namespace {

void peak_loop(std::int64_t loops) {
  // Operands: any bytes will do (the tile unit's timing does not depend on them); ones keep the
  // accumulators small.
  alignas(64) unsigned char ones[1024];
  std::memset(ones, 1, sizeof ones);
  // tileloadd's intrinsic does not declare that it reads memory: make the bytes escape and be
  // written before the loads.
  __asm__ volatile("" : : "r"(ones) : "memory");
  alignas(64) std::int32_t result[16 * 16];
  i8gemm_amx_thread_init();
  _tile_loadd(4, ones, 64);
  _tile_loadd(5, ones, 64);
  _tile_loadd(6, ones, 64);
  _tile_loadd(7, ones, 64);
  _tile_zero(0);
  _tile_zero(1);
  _tile_zero(2);
  _tile_zero(3);
  // The tile intrinsics are volatile asm statements: the compiler keeps every one of them, in
  // order, inside the loop.
  for (std::int64_t i = 0; i < loops; ++i) {
    _tile_dpbusd(0, 4, 6);
    _tile_dpbusd(1, 4, 7);
    _tile_dpbusd(2, 5, 6);
    _tile_dpbusd(3, 5, 7);
  }
  // Consume the accumulators: a store of each tile, summed (wrapping) into one value the
  // compiler must materialize.
  std::uint32_t sum = 0;
  _tile_stored(0, result, 64);
  sum += static_cast<std::uint32_t>(result[0]);
  _tile_stored(1, result, 64);
  sum += static_cast<std::uint32_t>(result[1]);
  _tile_stored(2, result, 64);
  sum += static_cast<std::uint32_t>(result[2]);
  _tile_stored(3, result, 64);
  sum += static_cast<std::uint32_t>(result[3]);
  i8gemm_amx_thread_teardown();
  __asm__ volatile("" : : "r"(sum));
}

}  // namespace

extern constexpr PeakLoop i8gemm_peak__amx = {"tdpbusd (2 x 2 tiles)", 4 * 16 * 16 * 64, peak_loop};

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
