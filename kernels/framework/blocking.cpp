// BLIS's analytical model of cache blocking (Low, Igual, Smith, Quintana-Orti: "Analytical
// modeling is enough for high-performance BLIS", 2016), for the driver's loops NC -> MC -> KC
// -> NR -> MR (driver.cpp: the MC rows of A are packed for all of K, then every NR panel of B
// meets them one KC block at a time):
//   - a KC x NR slice of B is reused by every MR x KC micro-panel of A of the block, so it lives
//     in L1 beside the micro-panel of A being read and the next one streaming in:
//     KC * (NR * sizeof(B) + 2 * MR * sizeof(A)) <= L1. (Half of L1 for B alone, as before, cut
//     K = 1024 into two blocks on avx512vnni, 32 KiB of B beside 2 x 8 KiB of A in a 48 KiB L1D;
//     one block ran 1024^3 4-8 % and 384 x 4096 x 1024 5-18 % faster. A's micro-panels are
//     small beside B's slice, MR * sizeof(A) against NR * sizeof(B), so they need far less than
//     the half);
//   - the MC rows of A (all of K) are reused by every NR panel of the NC panel, so they live in
//     L2: MC * K * sizeof(A) <= L2 / 2;
//   (the shares of L1 and L2 and the count of A micro-panels are the path's cache_shares: a path
//   can measure better ones, path_config.hpp);
//   - the K x NC panel of B is reused by every MC block, so it lives in L3:
//     K * NC * sizeof(B) <= L3 / 2 (the core's share of it).
// A K above KC is cut into equal blocks (no last sliver). An M above MC leaves no sliver either:
// the last block's rows join the others when they take at most a quarter more than A's share of
// L2, since each MC block streams the whole K x NC panel of B again and a last block of a few
// rows costs almost as much as a full one (128 x 4096 x 4096 on avx2: MC = 126 made a block of 2
// rows and the call 12% slower than one block of 132, whose A takes 54% of L2 instead of 50%).
#include "framework/blocking.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "framework/pack.hpp"
#include "framework/round.hpp"

namespace i8gemm {
namespace detail {
namespace {

std::int64_t down_to(std::int64_t x, std::int64_t multiple, std::int64_t least) {
  return std::max(least, x / multiple * multiple);
}

// Blocks of `limit` (a multiple of `unit`), but for a last sliver of at most a quarter of one:
// it is shared out among the others if that keeps each within `limit` * 5 / 4.
std::int64_t block_without_sliver(std::int64_t size, std::int64_t limit, std::int64_t unit) {
  if (size <= limit) return size;
  const std::int64_t blocks = ceil_div(size, limit);
  const std::int64_t last = size - (blocks - 1) * limit;
  const std::int64_t merged = round_up(ceil_div(size, blocks - 1), unit);
  return last <= limit / 4 && merged <= limit + limit / 4 ? merged : limit;
}

// I8GEMM_BLOCKING=mc,nc,kc, read once; zeros where unset.
Blocking override_from_environment() {
  const char* env = std::getenv("I8GEMM_BLOCKING");
  Blocking b;
  if (env == nullptr || *env == '\0') return b;
  long long mc = 0, nc = 0, kc = 0;
  char extra = 0;
  if (std::sscanf(env, "%lld,%lld,%lld%c", &mc, &nc, &kc, &extra) != 3 || mc < 0 || nc < 0 ||
      kc < 0) {
    throw Error(std::string("I8GEMM_BLOCKING: '") + env +
                "' is not mc,nc,kc (three non-negative integers; 0 keeps the model's value)");
  }
  b.mc = mc;
  b.nc = nc;
  b.kc = kc;
  return b;
}

}  // namespace

Blocking& blocking_override() {
  static Blocking forced = override_from_environment();
  return forced;
}

Blocking compute_blocking(const PathConfig& cfg, std::int64_t m, std::int64_t n, std::int64_t k,
                          const CacheSizes& caches, bool override_allowed) {
  const std::int64_t mr = cfg.ukernels[0].mr, nr = cfg.nr, unit = cfg.k_unit;
  const auto a_elem = static_cast<std::int64_t>(packed_elem_size(cfg.a_elem));
  const auto b_elem = static_cast<std::int64_t>(packed_elem_size(cfg.b_elem));
  const auto l1 = static_cast<std::int64_t>(caches.l1d), l2 = static_cast<std::int64_t>(caches.l2),
             l3 = static_cast<std::int64_t>(caches.l3);

  const std::int64_t l1_share = l1 * cfg.cache_shares.l1 / 100;
  const std::int64_t a_l2 = a_block_bytes(cfg, l2);
  const std::int64_t kc_max =
      down_to(l1_share / (nr * b_elem + cfg.cache_shares.a_panels_in_l1 * mr * a_elem), unit, unit);
  const std::int64_t k_padded = round_up(std::max<std::int64_t>(k, 1), unit);
  const std::int64_t m_padded = round_up(std::max<std::int64_t>(m, 1), mr);
  const std::int64_t n_padded = round_up(std::max<std::int64_t>(n, 1), nr);
  Blocking b{m_padded, n_padded, k_padded};
  // A small product is one block: no division on the path of the small calls, where this runs
  // for every call and costs more than its multiply-adds.
  if (k_padded > kc_max || m_padded * k_padded * a_elem > a_l2 ||
      n_padded * k_padded * b_elem > l3 / 2) {
    const std::int64_t k_blocks = ceil_div(k_padded, kc_max);
    b.kc = round_up(ceil_div(k_padded, k_blocks), unit);
    const std::int64_t k_all = k_blocks * b.kc;
    // No block larger than the product (rounded to whole micro-tiles).
    b.mc = block_without_sliver(m_padded, down_to(a_l2 / (k_all * a_elem), mr, mr), mr);
    b.nc = std::min(n_padded, down_to(l3 / 2 / (k_all * b_elem), nr, nr));
  }

  if (override_allowed) {
    const Blocking forced = blocking_override();
    if (forced.mc > 0) b.mc = round_up(forced.mc, mr);
    if (forced.nc > 0) b.nc = round_up(forced.nc, nr);
    if (forced.kc > 0) b.kc = round_up(forced.kc, unit);
  }
  return b;
}

}  // namespace detail

Blocking blocking(Isa isa, std::int64_t m, std::int64_t n, std::int64_t k) {
  detail::require_available(isa, "isa");
  return detail::compute_blocking(*detail::find_path_config(isa), m, n, k, cache_sizes(), true);
}

Blocking blocking(Isa isa, std::int64_t m, std::int64_t n, std::int64_t k,
                  const CacheSizes& caches) {
  const detail::PathConfig* cfg = detail::find_path_config(isa);
  if (cfg == nullptr) throw Error(std::string("isa: path ") + isa_name(isa) + " is not built here");
  if (caches.l1d == 0 || caches.l2 == 0 || caches.l3 == 0) {
    throw Error("caches: l1d, l2 and l3 must be positive");
  }
  return detail::compute_blocking(*cfg, m, n, k, caches, false);
}

}  // namespace i8gemm
