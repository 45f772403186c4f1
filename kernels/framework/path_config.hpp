// What one ISA path registers with the framework: its micro-kernels, the packed layouts they
// read (the block sizes derive from them and the CPU's caches: blocking.cpp), epilogue,
// quantization kernels, per-thread hooks and the CPU features it needs. Each path defines one
// constant PathConfig, i8gemm_path__<name>, in its folder (path__<name>.cpp); path_registry.cpp
// collects those that were built. The loops in driver.cpp never name an ISA.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "framework/prefetch.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

// Element type of a packed panel. s16 panels hold int8/uint8 values widened to int16, for
// kernels that multiply with vpmaddwd or smlal (exact, where vpmaddubsw would saturate);
// a_type keeps A's own bytes, for paths with a kernel per A type (amx).
enum class PackedElem { u8, s8, s16, a_type };

// A micro-kernel computes one MR x NR tile of A_panel * B_panel over k_units units of the
// path's k_unit consecutive k, into c_tile (row-major, rows ldc >= NR int32 apart, no alignment
// assumed): stored if !accumulate, added otherwise. Panels are zero-padded to MR rows / NR
// columns / whole K units, so edge tiles are computed whole and the epilogue writes only their
// valid part. ldc is NR for the driver's buffers and C's own ld where a whole tile of raw int32
// sums is written straight into C (column_in_c in driver.cpp), which no epilogue reads: an
// epilogue's tile is always a buffer of NR int32 a row (whole vectors of it are read).
//   A panel: for each group of a_kg consecutive k, MR rows x a_kg values (row-major).
//   B panel: for each group of b_kg consecutive k, NR columns x b_kg values (each column's b_kg
//            values contiguous).
using UkernelFn = void (*)(std::size_t k_units, const void* a_panel, const void* b_panel,
                           std::int32_t* c_tile, std::size_t ldc, bool accumulate);

struct EpilogueArgs;
struct ColumnTerms;
struct MultiplierShifts;
// Applies the zero-point terms and the output stage to the valid m x n part of a tile whose
// top-left element is C(row0, col0).
using EpilogueFn = void (*)(const EpilogueArgs& args, const std::int32_t* c_tile, int tile_ld,
                            int m, int n, std::int64_t row0, std::int64_t col0);
// A path's epilogue: `run` (above), and `columns`, which computes a call's per-column terms
// once before its blocks (epilogue_args.hpp, ColumnTerms), compiled like `run` with the path's
// instructions (epilogue/column_terms.hpp).
struct EpilogueKernels {
  EpilogueFn run;
  MultiplierShifts (*columns)(const ColumnTerms& terms);
};

// A tile whose epilogue is still to run: its int32 values in `tile` (leading dimension
// tile_ld) and where they go, the valid m x n part of C from (row0, col0).
struct PendingEpilogue {
  const EpilogueArgs* args;
  const std::int32_t* tile;
  int tile_ld, m, n;
  std::int64_t row0, col0;
};

// Memory a kernel asks for while it runs, spread over its K units: after each unit the next
// `lines_per_unit` 64-byte lines from address `begin` (nothing when begin is 0), and the next
// rows of `c_tile` (the lines of C its own tile will be written to), so many after each unit that
// the last unit asks for the last row. A prefetch cannot fault, so a range may run past an
// allocation; addresses are integers, so that no pointer does.
struct PrefetchSpread {
  std::uintptr_t begin = 0;
  std::size_t lines_per_unit = 0;
  PrefetchRows c_tile;
};

// A micro-kernel that also writes an earlier tile, for paths whose multiply-adds run beside the
// vector units (AMX's tile unit): the epilogue of `earlier` (or null) is applied a row or two at a
// time between the K groups, so that its vector work overlaps the tile unit's, and `prefetch`'s
// lines are asked for between them too (the driver spreads the next B slice over a block's row
// panels). Otherwise as UkernelFn, with c_tile's leading dimension NR.
using OverlappedUkernelFn = void (*)(std::size_t k_units, const void* a_panel, const void* b_panel,
                                     std::int32_t* c_tile, bool accumulate,
                                     const PendingEpilogue* earlier, PrefetchSpread prefetch);

