// The traps a new user met (issue 16), each closed: gemm takes mutable views; no silent zero
// multiplier; quantize_multiplier refuses what the fixed-point stage cannot represent, printing
// the value readably; the full symmetric range; quantization up to 32 bits; the int32 bias.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "i8gemm/i8gemm.hpp"
#include "i8gemm/quantize.hpp"
#include "isa_param.hpp"
#include "quantize/quantize_dispatch.hpp"
#include "reference/quantize_reference.hpp"

namespace i8gemm {
namespace {

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no i8gemm::Error thrown)";
}

#define EXPECT_ERROR_CONTAINS(statement, text)                                  \
  do {                                                                          \
    const std::string message = error_of([&] { statement; });                   \
    EXPECT_NE(message.find(text), std::string::npos) << "message: " << message; \
  } while (0)

// ---------------------------------------------------------------------------------------------
// gemm with mutable views
// ---------------------------------------------------------------------------------------------

constexpr std::int64_t kM = 5, kN = 7, kK = 11;

// sum_k (A - za)(B - zb), the oracle of these few tests, in int64.
template <typename TA>
std::vector<std::int32_t> expected_product(const std::vector<TA>& a, std::int32_t za,
                                           const std::vector<std::int8_t>& b, std::int32_t zb) {
  std::vector<std::int32_t> c(kM * kN);
  for (std::int64_t i = 0; i < kM; ++i) {
    for (std::int64_t j = 0; j < kN; ++j) {
      std::int64_t acc = 0;
      for (std::int64_t k = 0; k < kK; ++k) {
        acc += (std::int64_t{a[i * kK + k]} - za) * (std::int64_t{b[k * kN + j]} - zb);
      }
      c[i * kN + j] = static_cast<std::int32_t>(acc);
    }
  }
  return c;
}

template <typename TA>
void check_mutable_views() {
  std::mt19937 rng(16);
  std::vector<TA> a(kM * kK);
  std::vector<std::int8_t> b(kK * kN);
  for (auto& v : a) v = static_cast<TA>(rng());
  for (auto& v : b) v = static_cast<std::int8_t>(rng());
  const std::int32_t za = std::is_signed_v<TA> ? -3 : 130;
  const std::int32_t zb = 5;
  const std::vector<std::int32_t> want = expected_product(a, za, b, zb);

  Context ctx;
  MatrixView<TA> a_mut(a.data(), kM, kK);  // users' own buffers
  MatrixView<std::int8_t> b_mut(b.data(), kK, kN);
  MatrixView<const TA> a_const(a.data(), kM, kK);
  MatrixView<const std::int8_t> b_const(b.data(), kK, kN);
  std::vector<std::int32_t> c(kM * kN);
  MatrixView<std::int32_t> c_view(c.data(), kM, kN);

  // Every combination of mutable and read-only A and B, one call and packed.
  gemm(ctx, a_mut, za, b_mut, BLayout::kn, zb, OutputInt32{}, c_view);
  EXPECT_EQ(c, want);
  c.assign(c.size(), 0);
  gemm(ctx, a_mut, za, b_const, BLayout::kn, zb, OutputInt32{}, c_view);
  EXPECT_EQ(c, want);
  c.assign(c.size(), 0);
  gemm(ctx, a_const, za, b_mut, BLayout::kn, zb, OutputInt32{}, c_view);
  EXPECT_EQ(c, want);
  c.assign(c.size(), 0);
  const PackedB packed(ctx, b_mut, BLayout::kn, zb);
  gemm(ctx, a_mut, za, packed, OutputInt32{}, c_view);
  EXPECT_EQ(c, want);
  c.assign(c.size(), 0);
  gemm(ctx, a_const, za, packed, OutputInt32{}, c_view);
  EXPECT_EQ(c, want);

  // A requantizing stage, the output view mutable as always.
  std::vector<std::int8_t> y(kM * kN), y_const(kM * kN);
  OutputFixedPoint<std::int8_t> stage;
  stage.multiplier = quantize_multiplier(1.0 / 64);
  gemm(ctx, a_mut, za, packed, stage, MatrixView<std::int8_t>(y.data(), kM, kN));
  gemm(ctx, a_const, za, b_const, BLayout::kn, zb, stage,
       MatrixView<std::int8_t>(y_const.data(), kM, kN));
  EXPECT_EQ(y, y_const);
}

