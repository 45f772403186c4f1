// The fixed-point output stage against gemmlowp's fixedpoint.h, bit for bit (where gemmlowp is
// installed: I8GEMM_HAVE_GEMMLOWP; otherwise those tests skip, saying so).
#include <gtest/gtest.h>
#if I8GEMM_HAVE_GEMMLOWP
#include <gemmlowp/fixedpoint/fixedpoint.h>
#endif

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "edge_values.hpp"
#include "i8gemm/i8gemm.hpp"
#include "reference/output_stage_reference.hpp"

namespace i8gemm {
namespace {

constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();

#if I8GEMM_HAVE_GEMMLOWP
using testing::edge_values;

TEST(FixedPoint, SaturatingRoundingDoublingHighMulMatchesGemmlowp) {
  const std::vector<std::int32_t> edges = edge_values();
  for (std::int32_t a : edges) {
    for (std::int32_t b : edges) {
      ASSERT_EQ(reference::saturating_rounding_doubling_high_mul(a, b),
                gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
          << a << " * " << b;
    }
  }
  std::mt19937 rng(1);
  for (int i = 0; i < 2'000'000; ++i) {
    const auto a = static_cast<std::int32_t>(rng());
    const auto b = static_cast<std::int32_t>(rng());
    ASSERT_EQ(reference::saturating_rounding_doubling_high_mul(a, b),
              gemmlowp::SaturatingRoundingDoublingHighMul(a, b))
        << a << " * " << b;
  }
}

TEST(FixedPoint, RoundingDivideByPotMatchesGemmlowpForEveryShift) {
  const std::vector<std::int32_t> edges = edge_values();
  std::mt19937 rng(2);
  for (int shift = 0; shift <= 31; ++shift) {
    for (std::int32_t x : edges) {
      ASSERT_EQ(reference::rounding_divide_by_pot(x, shift),
                gemmlowp::RoundingDivideByPOT(x, shift))
          << x << " >> " << shift;
    }
    // Exact ties: x = (2q + 1) * 2^(shift - 1).
    for (int i = 0; i < 2000 && shift > 0; ++i) {
      const std::int64_t q = static_cast<std::int32_t>(rng()) >> shift;
      const std::int64_t tie = (2 * q + 1) * (std::int64_t{1} << (shift - 1));
      if (tie < kMin || tie > kMax) continue;
      const auto x = static_cast<std::int32_t>(tie);
      ASSERT_EQ(reference::rounding_divide_by_pot(x, shift),
                gemmlowp::RoundingDivideByPOT(x, shift))
          << x << " >> " << shift;
    }
    for (int i = 0; i < 100'000; ++i) {
      const auto x = static_cast<std::int32_t>(rng());
      ASSERT_EQ(reference::rounding_divide_by_pot(x, shift),
                gemmlowp::RoundingDivideByPOT(x, shift))
          << x << " >> " << shift;
    }
  }
}

// TensorFlow Lite's MultiplyByQuantizedMultiplier as composed from gemmlowp's primitives, with
// gemmlowp's saturating left shift.
std::int32_t gemmlowp_multiply(std::int32_t x, QuantizedMultiplier m) {
  const int left = m.shift > 0 ? m.shift : 0;
  const int right = m.shift > 0 ? 0 : -m.shift;
  std::int64_t shifted = std::int64_t{x} * (std::int64_t{1} << left);
  shifted = std::min<std::int64_t>(std::max<std::int64_t>(shifted, kMin), kMax);
  return gemmlowp::RoundingDivideByPOT(
      gemmlowp::SaturatingRoundingDoublingHighMul(static_cast<std::int32_t>(shifted), m.m0), right);
}

TEST(FixedPoint, MultiplyByQuantizedMultiplierMatchesGemmlowp) {
  std::mt19937 rng(3);
  const std::vector<std::int32_t> edges = edge_values();
  for (int shift = -31; shift <= 30; ++shift) {
    for (std::int32_t m0 : {std::int32_t{1} << 30, kMax, (std::int32_t{1} << 30) + 12345}) {
      const QuantizedMultiplier m{m0, shift};
      for (std::int32_t x : edges) {
        ASSERT_EQ(reference::multiply_by_quantized_multiplier(x, m), gemmlowp_multiply(x, m))
            << x << " m0=" << m0 << " shift=" << shift;
      }
    }
  }
  for (int i = 0; i < 2'000'000; ++i) {
    const QuantizedMultiplier m{static_cast<std::int32_t>((std::uint32_t{1} << 30) | (rng() >> 2)),
                                static_cast<std::int32_t>(rng() % 40) - 31};
    const auto x = static_cast<std::int32_t>(rng());
    ASSERT_EQ(reference::multiply_by_quantized_multiplier(x, m), gemmlowp_multiply(x, m))
        << x << " m0=" << m.m0 << " shift=" << m.shift;
  }
}
#else
TEST(FixedPoint, MatchesGemmlowp) {
  GTEST_SKIP() << "gemmlowp is not installed (Debian package libgemmlowp-dev): the fixed-point "
                  "primitives are not compared with gemmlowp's fixedpoint.h";
}
#endif

TEST(FixedPoint, QuantizeMultiplierAsTensorFlowLite) {
  // m = m0 * 2^(shift - 31), m0 in [2^30, 2^31).
  EXPECT_EQ(quantize_multiplier(0.5).m0, 1 << 30);
  EXPECT_EQ(quantize_multiplier(0.5).shift, 0);
  EXPECT_EQ(quantize_multiplier(0.25).shift, -1);
  EXPECT_EQ(quantize_multiplier(1.0).m0, 1 << 30);
  EXPECT_EQ(quantize_multiplier(1.0).shift, 1);
  EXPECT_TRUE(quantize_multiplier(0.0).is_zero());
  // 1 - 2^-40 rounds up to 2^31 and is renormalized.
  const QuantizedMultiplier near_one = quantize_multiplier(1.0 - std::ldexp(1.0, -40));
  EXPECT_EQ(near_one.m0, 1 << 30);
  EXPECT_EQ(near_one.shift, 1);
  // Below 2^-32 every bit would be shifted out: TFLite gives (0, 0), i8gemm refuses it
  // (tests/test_api_traps.cpp has the bounds).
  EXPECT_THROW(quantize_multiplier(std::ldexp(1.0, -40)), Error);
  std::mt19937 rng(4);
  for (int i = 0; i < 100000; ++i) {
    const double m = std::ldexp(1.0 + (rng() % 1000000) / 1e6, -static_cast<int>(rng() % 31));
    const QuantizedMultiplier q = quantize_multiplier(m);
    ASSERT_GE(q.m0, 1 << 30);
    EXPECT_NEAR(std::ldexp(static_cast<double>(q.m0), q.shift - 31), m, m * 1e-9);
  }
  EXPECT_THROW(quantize_multiplier(-1.0), Error);
  EXPECT_THROW(quantize_multiplier(std::nan("")), Error);
}

TEST(FixedPoint, FloatRequantizationRoundsHalfToEven) {
  EXPECT_EQ(reference::requantize_float(5, 0.5f, 0, -128, 127), 2);    // 2.5 -> 2
  EXPECT_EQ(reference::requantize_float(7, 0.5f, 0, -128, 127), 4);    // 3.5 -> 4
  EXPECT_EQ(reference::requantize_float(-5, 0.5f, 10, -128, 127), 8);  // -2.5 -> -2
  EXPECT_EQ(reference::requantize_float(kMax, 1e30f, 0, -128, 127), 127);
  EXPECT_EQ(reference::requantize_float(kMin, 1e30f, 0, -128, 127), -128);
}

}  // namespace
}  // namespace i8gemm