// A micro-kernel's direct form, which reads A where it lies instead of a packed panel (XNNPACK's
// GEMM micro-kernels' way), for the calls where packing A costs more than it saves (driver.cpp,
// direct_a_pays): the MR x NR tile of one KC block of K bytes (k, unpadded; the last K group is
// completed with zeros and nothing past a row's K is read) from A's rows at `a`, `lda` bytes
// apart, of which only the first `rows` (1 to MR) are read (the tile's rows past them are
// computed from the last valid row and never written out), each byte taken as the packed form
// takes it (A + the path's offset for the A type). Only the tile's first `cols` (1 to NR) columns
// need be right: the kernel may compute fewer of its vectors, and leaves the columns from the first
// vector it does not compute to NR as they were. The B panel and the stored tile as UkernelFn with
// accumulate false.
using DirectUkernelFn = void (*)(std::size_t k, const std::uint8_t* a, std::size_t lda, int rows,
                                 int cols, const void* b_panel, std::int32_t* c_tile,
                                 std::size_t ldc);

// One micro-kernel of a path: MR rows, for int8 and for uint8 A (the same function where the
// packed A hides the type, e.g. widened to int16 or offset into the other signedness).
struct UkernelEntry {
  const char* name;  // e.g. "ukernel_8x32c4__avx512vnni"
  int mr;
  UkernelFn for_s8;
  UkernelFn for_u8;
  // Its form that prefetches B well ahead of its loads, or null: the driver runs it on the first
  // row panel of each column when B does not stay in L2 (driver.cpp), where that panel streams in
  // from further out; the other row panels find it in L1 or L2.
  UkernelFn prefetching_s8 = nullptr;
  UkernelFn prefetching_u8 = nullptr;
  // Its overlapped form (above), or null, and where it runs: for an epilogue, the fewest K units
  // of a KC block at which it pays (its vector work per K unit shrinks as they grow), or 0 where
  // it never does.
  OverlappedUkernelFn overlapped_s8 = nullptr;
  OverlappedUkernelFn overlapped_u8 = nullptr;
  std::size_t (*overlap_min_k_units)(const EpilogueArgs& args) = nullptr;
  // Its direct form (above) for each A type, or null.
  DirectUkernelFn direct_s8 = nullptr;
  DirectUkernelFn direct_u8 = nullptr;
};

// A loop of the path's multiply instruction alone, for the measured peak of the benchmarks.
struct PeakLoop {
  const char* instruction;     // e.g. "vpdpbusd zmm"
  std::int64_t macs_per_loop;  // multiply-accumulates of one trip of the loop
  void (*run)(std::int64_t loops);
};

struct QuantKernelTable;

// The shares of a core's caches (percent) that the blocking model (blocking.cpp) gives to the
// operands kept there: in L1D the KC x NR slice of B together with `a_panels_in_l1` MR x KC
// micro-panels of A, and in L2 the MC x K block of A.
struct CacheShares {
  int l1;
  int a_panels_in_l1;
  int a_in_l2;
  // A's block takes at least this many bytes of L2 (but at most half of it), where a_in_l2 was
  // measured on a larger L2 than the running CPU's: 0 for none.
  std::int64_t a_in_l2_min_bytes = 0;
};
// The vector paths': B's slice and two micro-panels of A (the one the kernel reads and the next,
// which streams in behind it) fill L1D; A's block takes half of L2, the other half for the B
// panels streaming past it.
constexpr CacheShares kBlisCacheShares = {100, 2, 50};

