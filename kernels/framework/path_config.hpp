// What one ISA path registers with the framework: its micro-kernel, the packed layouts the
// micro-kernel reads, block sizes and its epilogue. The loops in driver.cpp never name an ISA.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

// Element type of a packed panel. s16 panels hold int8/uint8 values widened to int16, for
// kernels that multiply with vpmaddwd (exact, where vpmaddubsw would saturate).
enum class PackedElem { u8, s8, s16 };

// A micro-kernel computes one MR x NR tile of A_panel * B_panel over k_groups groups of KG
// consecutive k, into c_tile (row-major, leading dimension NR): stored if !accumulate, added
// otherwise. Panels are zero-padded to MR rows / NR columns / whole K groups, so edge tiles
// are computed whole and the epilogue writes only their valid part.
//   A panel: for each K group, MR rows x KG values (row-major).
//   B panel: for each K group, NR columns x KG values (each column's KG values contiguous).
using UkernelFn = void (*)(std::size_t k_groups, const void* a_panel, const void* b_panel,
                           std::int32_t* c_tile, bool accumulate);

struct EpilogueArgs;
// Applies the zero-point terms and the output stage to the valid m x n part of a tile whose
// top-left element is C(row0, col0).
using EpilogueFn = void (*)(const EpilogueArgs& args, const std::int32_t* c_tile, int tile_ld,
                            int m, int n, std::int64_t row0, std::int64_t col0);

// The largest MR x NR of any micro-kernel (path_registry.cpp checks every entry against it):
// the driver keeps one tile of this size on the stack.
constexpr int kMaxTileElements = 512;

struct PathConfig {
  Isa isa;
  const char* ukernel_name;
  int mr, nr, kg;
  PackedElem a_elem, b_elem;
  // Packed A = A + offset (mod 256) per A type, e.g. +128 turns int8 into the uint8 operand of
  // vpdpbusd; the offset joins A's zero point (math.md section 2).
  int a_offset_s8, a_offset_u8;
  std::size_t mc, nc, kc;  // cache blocking, multiples of mr / nr / kg
  UkernelFn ukernel;
  EpilogueFn epilogue;
};

// The configuration of a built SIMD path, or nullptr (scalar has none: it is the oracle).
const PathConfig* find_path_config(Isa isa);

// `cfg` with the path's shortest micro-kernel that still covers m rows (GEMV-like calls);
// `cfg` itself when none is shorter.
PathConfig config_for_rows(const PathConfig& cfg, std::int64_t m);

// Every registered micro-kernel (main and small-M variants), for the micro-kernel tests.
std::vector<PathConfig> all_ukernel_configs();

}  // namespace i8gemm::detail
