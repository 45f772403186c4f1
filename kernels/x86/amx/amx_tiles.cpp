// Per-thread tile configuration hooks.
#include "x86/amx/amx_tiles.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

void i8gemm_amx_thread_init() {
  // Not _tile_loadconfig: GCC 12's intrinsic tells the compiler that ldtilecfg reads only the
  // first 8 bytes of its operand, which would allow it to drop or reorder stores to the rest of
  // a configuration built in memory. This operand is the whole 64-byte struct.
  __asm__ volatile("ldtilecfg %0" : : "m"(kAmxTileConfig));
}

void i8gemm_amx_thread_teardown() {
  __asm__ volatile("tilerelease" : : : "memory");
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