TEST(MutableViews, GemmTakesMutableInt8AAndB) {
  check_mutable_views<std::int8_t>();
}

TEST(MutableViews, GemmTakesMutableUint8A) {
  check_mutable_views<std::uint8_t>();
}

// ---------------------------------------------------------------------------------------------
// No silent zero multiplier
// ---------------------------------------------------------------------------------------------

class ZeroMultiplier : public ::testing::Test {
 protected:
  Context ctx;
  std::vector<std::int8_t> a = std::vector<std::int8_t>(kM * kK, 3);
  std::vector<std::int8_t> b = std::vector<std::int8_t>(kK * kN, -2);
  std::vector<std::int8_t> c = std::vector<std::int8_t>(kM * kN, 42);

  template <typename Stage>
  void run(const Stage& stage) {
    gemm(ctx, MatrixView<const std::int8_t>(a.data(), kM, kK), 0,
         MatrixView<const std::int8_t>(b.data(), kK, kN), BLayout::kn, 0, stage,
         MatrixView<std::int8_t>(c.data(), kM, kN));
  }
  void run_packed(const OutputFixedPoint<std::int8_t>& stage) {
    const PackedB packed(ctx, MatrixView<const std::int8_t>(b.data(), kK, kN), BLayout::kn, 0);
    gemm(ctx, MatrixView<const std::int8_t>(a.data(), kM, kK), 0, packed, stage,
         MatrixView<std::int8_t>(c.data(), kM, kN));
  }
};

TEST_F(ZeroMultiplier, DefaultStageIsRefusedNamingTheMultiplier) {
  const OutputFixedPoint<std::int8_t> unset;  // multiplier {0, 0}: the trap
  EXPECT_ERROR_CONTAINS(run(unset), "multiplier.m0: 0 (shift 0) is not set");
  EXPECT_ERROR_CONTAINS(run(unset), "quantize_multiplier(sA * sB / sY)");
  EXPECT_ERROR_CONTAINS(run(unset), "QuantizedMultiplier::zero()");
  EXPECT_ERROR_CONTAINS(run_packed(unset), "multiplier.m0: 0");
  OutputFixedPoint<std::int8_t> other_shift;
  other_shift.multiplier = {0, -5};  // m0 = 0 with any shift but the explicit zero's
  EXPECT_ERROR_CONTAINS(run(other_shift), "multiplier.m0: 0 (shift -5)");
  // Per channel: one unset entry among good ones.
  std::vector<QuantizedMultiplier> per_channel(kN, quantize_multiplier(0.01));
  per_channel[4] = QuantizedMultiplier{};
  OutputFixedPoint<std::int8_t> stage;
  stage.per_channel = per_channel.data();
  EXPECT_ERROR_CONTAINS(run(stage), "per_channel[4].m0: 0");
  for (std::int8_t v : c) ASSERT_EQ(v, 42) << "a refused call wrote C";
}

