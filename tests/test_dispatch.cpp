// Path names, the registry, dispatch from feature sets (typical CPUs, not only this one),
// forcing and last_used_isa().
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "framework/cpu_feature_names.hpp"
#include "framework/path_config.hpp"
#include "i8gemm/i8gemm.hpp"
#include "isa_param.hpp"

namespace i8gemm {
namespace {

bool contains(const std::vector<Isa>& v, Isa isa) {
  return std::find(v.begin(), v.end(), isa) != v.end();
}

TEST(Dispatch, NamesAndBitsAreUnique) {
  std::set<std::string> names;
  std::uint32_t bits = 0;
  for (Isa isa : all_isas()) {
    const auto bit = static_cast<std::uint32_t>(isa);
    EXPECT_EQ(bit & (bit - 1), 0u) << isa_name(isa) << " is not one bit";
    EXPECT_EQ(bits & bit, 0u) << isa_name(isa) << " reuses a bit";
    bits |= bit;
    EXPECT_TRUE(names.insert(isa_name(isa)).second) << isa_name(isa);
    EXPECT_EQ(parse_isa(isa_name(isa)), isa);
  }
  EXPECT_TRUE(names.count("scalar"));
  try {
    parse_isa("avx9000");
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("avx9000"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("scalar"), std::string::npos);
  }
}

// Every built path's descriptor is registered under its own name and is self-consistent.
TEST(Dispatch, BuiltDescriptorsAreConsistent) {
  for (const detail::PathConfig* cfg : detail::built_path_configs()) {
    SCOPED_TRACE(isa_name(cfg->isa));
    EXPECT_EQ(detail::find_path_config(cfg->isa), cfg);
    ASSERT_GE(cfg->ukernel_count, 1);
    for (int i = 1; i < cfg->ukernel_count; ++i) {
      EXPECT_LT(cfg->ukernels[i].mr, cfg->ukernels[i - 1].mr) << "ukernels by decreasing MR";
    }
    for (int i = 0; i < cfg->ukernel_count; ++i) {
      EXPECT_NE(std::string(cfg->ukernels[i].name).find(isa_name(cfg->isa)), std::string::npos);
      EXPECT_NE(cfg->ukernels[i].for_s8, nullptr);
      EXPECT_NE(cfg->ukernels[i].for_u8, nullptr);
    }
    EXPECT_EQ(cfg->k_unit % cfg->a_kg, 0);
    EXPECT_EQ(cfg->k_unit % cfg->b_kg, 0);
    ASSERT_NE(cfg->epilogue, nullptr);
    EXPECT_NE(cfg->epilogue->run, nullptr);
    EXPECT_NE(cfg->epilogue->columns, nullptr);
    EXPECT_NE(cfg->quant, nullptr);
    EXPECT_EQ(cfg->thread_init == nullptr, cfg->thread_teardown == nullptr);
    if (cfg->delegate_when != nullptr) {
      // The delegate reads this path's packed B and runs wherever this path runs.
      const detail::PathConfig* d = detail::find_path_config(cfg->delegate);
      ASSERT_NE(d, nullptr) << "delegate " << isa_name(cfg->delegate) << " is not built";
      EXPECT_EQ(d->nr, cfg->nr);
      EXPECT_EQ(d->b_kg, cfg->b_kg);
      EXPECT_EQ(d->b_elem, cfg->b_elem);
      EXPECT_EQ(cfg->k_unit % d->k_unit, 0);
      for (bool CpuFeatures::*need : d->needs) {
        if (need == nullptr) continue;
        EXPECT_NE(std::find(std::begin(cfg->needs), std::end(cfg->needs), need),
                  std::end(cfg->needs))
            << isa_name(cfg->delegate) << " needs " << detail::cpu_feature_name(need);
      }
    }
  }
}

TEST(Dispatch, ScalarIsAlwaysBuiltAndAvailable) {
  EXPECT_TRUE(contains(built_isas(), Isa::scalar));
  EXPECT_TRUE(contains(available_isas(), Isa::scalar));
  for (Isa isa : available_isas()) EXPECT_TRUE(contains(built_isas(), isa));
}

// Feature sets of typical CPUs, and the paths they should get, best first: the first of those
// that this library has built (an aarch64 build has no x86 path, and so on).
struct TypicalCpu {
  const char* name;
  CpuFeatures features;
  std::vector<Isa> expected;
};

CpuFeatures x86(bool avx2, bool avx512, bool vnni512, bool avxvnni, bool amx = false) {
  CpuFeatures f;
  f.amx_tile = f.amx_int8 = amx;
  f.avx2 = avx2;
  f.avx512f = f.avx512cd = f.avx512dq = f.avx512bw = f.avx512vl = avx512;
  f.avx512vnni = vnni512;
  f.avxvnni = avxvnni;
  return f;
}

CpuFeatures arm(bool dotprod, bool i8mm) {
  CpuFeatures f;
  f.neon = true;
  f.dotprod = dotprod;
  f.i8mm = i8mm;
  return f;
}

std::vector<TypicalCpu> typical_cpus() {
  return {
      {"pre-AVX2 x86-64 (Sandy Bridge)", x86(false, false, false, false), {Isa::generic}},
      {"Haswell / Zen 2", x86(true, false, false, false), {Isa::avx2, Isa::generic}},
      {"Skylake-X", x86(true, true, false, false), {Isa::avx512bw, Isa::avx2, Isa::generic}},
      {"Ice Lake / Zen 4",
       x86(true, true, true, false),
       {Isa::avx512vnni, Isa::avx512bw, Isa::avx2, Isa::generic}},
      {"Alder Lake (AVX-VNNI, no AVX-512)",
       x86(true, false, false, true),
       {Isa::avxvnni, Isa::avx2, Isa::generic}},
      {"Sapphire Rapids (AMX, AVX-VNNI too)",
       x86(true, true, true, true, true),
       {Isa::amx, Isa::avx512vnni, Isa::avx512bw, Isa::avx2, Isa::generic}},
      {"Sapphire Rapids in a VM without AMX permission",
       x86(true, true, true, true, false),
       {Isa::avx512vnni, Isa::avx512bw, Isa::avx2, Isa::generic}},
      {"Cortex-A53", arm(false, false), {Isa::neon, Isa::generic}},
      {"Cortex-A76", arm(true, false), {Isa::neon_dotprod, Isa::neon, Isa::generic}},
      {"Neoverse V1",
       arm(true, true),
       {Isa::neon_i8mm, Isa::neon_dotprod, Isa::neon, Isa::generic}},
      {"no SIMD at all (riscv64 rv64gc)", CpuFeatures{}, {Isa::generic}},
  };
}

TEST(Dispatch, TypicalCpusGetTheirPath) {
  const std::vector<Isa> built = built_isas();
  for (const TypicalCpu& cpu : typical_cpus()) {
    Isa expected = Isa::scalar;
    for (Isa isa : cpu.expected) {
      if (contains(built, isa)) {
        expected = isa;
        break;
      }
    }
    EXPECT_EQ(default_isa(cpu.features), expected)
        << cpu.name << ": got " << isa_name(default_isa(cpu.features)) << ", expected "
        << isa_name(expected);
    // Whatever it gets runs there, and so does every lesser built path it has the features for.
    EXPECT_TRUE(unavailable_reason(default_isa(cpu.features), cpu.features).empty()) << cpu.name;
  }
}

TEST(Dispatch, ReasonNamesTheMissingFeature) {
  if (!contains(built_isas(), Isa::avx512vnni)) GTEST_SKIP() << "avx512vnni is not built here";
  const std::string reason = unavailable_reason(Isa::avx512vnni, x86(true, true, false, false));
  EXPECT_NE(reason.find("avx512_vnni"), std::string::npos) << reason;
  EXPECT_EQ(reason.find("avx512bw"), std::string::npos) << reason;
}

TEST(Dispatch, DefaultOnThisCpuIsItsFeatureSetsChoiceOrTheForcedOne) {
  const char* forced = std::getenv("I8GEMM_ISA");
  if (forced != nullptr && *forced != '\0') {
    EXPECT_EQ(default_isa(), parse_isa(forced));
  } else {
    EXPECT_EQ(default_isa(), default_isa(cpu_features()));
  }
  EXPECT_TRUE(is_available(default_isa()));
}

TEST(Dispatch, EnvironmentForcesAndRejects) {
  const char* saved = std::getenv("I8GEMM_ISA");
  const std::string restore = saved ? saved : "";
  setenv("I8GEMM_ISA", "scalar", 1);
  EXPECT_EQ(default_isa(), Isa::scalar);
  EXPECT_EQ(Context().isa(), Isa::scalar);
  setenv("I8GEMM_ISA", "bogus", 1);
  try {
    default_isa();
    FAIL() << "no throw";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("I8GEMM_ISA"), std::string::npos) << msg;
    EXPECT_NE(msg.find("bogus"), std::string::npos) << msg;
    EXPECT_NE(msg.find("this CPU can run: scalar"), std::string::npos) << msg;
  }
  for (Isa isa : all_isas()) {
    if (is_available(isa)) continue;
    setenv("I8GEMM_ISA", isa_name(isa), 1);
    EXPECT_THROW(default_isa(), Error) << isa_name(isa);
    EXPECT_THROW(Context{isa}, Error) << isa_name(isa);
  }
  if (restore.empty()) {
    unsetenv("I8GEMM_ISA");
  } else {
    setenv("I8GEMM_ISA", restore.c_str(), 1);
  }
}

TEST(Dispatch, X86FeaturesAreConsistent) {
  const CpuFeatures& f = cpu_features();
  if (f.avx512bw || f.avx512vnni) {
    EXPECT_TRUE(f.avx512f);
  }
  if (f.avxvnni) {
    EXPECT_TRUE(f.avx2);
  }
  EXPECT_FALSE(cpu_features_string().empty());
}

using DispatchPath = testing::IsaTest;

// The path a context is forced to is the one that runs, and last_used_isa() says so.
TEST_P(DispatchPath, ForcedPathRuns) {
  Context ctx(GetParam());
  EXPECT_EQ(ctx.isa(), GetParam());
  const std::int8_t a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8};
  std::int32_t c[4] = {};
  ctx.set_isa(Isa::scalar);
  gemm(ctx, MatrixView<const std::int8_t>(a, 2, 2), 0, MatrixView<const std::int8_t>(b, 2, 2),
       BLayout::kn, 0, OutputInt32{}, MatrixView<std::int32_t>(c, 2, 2));
  EXPECT_EQ(ctx.last_used_isa(), Isa::scalar);
  ctx.set_isa(GetParam());
  gemm(ctx, MatrixView<const std::int8_t>(a, 2, 2), 0, MatrixView<const std::int8_t>(b, 2, 2),
       BLayout::kn, 0, OutputInt32{}, MatrixView<std::int32_t>(c, 2, 2));
  EXPECT_EQ(ctx.last_used_isa(), GetParam());
  EXPECT_EQ(c[0], 1 * 5 + 2 * 7);
  EXPECT_EQ(c[3], 3 * 6 + 4 * 8);
}

