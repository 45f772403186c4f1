// Blocking from the caches: sensible sizes for this CPU and for a described one (a Zen 4), and
// results bit-identical under any blocking (I8GEMM_BLOCKING), on every path.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "forced_blocking.hpp"
#include "framework/blocking.hpp"
#include "framework/cache_sizes.hpp"
#include "framework/pack.hpp"
#include "isa_param.hpp"
#include "verification/differential.hpp"

namespace i8gemm::testing {
namespace {

using namespace ::i8gemm::verification;

struct Shape {
  std::int64_t m, n, k;
};
constexpr Shape kShapes[] = {
    {4096, 4096, 4096}, {1024, 1024, 1024}, {16, 16, 16}, {1, 4096, 4096}, {384, 4096, 1024}};

void expect_sensible(Isa isa, const CacheSizes& caches) {
  const detail::PathConfig& cfg = *detail::find_path_config(isa);
  const std::int64_t mr = cfg.ukernels[0].mr, nr = cfg.nr, unit = cfg.k_unit;
  const auto a_elem = static_cast<std::int64_t>(detail::packed_elem_size(cfg.a_elem));
  const auto b_elem = static_cast<std::int64_t>(detail::packed_elem_size(cfg.b_elem));
  for (const Shape& s : kShapes) {
    const Blocking b = blocking(isa, s.m, s.n, s.k, caches);
    SCOPED_TRACE(std::string(isa_name(isa)) + " " + std::to_string(s.m) + "x" +
                 std::to_string(s.n) + "x" + std::to_string(s.k) + ": " + std::to_string(b.mc) +
                 " x " + std::to_string(b.nc) + " x " + std::to_string(b.kc));
    EXPECT_GT(b.mc, 0);
    EXPECT_EQ(b.mc % mr, 0);
    EXPECT_EQ(b.nc % nr, 0);
    EXPECT_EQ(b.kc % unit, 0);
    EXPECT_LE(b.mc, (s.m + mr - 1) / mr * mr);  // no block beyond the product
    EXPECT_LE(b.nc, (s.n + nr - 1) / nr * nr);
    EXPECT_LE(b.kc, (s.k + unit - 1) / unit * unit);
    // The B micro-panel and the A micro-panels beside it within their share of L1 (but for a K
    // unit larger than that), the A block within its share of L2, or a quarter more where that
    // spares a last sliver of M.
    const auto l1_share = static_cast<std::int64_t>(caches.l1d) * cfg.cache_shares.l1 / 100;
    const std::int64_t l2_share = a_block_bytes(cfg, static_cast<std::int64_t>(caches.l2));
    const std::int64_t l1_bytes_per_k = nr * b_elem + cfg.cache_shares.a_panels_in_l1 * mr * a_elem;
    EXPECT_LE(b.kc * l1_bytes_per_k, std::max<std::int64_t>(l1_share, unit * l1_bytes_per_k));
    EXPECT_LE(b.mc * b.kc * a_elem,
              std::max<std::int64_t>(l2_share + l2_share / 4, mr * b.kc * a_elem));
  }
}

TEST(Blocking, SensibleForThisCpuAndForAZen4) {
  const CacheSizes zen4{32 << 10, 1 << 20, 4 << 20, "Zen 4 per core"};
  for (Isa isa : built_isas()) {
    expect_sensible(isa, cache_sizes());
    expect_sensible(isa, zen4);
  }
  EXPECT_GT(cache_sizes().l1d, 0u);
  EXPECT_GE(cache_sizes().l2, cache_sizes().l1d);
  EXPECT_THROW(blocking(Isa::scalar, 1, 1, 1, CacheSizes{}), Error);
}

// The words a Zen 5 under a hypervisor that hides TOPOEXT answered (leaf 0x8000001D empty, no
// sysfs cache folder), and a Zen 4's (32 KiB L1D, 1 MiB L2).
TEST(CacheSizes, AmdLegacyLeaves) {
  const CacheSizes zen5 = detail::decode_amd_legacy_cache_leaves(0x300c0140, 0x04006140);
  EXPECT_EQ(zen5.l1d, 48u << 10);
  EXPECT_EQ(zen5.l2, 1u << 20);
  EXPECT_EQ(zen5.l3, 0u);
  const CacheSizes zen4 = detail::decode_amd_legacy_cache_leaves(0x20080140, 0x04006140);
  EXPECT_EQ(zen4.l1d, 32u << 10);
  EXPECT_EQ(zen4.l2, 1u << 20);
}

// Shares within (0, 100]: no operand is given more than the whole cache.
TEST(Blocking, CacheSharesArePercentages) {
  for (Isa isa : built_isas()) {
    const detail::CacheShares s = detail::find_path_config(isa)->cache_shares;
    EXPECT_GT(s.l1, 0) << isa_name(isa);
    EXPECT_LE(s.l1, 100) << isa_name(isa);
    EXPECT_GE(s.a_panels_in_l1, 0) << isa_name(isa);
    EXPECT_GT(s.a_in_l2, 0) << isa_name(isa);
    EXPECT_LE(s.a_in_l2, 100) << isa_name(isa);
  }
}

// A's block in L2, written out: the vector paths half of it, amx a quarter, avx512vnni a quarter
// but at least 512 KiB and at most half (path__avx512vnni.cpp).
TEST(Blocking, ShareOfL2ForA) {
  constexpr std::int64_t kKiB = 1024;
  const struct {
    Isa isa;
    std::int64_t l2, a_bytes;
  } expected[] = {
      {Isa::avx2, 1024 * kKiB, 512 * kKiB},        {Isa::amx, 2048 * kKiB, 512 * kKiB},
      {Isa::avx512vnni, 4096 * kKiB, 1024 * kKiB}, {Isa::avx512vnni, 2048 * kKiB, 512 * kKiB},
      {Isa::avx512vnni, 1024 * kKiB, 512 * kKiB},  {Isa::avx512vnni, 256 * kKiB, 128 * kKiB}};
  int checked = 0;
  for (const auto& e : expected) {
    const detail::PathConfig* cfg = detail::find_path_config(e.isa);
    if (cfg == nullptr) continue;  // (not built for this target)
    EXPECT_EQ(detail::a_block_bytes(*cfg, e.l2), e.a_bytes) << isa_name(e.isa) << ", L2 " << e.l2;
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "none of avx2, amx and avx512vnni is built for this target";
}

TEST(Blocking, LargerCachesGiveLargerBlocks) {
  const CacheSizes small{32 << 10, 1 << 20, 4 << 20, "small"};
  const CacheSizes large{48 << 10, 2 << 20, 16 << 20, "large"};
  for (Isa isa : built_isas()) {
    const Blocking s = blocking(isa, 4096, 4096, 4096, small);
    const Blocking l = blocking(isa, 4096, 4096, 4096, large);
    EXPECT_GE(l.kc, s.kc) << isa_name(isa);
    EXPECT_GE(l.mc * l.kc, s.mc * s.kc) << isa_name(isa);
  }
}

using BlockingPath = IsaTest;

// Blockings that cut every dimension into many blocks (K too, so tiles are kept across KC
// blocks), odd multiples, and the model's own: the oracle's bits every time.
TEST_P(BlockingPath, BitIdenticalUnderAnyBlocking) {
  ForcedBlocking blocking;
  const detail::PathConfig& cfg = *detail::find_path_config(GetParam());
  const std::int64_t mr = cfg.ukernels[0].mr, nr = cfg.nr, unit = cfg.k_unit;
  const Blocking forced[] = {
      {0, 0, 0}, {mr, nr, unit}, {3 * mr, 2 * nr, 5 * unit}, {1 << 20, 1 << 20, 1 << 20}};
  std::mt19937_64 rng(5);
  std::vector<GemmCase> cases;
  for (int i = 0; i < 6; ++i) cases.push_back(random_case(rng, {90, 90, 300}));
  for (const Blocking& f : forced) {
    blocking.set(f);
    for (const GemmCase& c : cases) {
      const CaseResult r = run_case(GetParam(), c);
      EXPECT_TRUE(r.ok) << "blocking " << f.mc << "," << f.nc << "," << f.kc << ": " << r.message
                        << "\n  " << c.describe();
    }
  }
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(BlockingPath);

}  // namespace
}  // namespace i8gemm::testing