// Each way a per-channel multiplier can be out of range, alone among good ones (the check reads
// every channel in one pass and names the first bad one), and the ends of the range accepted.
TEST_F(ZeroMultiplier, PerChannelOutOfRangeIsNamed) {
  const struct {
    QuantizedMultiplier bad;
    const char* message;
  } cases[] = {
      {{(1 << 30) - 1, -3}, "per_channel[2].m0: 1073741823 is outside [2^30, 2^31)"},
      {{-(1 << 30), -3}, "per_channel[2].m0: -1073741824 is outside [2^30, 2^31)"},
      {{INT32_MIN, -3}, "per_channel[2].m0: -2147483648 is outside [2^30, 2^31)"},
      {{1 << 30, 31}, "per_channel[2].shift: 31 is outside [-31, 30]"},
      {{1 << 30, -32}, "per_channel[2].shift: -32 is outside [-31, 30]"},
      {{0, 30}, "per_channel[2].m0: 0 (shift 30) is not set"},
  };
  for (const auto& c : cases) {
    std::vector<QuantizedMultiplier> per_channel(kN, quantize_multiplier(0.01));
    per_channel[2] = c.bad;  // in the first vector of channels; another in the tail
    per_channel[kN - 1] = c.bad;
    OutputFixedPoint<std::int8_t> stage;
    stage.per_channel = per_channel.data();
    EXPECT_ERROR_CONTAINS(run(stage), c.message);
  }
  for (std::int8_t v : c) ASSERT_EQ(v, 42) << "a refused call wrote C";
  std::vector<QuantizedMultiplier> edges(kN, QuantizedMultiplier{INT32_MAX, 30});
  edges[0] = {1 << 30, -31};
  edges[1] = QuantizedMultiplier::zero();
  OutputFixedPoint<std::int8_t> stage;
  stage.per_channel = edges.data();
  run(stage);
}

TEST_F(ZeroMultiplier, ExplicitZeroIsAccepted) {
  EXPECT_TRUE(quantize_multiplier(0.0).is_zero());
  EXPECT_TRUE(quantize_multiplier(-0.0).is_zero());
  EXPECT_EQ(QuantizedMultiplier::zero().m0, 0);
  EXPECT_EQ(QuantizedMultiplier::zero().shift, QuantizedMultiplier::kZeroMultiplierShift);
  EXPECT_FALSE(QuantizedMultiplier{}.is_zero());
  OutputFixedPoint<std::int8_t> stage;
  stage.multiplier = QuantizedMultiplier::zero();
  stage.zero_point = 9;
  run(stage);
  for (std::int8_t v : c) ASSERT_EQ(v, 9);
  std::vector<QuantizedMultiplier> per_channel(kN, QuantizedMultiplier::zero());
  stage.per_channel = per_channel.data();
  stage.zero_point = -7;
  stage.min = -5;  // the zero point is clamped like any output
  run_packed(stage);
  for (std::int8_t v : c) ASSERT_EQ(v, -5);
}

// The explicit zero through every path's epilogue, bias at the int32 extremes.
class ZeroMultiplierPath : public testing::IsaTest {};

TEST_P(ZeroMultiplierPath, GivesTheZeroPoint) {
  Context ctx(GetParam());
  std::vector<std::uint8_t> a(33 * 70, 255);
  std::vector<std::int8_t> b(70 * 41, -128);
  std::vector<std::int32_t> bias(41);
  for (std::size_t j = 0; j < bias.size(); ++j) {
    bias[j] =
        j % 2 ? std::numeric_limits<std::int32_t>::max() : std::numeric_limits<std::int32_t>::min();
  }
  std::vector<QuantizedMultiplier> zeros(41, QuantizedMultiplier::zero());
  for (const bool per_channel : {false, true}) {
    OutputFixedPoint<std::uint8_t> stage;
    stage.multiplier = QuantizedMultiplier::zero();
    stage.per_channel = per_channel ? zeros.data() : nullptr;
    stage.bias = bias.data();
    stage.zero_point = 77;
    std::vector<std::uint8_t> c(33 * 41, 0);
    gemm(ctx, MatrixView<const std::uint8_t>(a.data(), 33, 70), 3,
         MatrixView<const std::int8_t>(b.data(), 70, 41), BLayout::kn, -1, stage,
         MatrixView<std::uint8_t>(c.data(), 33, 41));
    for (std::uint8_t v : c) ASSERT_EQ(v, 77) << "per_channel " << per_channel;
  }
}
I8GEMM_INSTANTIATE_FOR_EVERY_ISA(ZeroMultiplierPath);

// ---------------------------------------------------------------------------------------------
// quantize_multiplier: what the fixed-point stage represents, and readable refusals
// ---------------------------------------------------------------------------------------------

