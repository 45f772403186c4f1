#include "framework/driver.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "framework/blocking.hpp"
#include "framework/epilogue_args.hpp"
#include "framework/pack.hpp"
#include "framework/prefetch.hpp"
#include "framework/round.hpp"
#include "framework/validate.hpp"
#include "framework/wrapping.hpp"
#include "i8gemm/quantize.hpp"

namespace i8gemm::detail {
namespace {

bool any_nonzero(const ZeroPoints& z, std::int64_t count) {
  if (z.per_channel == nullptr) return z.value != 0;
  return std::any_of(z.per_channel, z.per_channel + count, [](std::int32_t v) { return v != 0; });
}

// What every block of one call shares.
struct Call {
  const PathConfig& cfg;
  KernelChoice kernel;             // the micro-kernel for this call's row count
  UkernelFn ukernel;               // ... for this call's A type
  UkernelFn first_panel_ukernel;   // ... for the first row panel of each column (run_blocked)
  bool prefetch_next_b;            // the overlapped form asks for the next B slice (run_blocked)
  OverlappedUkernelFn overlapped;  // its overlapped form, or null (path_config.hpp), which
                                   // also runs where no earlier tile is written (run_block)
  DirectUkernelFn direct;          // its direct form where A is not packed (direct_a_pays), or null
  const ADesc& a;
  const PackedBView& b;
  std::int64_t kc;             // the blocking's depth of K per block
  std::int64_t epilogue_rows;  // epilogue_batch_rows of the kernel
  EpilogueArgs args;           // row_terms filled per block
  bool need_row_sums;
  std::int32_t za;  // offset zero point of A, per tensor
  // int32 output whose epilogue adds nothing (no zero-point terms, no bias): the kernel's sums
  // are C's values.
  bool raw_int32;
};

// Whether a call reads A where it lies (the kernels' direct form) instead of packing it. Packing
// costs a pass over A; the direct form broadcasts each group from A's rows, again for every NR
// panel of B, where a packed panel is contiguous and its int8 bytes already offset. So it pays
// where few panels of B meet A: avx512vnni on a Zen 5, A and C rotated through memory, medians of
// 15, direct / packed time, M = K = 128: N = 32 0.80, 64 0.77, 128 0.99, 256 0.95, 512 1.03,
// 1024 1.02; 16^3 0.85-0.86, 32^3 0.79-0.82, 64^3 0.87-0.91 (README, "Reading A"). Rows that are
// not whole K groups apart cost more (a group's load crosses a line every 16 groups): K = 131
// 0.81, 0.94, 1.10, 1.25 at N = 32 to 256, so such rows take it at up to two panels. (Panels of
// NR = 32 columns; avxvnni's NR of 16 takes the same counts, unmeasured beyond the suite.) Only
// where A is integer, K is one KC block (the direct form does not accumulate) and not 0 (A's
// pointer may then be null, and no offset from it is defined), no row sums are needed (packing
// computes them), and neither B's prefetching first-panel kernel nor an overlapped one (no direct
// forms) runs.
constexpr std::int64_t kDirectMaxPanels = 8;
constexpr std::int64_t kDirectMaxPanelsUnaligned = 2;
bool direct_a_pays(const PathConfig& cfg, const ADesc& a, const PackedBView& b, const Blocking& blk,
                   bool need_row_sums, bool b_beyond_l2, OverlappedUkernelFn overlapped) {
  const std::int64_t max_panels =
      a.ld % cfg.a_kg == 0 ? kDirectMaxPanels : kDirectMaxPanelsUnaligned;
  return a.type != AType::f32 && !need_row_sums && !b_beyond_l2 && overlapped == nullptr &&
         b.k > 0 && b.k <= blk.kc && b.n <= max_panels * cfg.nr;
}

// With one KC block, the rows of int32 tiles that one epilogue call takes: the tiles of a column
// are computed into a buffer of about 4 KiB and written together, so that the epilogue's set-up
// (its column terms, multipliers and constants) is paid once per buffer, not once per tile, while
// the buffer stays small beside the KC x NR slice of B in L1. avx512vnni int8 (4 tiles of 8 x 32
// a call; paired calls in one process, new / old time): 16^3 0.97, 64^3 0.93, 256^3 0.97; 2 KiB
// gave 0.97 / 0.95 / 0.97, a whole column of 64 and 256 rows 0.94 / 1.00. (With several KC
// blocks the column is kept anyway and takes one epilogue call.)
constexpr std::int64_t kEpilogueBatchBytes = 4096;
std::int64_t epilogue_batch_rows(std::int64_t mr, std::int64_t nr) {
  const std::int64_t rows = kEpilogueBatchBytes / (nr * std::int64_t{sizeof(std::int32_t)});
  return std::max(mr, rows / mr * mr);
}

// Grows `scratch` to what an mc x nc block needs: packed A (every KC block of the MC rows), its
// row terms, the micro-kernel's tile, and, when K is split, the column of tiles kept across the
// KC blocks. run_blocked calls it for every slot before the tasks start, so that a warm context
// allocates nothing and no task allocates.
void reserve_block_scratch(const KernelChoice& kernel, std::int64_t mc, std::int64_t k,
                           std::int64_t kc_max, std::int64_t epilogue_rows, bool row_sums,
                           bool float_a, TaskScratch& scratch) {
  const PathConfig& cfg = *kernel.path;
  const std::int64_t k_blocks = k_block_count(k, kc_max);
  const std::size_t kc = round_up(std::min(k, kc_max), cfg.k_unit);
  const std::size_t mc_pad = round_up(mc, kernel.mr());
  scratch.packed_a.reserve(std::max<std::size_t>(
      1, static_cast<std::size_t>(k_blocks) * mc_pad * kc * packed_elem_size(cfg.a_elem)));
  // Two tiles for an overlapped kernel (the one it computes and the one it writes), or the
  // epilogue's batch of rows.
  const std::int64_t rows = std::max<std::int64_t>(
      kernel.ukernel->overlapped_s8 != nullptr ? 2 * kernel.mr() : 0, epilogue_rows);
  scratch.tile.as<std::int32_t>(static_cast<std::size_t>(rows * cfg.nr));
  if (row_sums) scratch.row_terms.as<std::int32_t>(static_cast<std::size_t>(mc));
  if (k_blocks > 1) scratch.accumulators.as<std::int32_t>(mc_pad * cfg.nr);
  if (float_a) {
    scratch.quantized_rows.reserve(std::max<std::size_t>(
        1, static_cast<std::size_t>(kernel.mr() * std::max<std::int64_t>(k, 1))));
    scratch.row_zero_points.as<std::int32_t>(mc_pad);
    scratch.row_scales.as<float>(mc_pad);
  }
}

// The lines of C that the epilogue of the tile at (i, j), rows x cols, will write, to be asked
// for so that they arrive while the tile's micro-kernel runs. A tile's rows are `ld` apart, each a
// new stream for the hardware prefetchers, so without this every row's stores miss and the
// epilogue waits for them. Only for 4-byte outputs (int32, float32). Measured with C rotated
// through memory (benchmark suite, 4 alternating rounds, best of 12; new / old time): amx int32
// 1000^3 0.27, 256^3 0.53, 384 x 1024^2 0.51, 1024^3 0.92, 2048^3 0.80, 128 x 4096^2 0.89;
// avx512vnni int32 0.84-0.98 (256^3 1.07, in medians 0.79); amx dynamic (float out) 384 x 1024^2
// 0.74, 128 x 4096^2 0.88. For int8 out the same prefetches, issued before the kernel or after it
// for the next tile, made amx 5-12 % slower (256^3, 384 x 1024^2, 1024^3; paired runs in one
// process) and avx512vnni no faster. An overlapped kernel (below), which writes the tile during
// the next tile's kernel, has them prefetched for every output type.
//
// into_l2: the lines are asked for into L2 only (prefetcht1), for an overlapped kernel of at
// least kCIntoL2MinKUnits K groups. There the tile is written one whole kernel later, and a burst
// of 32-64 requests into L1 held the fill buffers that the kernel's tile loads wait for: amx,
// calls alternating in one process, A and C rotated, medians of the pairs, L2 / L1 time: int8
// 1024^3 0.97, 2048^3 0.96, 384 x 1024^2 0.97, 1024 x 1024 x 512 0.95; int32 1024^3 0.97,
// 1024 x 1024 x 512 0.97; the dynamic call (float out) at 384 x 1024^2 0.99. With 4 and 6 groups
// the tile is written soon after, and its stores then wait for L2: int32 384 x 1024 x 256 1.38,
// 384 x 1024 x 384 1.33, 256^3 1.08 of the time.
constexpr std::size_t kCIntoL2MinKUnits = 8;
// Below this K a tile's kernel is too short for its C lines to arrive before the epilogue
// writes them, and asking costs more than it saves: avx2 int32, the same binary with and
// without the prefetches alternating, medians of 5 (with / without time): 16^3 1.13, 32^3
// 0.94, 64^3 0.94, 256^3 0.99, 127 x 255 x 333 0.97, 1000^3 0.99, larger shapes 0.99-1.03
// (measured on avx2 only; the other paths' kernels are as short below K = 32).
constexpr std::int64_t kCPrefetchMinK = 32;
PrefetchRows c_tile_lines(const OutDesc& out, std::int64_t i, std::int64_t j, std::int64_t rows,
                          std::int64_t cols, bool into_l2 = false) {
  const std::uintptr_t elem = out_elem_size(out);
  return {reinterpret_cast<std::uintptr_t>(out.data) +
              static_cast<std::uintptr_t>(i * out.ld + j) * elem,
          static_cast<std::uintptr_t>(out.ld) * elem, static_cast<std::uintptr_t>(cols) * elem,
          static_cast<int>(rows), into_l2};
}

// KC block kb of one column of B against an MC block of packed A (every KC block of its rows,
// a_block_bytes apart): the block's K groups, its last one zero-padded, and the panels its MR row
// panels start from.
struct KcSlice {
  std::int64_t kc_pad;        // the block's depth, a whole number of K groups
  std::size_t k_units;        // kc_pad / k_unit
  std::size_t a_panel_bytes;  // one MR panel of packed A over the block
  const char* a_panel;        // the block's first MR panel (advanced by the loops)
  const char* b_panel;        // the column's kc_pad x NR slice from row k0 of B
  bool last;                  // the last KC block
};
KcSlice kc_slice(const Call& call, std::int64_t kb, const char* packed_a, std::size_t a_block_bytes,
                 const char* b_column) {
  const PathConfig& cfg = call.cfg;
  const std::int64_t k = call.b.k, k0 = kb * call.kc;
  const std::int64_t k_unit = cfg.k_unit;
  const std::int64_t kc_pad = round_up(std::min(call.kc, k - k0), k_unit);
  // KC is a multiple of the K unit, so k0 starts a whole group of the B panel.
  return {kc_pad,
          static_cast<std::size_t>(ceil_div(kc_pad, k_unit)),
          static_cast<std::size_t>(call.kernel.mr() * kc_pad) * packed_elem_size(cfg.a_elem),
          packed_a + static_cast<std::size_t>(kb) * a_block_bytes,
          b_column + static_cast<std::size_t>(k0 * cfg.nr) * packed_elem_size(cfg.b_elem),
          k0 + call.kc >= k};
}

// One column of NR valid columns of an MC x NC block whose kernel sums are C's values (int32
// output with no zero-point terms and no bias: Call::raw_int32), from column `col` of C, where
// the last KC block's kernels are long enough to hide their C lines (prefetch_c in run_block):
// each whole tile is written by its kernels straight into C, the first KC block's storing and
// the others' adding to it; a partial last row panel is added up in the buffer and goes through
// the epilogue. Through the buffer (or the column of tiles kept across KC blocks) the epilogue
// copied a batch of rows into C in one burst of stores, a line of C a row, each to be fetched
// into L1 first, and the stores stalled: avx2 on the Zen 2, the copy of a 256^3 call's C took
// 12.5 us of its 348 with C in L2, and the call ran in 336 without writing C at all. The
// kernels' 2 x MR stores drain while the next tile's kernel runs. (Where the epilogue has terms
// to add, running it on C in place after the kernels, a batch of rows or a tile at a time, was
// 1.00-1.05 of the buffer's time: 64^3, 256^3, 127 x 255 x 333 with A's zero point 3.)
void column_in_c(const Call& call, const EpilogueArgs& args, const char* packed_a,
                 std::size_t a_block_bytes, const char* b_column, std::int32_t* local_tile,
                 std::int64_t m0, std::int64_t mc, std::int64_t col) {
  const PathConfig& cfg = call.cfg;
  const OutDesc& out = *args.out;
  const std::int64_t mr = call.kernel.mr(), nr = cfg.nr;
  auto* const c_column = static_cast<std::int32_t*>(out.data) + m0 * out.ld + col;
  const std::int64_t k_blocks = k_block_count(call.b.k, call.kc);
  for (std::int64_t kb = 0; kb < k_blocks; ++kb) {
    auto [kc_pad, k_units, a_panel_bytes, a_panel, b_panel, last] =
        kc_slice(call, kb, packed_a, a_block_bytes, b_column);
    for (std::int64_t i0 = 0; i0 < mc; i0 += mr, a_panel += a_panel_bytes) {
      const UkernelFn kernel = i0 == 0 ? call.first_panel_ukernel : call.ukernel;
      const std::int64_t rows = std::min(mr, mc - i0);
      if (last) c_tile_lines(out, m0 + i0, col, rows, nr).all();
      if (rows < mr) {
        kernel(k_units, a_panel, b_panel, local_tile, static_cast<std::size_t>(nr), kb > 0);
        if (last) {
          cfg.epilogue->run(args, local_tile, static_cast<int>(nr), static_cast<int>(rows),
                            static_cast<int>(nr), m0 + i0, col);
        }
        break;
      }
      kernel(k_units, a_panel, b_panel, c_column + i0 * out.ld, static_cast<std::size_t>(out.ld),
             kb > 0);
    }
  }
}

// What run_direct_block needs of a call (Call, or run_blocked before it builds one).
struct DirectCall {
  const PathConfig& cfg;
  DirectUkernelFn direct;
  std::int64_t mr;
  std::int64_t epilogue_rows;  // epilogue_batch_rows of the kernel
  const ADesc& a;
  const PackedBView& b;
  const EpilogueArgs& args;
};

// One MC x NC block of C whose A is read where it lies (Call::direct, the small calls' form):
// one KC block and no row terms (direct_a_pays), so none of run_block's packing, KC blocks,
// overlapped or prefetching kernels. Each NR column's tiles go from the direct kernel into
// `tile` (epilogue_rows x NR) and through the epilogue a batch of rows at a time. A call of one
// such block comes here from run_blocked before the rest of its set-up: in a 16^3 call
// (avx512vnni on a Zen 5, perf) run_blocked and run_block took a quarter of the time, the
// multiply-adds a fifth. (Inlined: as a function of its own, 16^3 took 1.05 of the time.)
//
// Neither of run_block's ways with C for 4-byte outputs paid here for int32 (float32 out not
// measured): raw sums written by the kernels straight into C (column_in_c) took 1.2 the time at
// 32^3, and asking for the tile's C lines before its kernel (c_tile_lines) 1.16 at 32^3, 1.11 at
// 64^3 and 1.08 at 128^3 (avx512vnni on a Zen 5, binaries alternating, pinned, 9 rounds,
// medians).
[[gnu::always_inline]] inline void run_direct_block(const DirectCall& call, std::int64_t m0,
                                                    std::int64_t mc, std::int64_t n0,
                                                    std::int64_t nc, std::int32_t* tile) {
  const std::int64_t mr = call.mr, nr = call.cfg.nr;
  const auto k = static_cast<std::size_t>(call.a.cols);
  const auto lda = static_cast<std::size_t>(call.a.ld);
  const auto* const a = static_cast<const std::uint8_t*>(call.a.data) + m0 * call.a.ld;
  // (n0 is a whole number of panels; no division for the first block.)
  const char* b_column = static_cast<const char*>(call.b.panels) +
                         static_cast<std::size_t>(n0 == 0 ? 0 : n0 / nr) * call.b.panel_bytes;
  for (std::int64_t j0 = 0; j0 < nc; j0 += nr, b_column += call.b.panel_bytes) {
    const int n_valid = static_cast<int>(std::min(nr, nc - j0));
    std::int64_t batch0 = 0;
    for (std::int64_t i0 = 0; i0 < mc; i0 += mr) {
      const int rows = static_cast<int>(std::min(mr, mc - i0));
      // The first column reads A from L3 or memory, its rows in parallel a line of each at a
      // time, which the hardware prefetchers pick up late where a row spans several lines: ask
      // for the rows kPackAheadRows on, as the packers do. Binaries alternating, pinned, 7
      // rounds, medians, new / old time, A and C rotated through 32-72 MiB: 96^3 0.95, 128^3 0.92,
      // 192^3 0.91, 256^3 0.90; through 8 copies (in L2) 1.03, 1.02, 1.02, 1.00 (avx512vnni,
      // Zen 5). Rows of one line are one stream the prefetchers follow: 64^3 gained nothing and
      // lost 3 % in L2.
      if (j0 == 0 && k > 64 && i0 + kPackAheadRows < mc) {
        const std::int64_t ahead = i0 + kPackAheadRows;
        const std::int64_t last = std::min(ahead + mr, mc);
        for (std::int64_t r = ahead; r < last; ++r) {
          const auto row = reinterpret_cast<std::uintptr_t>(a + r * call.a.ld);
          prefetch_lines<0>(row, row + k);
        }
      }
      call.direct(k, a + i0 * call.a.ld, lda, rows, n_valid, b_column, tile + (i0 - batch0) * nr,
                  static_cast<std::size_t>(nr));
      const std::int64_t batched = i0 + rows - batch0;
      if (batched >= call.epilogue_rows || i0 + rows == mc) {
        call.cfg.epilogue->run(call.args, tile, static_cast<int>(nr), static_cast<int>(batched),
                               n_valid, m0 + batch0, n0 + j0);
        batch0 = i0 + rows;
      }
    }
  }
}

// One MC x NC block of C over all of K, BLIS's loops NC -> MC -> KC -> NR -> MR: the MC rows of
// A are packed once (every KC block of them, row sums in the same pass), then each NR panel of
// B meets every MR panel of A. With one KC block (K <= KC) the tiles go through the epilogue
// a few at a time while they are hot (epilogue_batch_rows); with several, the NR panel's column of
// MC x NR tiles adds up the KC blocks (the KC x NR slice of B stays in L1 across the MR panels)
// before its epilogue, so the int32 tiles kept between blocks are one column, never the whole MC x
// NC block. Raw int32 sums skip both and add up in C (column_in_c). A block whose A is read
// unpacked goes to run_direct_block.
void run_block(const Call& call, std::int64_t m0, std::int64_t mc, std::int64_t n0, std::int64_t nc,
               TaskScratch& scratch) {
  if (call.direct != nullptr) {
    run_direct_block(DirectCall{call.cfg, call.direct, call.kernel.mr(), call.epilogue_rows, call.a,
                                call.b, call.args},
                     m0, mc, n0, nc, static_cast<std::int32_t*>(scratch.tile.data()));
    return;
  }
  const PathConfig& cfg = call.cfg;
  const std::int64_t k = call.b.k;
  const std::int64_t mr = call.kernel.mr(), nr = cfg.nr, k_unit = cfg.k_unit;
  const std::int64_t kc_max = call.kc;
  const std::int64_t k_blocks = k_block_count(k, kc_max);
  const std::size_t a_elem = packed_elem_size(cfg.a_elem);
  const std::size_t b_elem = packed_elem_size(cfg.b_elem);
  const std::int64_t mc_pad = static_cast<std::int64_t>(round_up(mc, mr));
  const std::size_t a_block_bytes =
      static_cast<std::size_t>(mc_pad *
                               static_cast<std::int64_t>(round_up(std::min(k, kc_max), k_unit))) *
      a_elem;

  const bool float_a = call.a.type == AType::f32;
  // (scratch is reserved for the call's largest block: reserve_block_scratch.)
  char* packed_a = static_cast<char*>(scratch.packed_a.data());
  std::int32_t* column = static_cast<std::int32_t*>(scratch.accumulators.data());
  std::int32_t* local_tile = static_cast<std::int32_t*>(scratch.tile.data());
  EpilogueArgs args = call.args;
  std::int32_t* row_terms = nullptr;
  if (call.need_row_sums) {
    row_terms = static_cast<std::int32_t*>(scratch.row_terms.data());
    std::fill(row_terms, row_terms + mc, 0);
    args.row_terms = row_terms;
    args.row_terms_row0 = m0;
  }
  if (float_a) {
    // Quantized on the way; the rows' zero points and scales are this block's. (Only one N
    // block meets these rows, which it reports: with several, A was quantized before them,
    // quantize_once_then_run.)
    auto* zero_points = static_cast<std::int32_t*>(scratch.row_zero_points.data());
    auto* scales = static_cast<float*>(scratch.row_scales.data());
    pack_a_dynamic(cfg, static_cast<int>(mr), call.a, m0, mc, kc_max, a_block_bytes, packed_a,
                   scratch.quantized_rows.data(), zero_points, scales, call.a.dynamic->params_out,
                   row_terms);
    if (call.a.dynamic->tensor == nullptr) {
      args.a_zero_points = zero_points;
      args.a_zero_points_row0 = m0;
    }
    args.a_scales = scales;
    args.a_scales_row0 = m0;
  } else {
    for (std::int64_t kb = 0; kb < k_blocks; ++kb) {
      const std::int64_t k0 = kb * kc_max;
      pack_a(cfg, static_cast<int>(mr), call.a, m0, mc, k0, std::min(kc_max, k - k0),
             packed_a + static_cast<std::size_t>(kb) * a_block_bytes, row_terms);
    }
  }
  if (row_terms != nullptr) {
    for (std::int64_t r = 0; r < mc; ++r) {
      const std::int32_t zai =
          args.a_zero_points ? args.a_zero_points[m0 + r - args.a_zero_points_row0] : call.za;
      row_terms[r] = wrap_sub(row_terms[r], wrap_mul(static_cast<std::int32_t>(k), zai));
    }
  }

  // The overlapped kernel, where the path has one for this epilogue and the last KC block has
  // enough K groups to hide a tile's rows among them: each tile is then written during the next
  // tile's kernel, and waits in one of two buffers (one KC block) or in its column (several).
  // The last tile of the block (one KC block) or of each column (several, where the next kernel
  // is the next column's first KC block) is written here. The order of the tiles' epilogues
  // changes, never their arithmetic.
  const UkernelEntry& entry = *call.kernel.ukernel;
  const std::int64_t last_kc = k - (k_blocks - 1) * kc_max;
  const bool prefetch_c = out_elem_size(*call.args.out) == 4 && last_kc >= kCPrefetchMinK;
  const std::size_t overlap_min_k_units =
      call.overlapped != nullptr && entry.overlap_min_k_units != nullptr
          ? entry.overlap_min_k_units(args)
          : 0;
  const OverlappedUkernelFn overlapped =
      overlap_min_k_units > 0 &&
              ceil_div(last_kc, k_unit) >= static_cast<std::int64_t>(overlap_min_k_units)
          ? call.overlapped
          : nullptr;
  PendingEpilogue pending{};
  bool has_pending = false;
  auto write_pending = [&] {
    if (has_pending) {
      cfg.epilogue->run(*pending.args, pending.tile, pending.tile_ld, pending.m, pending.n,
                        pending.row0, pending.col0);
      has_pending = false;
    }
  };
  std::int64_t buffer = 0;
  const std::int64_t batch_rows = call.epilogue_rows;

  // Whole tiles of raw int32 sums straight into C (column_in_c). Not for the overlapped kernels
  // (nor their form that prefetches the next B slice), which write their tiles at NR a row.
  const bool direct_c =
      call.raw_int32 && prefetch_c && overlapped == nullptr && !call.prefetch_next_b;

  const char* b_column = static_cast<const char*>(call.b.panels) +
                         static_cast<std::size_t>(ceil_div(n0, nr)) * call.b.panel_bytes;
  for (std::int64_t j0 = 0; j0 < nc; j0 += nr, b_column += call.b.panel_bytes) {
    const int n_valid = static_cast<int>(std::min(nr, nc - j0));
    if (direct_c && n_valid == nr) {
      column_in_c(call, args, packed_a, a_block_bytes, b_column, local_tile, m0, mc, n0 + j0);
      continue;
    }
    for (std::int64_t kb = 0; kb < k_blocks; ++kb) {
      auto [kc_pad, k_units, a_panel_bytes, a_panel, b_panel, last] =
          kc_slice(call, kb, packed_a, a_block_bytes, b_column);
      std::int64_t batch0 = 0;  // the first row of the epilogue's batch (one KC block)
      // The B slice after this one (the next KC block's or the next column's: the packed B has
      // them in that order) is asked for while this one's row panels run, a share per panel
      // spread over its K groups (call.prefetch_next_b; none of these divisions otherwise,
      // which a small call would pay for every tile).
      PrefetchSpread next_b;
      std::size_t share_bytes = 0;
      if (call.prefetch_next_b) {
        const std::size_t slice_bytes = static_cast<std::size_t>(kc_pad * nr) * b_elem;
        const std::size_t share_lines = ceil_div(ceil_div(slice_bytes, std::size_t{64}),
                                                 static_cast<std::size_t>(ceil_div(mc, mr)));
        next_b.begin = reinterpret_cast<std::uintptr_t>(b_panel) + slice_bytes;
        next_b.lines_per_unit = ceil_div(share_lines, k_units);
        share_bytes = share_lines * 64;
      }
      for (std::int64_t i0 = 0; i0 < mc;
           i0 += mr, a_panel += a_panel_bytes, next_b.begin += share_bytes) {
        const int rows = static_cast<int>(std::min(mr, mc - i0));
        if (overlapped != nullptr && last) {
          std::int32_t* tile = k_blocks > 1 ? column + i0 * nr : local_tile + buffer * mr * nr;
          // A tile of 4-byte outputs has 64 lines of C (32 x 32), which the overlapped kernel of
          // at least kCIntoL2MinKUnits groups asks for spread over its K groups: in one burst
          // before it, the requests past the core's fill buffers stalled the core (perf: a tenth
          // of an int32 384 x 1024^2 call at the burst). Calls alternating in one process, A and
          // C rotated, medians of the pairs, spread / burst time: int32 384 x 1024^2 0.98,
          // 1024^3 0.98, 1000^3 0.99; the dynamic call (float out) 384 x 1024^2 0.98, 128 x
          // 4096^2 0.99. With fewer groups the tile is written soon after and the burst was
          // faster (int32 256^3 and 384 x 1024 x 256 1.03-1.08 in minima), as it was for byte
          // outputs, with half the lines (int8 1024^3 0.97-1.00, 1000^3 1.00, fp32 scales
          // 384 x 1024^2 1.00-1.04).
          PrefetchSpread spread = next_b;
          const bool into_l2 = k_units >= kCIntoL2MinKUnits;
          const PrefetchRows c_lines =
              c_tile_lines(*args.out, m0 + i0, n0 + j0, rows, n_valid, into_l2);
          if (prefetch_c && into_l2) {
            spread.c_tile = c_lines;
          } else {
            c_lines.all();
          }
          overlapped(k_units, a_panel, b_panel, tile, kb > 0, has_pending ? &pending : nullptr,
                     spread);
          pending =
              PendingEpilogue{&args, tile, static_cast<int>(nr), rows, n_valid, m0 + i0, n0 + j0};
          has_pending = true;
          buffer ^= 1;
          continue;
        }
        if (prefetch_c && last) c_tile_lines(*args.out, m0 + i0, n0 + j0, rows, n_valid).all();
        std::int32_t* tile = k_blocks > 1 ? column + i0 * nr : local_tile + (i0 - batch0) * nr;
        if (call.prefetch_next_b) {
          call.overlapped(k_units, a_panel, b_panel, tile, kb > 0, nullptr, next_b);
        } else {
          (i0 == 0 ? call.first_panel_ukernel : call.ukernel)(k_units, a_panel, b_panel, tile,
                                                              static_cast<std::size_t>(nr), kb > 0);
        }
        const std::int64_t batched = i0 + rows - batch0;
        if (k_blocks == 1 && (batched >= batch_rows || i0 + rows == mc)) {
          cfg.epilogue->run(args, local_tile, static_cast<int>(nr), static_cast<int>(batched),
                            n_valid, m0 + batch0, n0 + j0);
          batch0 = i0 + rows;
        }
      }
    }
    if (overlapped != nullptr) {
      if (k_blocks > 1) write_pending();
    } else if (k_blocks > 1) {
      cfg.epilogue->run(args, column, static_cast<int>(nr), static_cast<int>(mc), n_valid, m0,
                        n0 + j0);
    }
  }
  write_pending();
}

// `size` cut into `count` blocks of whole `unit`s (the last unit may be partial) that differ by
// at most one unit, the longer ones first: block i begins at begin(i). Blocks of the largest
// size and a remainder left two threads a short last task: 256^3 on avx2 was 7 tasks of 36
// rows and one of 4, one thread's share 144 rows against an even 128.
struct EvenBlocks {
  std::int64_t size, unit, count, base_units, extra;  // the first `extra` have base_units + 1
  EvenBlocks(std::int64_t size_, std::int64_t count_, std::int64_t unit_)
      : size(size_), unit(unit_), count(count_) {
    // One block, the small calls' case, without a division: `size` units are at least the
    // whole, and begin(1) clamps to it.
    if (count == 1) {
      base_units = size;
      extra = 0;
    } else {
      const std::int64_t units = ceil_div(size, unit);
      base_units = units / count;
      extra = units % count;
    }
  }
  std::int64_t begin(std::int64_t i) const {
    return std::min(size, (i * base_units + std::min(i, extra)) * unit);
  }
  std::int64_t length(std::int64_t i) const { return begin(i + 1) - begin(i); }
};

// The path's per-thread set-up for the duration of one task (e.g. AMX tile configuration),
// undone even when the task throws.
class ThreadHooks {
 public:
  explicit ThreadHooks(const PathConfig& cfg) : teardown_(cfg.thread_teardown) {
    if (cfg.thread_init != nullptr) cfg.thread_init();
  }
  ~ThreadHooks() {
    if (teardown_ != nullptr) teardown_();
  }
  ThreadHooks(const ThreadHooks&) = delete;
  ThreadHooks& operator=(const ThreadHooks&) = delete;

