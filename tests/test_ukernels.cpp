// Every registered micro-kernel (each built path's, main and small-M variants, for int8 and for
// uint8 A), called directly on panels packed by the framework, against the sum of the packed
// products: k below, equal to and above the K unit and many multiples, every data extreme, with
// and without accumulate, into a tile of NR columns a row or of more (as in C, where the driver
// writes whole int32 tiles: the columns past NR stay untouched), and a kernel's prefetching form
// (the x86 vector paths), overlapped form (amx) and direct form (reading A unpacked: the vpdpbusd
// paths; every count of valid rows, all, half or one of the columns valid, rows lda > K apart, the
// last ending its buffer) against the kernel. Tolerance 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "framework/aligned_buffer.hpp"
#include "framework/pack.hpp"
#include "framework/path_config.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define I8GEMM_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define I8GEMM_TEST_ASAN 1
#endif
#endif
#if defined(I8GEMM_TEST_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace i8gemm::detail {
namespace {

struct UkernelCase {
  const PathConfig* path;
  const UkernelEntry* ukernel;
  AType a_type;
};

// GoogleTest prints a case by its kernel and A type.
void PrintTo(const UkernelCase& c, std::ostream* os) {
  *os << c.ukernel->name << (c.a_type == AType::s8 ? " (int8 A)" : " (uint8 A)");
}

std::vector<UkernelCase> every_ukernel() {
  std::vector<UkernelCase> all;
  for (const PathConfig* path : built_path_configs()) {
    for (int i = 0; i < path->ukernel_count; ++i) {
      for (AType t : {AType::s8, AType::u8}) all.push_back({path, &path->ukernels[i], t});
    }
  }
  return all;
}

class Ukernel : public ::testing::TestWithParam<UkernelCase> {
 protected:
  void SetUp() override {
    const std::string reason = unavailable_reason(GetParam().path->isa);
    if (!reason.empty()) GTEST_SKIP() << GetParam().ukernel->name << " skipped: " << reason;
  }
};

// Makes [p, p + n) unreadable (poison) or readable again under AddressSanitizer; nothing
// otherwise. Exact where p + n is a multiple of 8 bytes from an 8-aligned start (ASan's granule).
void set_poisoned(const void* p, std::size_t n, bool poison) {
#if defined(I8GEMM_TEST_ASAN)
  if (poison) {
    ASAN_POISON_MEMORY_REGION(p, n);
  } else {
    ASAN_UNPOISON_MEMORY_REGION(p, n);
  }
#else
  static_cast<void>(p);
  static_cast<void>(n);
  static_cast<void>(poison);
#endif
}

// The kernel's direct form (if any) against its packed form's `tile` (ldc apart, over `before`):
// A's first `rows` rows where they lie, lda past K, the last one ending the buffer (a read past it
// is a heap overflow under ASan): the kernel's tile in those rows, nothing past NR. Rows K + 3
// apart (not whole K groups), and rows 8-byte aligned whose gaps after K are poisoned under ASan,
// so that a read past any row's K shows (B's zero padding would hide it in the result).
void check_direct(const UkernelCase& uc, const std::vector<std::uint8_t>& a, const void* packed_b,
                  std::int64_t k, std::int64_t m, std::int64_t n, std::int64_t ldc,
                  const std::vector<std::int32_t>& tile, const std::vector<std::int32_t>& before,
                  int pattern) {
  const DirectUkernelFn direct =
      uc.a_type == AType::s8 ? uc.ukernel->direct_s8 : uc.ukernel->direct_u8;
  if (direct == nullptr) return;
  const std::int64_t aligned_lda = (k + 7) / 8 * 8 + 8;
  for (const std::int64_t lda : {k + 3, aligned_lda}) {
    for (std::int64_t rows = 1; rows <= m; ++rows) {
      std::vector<std::uint8_t> rows_of_a(static_cast<std::size_t>((rows - 1) * lda + k));
      for (std::int64_t i = 0; i < rows; ++i) {
        std::copy(a.begin() + i * k, a.begin() + (i + 1) * k, rows_of_a.begin() + i * lda);
      }
      const auto poison_gaps = [&](bool poison) {
        for (std::int64_t i = 0; lda == aligned_lda && i + 1 < rows; ++i) {
          set_poisoned(rows_of_a.data() + i * lda + k, static_cast<std::size_t>(lda - k), poison);
        }
      };
      // Every column valid, half of them (one vector on avx512vnni and avxvnni) and one: the
      // valid columns right, those from `cols` to NR the tile's or untouched, none past NR.
      for (const std::int64_t cols : {n, n / 2, std::int64_t{1}}) {
        std::vector<std::int32_t> direct_tile = before;
        poison_gaps(true);
        direct(static_cast<std::size_t>(k), rows_of_a.data(), static_cast<std::size_t>(lda),
               static_cast<int>(rows), static_cast<int>(cols), packed_b, direct_tile.data(),
               static_cast<std::size_t>(ldc));
        poison_gaps(false);
        for (std::int64_t i = 0; i < rows; ++i) {
          for (std::int64_t j = 0; j < ldc; ++j) {
            const std::int32_t got = direct_tile[i * ldc + j];
            const std::int32_t want = j < n ? tile[i * ldc + j] : before[i * ldc + j];
            const bool right = got == want || (j >= cols && j < n && got == before[i * ldc + j]);
            ASSERT_TRUE(right) << uc.ukernel->name << " direct, k=" << k << " lda=" << lda
                               << " rows=" << rows << " cols=" << cols << " pattern=" << pattern
                               << " at (" << i << ", " << j << "): " << got << ", want " << want;
          }
        }
      }
    }
  }
}

void check(const UkernelCase& uc, std::int64_t k, int pattern, bool accumulate,
           std::uint64_t seed) {
  const PathConfig& cfg = *uc.path;
  const AType a_type = uc.a_type;
  std::mt19937_64 rng(seed);
  const std::int64_t m = uc.ukernel->mr, n = cfg.nr;
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
  AlignedBuffer pa(static_cast<std::size_t>(m) * round_up(k, cfg.k_unit) * 2 + 64);
  AlignedBuffer pb(packed_b_bytes(cfg, k, n) + 64);
  std::vector<std::int32_t> sums(n);
  pack_a(cfg, static_cast<int>(m), ad, 0, m, 0, k, pa.data(), nullptr);
  pack_b(cfg, bd, pb.data(), sums.data());
  // Patterns 0, 1 and 4 (stored and added) use a tile whose rows are C's rows of 5 more columns
  // (unaligned from row 1).
  const std::int64_t ldc = pattern < 2 || pattern == 4 ? n + 5 : n;
  std::vector<std::int32_t> tile(static_cast<std::size_t>(m * ldc));
  for (std::size_t t = 0; t < tile.size(); ++t) tile[t] = static_cast<std::int32_t>(rng());
  const std::vector<std::int32_t> before = tile;
  const UkernelFn fn = a_type == AType::s8 ? uc.ukernel->for_s8 : uc.ukernel->for_u8;
  const OverlappedUkernelFn overlapped =
      a_type == AType::s8 ? uc.ukernel->overlapped_s8 : uc.ukernel->overlapped_u8;
  const UkernelFn prefetching =
      a_type == AType::s8 ? uc.ukernel->prefetching_s8 : uc.ukernel->prefetching_u8;
  // The overlapped form's tile has NR columns a row.
  std::vector<std::int32_t> overlapped_tile(static_cast<std::size_t>(m * n));
  for (std::int64_t i = 0; i < m; ++i) {
    std::copy(before.begin() + i * ldc, before.begin() + i * ldc + n,
              overlapped_tile.begin() + i * n);
  }
  std::vector<std::int32_t> prefetched_tile = tile;
  // The path's per-thread set-up (AMX tile configuration), as the driver brackets its tasks.
  if (cfg.thread_init != nullptr) cfg.thread_init();
  const std::size_t k_units = round_up(k, cfg.k_unit) / cfg.k_unit;
  fn(k_units, pa.data(), pb.data(), tile.data(), static_cast<std::size_t>(ldc), accumulate);
  if (prefetching != nullptr) {
    prefetching(k_units, pa.data(), pb.data(), prefetched_tile.data(),
                static_cast<std::size_t>(ldc), accumulate);
  }
  // The overlapped form computes the same tile. (What it writes of an earlier tile needs an
  // output stage: the whole-GEMM tests check that.)
  if (overlapped != nullptr) {
    // (The prefetches, over the panels and a copy of the tile, cannot change a result.)
    PrefetchSpread prefetch;
    prefetch.begin = reinterpret_cast<std::uintptr_t>(pb.data());
    prefetch.lines_per_unit = 3;
    const auto row_bytes = static_cast<std::uintptr_t>(n) * sizeof(std::int32_t);
    const auto stride = static_cast<std::uintptr_t>(ldc) * sizeof(std::int32_t);
    prefetch.c_tile = {reinterpret_cast<std::uintptr_t>(before.data()), stride, row_bytes,
                       static_cast<int>(m), k % 2 == 0};
    overlapped(k_units, pa.data(), pb.data(), overlapped_tile.data(), accumulate, nullptr,
               prefetch);
  }
  if (cfg.thread_teardown != nullptr) cfg.thread_teardown();
  if (prefetching != nullptr) {
    ASSERT_EQ(prefetched_tile, tile) << uc.ukernel->name << " prefetching, k=" << k
                                     << " pattern=" << pattern << " accumulate=" << accumulate;
  }
  if (overlapped != nullptr) {
    for (std::int64_t i = 0; i < m; ++i) {
      for (std::int64_t j = 0; j < n; ++j) {
        ASSERT_EQ(overlapped_tile[i * n + j], tile[i * ldc + j])
            << uc.ukernel->name << " overlapped, k=" << k << " pattern=" << pattern
            << " accumulate=" << accumulate << " at (" << i << ", " << j << ")";
      }
    }
  }
  if (!accumulate) {
    check_direct(uc, a, pb.data(), k, m, n, ldc, tile, before, pattern);
    if (::testing::Test::HasFatalFailure()) return;
  }
  const int offset = a_offset(cfg, a_type);
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = n; j < ldc; ++j) {
      ASSERT_EQ(tile[i * ldc + j], before[i * ldc + j])
          << uc.ukernel->name << " wrote past its tile's " << n << " columns at (" << i << ", " << j
          << "), k=" << k << " pattern=" << pattern;
    }
    for (std::int64_t j = 0; j < n; ++j) {
      std::int64_t expected = accumulate ? before[i * ldc + j] : 0;
      for (std::int64_t kk = 0; kk < k; ++kk) {
        const std::int32_t av = a_type == AType::s8 ? static_cast<std::int8_t>(a[i * k + kk])
                                                    : static_cast<std::int32_t>(a[i * k + kk]);
        expected += std::int64_t{av + offset} * b[kk * n + j];
      }
      ASSERT_EQ(tile[i * ldc + j], static_cast<std::int32_t>(static_cast<std::uint32_t>(expected)))
          << uc.ukernel->name << " k=" << k << " a=" << (a_type == AType::s8 ? "s8" : "u8")
          << " pattern=" << pattern << " accumulate=" << accumulate << " at (" << i << ", " << j
          << ")";
    }
  }
}

TEST_P(Ukernel, EveryKAndExtreme) {
  const std::int64_t unit = GetParam().path->k_unit;
  const std::int64_t ks[] = {0,         1,        unit - 1,     unit,
                             unit + 1,  2 * unit, 3 * unit - 1, 7 * unit + 1,
                             16 * unit, 61,       257,          1024};
  std::uint64_t seed = 1;
  for (std::int64_t k : ks) {
    if (k < 0) continue;
    for (int pattern = 0; pattern < 5; ++pattern)
      check(GetParam(), k, pattern, pattern % 2 == 1, seed++);
  }
}

std::string ukernel_name(const ::testing::TestParamInfo<UkernelCase>& info) {
  return std::string(info.param.ukernel->name) + (info.param.a_type == AType::s8 ? "_s8" : "_u8");
}

INSTANTIATE_TEST_SUITE_P(Registered, Ukernel, ::testing::ValuesIn(every_ukernel()), ukernel_name);

}  // namespace
}  // namespace i8gemm::detail
