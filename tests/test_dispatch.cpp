// Path names, detection, forcing and last_used_isa().
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "i8gemm/i8gemm.hpp"
#include "isa_param.hpp"

namespace i8gemm {
namespace {

bool contains(const std::vector<Isa>& v, Isa isa) {
  return std::find(v.begin(), v.end(), isa) != v.end();
}

TEST(Dispatch, NamesRoundTrip) {
  EXPECT_EQ(all_isas().size(), 7u);
  for (Isa isa : all_isas()) EXPECT_EQ(parse_isa(isa_name(isa)), isa);
  try {
    parse_isa("avx9000");
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("avx9000"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("avx512vnni"), std::string::npos);
  }
}

TEST(Dispatch, ScalarIsAlwaysBuiltAndAvailable) {
  EXPECT_TRUE(contains(built_isas(), Isa::scalar));
  EXPECT_TRUE(contains(available_isas(), Isa::scalar));
  for (Isa isa : available_isas()) EXPECT_TRUE(contains(built_isas(), isa));
}

TEST(Dispatch, DefaultIsTheBestAvailableOrTheForcedOne) {
  const char* forced = std::getenv("I8GEMM_ISA");
  if (forced != nullptr && *forced != '\0') {
    EXPECT_EQ(default_isa(), parse_isa(forced));
  } else {
    EXPECT_EQ(default_isa(), available_isas().back());
  }
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

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(DispatchPath);

}  // namespace
}  // namespace i8gemm