TEST(QuantizeMultiplierRange, MessagesPrintTheValue) {
  EXPECT_EQ(error_of([] { quantize_multiplier(-1e-40); }), "multiplier: -1e-40 is negative");
  EXPECT_EQ(error_of([] { quantize_multiplier(-0.5); }), "multiplier: -0.5 is negative");
  EXPECT_EQ(error_of([] { quantize_multiplier(std::nan("")); }), "multiplier: nan is not a number");
  EXPECT_EQ(error_of([] { quantize_multiplier(HUGE_VAL); }), "multiplier: inf is not finite");
  EXPECT_EQ(error_of([] { quantize_multiplier(-HUGE_VAL); }), "multiplier: -inf is not finite");
  EXPECT_ERROR_CONTAINS(quantize_multiplier(1e-12), "multiplier: 1e-12 is below 2^-32");
  EXPECT_ERROR_CONTAINS(quantize_multiplier(std::numeric_limits<double>::denorm_min()),
                        "multiplier: 4.94066e-324 is below 2^-32");
  EXPECT_ERROR_CONTAINS(quantize_multiplier(std::ldexp(1.0, 30)),
                        "multiplier: 1.07374e+09 is at least 2^30");
  EXPECT_ERROR_CONTAINS(quantize_multiplier(1e300), "multiplier: 1e+300 is at least 2^30");
}

TEST(QuantizeMultiplierRange, BoundsAreThoseOfTheStage) {
  // The smallest: 2^-32 = 2^30 * 2^(-31 - 31).
  const QuantizedMultiplier smallest = quantize_multiplier(std::ldexp(1.0, -32));
  EXPECT_EQ(smallest.m0, 1 << 30);
  EXPECT_EQ(smallest.shift, -31);
  // Just below 2^-32, but rounding up to it: accepted as 2^-32.
  const QuantizedMultiplier rounds_up =
      quantize_multiplier(std::ldexp(1.0 - std::ldexp(1.0, -34), -32));
  EXPECT_EQ(rounds_up.m0, 1 << 30);
  EXPECT_EQ(rounds_up.shift, -31);
  // Further below: refused (TensorFlow Lite would return 0 and zero every output).
  EXPECT_ERROR_CONTAINS(quantize_multiplier(std::ldexp(1.0 - std::ldexp(1.0, -30), -32)),
                        "below 2^-32");
  // The largest: (2^31 - 1) * 2^(30 - 31) = 2^30 - 0.5.
  const QuantizedMultiplier largest = quantize_multiplier(std::ldexp(1.0, 30) - 0.5);
  EXPECT_EQ(largest.m0, std::numeric_limits<std::int32_t>::max());
  EXPECT_EQ(largest.shift, 30);
  // 2^30 - 0.25 rounds to 2^30: refused.
  EXPECT_ERROR_CONTAINS(quantize_multiplier(std::ldexp(1.0, 30) - 0.25), "at least 2^30");

  // Both ends pass the stage's own validation and run.
  Context ctx;
  std::vector<std::int8_t> a(4, 1), b(4, 1), c(1);
  for (const QuantizedMultiplier m : {smallest, rounds_up, largest}) {
    OutputFixedPoint<std::int8_t> stage;
    stage.multiplier = m;
    gemm(ctx, MatrixView<const std::int8_t>(a.data(), 1, 4), 0,
         MatrixView<const std::int8_t>(b.data(), 4, 1), BLayout::kn, 0, stage,
         MatrixView<std::int8_t>(c.data(), 1, 1));
  }
  EXPECT_EQ(c[0], 127);  // 4 * (2^30 - 0.5) saturates
}

// ---------------------------------------------------------------------------------------------
// Symmetric quantization: restricted or full range
// ---------------------------------------------------------------------------------------------

QuantSpec symmetric(int bits, SymmetricRange range) {
  QuantSpec spec;
  spec.bits = bits;
  spec.symmetric = true;
  spec.symmetric_range = range;
  return spec;
}

