// What a Context holds: the chosen path, its threads and the scratch its calls reuse.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "framework/aligned_buffer.hpp"
#include "framework/blocking.hpp"
#include "framework/thread_pool.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

// Scratch of one task running at a time: a block of packed A, its row terms, the micro-kernel's
// int32 tile, the tiles kept across KC blocks when K > KC, and what float A needs.
struct TaskScratch {
  AlignedBuffer packed_a;
  AlignedBuffer row_terms;
  AlignedBuffer tile;
  AlignedBuffer accumulators;
  // Float A (dynamic quantization): MR quantized rows, and the block's rows' zero points and
  // scales.
  AlignedBuffer quantized_rows;
  AlignedBuffer row_zero_points;
  AlignedBuffer row_scales;
};

struct PathConfig;
struct UkernelEntry;

struct ContextState {
  Isa isa = Isa::scalar;
  const PathConfig* path = nullptr;  // isa's descriptor (find_path_config), looked up once
  Isa last_used = Isa::scalar;
  int threads = 1;
  ThreadPoolPtr pool;                     // threads - 1 workers, when threads > 1
  ParallelFor parallel_for;               // the caller's, when set
  std::atomic<bool> in_use{false};        // a call is running (context_use.hpp)
  std::vector<TaskScratch> task_scratch;  // one per thread, taken by a task while it runs
  std::unique_ptr<std::atomic<bool>[]> task_scratch_busy;
  AlignedBuffer col_terms;      // N per-column epilogue terms
  AlignedBuffer multipliers;    // 3 x N: per-channel m0, left shift, right shift
  AlignedBuffer a_zero_points;  // M offset zero points of A (per-row case)
  AlignedBuffer packed_b;       // B packed by the one-call form
  AlignedBuffer b_sums;         // its column sums
  // Float A quantized once, before the blocks, where more than one N block meets it
  // (run_blocked): M x K integers, the rows' zero points and scales.
  AlignedBuffer quantized_a;
  AlignedBuffer quantized_a_zero_points;
  AlignedBuffer quantized_a_scales;
  BlockingCache last_blocking;  // of the last gemm() call (blocking.hpp)

  // Sets isa and path (isa must be built into the library).
  void use_isa(Isa chosen);
  // Runs task(0..n-1) on the context's threads (the caller's parallel_for, the pool, or inline),
  // each task in the default floating-point environment (fp_env.hpp). A pool inherited through
  // fork() is replaced first.
  void parallel(std::size_t n, const std::function<void(std::size_t)>& task);
  // One TaskScratch per thread (allocated when the thread count grows, not per call).
  void reserve_task_scratch();
};

// A pool of threads - 1 workers (none for 1 thread). Throws Error naming `threads` if the
// system refuses to start them (after joining those it started).
ThreadPoolPtr start_pool(int threads);

}  // namespace i8gemm::detail