// A path's packer of A (pack_a's job), where it beats the framework's SSE2 packers (pack.cpp):
// packs `rows` rows of `kc` bytes each into panels of mr rows (the last rounded up), K padded with
// zeros to `kcpad`, in the path's layout (K groups of a_kg values, its a_elem); the first
// `valid_rows` are A's rows at `a`, `lda` bytes apart (int8 when `signed_a`, else uint8), the rest
// zeros. Each byte's top bit is flipped when `flip` (the +-128 offset). With `row_sums`, adds each
// of A's rows' packed values to row_sums[r], wrapping. A's rows are read ahead as pack.cpp's
// packers read them (kPackAheadRows). Returns false (and writes nothing) where it does not take
// the block, which pack.cpp then packs.
using PackABlockFn = bool (*)(const std::uint8_t* a, std::int64_t lda, std::int64_t valid_rows,
                              std::int64_t rows, int mr, std::int64_t kc, std::int64_t kcpad,
                              bool flip, std::uint8_t* out, std::int32_t* row_sums, bool signed_a);

// At most this many CPU features per path (a null pointer ends a shorter list).
constexpr int kMaxPathFeatures = 8;

struct PathConfig {
  Isa isa;
  // The CPU features the path needs, as members of CpuFeatures: data, not code, since the
  // path's own objects may use instructions this CPU lacks.
  bool CpuFeatures::*needs[kMaxPathFeatures];
  // Micro-kernels by decreasing MR: the first is the main one; the shorter ones serve calls
  // with fewer rows (GEMV-like), reading the same packed B.
  const UkernelEntry* ukernels;
  int ukernel_count;
  int nr;
  int a_kg, b_kg;  // K values per row of an A panel group / per column of a B panel group
  int k_unit;      // K is padded to a multiple of this (a multiple of a_kg and b_kg)
  PackedElem a_elem, b_elem;
  // Packed A = A + offset (mod 256) per A type, e.g. +128 turns int8 into the uint8 operand of
  // vpdpbusd; the offset joins A's zero point (math.md section 2).
  int a_offset_s8, a_offset_u8;
  const EpilogueKernels* epilogue;
  const QuantKernelTable* quant;  // quantize / dequantize kernels (quantize.hpp)
  const PeakLoop* peak;           // null when the path has none
  // Called on each thread before its first micro-kernel of a call and after its last (e.g. to
  // load and release AMX tile configurations); null when not needed.
  void (*thread_init)();
  void (*thread_teardown)();
  // Calls this path hands to another built path's micro-kernels (epilogue and blocking), which
  // read this path's packed B: same NR, B grouping and element type, this path's K padding a
  // multiple of theirs (e.g. amx gives GEMV-like calls to avx512vnni). Null: never.
  bool (*delegate_when)(std::int64_t m, std::int64_t n, std::int64_t k);
  Isa delegate;
  CacheShares cache_shares;
  PackABlockFn pack_a_block = nullptr;  // or null: the framework's packers (pack.cpp)
};

// Throws Error naming `argument` unless `isa` is built and runs on this CPU.
void require_available(Isa isa, const char* argument);

// The configuration of a built path, or nullptr.
const PathConfig* find_path_config(Isa isa);
// Every built path's configuration, in order of preference (worst first).
const std::vector<const PathConfig*>& built_path_configs();

// One micro-kernel of a path with everything a caller needs to run it.
struct KernelChoice {
  const PathConfig* path;
  const UkernelEntry* ukernel;
  int mr() const { return ukernel->mr; }
  UkernelFn fn(AType a) const { return a == AType::s8 ? ukernel->for_s8 : ukernel->for_u8; }
  UkernelFn prefetching_fn(AType a) const {
    return a == AType::s8 ? ukernel->prefetching_s8 : ukernel->prefetching_u8;
  }
  OverlappedUkernelFn overlapped_fn(AType a) const {
    return a == AType::s8 ? ukernel->overlapped_s8 : ukernel->overlapped_u8;
  }
  DirectUkernelFn direct_fn(AType a) const {
    return a == AType::s8 ? ukernel->direct_s8 : ukernel->direct_u8;
  }
};
// The path's shortest micro-kernel that still covers m rows (its main one for large m).
KernelChoice kernel_for_rows(const PathConfig& cfg, std::int64_t m);

}  // namespace i8gemm::detail
