// Bad arguments are refused with an Error naming the argument, and nothing is written.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "expect_error.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm {
namespace {

using testing::expect_error;

class ApiErrors : public ::testing::Test {
 protected:
  Context ctx{Isa::scalar};
  std::vector<std::int8_t> a = std::vector<std::int8_t>(12, 1);   // 3 x 4
  std::vector<std::int8_t> b = std::vector<std::int8_t>(20, 1);   // 4 x 5
  std::vector<std::int8_t> c = std::vector<std::int8_t>(15, 42);  // 3 x 5
  MatrixView<const std::int8_t> av{a.data(), 3, 4};
  MatrixView<const std::int8_t> bv{b.data(), 4, 5};
  MatrixView<std::int8_t> cv{c.data(), 3, 5};

  template <typename Stage>
  void run(MatrixView<const std::int8_t> a_, MatrixView<const std::int8_t> b_, ZeroPoints za,
           ZeroPoints zb, const Stage& s, MatrixView<typename Stage::value_type> c_) {
    gemm(ctx, a_, za, b_, BLayout::kn, zb, s, c_);
  }
  OutputFixedPoint<std::int8_t> stage() {
    OutputFixedPoint<std::int8_t> s;
    s.multiplier = quantize_multiplier(0.01);
    return s;
  }
  void expect_untouched() {
    for (std::int8_t v : c) ASSERT_EQ(v, 42);
  }
};

TEST_F(ApiErrors, Shapes) {
  expect_error([&] { run({a.data(), 3, 4, 3}, bv, 0, 0, stage(), cv); }, "a.ld");
  expect_error([&] { run({a.data(), -1, 4}, bv, 0, 0, stage(), cv); }, "a.rows");
  expect_error([&] { run({nullptr, 3, 4}, bv, 0, 0, stage(), cv); }, "a.data");
  expect_error([&] { run(av, {b.data(), 5, 4}, 0, 0, stage(), cv); }, "a.cols");
  expect_error([&] { run(av, bv, 0, 0, stage(), {c.data(), 2, 5}); }, "c.rows");
  expect_error([&] { run(av, bv, 0, 0, stage(), {c.data(), 3, 4}); }, "c.cols");
  expect_error([&] { run(av, bv, 0, 0, stage(), {nullptr, 3, 5}); }, "c.data");
  expect_error(
      [&] {
        run({a.data(), std::numeric_limits<std::int64_t>::max() / 2, 4, 4}, bv, 0, 0, stage(), cv);
      },
      "address space");
  expect_untouched();
}

TEST_F(ApiErrors, ZeroPoints) {
  expect_error([&] { run(av, bv, 128, 0, stage(), cv); }, "a_zero_point");
  expect_error([&] { run(av, bv, 0, -129, stage(), cv); }, "b_zero_point");
  std::vector<std::int32_t> zb = {0, 0, 0, 300, 0};
  expect_error([&] { run(av, bv, 0, ZeroPoints::channel(zb.data()), stage(), cv); },
               "b_zero_point[3]: 300");
  expect_untouched();
}

TEST_F(ApiErrors, OutputStages) {
  auto s = stage();
  s.multiplier = {5, 0};
  expect_error([&] { run(av, bv, 0, 0, s, cv); }, "multiplier.m0");
  s = stage();
  s.multiplier.shift = 31;
  expect_error([&] { run(av, bv, 0, 0, s, cv); }, "multiplier.shift");
  s = stage();
  s.min = 10;
  s.max = 5;
  expect_error([&] { run(av, bv, 0, 0, s, cv); }, "min");
  s = stage();
  s.zero_point = 200;
  expect_error([&] { run(av, bv, 0, 0, s, cv); }, "zero_point");
  OutputFloatScale<std::int8_t> fs;
  for (float bad : {0.0f, -1.0f, std::nanf(""), std::numeric_limits<float>::infinity()}) {
    fs.scale = bad;
    expect_error([&] { run(av, bv, 0, 0, fs, cv); }, "scale");
  }
  std::vector<float> out(15);
  OutputFloat ff;
  ff.a_scale = std::nanf("");
  expect_error([&] { run(av, bv, 0, 0, ff, MatrixView<float>(out.data(), 3, 5)); }, "a_scale");
  expect_untouched();
}

TEST_F(ApiErrors, PackedBOfAnotherShapeOrPath) {
  const PackedB packed(ctx, bv, BLayout::kn, 0);
  std::vector<std::int8_t> a5(15, 1);
  expect_error(
      [&] { gemm(ctx, MatrixView<const std::int8_t>(a5.data(), 3, 5), 0, packed, stage(), cv); },
      "a.cols");
  for (Isa isa : available_isas()) {
    if (isa == Isa::scalar) continue;
    Context other(isa);
    expect_error([&] { gemm(other, av, 0, packed, stage(), cv); }, "b: packed for path scalar");
  }
  expect_untouched();
}

}  // namespace
}  // namespace i8gemm