TEST(SymmetricRangeChoice, FullRangeReachesMinus128) {
  const QuantParams full = choose_quant_params(-2.0f, 5.0f, symmetric(8, SymmetricRange::full));
  EXPECT_EQ(full.qmin, -128);
  EXPECT_EQ(full.qmax, 127);
  EXPECT_EQ(full.zero_point, 0);
  EXPECT_EQ(full.scale, 5.0f / 127.5f);  // PyTorch: max|r| / ((qmax - qmin) / 2)
  const QuantParams restricted =
      choose_quant_params(-2.0f, 5.0f, symmetric(8, SymmetricRange::restricted));
  EXPECT_EQ(restricted.qmin, -127);
  EXPECT_EQ(restricted.scale, 5.0f / 127.0f);
  // The default is the restricted range, as before.
  const QuantParams by_default = choose_quant_params(-2.0f, 5.0f, QuantSpec{8, true, true});
  EXPECT_EQ(by_default.qmin, -127);

  // -5 / s = -127.5 -> -128 (half to even); +5 -> 127.5 -> 128, clamped to 127.
  const float x[] = {-5.0f, 5.0f, 0.0f, -2.0f};
  std::int8_t q[4];
  quantize(x, 4, full, q);
  EXPECT_EQ(q[0], -128);
  EXPECT_EQ(q[1], 127);
  EXPECT_EQ(q[2], 0);
  EXPECT_EQ(q[3], static_cast<std::int8_t>(std::nearbyint(-2.0f * (1.0f / full.scale))));
  quantize(x, 4, restricted, q);
  EXPECT_EQ(q[0], -127);
  EXPECT_EQ(q[1], 127);
}

TEST(SymmetricRangeChoice, EveryBitWidthAndGranularity) {
  for (int bits = 2; bits <= 32; ++bits) {
    SCOPED_TRACE("bits = " + std::to_string(bits));
    const std::int64_t half = std::int64_t{1} << (bits - 1);
    const QuantParams full =
        choose_quant_params(-1.5f, 3.0f, symmetric(bits, SymmetricRange::full));
    EXPECT_EQ(full.qmin, -half);
    EXPECT_EQ(full.qmax, half - 1);
    EXPECT_EQ(full.zero_point, 0);
    const QuantParams oracle = reference::choose_quant_params_symmetric_full(
        -1.5f, 3.0f, static_cast<std::int32_t>(-half), static_cast<std::int32_t>(half - 1));
    EXPECT_EQ(full.scale, oracle.scale);
    EXPECT_EQ(full.scale, 3.0f / (static_cast<float>(2 * half - 1) / 2.0f));
    const QuantParams restricted =
        choose_quant_params(-1.5f, 3.0f, symmetric(bits, SymmetricRange::restricted));
    EXPECT_EQ(restricted.qmin, -(half - 1));
    EXPECT_EQ(restricted.qmax, half - 1);
  }
  // Per row and per column honour the spec.
  const float x[] = {-1.0f, 2.0f, 4.0f, -8.0f};  // 2 x 2
  for (const QuantParams& p :
       choose_quant_params_rows(x, 2, 2, 2, symmetric(8, SymmetricRange::full))) {
    EXPECT_EQ(p.qmin, -128);
  }
  const auto columns = choose_quant_params_columns(x, 2, 2, 2, symmetric(4, SymmetricRange::full));
  EXPECT_EQ(columns[1].qmin, -8);
  EXPECT_EQ(columns[1].scale, 8.0f / 7.5f);
}

TEST(SymmetricRangeChoice, BadSpecsAreRefused) {
  QuantSpec unsigned_full = symmetric(8, SymmetricRange::full);
  unsigned_full.is_signed = false;
  EXPECT_ERROR_CONTAINS(choose_quant_params(0, 1, unsigned_full), "spec.symmetric");
  EXPECT_ERROR_CONTAINS(choose_quant_params(0, 1, symmetric(8, static_cast<SymmetricRange>(7))),
                        "spec.symmetric_range = 7");
}

// ---------------------------------------------------------------------------------------------
// Beyond 16 bits
// ---------------------------------------------------------------------------------------------

