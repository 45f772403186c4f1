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

// The override: I8GEMM_BLOCKING as read at the first call (zeros: none). Tests set it directly,
// from one thread, between calls.
Blocking& blocking_override();

}  // namespace i8gemm::detail