TEST_P(DispatchPath, PackedBRecordsItsPath) {
  Context ctx(GetParam());
  std::int8_t b[6] = {1, -2, 3, -4, 5, -6};
  const PackedB packed(ctx, MatrixView<const std::int8_t>(b, 3, 2), BLayout::kn, 0);
  EXPECT_EQ(packed.isa(), GetParam());
  EXPECT_EQ(packed.k(), 3);
  EXPECT_EQ(packed.n(), 2);
  EXPECT_EQ(packed.column_sums()[0], 1 + 3 + 5);
  EXPECT_EQ(packed.column_sums()[1], -2 - 4 - 6);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(packed.column_sums()) % 64, 0u);
}

// B given K x N (rows with or without a gap after them) and N x K packs to the same column sums,
// the naive ones, and the same products: whole and partial panels, odd K, the int8 extremes.
TEST_P(DispatchPath, PackedBFromEitherLayout) {
  Context ctx(GetParam());
  std::mt19937 rng(11);
  for (const auto& [k, n] : {std::pair<int, int>{1, 1}, {7, 33}, {64, 64}, {131, 80}, {300, 17}}) {
    const int ldb = n + (k % 2 == 0 ? 5 : 0);
    std::vector<std::int8_t> kn(static_cast<std::size_t>(k) * ldb),
        nk(static_cast<std::size_t>(n) * k);
    for (int kk = 0; kk < k; ++kk) {
      for (int j = 0; j < n; ++j) {
        const auto v = static_cast<std::int8_t>(
            (kk + j) % 7 == 0 ? (j % 2 ? 127 : -128) : static_cast<int>(rng() % 256) - 128);
        kn[static_cast<std::size_t>(kk) * ldb + j] = v;
        nk[static_cast<std::size_t>(j) * k + kk] = v;
      }
    }
    const PackedB from_kn(ctx, MatrixView<const std::int8_t>(kn.data(), k, n, ldb), BLayout::kn, 0);
    const PackedB from_nk(ctx, MatrixView<const std::int8_t>(nk.data(), n, k), BLayout::nk, 0);
    for (int j = 0; j < n; ++j) {
      std::int32_t sum = 0;
      for (int kk = 0; kk < k; ++kk) sum += nk[static_cast<std::size_t>(j) * k + kk];
      ASSERT_EQ(from_kn.column_sums()[j], sum) << "k " << k << ", n " << n << ", column " << j;
      ASSERT_EQ(from_nk.column_sums()[j], sum) << "k " << k << ", n " << n << ", column " << j;
    }
    const int m = 5;
    std::vector<std::int8_t> a(static_cast<std::size_t>(m) * k);
    for (auto& v : a) v = static_cast<std::int8_t>(static_cast<int>(rng() % 256) - 128);
    std::vector<std::int32_t> c_kn(static_cast<std::size_t>(m) * n), c_nk(c_kn.size());
    gemm(ctx, MatrixView<const std::int8_t>(a.data(), m, k), 3, from_kn, OutputInt32{},
         MatrixView<std::int32_t>(c_kn.data(), m, n));
    gemm(ctx, MatrixView<const std::int8_t>(a.data(), m, k), 3, from_nk, OutputInt32{},
         MatrixView<std::int32_t>(c_nk.data(), m, n));
    ASSERT_EQ(c_kn, c_nk) << "k " << k << ", n " << n;
  }
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(DispatchPath);

}  // namespace
}  // namespace i8gemm