 private:
  void (*teardown_)();
};

// Hands each running task a scratch slot of its own (the context keeps one per thread, reserved
// before the tasks start); a caller's parallel_for that runs more tasks at once than it
// announced gets a temporary one, reserved by `reserve`, for the extra tasks instead of a
// shared one.
template <typename R, typename F>
void with_scratch(ContextState& st, R&& reserve, F&& f) {
  for (std::size_t i = 0; i < st.task_scratch.size(); ++i) {
    bool expected = false;
    if (st.task_scratch_busy[i].compare_exchange_strong(expected, true,
                                                        std::memory_order_acq_rel)) {
      // Released even when f throws, or the slot would stay taken for the Context's lifetime.
      struct Release {
        std::atomic<bool>& busy;
        ~Release() { busy.store(false, std::memory_order_release); }
      } release{st.task_scratch_busy[i]};
      f(st.task_scratch[i]);
      return;
    }
  }
  TaskScratch temporary;
  reserve(temporary);
  f(temporary);
}

// Float A that more than one N block meets would be ranged and quantized by each of them (and
// packed by each, as integer A is): it is quantized once instead, all rows before any block (the
// rows shared out among the threads), into an integer copy of A that the context keeps (M x K
// bytes), and the call goes on as an integer one with the rows' zero points and scales, whose
// arithmetic is the same (math.md section 4). avx2 on the Zen 2, fused call, binaries
// alternating, 5 rounds, medians, new / old time: 128 x 4096^2 0.98, 16 x 4096^2 0.97-0.98 (now
// the two-pass way's time, 1.00 of it at both).
[[gnu::noinline]] void quantize_once_then_run(ContextState& st, const PathConfig& path,
                                              const PathConfig& cfg, const ADesc& a,
                                              const PackedBView& b, const OutDesc& out) {
  const DynamicA& dyn = *a.dynamic;
  const std::int64_t m = a.rows, k = a.cols;
  auto* const quantized = st.quantized_a.as<std::uint8_t>(static_cast<std::size_t>(m * k));
  auto* const zero_points =
      st.quantized_a_zero_points.as<std::int32_t>(static_cast<std::size_t>(m));
  auto* const scales = st.quantized_a_scales.as<float>(static_cast<std::size_t>(m));
  const EvenBlocks rows(m, std::min<std::int64_t>(st.threads, m), 1);
  auto quantize_part = [&](std::size_t t) {
    const std::int64_t row0 = rows.begin(static_cast<std::int64_t>(t));
    quantize_a_rows(cfg, a, row0, rows.length(static_cast<std::int64_t>(t)), quantized + row0 * k,
                    zero_points + row0, scales + row0);
  };
  const auto* task = &quantize_part;  // (a pointer: no allocation in the std::function)
  st.parallel(static_cast<std::size_t>(rows.count), [task](std::size_t t) { (*task)(t); });
  ADesc integer_a{quantized, dyn.quantized, m, k, k, ZeroPoints(0)};
  OutDesc integer_out = out;
  if (dyn.tensor != nullptr) {
    integer_a.zero_point = ZeroPoints(dyn.tensor->zero_point);
  } else {
    integer_a.zero_point = ZeroPoints::channel(zero_points);
    integer_out.a_scales = scales;
  }
  run_blocked(st, path, integer_a, b, integer_out);
}

}  // namespace

void run_blocked(ContextState& st, const PathConfig& path, const ADesc& a, const PackedBView& b,
                 const OutDesc& out, const PreparedCall* prepared) {
  const std::int64_t m = a.rows, n = b.n;
  if (m == 0 || n == 0) return;
  // The path's own kernels, or those it hands this call to (reading the same packed B).
  const bool delegated = path.delegate_when != nullptr && path.delegate_when(m, n, b.k);
  const PathConfig& cfg = delegated ? *find_path_config(path.delegate) : path;
  // The blocking (compute_blocking), and for small M (GEMV-like) a shorter micro-kernel, so that
  // no padding rows are multiplied and each B panel is streamed once (kernel_for_rows).
  BlockingCache& last = prepared != nullptr ? *prepared->blocking : st.last_blocking;
  const Blocking forced = blocking_override();
  if (last.path != &cfg || last.m != m || last.n != n || last.k != b.k ||
      last.forced.mc != forced.mc || last.forced.nc != forced.nc || last.forced.kc != forced.kc) {
    const KernelChoice chosen = kernel_for_rows(cfg, m);
    last.blocking = compute_blocking(cfg, m, n, b.k, cache_sizes(), true);
    last.epilogue_rows = epilogue_batch_rows(chosen.mr(), cfg.nr);
    last.ukernel = chosen.ukernel;
    last.path = &cfg;
    last.m = m;
    last.n = n;
    last.k = b.k;
    last.forced = forced;
  }
  const KernelChoice kernel{&cfg, last.ukernel};
  const Blocking blk = last.blocking;
  const std::int64_t epilogue_rows = last.epilogue_rows;
  // Float A is quantized to s8 or u8 on the way, with one zero point per row or per tensor.
  const AType packed_type = a.type == AType::f32 ? a.dynamic->quantized : a.type;
  const int offset = a_offset(cfg, packed_type);
  const bool za_per_row =
      a.type == AType::f32 ? a.dynamic->tensor == nullptr : a.zero_point.per_channel != nullptr;
  const std::int32_t za = (a.type == AType::f32 ? (za_per_row ? 0 : a.dynamic->tensor->zero_point)
                                                : a.zero_point.value) +
                          offset;
  const bool add_bias = out.kind != OutKind::float32 && out.bias != nullptr;

  // The per-column terms: a PreparedGemm's (made for the path and its delegate; validate_prepared
  // has checked that the context runs that path, so find() does not fail), or by the path's own
  // code into the scratch.
  const ColumnSet* prepared_set = prepared != nullptr ? prepared->find(cfg) : nullptr;
  const ColumnSet columns =
      prepared_set != nullptr
          ? *prepared_set
          : column_set(cfg, b, out, za_per_row ? 0 : za,
                       st.col_terms.as<std::int32_t>(static_cast<std::size_t>(n)),
                       splits_multipliers(out)
                           ? st.multipliers.as<std::int32_t>(3 * static_cast<std::size_t>(n))
                           : nullptr);
  std::int32_t* a_zero_points = nullptr;
  if (za_per_row && a.type != AType::f32) {
    a_zero_points = st.a_zero_points.as<std::int32_t>(static_cast<std::size_t>(m));
    for (std::int64_t i = 0; i < m; ++i) a_zero_points[i] = a.zero_point.per_channel[i] + offset;
  }
  // (Every field given: `args{}` then assignments compiled to a `rep stos`, 2 % of a 16^3 call's
  // samples.)
  const EpilogueArgs args{/*out=*/&out,
                          /*col_terms=*/columns.col_terms,
                          /*col_sums=*/b.col_sums,
                          /*a_zero_points=*/a_zero_points,
                          /*a_zero_points_row0=*/0,
                          /*a_scales=*/out.a_scales,
                          /*a_scales_row0=*/0,
                          /*row_terms=*/nullptr,
                          /*row_terms_row0=*/0,
                          /*b_zero_points=*/b.zero_point.per_channel,
                          /*b_zero_point=*/b.zero_point.value,
                          /*m0s=*/columns.m0s,
                          /*left_shifts=*/columns.m0s ? columns.m0s + n : nullptr,
                          /*right_shifts=*/columns.m0s ? columns.m0s + 2 * n : nullptr,
                          /*any_left_shift=*/columns.any_left_shift,
                          /*every_right_shift=*/columns.every_right_shift};
  // Tasks are MC x NC blocks. With several threads and too few blocks, M is cut finer first
  // (in whole MR panels, at least 4 of them, so that A is packed once per block), then N (in
  // whole NR panels; GEMV-like calls split over N only), for one to four tasks per thread (four
  // from 4 x threads x kMinTaskMacs multiply-adds) where each gets at least kMinTaskMacs; in a
  // smaller call, up to one per thread where each gets kMinSplitMacs; else none (one thread).
  // The blocks of a dimension differ by at most one panel, and where there are more tasks than
  // threads their count is made a multiple of the threads where the panels allow (which may cut
  // blocks below 4 panels), so that the threads, claiming equal tasks, end together
  // (EvenBlocks). K is never split, so every element of C is computed by the same instructions
  // at any thread count.
  //
  // kMinSplitMacs: avx2 on the Zen 2, two threads, binaries with and without it alternating, 5
  // rounds, medians, new / old time: 64^3 0.64, 1 x 1024^2 0.53-0.56, 16^3 and 32^3 (one thread
  // either way) 0.98-1.02, 127 x 255 x 333 and 256^3 0.99-1.01. As the only threshold, 128 K
  // made 127 x 255 x 333 1.04 of the time (10 tasks, A packed once per N block; this keeps 4).
  constexpr std::int64_t kMinTaskMacs = std::int64_t{1} << 21;
  constexpr std::int64_t kMinSplitMacs = std::int64_t{1} << 17;
  const std::int64_t mr = kernel.mr(), nr = cfg.nr;
  const std::int64_t macs = m * n * std::max<std::int64_t>(b.k, 1);
  // (No division where one block covers the dimension: a 64-bit division costs a small call
  // about 10 ns.)
  auto blocks = [](std::int64_t size, std::int64_t block) {
    return size <= block ? 1 : ceil_div(size, block);
  };
  std::int64_t m_blocks = blocks(m, blk.mc), n_blocks = blocks(n, blk.nc);
  const std::int64_t threads = st.threads;
  std::int64_t want = 0;
  if (threads > 1) {
    want = std::min(4 * threads, macs / kMinTaskMacs) / threads * threads;
    if (want == 0) want = std::min(threads, macs / kMinSplitMacs);
  }
  if (want > 1) {
    const std::int64_t m_panels = ceil_div(m, mr), n_panels = ceil_div(n, nr);
    if (m_blocks * n_blocks < want) {
      m_blocks = std::max(m_blocks, std::min(want, std::max<std::int64_t>(1, m_panels / 4)));
      n_blocks = std::max(n_blocks, std::min(ceil_div(want, m_blocks), n_panels));
    }
    // The first count from `blocks` on (at most `panels`) that makes `other` x count tasks a
    // multiple of the threads, or 0.
    auto even = [threads](std::int64_t blocks, std::int64_t panels, std::int64_t other) {
      for (std::int64_t c = blocks; c <= std::min(panels, blocks + threads); ++c) {
        if (c * other % threads == 0) return c;
      }
      return std::int64_t{0};
    };
    // (With no more tasks than threads each thread runs one at most: nothing to even out.)
    if (m_blocks * n_blocks > threads) {
      if (const std::int64_t c = even(m_blocks, m_panels, n_blocks); c > 0) {
        m_blocks = c;
      } else if (const std::int64_t d = even(n_blocks, n_panels, m_blocks); d > 0) {
        n_blocks = d;
      }
    }
  }
  // Float A met by several N blocks: quantized once (quantize_once_then_run). The set-up above,
  // a few loops over N, is done again by the integer call, little beside a call of several N
  // blocks; the check stays here, where it leaves the small calls' code as it was.
  if (a.type == AType::f32 && n_blocks > 1) {
    quantize_once_then_run(st, path, cfg, a, b, out);
    return;
  }
  // B is read again by every call. Where it takes more than twice the L2, little of it is still
  // there from the last call, and each column's B panel streams in from L3 or memory to the
  // kernel of its first row panel (the others find it in L1 or L2), so that kernel prefetches B
  // ahead of its loads (ukernel_broadcast.hpp: 4 MiB of B with a 2 MiB L2 still ran 2 % faster
  // without, 8 MiB 4 % slower). With several threads each core reads only its columns' panels;
  // the bound stays the whole B's, which is where the measured shapes' gains were.
  //
  // A kernel with an overlapped form (amx) asks instead, during each KC x NR slice of B, for the
  // slice after it, a share in each row panel's kernel: the first row panel of the next slice
  // then finds it in L2. From B of more than the L2 on it pays (binaries alternating, A and C
  // rotated through memory, medians and minima of the pairs, new / old time: 128 x 4096^2
  // 0.77-0.91, 256 x 4096^2 0.75-0.94, 2048^3 0.85-0.95, 384 x 4096 x 1024 0.95-0.98); where B
  // fits it only costs (for every B: 256^3, 127 x 255 x 333, 64^3 1.06-1.09 of the time).
  const UkernelFn prefetching = kernel.prefetching_fn(packed_type);
  const OverlappedUkernelFn overlapped = kernel.overlapped_fn(packed_type);
  const std::size_t l2 = cache_sizes().l2;
  const bool b_beyond_l2 = prefetching != nullptr && b.bytes > 2 * l2;
  const bool need_row_sums = any_nonzero(b.zero_point, n);
  const DirectUkernelFn direct =
      direct_a_pays(cfg, a, b, blk, need_row_sums, b_beyond_l2, overlapped)
          ? kernel.direct_fn(packed_type)
          : nullptr;
  if (direct != nullptr && m_blocks * n_blocks == 1) {
    // One block read directly: the scratch it needs is the epilogue's buffer (run_direct_block).
    st.reserve_task_scratch();
    std::int32_t* tile =
        st.task_scratch[0].tile.as<std::int32_t>(static_cast<std::size_t>(epilogue_rows * nr));
    const ThreadHooks hooks(cfg);
    run_direct_block(DirectCall{cfg, direct, mr, epilogue_rows, a, b, args}, 0, m, 0, n, tile);
    return;
  }
  const Call call{
      cfg,
      kernel,
      kernel.fn(packed_type),
      b_beyond_l2 ? prefetching : kernel.fn(packed_type),
      overlapped != nullptr && b.bytes > l2,
      overlapped,
      direct,
      a,
      b,
      blk.kc,
      epilogue_rows,
      args,
      need_row_sums,
      za,
      out.kind == OutKind::int32 && !za_per_row && za == 0 && !add_bias && !need_row_sums};
  const EvenBlocks m_split(m, m_blocks, mr), n_split(n, n_blocks, nr);
  const std::int64_t mc_reserved = m_split.length(0);
  auto reserve = [&](TaskScratch& scratch) {
    reserve_block_scratch(kernel, mc_reserved, b.k, blk.kc, epilogue_rows, call.need_row_sums,
                          a.type == AType::f32, scratch);
  };
  st.reserve_task_scratch();
  for (TaskScratch& scratch : st.task_scratch) reserve(scratch);
  const std::int64_t tasks = m_blocks * n_blocks;
  if (tasks == 1 || threads == 1) {
    // All on the caller's thread, which holds the Context (ContextUse): the first slot is its
    // own, and the thread set-up is done once. The blocks are visited in the tasks' order
    // without dividing task numbers (a 64-bit division in every small call).
    const ThreadHooks hooks(cfg);
    TaskScratch& own = st.task_scratch[0];
    if (tasks == 1) {
      // (What the loops below do for one block, without their begin/length arithmetic: about
      // 50 instructions of a 16^3 avx2 call, callgrind.)
      run_block(call, 0, m, 0, n, own);
    } else {
      for (std::int64_t j = 0; j < n_blocks; ++j) {
        for (std::int64_t i = 0; i < m_blocks; ++i) {
          run_block(call, m_split.begin(i), m_split.length(i), n_split.begin(j), n_split.length(j),
                    own);
        }
      }
    }
  } else {
    auto run_task = [&call, &m_split, &n_split](std::size_t t, TaskScratch& scratch) {
      const std::int64_t i = static_cast<std::int64_t>(t) % m_split.count;
      const std::int64_t j = static_cast<std::int64_t>(t) / m_split.count;
      run_block(call, m_split.begin(i), m_split.length(i), n_split.begin(j), n_split.length(j),
                scratch);
    };
    auto run_parallel_task = [&st, &reserve, &run_task, &cfg](std::size_t t) {
      with_scratch(st, reserve, [&](TaskScratch& scratch) {
        const ThreadHooks hooks(cfg);
        run_task(t, scratch);
      });
    };
    // The std::function holds only a pointer, which fits its small-object buffer: no
    // allocation per call.
    const auto* task = &run_parallel_task;
    st.parallel(static_cast<std::size_t>(tasks), [task](std::size_t t) { (*task)(t); });
  }
}

}  // namespace i8gemm::detail
