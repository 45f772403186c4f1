// Every registered micro-kernel (ukernels.inc, main and small-M variants), called directly on
// panels packed by the framework, against the sum of the packed products: k below, equal to
// and above the K group and many multiples, every data extreme, with and without accumulate.
// Tolerance 0.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "framework/aligned_buffer.hpp"
#include "framework/pack.hpp"
#include "framework/path_config.hpp"

namespace i8gemm::detail {
namespace {

class Ukernel : public ::testing::TestWithParam<PathConfig> {
 protected:
  void SetUp() override {
    const std::string reason = unavailable_reason(GetParam().isa);
    if (!reason.empty()) GTEST_SKIP() << GetParam().ukernel_name << " skipped: " << reason;
  }
};

void check(const PathConfig& cfg, std::int64_t k, AType a_type, int pattern, bool accumulate,
           std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::int64_t m = cfg.mr, n = cfg.nr;
  const std::int32_t a_lo = a_type == AType::s8 ? -128 : 0, a_hi = a_type == AType::s8 ? 127 : 255;
  auto value = [&](std::int32_t lo, std::int32_t hi, std::int64_t kk, bool is_a) {
    switch (pattern) {
      case 0:
        return lo + static_cast<std::int32_t>(rng() % (hi - lo + 1));
      case 1:
        return lo;
      case 2:
        return hi;
      case 3:
        return is_a ? hi : lo;  // uint8 255 against -128
      default:
        return (kk % 2 == 0) == is_a ? hi : lo;  // alternating signs
    }
  };
  std::vector<std::uint8_t> a(static_cast<std::size_t>(m * k + 1));
  std::vector<std::int8_t> b(static_cast<std::size_t>(k * n + 1));
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t kk = 0; kk < k; ++kk)
      a[i * k + kk] = static_cast<std::uint8_t>(value(a_lo, a_hi, kk, true));
  }
  for (std::int64_t kk = 0; kk < k; ++kk) {
    for (std::int64_t j = 0; j < n; ++j)
      b[kk * n + j] = static_cast<std::int8_t>(value(-128, 127, kk, false));
  }
  const ADesc ad{a.data(), a_type, m, k, k, ZeroPoints(0)};
  const BDesc bd{b.data(), k, n, n, BLayout::kn, ZeroPoints(0)};
  AlignedBuffer pa(static_cast<std::size_t>(m) * round_up(k, cfg.kg) * 2 + 64);
  AlignedBuffer pb(packed_b_bytes(cfg, k, n) + 64);
  std::vector<std::int32_t> sums(n);
  pack_a(cfg, ad, 0, m, 0, k, pa.data(), nullptr);
  pack_b(cfg, bd, pb.data(), sums.data());
  std::vector<std::int32_t> tile(static_cast<std::size_t>(m * n));
  for (std::size_t t = 0; t < tile.size(); ++t) tile[t] = static_cast<std::int32_t>(rng());
  const std::vector<std::int32_t> before = tile;
  cfg.ukernel(round_up(k, cfg.kg) / cfg.kg, pa.data(), pb.data(), tile.data(), accumulate);
  const int offset = a_offset(cfg, a_type);
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      std::int64_t expected = accumulate ? before[i * n + j] : 0;
      for (std::int64_t kk = 0; kk < k; ++kk) {
        const std::int32_t av = a_type == AType::s8 ? static_cast<std::int8_t>(a[i * k + kk])
                                                    : static_cast<std::int32_t>(a[i * k + kk]);
        expected += std::int64_t{av + offset} * b[kk * n + j];
      }
      ASSERT_EQ(tile[i * n + j], static_cast<std::int32_t>(static_cast<std::uint32_t>(expected)))
          << cfg.ukernel_name << " k=" << k << " a=" << (a_type == AType::s8 ? "s8" : "u8")
          << " pattern=" << pattern << " accumulate=" << accumulate << " at (" << i << ", " << j
          << ")";
    }
  }
}

TEST_P(Ukernel, EveryKAndExtreme) {
  const PathConfig& cfg = GetParam();
  std::vector<std::int64_t> ks = {
      0,           1,  cfg.kg - 1, cfg.kg, cfg.kg + 1, 2 * cfg.kg, 3 * cfg.kg - 1, 7 * cfg.kg + 1,
      16 * cfg.kg, 61, 257,        1024};
  std::uint64_t seed = 1;
  for (std::int64_t k : ks) {
    if (k < 0) continue;
    for (int pattern = 0; pattern < 5; ++pattern) {
      for (AType t : {AType::s8, AType::u8}) {
        check(cfg, k, t, pattern, pattern % 2 == 1, seed++);
      }
    }
  }
}

std::string ukernel_name(const ::testing::TestParamInfo<PathConfig>& info) {
  return info.param.ukernel_name;
}

INSTANTIATE_TEST_SUITE_P(Registered, Ukernel, ::testing::ValuesIn(all_ukernel_configs()),
                         ukernel_name);

}  // namespace
}  // namespace i8gemm::detail