TEST(WideQuantization, RangesUpTo32Bits) {
  for (int bits = 17; bits <= 32; ++bits) {
    SCOPED_TRACE("bits = " + std::to_string(bits));
    const std::int64_t half = std::int64_t{1} << (bits - 1);
    const QuantParams s = choose_quant_params(-3.0f, 7.0f, QuantSpec{bits, true, false});
    EXPECT_EQ(s.qmin, -half);
    EXPECT_EQ(s.qmax, half - 1);
    if (bits <= 31) {
      const QuantParams u = choose_quant_params(-3.0f, 7.0f, QuantSpec{bits, false, false});
      EXPECT_EQ(u.qmin, 0);
      EXPECT_EQ(u.qmax, 2 * half - 1);
      EXPECT_GE(u.zero_point, u.qmin);
      EXPECT_LE(u.zero_point, u.qmax);
    }
    // The float precision of the range bounds the round trip (fp32 arithmetic: half a step up
    // to ~23 bits, the float grid beyond).
    std::vector<float> x;
    for (int i = 0; i <= 1000; ++i) x.push_back(-3.0f + 0.01f * static_cast<float>(i));
    std::vector<std::int32_t> q(x.size());
    std::vector<float> back(x.size());
    quantize(x.data(), x.size(), s, q.data());
    dequantize(q.data(), q.size(), s, back.data());
    // Levels: 0.5 for the rounding, a few half-ulps of values near 2^(bits-1) in fp32; plus the
    // relative 2^-24 of the final multiply.
    const double bound = s.scale * (0.5 + std::ldexp(1.0, bits - 23)) + std::ldexp(8.0, -23);
    for (std::size_t i = 0; i < x.size(); ++i) {
      ASSERT_GE(q[i], s.qmin);
      ASSERT_LE(q[i], s.qmax);
      ASSERT_LE(std::fabs(static_cast<double>(back[i]) - x[i]), bound) << "x = " << x[i];
    }
  }
  // 17 bits do not fit 16-bit storage.
  const QuantParams p17 = choose_quant_params(-1.0f, 1.0f, QuantSpec{17, true, false});
  const float one = 1.0f;
  std::int16_t q16 = 0;
  EXPECT_ERROR_CONTAINS(quantize(&one, 1, p17, &q16), "does not fit the storage int16_t");
  EXPECT_ERROR_CONTAINS(choose_quant_params(0, 1, QuantSpec{32, false, false}),
                        "unsigned goes up to 31 bits");
}

// 32-bit parameters through every path's int32 kernels: the oracle's bits.
class WideQuantizationPath : public testing::IsaTest {};

TEST_P(WideQuantizationPath, ThirtyTwoBitsMatchTheOracle) {
  std::mt19937 rng(32);
  std::vector<float> x(203);
  for (auto& v : x) v = std::ldexp(static_cast<float>(rng() % 20001) - 10000.0f, -7);
  x[0] = 1e30f;
  x[1] = -1e30f;
  for (const QuantSpec spec :
       {QuantSpec{32, true, false}, QuantSpec{31, false, false},
        symmetric(32, SymmetricRange::full), symmetric(32, SymmetricRange::restricted)}) {
    const QuantParams p = choose_quant_params(-50.0f, 80.0f, spec);
    std::vector<std::int32_t> got(x.size()), want(x.size());
    detail::quantize(GetParam(), x.data(), x.size(), p, got.data());
    reference::quantize(x.data(), x.size(), p, want.data());
    EXPECT_EQ(got, want);
    std::vector<float> back(x.size()), back_want(x.size());
    detail::dequantize(GetParam(), got.data(), got.size(), p, back.data());
    reference::dequantize(want.data(), want.size(), p, back_want.data());
    EXPECT_EQ(back, back_want);
  }
}
I8GEMM_INSTANTIATE_FOR_EVERY_ISA(WideQuantizationPath);

// ---------------------------------------------------------------------------------------------
// quantize_bias
// ---------------------------------------------------------------------------------------------

TEST(QuantizeBias, PerTensorRoundsHalfToEven) {
  // sX * sW = 0.5 * 0.25 = 1/8.
  const float bias[] = {1.0f, -1.0f, 0.0625f, 0.1875f, -0.0625f, -0.1875f, 0.3125f, 100.0f};
  const std::int32_t want[] = {8, -8, 0, 2, 0, -2, 2, 800};
  std::int32_t got[8];
  quantize_bias(bias, 8, 0.5f, 0.25f, got);
  for (int j = 0; j < 8; ++j) EXPECT_EQ(got[j], want[j]) << "bias " << bias[j];
}

