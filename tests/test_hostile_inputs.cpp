// Hostile or careless input (issue 11): sizes whose byte counts overflow, views whose last
// element is past the address space, C overlapping A or B, stage parameters whose product is
// not finite, moved-from objects. Each is refused with an Error naming the argument, before
// anything is written.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "expect_error.hpp"
#include "isa_param.hpp"

namespace i8gemm::testing {
namespace {

using HostileInput = IsaTest;

constexpr std::int64_t kHugeN = (std::int64_t{1} << 62) + 16;

// K = 0 makes B an empty view whatever N is; N * 4 bytes of column sums must not wrap.
TEST_P(HostileInput, EmptyBWithHugeNPackedB) {
  Context ctx(GetParam());
  const std::int8_t b = 0;
  expect_error(
      [&] { PackedB(ctx, MatrixView<const std::int8_t>(&b, kHugeN, 0, 0), BLayout::nk, 0); },
      "n: 4611686018427387920");
  expect_error(
      [&] { PackedB(ctx, MatrixView<const std::int8_t>(&b, 0, kHugeN, kHugeN), BLayout::kn, 0); },
      "n: 4611686018427387920");
}

TEST_P(HostileInput, EmptyBWithHugeNOneCall) {
  Context ctx(GetParam());
  const std::int8_t a = 0, b = 0;
  std::int8_t c = 42;
  OutputFixedPoint<std::int8_t> stage;
  stage.multiplier = quantize_multiplier(0.01);  // valid, so the size check is what fails
  expect_error(
      [&] {
        gemm(ctx, MatrixView<const std::int8_t>(&a, 1, 0), 0,
             MatrixView<const std::int8_t>(&b, 0, kHugeN, kHugeN), BLayout::kn, 0, stage,
             MatrixView<std::int8_t>(&c, 1, kHugeN));
      },
      "n: 4611686018427387920");
  EXPECT_EQ(c, 42);
}

// Large K with N = 1: the panels (K rounded to the path's K group, times NR) must not wrap.
TEST_P(HostileInput, HugeKPackedB) {
  Context ctx(GetParam());
  const std::int8_t b = 0;
  const std::int64_t k = std::numeric_limits<std::int64_t>::max() - 2;
  expect_error([&] { PackedB(ctx, MatrixView<const std::int8_t>(&b, 1, k), BLayout::nk, 0); },
               "k: 9223372036854775805");
}

// One row of int32 C with more columns than the address space holds int32 values.
TEST_P(HostileInput, OneRowViewPastTheAddressSpace) {
  Context ctx(GetParam());
  const std::int8_t a = 0, b = 0;
  std::int32_t c = 42;
  const std::int64_t n = (std::int64_t{1} << 61) + 2;
  expect_error(
      [&] {
        gemm(ctx, MatrixView<const std::int8_t>(&a, 1, 0), 0,
             MatrixView<const std::int8_t>(&b, 0, n, n), BLayout::kn, 0, OutputInt32{},
             MatrixView<std::int32_t>(&c, 1, n));
      },
      "c: 1 rows");
  EXPECT_EQ(c, 42);
}

// C sharing bytes with A or B would make the result depend on the path's order of work.
TEST_P(HostileInput, OverlappingBuffers) {
  Context ctx(GetParam());
  const std::int64_t m = 8, n = 8, k = 8;
  // [0, 64) free, [64, 128) A, [128, 192) B, [192, 256) free.
  std::vector<std::int8_t> buf(4 * 64, 1);
  std::int8_t* const a = buf.data() + 64;
  std::int8_t* const b = buf.data() + 128;
  OutputFixedPoint<std::int8_t> stage;
  stage.multiplier = quantize_multiplier(0.01);
  auto call = [&](std::int8_t* c) {
    gemm(ctx, MatrixView<const std::int8_t>(a, m, k), 0, MatrixView<const std::int8_t>(b, k, n),
         BLayout::kn, 0, stage, MatrixView<std::int8_t>(c, m, n));
  };
  auto call_packed = [&](std::int8_t* c) {
    const PackedB packed(ctx, MatrixView<const std::int8_t>(b, k, n), BLayout::kn, 0);
    gemm(ctx, MatrixView<const std::int8_t>(a, m, k), 0, packed, stage,
         MatrixView<std::int8_t>(c, m, n));
  };
  expect_error([&] { call(a); }, "c: overlaps a");
  expect_error([&] { call(a - 63); }, "c: overlaps a");  // C's last byte is A's first
  expect_error([&] { call(a + 63); }, "c: overlaps a");  // C's first byte is A's last
  expect_error([&] { call(b + 10); }, "c: overlaps b");
  expect_error([&] { call_packed(a + 5); }, "c: overlaps a");
  for (std::int8_t v : buf) ASSERT_EQ(v, 1);
  // Adjacent is not overlapping.
  EXPECT_NO_THROW(call(buf.data()));
  EXPECT_NO_THROW(call(buf.data() + 192));
  EXPECT_NO_THROW(call_packed(buf.data() + 192));
  // A strided C whose rows fall between A's bytes is refused too (ranges, not elements).
  std::vector<std::int8_t> wide(2 * m * 16, 1);
  expect_error(
      [&] {
        gemm(ctx, MatrixView<const std::int8_t>(wide.data(), m, k, 16), 0,
             MatrixView<const std::int8_t>(b, k, n), BLayout::kn, 0, stage,
             MatrixView<std::int8_t>(wide.data() + 8, m, n, 16));
      },
      "c: overlaps a");
}

// C (2 x n floats) = A (2 x 3) times B (3 x n), every element of both `value`, through `s`.
void gemm_float32(Context& ctx, std::int64_t n, std::int8_t value, const OutputFloat& s,
                  std::vector<float>& c) {
  const std::vector<std::int8_t> a(6, value), b(static_cast<std::size_t>(3 * n), value);
  gemm(ctx, MatrixView<const std::int8_t>(a.data(), 2, 3), 0,
       MatrixView<const std::int8_t>(b.data(), 3, n), BLayout::kn, 0, s,
       MatrixView<float>(c.data(), 2, n));
}

// a_scale * b_scale is the float32 stage's multiplier: an infinite one makes 0 * inf = NaN.
TEST_P(HostileInput, Float32ScaleProductNotFinite) {
  Context ctx(GetParam());
  std::vector<float> c(4, 42.0f);
  auto call = [&](const OutputFloat& s) { gemm_float32(ctx, 2, 0, s, c); };
  OutputFloat s;
  s.a_scale = s.b_scale = 1e30f;
  expect_error([&] { call(s); }, "a_scale * b_scale");
  const std::vector<float> a_scales = {1.0f, 3e20f}, b_scales = {2e18f, 1.0f};
  s.a_scales = a_scales.data();
  s.b_scales = b_scales.data();
  expect_error([&] { call(s); }, "a_scales[1] * b_scales[0]");
  for (float v : c) ASSERT_EQ(v, 42.0f);
  // The largest product that stays finite is accepted.
  s.a_scales = nullptr;
  s.b_scales = nullptr;
  s.a_scale = std::numeric_limits<float>::max();
  s.b_scale = 1.0f;
  EXPECT_NO_THROW(call(s));
}

// Per-row and per-column float32 scales: each one must be a finite positive number, and the
// error names the first that is not; the largest is named at its first occurrence.
TEST_P(HostileInput, Float32ScalesNamedByIndex) {
  Context ctx(GetParam());
  std::vector<float> c(8, 42.0f);
  auto call = [&](const OutputFloat& s) { gemm_float32(ctx, 4, 1, s, c); };
  const float bad[] = {0.0f,
                       -0.0f,
                       -1.0f,
                       std::numeric_limits<float>::infinity(),
                       -std::numeric_limits<float>::infinity(),
                       std::numeric_limits<float>::quiet_NaN()};
  for (float v : bad) {
    SCOPED_TRACE(v);
    std::vector<float> b_scales = {1.0f, 2.0f, v, -3.0f};
    OutputFloat s;
    s.b_scales = b_scales.data();
    expect_error([&] { call(s); }, "b_scales[2]: ");
    std::vector<float> a_scales = {1.0f, v};
    s.b_scales = nullptr;
    s.a_scales = a_scales.data();
    expect_error([&] { call(s); }, "a_scales[1]: ");
  }
  for (float v : c) ASSERT_EQ(v, 42.0f);
  // The smallest denormal is a positive scale; so is the largest float, named as the largest
  // (its first occurrence) when its product with the other side's largest overflows.
  const float big = std::numeric_limits<float>::max();
  std::vector<float> b_scales = {std::numeric_limits<float>::denorm_min(), big, 1.0f, big};
  OutputFloat s;
  s.b_scales = b_scales.data();
  EXPECT_NO_THROW(call(s));
  s.a_scale = 2.0f;
  expect_error([&] { call(s); }, "a_scale * b_scales[1]");
}

// A moved-from Context or PackedB holds nothing: using it is an Error, not a null dereference.
TEST_P(HostileInput, MovedFromObjects) {
  Context ctx(GetParam());
  std::vector<std::int8_t> a(6, 1), b(6, 1);
  std::vector<std::int32_t> c(4, 42);
  const MatrixView<const std::int8_t> av(a.data(), 2, 3), bv(b.data(), 3, 2);
  const MatrixView<std::int32_t> cv(c.data(), 2, 2);
  PackedB packed(ctx, bv, BLayout::kn, 0);
  PackedB packed_to(std::move(packed));
  expect_error([&] { gemm(ctx, av, 0, packed, OutputInt32{}, cv); }, "b: moved-from PackedB");
  expect_error([&] { (void)packed.k(); }, "moved-from PackedB");
  Context ctx_to(std::move(ctx));
  expect_error([&] { gemm(ctx, av, 0, packed_to, OutputInt32{}, cv); }, "ctx: moved-from Context");
  expect_error([&] { gemm(ctx, av, 0, bv, BLayout::kn, 0, OutputInt32{}, cv); },
               "ctx: moved-from Context");
  expect_error([&] { PackedB(ctx, bv, BLayout::kn, 0); }, "ctx: moved-from Context");
  expect_error([&] { ctx.set_num_threads(2); }, "moved-from Context");
  expect_error([&] { (void)ctx.isa(); }, "moved-from Context");
  for (std::int32_t v : c) ASSERT_EQ(v, 42);
  // The objects moved to work, and a moved-from object can be assigned a new value.
  EXPECT_NO_THROW(gemm(ctx_to, av, 0, packed_to, OutputInt32{}, cv));
  EXPECT_EQ(c, std::vector<std::int32_t>(4, 3));
  ctx = Context(GetParam());
  EXPECT_NO_THROW(gemm(ctx, av, 0, bv, BLayout::kn, 0, OutputInt32{}, cv));
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(HostileInput);

}  // namespace
}  // namespace i8gemm::testing
