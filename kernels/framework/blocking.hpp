// Cache blocking from the running CPU's caches (cache_sizes.cpp) and the path's layout.
#pragma once

#include <algorithm>
#include <cstdint>

#include "framework/path_config.hpp"
#include "framework/round.hpp"

namespace i8gemm::detail {

// The blocking of an M x N x K product on `cfg` with the caches `caches` (the model), or the
// I8GEMM_BLOCKING override when `override_allowed`. MC, NC, KC are multiples of the main
// micro-kernel's MR, NR and the path's K unit.
Blocking compute_blocking(const PathConfig& cfg, std::int64_t m, std::int64_t n, std::int64_t k,
                          const CacheSizes& caches, bool override_allowed);

// The bytes of L2 that an MC block of A (all of K) may take on `cfg` (its cache shares).
inline std::int64_t a_block_bytes(const PathConfig& cfg, std::int64_t l2) {
  const CacheShares& shares = cfg.cache_shares;
  return std::max(l2 * shares.a_in_l2 / 100, std::min(shares.a_in_l2_min_bytes, l2 / 2));
}

// The KC blocks K is cut into: at least one, since K = 0 still runs the epilogue (acc = 0).
inline std::int64_t k_block_count(std::int64_t k, std::int64_t kc) {
  return std::max<std::int64_t>(1, ceil_div(k, kc));
}

// The last call's blocking, micro-kernel and what they depend on: a layer called again with the
// same shape (the usual case) skips the model's divisions and the kernels' search. A Context
// keeps one for its calls, a PreparedGemm one of its own (its N and K fixed, layers of other
// shapes on the same Context do not evict it: two prepared layers of 16 x 16 x 16 and 16 x 32 x
// 16 called in turn on one Context, avx512vnni on the Zen 5, 7 rounds, took 0.89 (0.88-0.92) of
// the pair's time with one cache between them, 202 ns against 228).
// epilogue_rows: the rows of tiles one epilogue call takes with one KC block (driver.cpp,
// epilogue_batch_rows), whose two divisions a small call paid twice (with packed_elem_size and
// a_offset inlined: 16^3 0.93-0.95 of the time on avx512vnni and amx, binaries alternating; 32^3
// and 64^3 unchanged).
struct BlockingCache {
  const PathConfig* path = nullptr;  // the call's kernels' (a delegate's where one runs it)
  std::int64_t m = -1, n = -1, k = -1;
  Blocking forced{};
  Blocking blocking{};
  std::int64_t epilogue_rows = 0;
  const UkernelEntry* ukernel = nullptr;  // kernel_for_rows(*path, m)
};

// The override: I8GEMM_BLOCKING as read at the first call (zeros: none). Tests set it directly,
// from one thread, between calls.
Blocking& blocking_override();

}  // namespace i8gemm::detail