TEST(QuantizeBias, PerChannelScales) {
  const float bias[] = {1.0f, 1.0f, 1.0f, -3.0f};
  const float weight_scales[] = {0.25f, 0.5f, 1.0f / 3.0f, 0.001f};
  std::int32_t got[4];
  quantize_bias(bias, 4, 0.5f, weight_scales, got);
  EXPECT_EQ(got[0], 8);
  EXPECT_EQ(got[1], 4);
  // 1 / (0.5 * float(1/3)) = 5.9999998... -> 6
  EXPECT_EQ(got[2], 6);
  EXPECT_EQ(got[3],
            static_cast<std::int32_t>(std::nearbyint(-3.0 / (0.5 * static_cast<double>(0.001f)))));
}

TEST(QuantizeBias, SaturatesAndKeepsTinyScalesInDouble) {
  constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
  constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  const float bias[] = {1e10f,         -1e10f,         2147483648.0f,
                        2147483520.0f, -2147483648.0f, std::numeric_limits<float>::max()};
  std::int32_t got[6];
  quantize_bias(bias, 6, 1.0f, 1.0f, got);
  EXPECT_EQ(got[0], kMax);
  EXPECT_EQ(got[1], kMin);
  EXPECT_EQ(got[2], kMax);
  EXPECT_EQ(got[3], 2147483520);
  EXPECT_EQ(got[4], kMin);
  EXPECT_EQ(got[5], kMax);
  // 2^-80 * 2^-80 underflows in float but not in double: 2^-149 / 2^-160 = 2^11.
  const float tiny_bias = std::numeric_limits<float>::denorm_min();
  const float tiny_scale = std::ldexp(1.0f, -80);
  std::int32_t q = 0;
  quantize_bias(&tiny_bias, 1, tiny_scale, tiny_scale, &q);
  EXPECT_EQ(q, 2048);
}

TEST(QuantizeBias, ErrorsNameTheArgumentAndWriteNothing) {
  const float bias[] = {1.0f, std::nanf(""), 2.0f};
  const float good[] = {1.0f, 2.0f, 3.0f};
  const float scales[] = {0.5f, 0.5f, -1.0f};
  std::int32_t out[3] = {7, 7, 7};
  EXPECT_ERROR_CONTAINS(quantize_bias(bias, 3, 0.5f, 0.5f, out), "bias[1] = nan is not finite");
  EXPECT_ERROR_CONTAINS(quantize_bias(good, 3, 0.5f, scales, out),
                        "weight_scales[2] = -1 must be finite and > 0");
  EXPECT_ERROR_CONTAINS(quantize_bias(good, 3, 0.0f, 0.5f, out), "input_scale = 0");
  EXPECT_ERROR_CONTAINS(quantize_bias(good, 3, 0.5f, HUGE_VALF, out), "weight_scale = inf");
  EXPECT_ERROR_CONTAINS(quantize_bias(good, 3, std::nanf(""), 0.5f, out), "input_scale = nan");
  EXPECT_ERROR_CONTAINS(quantize_bias(nullptr, 3, 0.5f, 0.5f, out), "bias is null");
  EXPECT_ERROR_CONTAINS(quantize_bias(good, 3, 0.5f, 0.5f, nullptr), "bias_q is null");
  EXPECT_ERROR_CONTAINS(quantize_bias(good, 3, 0.5f, nullptr, out), "weight_scales is null");
  EXPECT_ERROR_CONTAINS(quantize_bias(good, -1, 0.5f, 0.5f, out), "n = -1");
  for (const std::int32_t v : out) EXPECT_EQ(v, 7);
  EXPECT_NO_THROW(quantize_bias(nullptr, 0, 0.5f, 0.5f, nullptr));
}

}  // namespace
}  // namespace i8gemm
