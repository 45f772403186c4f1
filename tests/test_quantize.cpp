// Quantization utilities: math.md section 1 (worked examples, parameters for every bit width),
// every path's kernels bit-exact against the scalar reference, MSE, and argument validation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "i8gemm/quantize.hpp"
#include "isa_param.hpp"
#include "quantize/quantize_dispatch.hpp"
#include "reference/quantize_reference.hpp"

namespace i8gemm {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr std::int32_t kInt32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kInt32Max = std::numeric_limits<std::int32_t>::max();

// ---------------------------------------------------------------------------------------------
// Parameters (math.md section 1)
// ---------------------------------------------------------------------------------------------

TEST(QuantParams, WorkedExampleCustomRange) {
  const QuantParams p = choose_quant_params_range(-5.0f, 10.0f, -30, 50);
  EXPECT_EQ(p.scale, 0.1875f);
  EXPECT_EQ(p.zero_point, -3);
  EXPECT_EQ(p.qmin, -30);
  EXPECT_EQ(p.qmax, 50);
}

TEST(QuantParams, WorkedExampleInt8) {
  const QuantParams p = choose_quant_params(-2.0f, 3.0f);
  EXPECT_EQ(p.scale, 5.0f / 255.0f);
  EXPECT_NEAR(p.scale, 0.0196078, 1e-7);
  EXPECT_EQ(p.zero_point, -26);
  EXPECT_EQ(p.qmin, -128);
  EXPECT_EQ(p.qmax, 127);
}

TEST(QuantParams, WorkedExampleQuantize) {
  const QuantParams p = choose_quant_params(-100.0f, 200.0f);
  EXPECT_EQ(p.scale, 300.0f / 255.0f);
  EXPECT_EQ(p.zero_point, -43);
  // 1/s = 0.85 in fp32: 10 -> 8.5 - 43 = -34.5 -> -34 (half to even); the ends of the range
  // land on the ends of int8; beyond them, clamped.
  const float x[] = {10.0f, 0.0f, -100.0f, 200.0f, 1000.0f, -1000.0f, 1.0f};
  const std::int8_t want[] = {-34, -43, -128, 127, 127, -128, -42};
  std::int8_t q[7] = {};
  quantize(x, 7, p, q);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(q[i], want[i]) << "x = " << x[i];
}

TEST(QuantParams, ZeroPointIsAddedBeforeRounding) {
  // round(8.5 - 43) = round(-34.5) = -34 (half to even); round(8.5) - 43 would be -35.
  const QuantParams p{1.0f, -43, -128, 127};
  const float x[] = {8.5f, 9.5f, -0.5f, 0.5f, 1.5f};
  std::int8_t q[5];
  quantize(x, 5, p, q);
  EXPECT_EQ(q[0], -34);
  EXPECT_EQ(q[1], -34);
  EXPECT_EQ(q[2], -44);
  EXPECT_EQ(q[3], -42);
  EXPECT_EQ(q[4], -42);
}

TEST(QuantParams, DegenerateRange) {
  for (const QuantSpec spec : {QuantSpec{8, true, false}, QuantSpec{8, false, false},
                               QuantSpec{8, true, true}, QuantSpec{3, false, false}}) {
    const QuantParams p = choose_quant_params(0.0f, 0.0f, spec);
    EXPECT_EQ(p.scale, 1.0f);
    EXPECT_EQ(p.zero_point, 0);
  }
  const QuantParams custom = choose_quant_params_range(0.0f, 0.0f, -30, 50);
  EXPECT_EQ(custom.scale, 1.0f);
  EXPECT_EQ(custom.zero_point, 0);
}

TEST(QuantParams, RangeIsWidenedToIncludeZero) {
  const QuantParams positive = choose_quant_params(2.0f, 5.0f);  // as [0, 5]
  EXPECT_EQ(positive.scale, 5.0f / 255.0f);
  EXPECT_EQ(positive.zero_point, -128);
  const QuantParams negative = choose_quant_params(-5.0f, -2.0f);  // as [-5, 0]
  EXPECT_EQ(negative.scale, 5.0f / 255.0f);
  EXPECT_EQ(negative.zero_point, 127);
  const QuantParams symmetric = choose_quant_params(-2.0f, 5.0f, QuantSpec{8, true, true});
  EXPECT_EQ(symmetric.scale, 5.0f / 127.0f);
  EXPECT_EQ(symmetric.zero_point, 0);
}

TEST(QuantParams, EveryBitWidth) {
  for (int bits = 2; bits <= 16; ++bits) {
    SCOPED_TRACE("bits = " + std::to_string(bits));
    const std::int32_t half = 1 << (bits - 1);
    const QuantParams s = choose_quant_params(-1.0f, 3.0f, QuantSpec{bits, true, false});
    EXPECT_EQ(s.qmin, -half);
    EXPECT_EQ(s.qmax, half - 1);
    const QuantParams u = choose_quant_params(-1.0f, 3.0f, QuantSpec{bits, false, false});
    EXPECT_EQ(u.qmin, 0);
    EXPECT_EQ(u.qmax, 2 * half - 1);
    const QuantParams r = choose_quant_params(-1.0f, 3.0f, QuantSpec{bits, true, true});
    EXPECT_EQ(r.qmin, -(half - 1));
    EXPECT_EQ(r.qmax, half - 1);

    for (const QuantParams& p : {s, u}) {
      const float scale = 4.0f / static_cast<float>(p.qmax - p.qmin);
      EXPECT_EQ(p.scale, scale);
      EXPECT_EQ(p.zero_point, static_cast<std::int32_t>(
                                  std::nearbyint(static_cast<float>(p.qmin) + 1.0f / scale)));
    }
    EXPECT_EQ(r.scale, 3.0f / static_cast<float>(half - 1));
    EXPECT_EQ(r.zero_point, 0);

    // Real 0 is exact, and the ends of the range are within one step.
    for (const QuantParams& p : {s, u, r}) {
      const float x[] = {0.0f, -1.0f, 3.0f};
      std::int32_t q[3];
      float back[3];
      quantize(x, 3, p, q);
      dequantize(q, 3, p, back);
      EXPECT_EQ(q[0], p.zero_point);
      EXPECT_EQ(back[0], 0.0f);
      EXPECT_LE(std::fabs(back[1] - x[1]), p.scale);
      EXPECT_LE(std::fabs(back[2] - x[2]), p.scale);
    }
  }
}

// rows x cols uniform in [-3, 5), rows ld apart; the padding is NaN, which is never read.
std::vector<float> random_matrix(std::int64_t rows, std::int64_t cols, std::int64_t ld,
                                 unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-3.0f, 5.0f);
  std::vector<float> x(rows * ld, kNaN);
  for (std::int64_t i = 0; i < rows; ++i) {
    for (std::int64_t j = 0; j < cols; ++j) x[i * ld + j] = dist(rng);
  }
  return x;
}

TEST(QuantParams, PerRowAndPerColumn) {
  const std::int64_t rows = 5, cols = 7, ld = 9;
  std::vector<float> x = random_matrix(rows, cols, ld, 7);
  const QuantSpec spec{6, false, false};
  const std::vector<QuantParams> by_row = choose_quant_params_rows(x.data(), rows, cols, ld, spec);
  ASSERT_EQ(by_row.size(), 5u);
  for (std::int64_t i = 0; i < rows; ++i) {
    float lo = x[i * ld], hi = x[i * ld];
    for (std::int64_t j = 0; j < cols; ++j) {
      lo = std::min(lo, x[i * ld + j]);
      hi = std::max(hi, x[i * ld + j]);
    }
    const QuantParams want = choose_quant_params(lo, hi, spec);
    EXPECT_EQ(by_row[i].scale, want.scale);
    EXPECT_EQ(by_row[i].zero_point, want.zero_point);
  }
  const std::vector<QuantParams> by_col =
      choose_quant_params_columns(x.data(), rows, cols, ld, spec);
  ASSERT_EQ(by_col.size(), 7u);
  for (std::int64_t j = 0; j < cols; ++j) {
    float lo = x[j], hi = x[j];
    for (std::int64_t i = 0; i < rows; ++i) {
      lo = std::min(lo, x[i * ld + j]);
      hi = std::max(hi, x[i * ld + j]);
    }
    const QuantParams want = choose_quant_params(lo, hi, spec);
    EXPECT_EQ(by_col[j].scale, want.scale);
    EXPECT_EQ(by_col[j].zero_point, want.zero_point);
  }
  EXPECT_TRUE(choose_quant_params_rows(nullptr, 0, 4, 4).empty());
  EXPECT_EQ(choose_quant_params_columns(nullptr, 0, 2, 2).size(), 2u);  // empty columns: degenerate
}

TEST(QuantParams, MoreBitsGiveSmallerMse) {
  std::mt19937 rng(11);
  std::normal_distribution<float> dist(0.5f, 2.0f);
  std::vector<float> x(1000);
  for (float& v : x) v = dist(rng);
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  for (const bool is_signed : {true, false}) {
    double previous = std::numeric_limits<double>::infinity();
    for (int bits = 2; bits <= 16; ++bits) {
      const QuantParams p = choose_quant_params(*lo, *hi, QuantSpec{bits, is_signed, false});
      const double mse = quantization_mse(x.data(), x.size(), p);
      EXPECT_LT(mse, previous) << "bits = " << bits;
      // Within range the error is at most half a step.
      EXPECT_LE(mse, 0.25 * p.scale * p.scale * 1.0001) << "bits = " << bits;
      previous = mse;
    }
  }
  EXPECT_EQ(quantization_mse(nullptr, 0, choose_quant_params(-1.0f, 1.0f)), 0.0);
}

TEST(QuantParams, NanQuantizesToZeroPoint) {
  const QuantParams p{0.25f, 17, -128, 127};
  const float x[] = {kNaN, -kNaN, kInf, -kInf};
  std::int8_t q[4];
  quantize(x, 4, p, q);
  EXPECT_EQ(q[0], 17);
  EXPECT_EQ(q[1], 17);
  EXPECT_EQ(q[2], 127);
  EXPECT_EQ(q[3], -128);
}

// ---------------------------------------------------------------------------------------------
// Every kernel set against the reference
// ---------------------------------------------------------------------------------------------

// Varied parameters that fit Q: full and narrowed ranges, zero points from qmin to qmax, scales
// that are powers of two (exact ties) and others.
template <typename Q>
QuantParams varied_params(int i) {
  const std::int64_t low = std::numeric_limits<Q>::min();
  const std::int64_t high = std::numeric_limits<Q>::max();
  const std::int64_t narrow = (i % 3 == 1) ? (high - low) / 4 : 0;
  const std::int64_t qmin = low + narrow + i % 5;
  const std::int64_t qmax = high - narrow - i % 7;
  const std::int64_t zero_point = qmin + (qmax - qmin) * (i % 11) / 10;
  const float scale =
      (i % 2 == 0) ? std::ldexp(1.0f, i % 9 - 4) : 0.0173f * static_cast<float>(i + 1);
  return QuantParams{scale, static_cast<std::int32_t>(zero_point), static_cast<std::int32_t>(qmin),
                     static_cast<std::int32_t>(qmax)};
}

template <typename Q>
std::vector<QuantParams> params_for_type() {
  std::vector<QuantParams> params;
  for (int i = 0; i < 12; ++i) params.push_back(varied_params<Q>(i));
  if constexpr (std::is_same_v<Q, std::int8_t>) {
    params.push_back(choose_quant_params(-2.0f, 3.0f));
    params.push_back(choose_quant_params(-100.0f, 200.0f));
    params.push_back(choose_quant_params(-7.0f, 3.0f, QuantSpec{8, true, true}));
  }
  if constexpr (std::is_same_v<Q, std::int32_t>) {
    // q - z needs 33 bits; values beyond 2^24 and 2^31.
    params.push_back(QuantParams{1.0f, kInt32Max - 5, kInt32Min, kInt32Max});
    params.push_back(QuantParams{1.0f, kInt32Min + 3, kInt32Min, kInt32Max});
    params.push_back(QuantParams{1e-30f, 12345, kInt32Min, kInt32Max});
    params.push_back(QuantParams{1.0f, 0, kInt32Min + 1, kInt32Max - 1});
  }
  return params;
}

// Inputs around the range of p: ties (k + 0.5) * s, near-ties, uniform values, and specials
// (zeros, NaN, infinities, huge and tiny values, ties at 2^23).
std::vector<float> make_inputs(const QuantParams& p, std::size_t n, std::mt19937& rng) {
  static const float kSpecial[] = {
      0.0f,        -0.0f,         kNaN,          -kNaN,          kInf,
      -kInf,       3.4e38f,       -3.4e38f,      1e30f,          -1e30f,
      1e-45f,      -1.2e-38f,     0.5f,          -0.5f,          1.5f,
      -2.5f,       2.5f,          8388607.5f,    -8388607.5f,    8388608.0f,
      16777217.0f, 2147483520.0f, 2147483648.0f, -2147483648.0f, -2147483904.0f};
  const double span = static_cast<double>(p.qmax) - p.qmin;
  std::uniform_int_distribution<int> mode(0, 9);
  std::uniform_real_distribution<double> unit(-0.7, 0.7);
  std::uniform_int_distribution<std::size_t> special(0, std::size(kSpecial) - 1);
  std::vector<float> x(n);
  for (float& v : x) {
    const double k =
        std::nearbyint(unit(rng) * 1.4 * span) - (static_cast<double>(p.zero_point) - p.qmin);
    switch (mode(rng)) {
      case 0:
      case 1:
      case 2:
        v = static_cast<float>((k + 0.5) * p.scale);
        break;
      case 3:
        v = std::nextafter(static_cast<float>((k + 0.5) * p.scale), (k > 0) ? kInf : -kInf);
        break;
      case 4:
        v = kSpecial[special(rng)];
        break;
      default:
        v = static_cast<float>(unit(rng) * 1.5 * span * p.scale);
        break;
    }
  }
  return x;
}

// NaN and infinities replaced by 0, so that an MSE is a number to compare.
std::vector<float> finite_only(std::vector<float> x) {
  for (float& v : x) v = std::isfinite(v) ? v : 0.0f;
  return x;
}

// The ends of Q's range and random values of it.
template <typename Q>
std::vector<Q> make_codes(std::size_t n, std::mt19937& rng) {
  std::uniform_int_distribution<std::int64_t> dist(std::numeric_limits<Q>::min(),
                                                   std::numeric_limits<Q>::max());
  std::vector<Q> q(n);
  for (std::size_t i = 0; i < n; ++i) {
    q[i] = (i % 7 == 3)   ? std::numeric_limits<Q>::min()
           : (i % 7 == 5) ? std::numeric_limits<Q>::max()
                          : static_cast<Q>(dist(rng));
  }
  return q;
}

// Byte equality; on failure, the first differing element.
template <typename T>
::testing::AssertionResult same_bits(const std::vector<T>& got, const std::vector<T>& want) {
  if (got.size() == want.size() &&
      std::memcmp(got.data(), want.data(), got.size() * sizeof(T)) == 0) {
    return ::testing::AssertionSuccess();
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (std::memcmp(&got[i], &want[i], sizeof(T)) != 0) {
      return ::testing::AssertionFailure()
             << "element " << i << ": got " << +got[i] << ", want " << +want[i];
    }
  }
  return ::testing::AssertionFailure() << "sizes differ";
}

std::string describe(const QuantParams& p) {
  return "scale " + std::to_string(p.scale) + " zero_point " + std::to_string(p.zero_point) + " [" +
         std::to_string(p.qmin) + ", " + std::to_string(p.qmax) + "]";
}

using Quantize = testing::IsaTest;

template <typename Q>
void check_per_tensor(Isa set) {
  SCOPED_TRACE(std::string("storage ") + typeid(Q).name());
  std::mt19937 rng(1234);
  for (const QuantParams& p : params_for_type<Q>()) {
    SCOPED_TRACE(describe(p));
    // Every length up to 67, and lengths across the kernels' 256-value conversion blocks.
    std::vector<std::size_t> lengths = {255, 256, 257, 777, 1000};
    for (std::size_t n = 0; n <= 67; ++n) lengths.push_back(n);
    for (const std::size_t n : lengths) {
      SCOPED_TRACE("n = " + std::to_string(n));
      // One element of offset: the kernels must not need aligned data.
      std::vector<float> x = make_inputs(p, n + 1, rng);
      std::vector<Q> got(n + 1), want(n + 1);
      detail::quantize(set, x.data() + 1, n, p, got.data() + 1);
      reference::quantize(x.data() + 1, n, p, want.data() + 1);
      ASSERT_TRUE(same_bits(got, want));

      const std::vector<Q> codes = make_codes<Q>(n + 1, rng);
      std::vector<float> back(n + 1), back_want(n + 1);
      detail::dequantize(set, codes.data() + 1, n, p, back.data() + 1);
      reference::dequantize(codes.data() + 1, n, p, back_want.data() + 1);
      ASSERT_TRUE(same_bits(back, back_want));
    }
    const std::vector<float> x = finite_only(make_inputs(p, 1000, rng));
    EXPECT_EQ(detail::quantization_mse(set, x.data(), x.size(), p),
              reference::quantization_mse(x.data(), x.size(), p));
  }
}

TEST_P(Quantize, PerTensor) {
  check_per_tensor<std::int8_t>(GetParam());
  check_per_tensor<std::uint8_t>(GetParam());
  check_per_tensor<std::int16_t>(GetParam());
  check_per_tensor<std::uint16_t>(GetParam());
  check_per_tensor<std::int32_t>(GetParam());
}

// Rows x cols with ld > cols: per-row and per-column parameters, every cols in 0..67.
template <typename Q>
void check_matrix(Isa set) {
  SCOPED_TRACE(std::string("storage ") + typeid(Q).name());
  std::mt19937 rng(99);
  const std::int64_t rows = 3;
  for (std::int64_t cols = 0; cols <= 67; ++cols) {
    SCOPED_TRACE("cols = " + std::to_string(cols));
    const std::int64_t ld_x = cols + 3, ld_q = cols + 5;
    std::vector<QuantParams> params;
    for (std::int64_t k = 0; k < std::max(rows, cols); ++k) {
      params.push_back(varied_params<Q>(static_cast<int>((k * 5 + cols) % 29)));
    }
    std::vector<float> x;
    for (std::int64_t i = 0; i < rows; ++i) {
      const std::vector<float> row = make_inputs(params[i], static_cast<std::size_t>(ld_x), rng);
      x.insert(x.end(), row.begin(), row.end());
    }
    const std::vector<Q> codes = make_codes<Q>(static_cast<std::size_t>(rows * ld_q), rng);
    const std::size_t q_size = static_cast<std::size_t>(rows * ld_q);
    const std::size_t x_size = static_cast<std::size_t>(rows * ld_x);

    std::vector<Q> got(q_size), want(q_size);
    detail::quantize_rows(set, x.data(), rows, cols, ld_x, params.data(), got.data(), ld_q);
    reference::quantize_rows(x.data(), rows, cols, ld_x, params.data(), want.data(), ld_q);
    ASSERT_TRUE(same_bits(got, want)) << "quantize_rows";
    detail::quantize_columns(set, x.data(), rows, cols, ld_x, params.data(), got.data(), ld_q);
    reference::quantize_columns(x.data(), rows, cols, ld_x, params.data(), want.data(), ld_q);
    ASSERT_TRUE(same_bits(got, want)) << "quantize_columns";

    std::vector<float> back(x_size), back_want(x_size);
    detail::dequantize_rows(set, codes.data(), rows, cols, ld_q, params.data(), back.data(), ld_x);
    reference::dequantize_rows(codes.data(), rows, cols, ld_q, params.data(), back_want.data(),
                               ld_x);
    ASSERT_TRUE(same_bits(back, back_want)) << "dequantize_rows";
    detail::dequantize_columns(set, codes.data(), rows, cols, ld_q, params.data(), back.data(),
                               ld_x);
    reference::dequantize_columns(codes.data(), rows, cols, ld_q, params.data(), back_want.data(),
                                  ld_x);
    ASSERT_TRUE(same_bits(back, back_want)) << "dequantize_columns";

    const std::vector<float> finite = finite_only(x);
    EXPECT_EQ(detail::quantization_mse_rows(set, finite.data(), rows, cols, ld_x, params.data()),
              reference::quantization_mse_rows(finite.data(), rows, cols, ld_x, params.data()));
    EXPECT_EQ(detail::quantization_mse_columns(set, finite.data(), rows, cols, ld_x, params.data()),
              reference::quantization_mse_columns(finite.data(), rows, cols, ld_x, params.data()));
  }
}

TEST_P(Quantize, PerRowAndPerColumn) {
  check_matrix<std::int8_t>(GetParam());
  check_matrix<std::uint8_t>(GetParam());
  check_matrix<std::int16_t>(GetParam());
  check_matrix<std::uint16_t>(GetParam());
  check_matrix<std::int32_t>(GetParam());
}

TEST_P(Quantize, NanInfAndHugeValues) {
  const QuantParams p{0.5f, -3, -100, 90};
  std::vector<float> x(40);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float kinds[] = {kNaN, kInf, -kInf, 3.4e38f, -3.4e38f, 0.0f, -0.0f, 1e-45f};
    x[i] = kinds[i % 8];
  }
  std::vector<std::int8_t> q(x.size());
  detail::quantize(GetParam(), x.data(), x.size(), p, q.data());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::int8_t want[] = {-3, 90, -100, 90, -100, -3, -3, -3};
    EXPECT_EQ(q[i], want[i % 8]) << "x = " << x[i];
  }
  // The whole int32 range: clamping happens before the conversion to int32.
  const QuantParams wide{1.0f, 0, kInt32Min, kInt32Max};
  const float big[] = {kInf,          -kInf, 2147483648.0f,  -2147483904.0f,
                       2147483520.0f, kNaN,  -2147483648.0f, 8388607.5f,
                       8388606.5f,    0.5f,  1.5f,           -2.5f};
  const std::int32_t want[] = {kInt32Max, kInt32Min, kInt32Max, kInt32Min, 2147483520, 0,
                               kInt32Min, 8388608,   8388606,   0,         2,          -2};
  std::vector<float> xs;
  for (int copy = 0; copy < 8; ++copy) xs.insert(xs.end(), std::begin(big), std::end(big));
  std::vector<std::int32_t> q32(xs.size());
  detail::quantize(GetParam(), xs.data(), xs.size(), wide, q32.data());
  for (std::size_t i = 0; i < xs.size(); ++i) EXPECT_EQ(q32[i], want[i % 12]) << "x = " << xs[i];
}

TEST_P(Quantize, Int32DifferenceNeeds33Bits) {
  const QuantParams p{1.0f, kInt32Max - 1, kInt32Min, kInt32Max};
  std::vector<std::int32_t> q(32, kInt32Min);
  std::vector<float> x(q.size());
  detail::dequantize(GetParam(), q.data(), q.size(), p, x.data());
  for (float v : x) EXPECT_EQ(v, -4294967296.0f);  // -(2^32 - 1) rounded to fp32
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(Quantize);

// The public functions run the default path's kernels, and a forced path's when I8GEMM_ISA
// names one: each available path's table is the one they use.
TEST(QuantizeDispatch, PublicFunctionsFollowTheForcedPath) {
  const char* saved = std::getenv("I8GEMM_ISA");
  const std::string restore = saved ? saved : "";
  const QuantParams p{0.37f, 3, -128, 127};
  std::vector<float> x(1000);
  std::mt19937 rng(7);
  for (float& v : x) v = std::uniform_real_distribution<float>(-60.0f, 60.0f)(rng);
  for (Isa isa : available_isas()) {
    setenv("I8GEMM_ISA", isa_name(isa), 1);
    std::vector<std::int8_t> via_public(x.size()), via_path(x.size());
    quantize(x.data(), x.size(), p, via_public.data());
    detail::quantize(isa, x.data(), x.size(), p, via_path.data());
    EXPECT_EQ(via_public, via_path) << isa_name(isa);
  }
  setenv("I8GEMM_ISA", "bogus", 1);
  std::int8_t q = 0;
  EXPECT_THROW(quantize(x.data(), 1, p, &q), Error);
  if (restore.empty()) {
    unsetenv("I8GEMM_ISA");
  } else {
    setenv("I8GEMM_ISA", restore.c_str(), 1);
  }
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

static_assert(std::is_base_of_v<std::invalid_argument, Error>);

// The message of the i8gemm::Error `f` throws, or a note that it threw none.
std::string error_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no i8gemm::Error thrown)";
}

#define EXPECT_ERROR_NAMING(statement, name)                                    \
  do {                                                                          \
    const std::string message = error_message([&] { statement; });              \
    EXPECT_NE(message.find(name), std::string::npos) << "message: " << message; \
  } while (0)

TEST(QuantizeErrors, ChooseParams) {
  EXPECT_ERROR_NAMING(choose_quant_params(0, 1, QuantSpec{1, true, false}), "spec.bits = 1");
  EXPECT_ERROR_NAMING(choose_quant_params(0, 1, QuantSpec{33, true, false}), "spec.bits = 33");
  EXPECT_ERROR_NAMING(choose_quant_params(0, 1, QuantSpec{32, false, false}), "spec.bits = 32");
  EXPECT_ERROR_NAMING(choose_quant_params(0, 1, QuantSpec{8, false, true}), "spec.symmetric");
  EXPECT_ERROR_NAMING(choose_quant_params(kNaN, 1), "min = nan");
  EXPECT_ERROR_NAMING(choose_quant_params(-kInf, 1), "min = -inf");
  EXPECT_ERROR_NAMING(choose_quant_params(0, kInf), "max = inf");
  EXPECT_ERROR_NAMING(choose_quant_params(2, 1), "min = 2 is greater than max = 1");
  EXPECT_ERROR_NAMING(choose_quant_params(-3e38f, 3e38f), "max - min");
  EXPECT_ERROR_NAMING(choose_quant_params_range(0, 1, 5, 5), "qmin = 5");
  EXPECT_ERROR_NAMING(choose_quant_params_range(kNaN, 1, 0, 5), "min");
  const float bad[] = {1.0f, kNaN, 2.0f, 3.0f};
  EXPECT_ERROR_NAMING(choose_quant_params_rows(bad, 2, 2, 2), "x[0, 1] = nan");
  EXPECT_ERROR_NAMING(choose_quant_params_columns(bad, 2, 2, 2), "x[0, 1] = nan");
  EXPECT_ERROR_NAMING(choose_quant_params_rows(nullptr, 2, 2, 2), "x is null");
  EXPECT_ERROR_NAMING(choose_quant_params_rows(bad, 2, 2, 1), "ld_x = 1");
  EXPECT_ERROR_NAMING(choose_quant_params_columns(bad, -1, 2, 2), "rows = -1");
  EXPECT_ERROR_NAMING(choose_quant_params_columns(bad, 2, 2, 2, QuantSpec{0}), "spec.bits");
}

TEST(QuantizeErrors, Params) {
  float x[4] = {};
  std::int8_t q8[4] = {};
  std::uint8_t u8[4] = {};
  const QuantParams good{1.0f, 0, -128, 127};
  EXPECT_ERROR_NAMING(quantize<std::int8_t>(nullptr, 4, good, q8), "x is null");
  EXPECT_ERROR_NAMING(quantize<std::int8_t>(x, 4, good, nullptr), "q is null");
  EXPECT_ERROR_NAMING(dequantize<std::int8_t>(nullptr, 4, good, x), "q is null");
  EXPECT_ERROR_NAMING(dequantize<std::int8_t>(q8, 4, good, nullptr), "x is null");
  EXPECT_NO_THROW(quantize<std::int8_t>(nullptr, 0, good, nullptr));
  for (const float scale : {0.0f, -1.0f, kNaN, kInf, 1e-45f}) {
    const QuantParams p{scale, 0, -128, 127};
    EXPECT_ERROR_NAMING(quantize(x, 4, p, q8), "params.scale");
    EXPECT_ERROR_NAMING(dequantize(q8, 4, p, x), "params.scale");
  }
  EXPECT_ERROR_NAMING(quantize(x, 4, QuantParams{1.0f, 0, 5, 3}, q8), "params.qmin = 5");
  EXPECT_ERROR_NAMING(quantize(x, 4, QuantParams{1.0f, 0, -1, 255}, u8), "params.qmin = -1");
  EXPECT_ERROR_NAMING(quantize(x, 4, QuantParams{1.0f, 0, -128, 128}, q8), "params.qmax = 128");
  EXPECT_ERROR_NAMING(dequantize(u8, 4, QuantParams{1.0f, 0, 0, 256}, x), "uint8_t");
  EXPECT_ERROR_NAMING(quantize(x, 4, QuantParams{1.0f, 9, -8, 7}, q8), "params.zero_point = 9");
  EXPECT_ERROR_NAMING(quantization_mse(x, 4, QuantParams{0.0f, 0, 0, 1}), "params.scale");
  EXPECT_ERROR_NAMING(quantization_mse(nullptr, 4, good), "x is null");
}

TEST(QuantizeErrors, Matrices) {
  float x[12] = {};
  std::int16_t q[12] = {};
  const QuantParams good{1.0f, 0, -100, 100};
  const QuantParams p3[3] = {good, QuantParams{0.0f, 0, -100, 100}, good};
  const QuantParams ok3[3] = {good, good, good};
  EXPECT_ERROR_NAMING(quantize_rows(x, -1, 3, 3, ok3, q, 3), "rows = -1");
  EXPECT_ERROR_NAMING(quantize_columns(x, 3, -2, 3, ok3, q, 3), "cols = -2");
  EXPECT_ERROR_NAMING(quantize_rows(x, 3, 3, 2, ok3, q, 3), "ld_x = 2");
  EXPECT_ERROR_NAMING(quantize_columns(x, 3, 3, 3, ok3, q, 2), "ld_q = 2");
  EXPECT_ERROR_NAMING(dequantize_rows(q, 3, 3, 2, ok3, x, 3), "ld_q = 2");
  EXPECT_ERROR_NAMING(dequantize_columns(q, 3, 3, 3, ok3, x, 1), "ld_x = 1");
  EXPECT_ERROR_NAMING(quantize_rows<std::int16_t>(nullptr, 3, 3, 3, ok3, q, 3), "x is null");
  EXPECT_ERROR_NAMING(dequantize_rows<std::int16_t>(nullptr, 3, 3, 3, ok3, x, 3), "q is null");
  EXPECT_ERROR_NAMING(quantize_rows(x, 3, 3, 3, nullptr, q, 3), "params is null");
  EXPECT_ERROR_NAMING(quantize_rows(x, 3, 3, 3, p3, q, 3), "params[1].scale");
  EXPECT_ERROR_NAMING(quantize_columns(x, 3, 3, 3, p3, q, 3), "params[1].scale");
  EXPECT_ERROR_NAMING(dequantize_rows(q, 3, 3, 3, p3, x, 3), "params[1].scale");
  EXPECT_ERROR_NAMING(dequantize_columns(q, 3, 3, 3, p3, x, 3), "params[1].scale");
  EXPECT_ERROR_NAMING(quantization_mse_rows(x, 3, 3, 3, p3), "params[1].scale");
  EXPECT_ERROR_NAMING(quantization_mse_columns(x, 3, 3, 2, ok3), "ld_x = 2");
  // Empty matrices need no data.
  EXPECT_NO_THROW(quantize_rows<std::int16_t>(nullptr, 0, 3, 3, nullptr, nullptr, 3));
  EXPECT_NO_THROW(dequantize_columns<std::int16_t>(nullptr, 3, 0, 0, nullptr, nullptr, 0));
}

TEST(QuantizeErrors, UnavailablePath) {
  for (Isa isa : all_isas()) {
    if (is_available(isa)) continue;
    float x = 0.0f;
    std::int8_t q = 0;
    EXPECT_ERROR_NAMING(detail::quantize(isa, &x, 1, QuantParams{1.0f, 0, -128, 127}, &q),
                        isa_name(isa));
  }
}

// Rows long enough for the vector min/max kernel (the default path's) and a tail, and as many
// columns, ranged in one pass over the rows: the same parameters as a scalar range of each, with
// zeros of both signs and extremes anywhere, and the first bad value named (in row order for
// rows, in column order for columns).
TEST(QuantParams, PerRowAndPerColumnOfManyValues) {
  const std::int64_t rows = 6, cols = 101, ld = 103;
  std::vector<float> x = random_matrix(rows, cols, ld, 11);
  for (std::int64_t j = 0; j < cols; ++j) x[1 * ld + j] = j % 2 == 0 ? 0.0f : -0.0f;
  for (std::int64_t j = 0; j < cols; ++j) x[2 * ld + j] = std::fabs(x[2 * ld + j]);
  for (std::int64_t i = 0; i < rows; ++i) x[i * ld + 7] = i % 2 == 0 ? -0.0f : 0.0f;
  x[3 * ld + 40] = -1e30f;
  x[4 * ld + 100] = 1e30f;
  // The scalar range of `count` values `stride` apart from `first`.
  const auto want = [&x](std::int64_t first, std::int64_t count, std::int64_t stride,
                         const QuantSpec& spec) {
    float lo = x[first], hi = x[first];
    for (std::int64_t t = 1; t < count; ++t) {
      lo = std::min(lo, x[first + t * stride]);
      hi = std::max(hi, x[first + t * stride]);
    }
    return choose_quant_params(lo, hi, spec);
  };
  for (const QuantSpec spec : {QuantSpec{}, QuantSpec{8, false, false}, QuantSpec{4, true, true}}) {
    const std::vector<QuantParams> by_row =
        choose_quant_params_rows(x.data(), rows, cols, ld, spec);
    ASSERT_EQ(by_row.size(), 6u);
    for (std::int64_t i = 0; i < rows; ++i) {
      EXPECT_EQ(by_row[i].scale, want(i * ld, cols, 1, spec).scale) << "row " << i;
      EXPECT_EQ(by_row[i].zero_point, want(i * ld, cols, 1, spec).zero_point) << "row " << i;
    }
    const std::vector<QuantParams> by_col =
        choose_quant_params_columns(x.data(), rows, cols, ld, spec);
    ASSERT_EQ(by_col.size(), 101u);
    for (std::int64_t j = 0; j < cols; ++j) {
      EXPECT_EQ(by_col[j].scale, want(j, rows, ld, spec).scale) << "column " << j;
      EXPECT_EQ(by_col[j].zero_point, want(j, rows, ld, spec).zero_point) << "column " << j;
    }
  }
  x[1 * ld + 40] = kNaN;
  x[4 * ld + 37] = -kInf;
  EXPECT_ERROR_NAMING(choose_quant_params_rows(x.data(), rows, cols, ld), "x[1, 40] = nan");
  EXPECT_ERROR_NAMING(choose_quant_params_columns(x.data(), rows, cols, ld), "x[4, 37] = -inf");
}

// The one-pass form QuantizedWeights uses: the parameters and bytes of the two passes, and their
// errors.
TEST(QuantParams, ChooseAndQuantizeRowsInOnePass) {
  const std::int64_t rows = 9, cols = 77, ld = 80, ld_q = 79;
  std::vector<float> x = random_matrix(rows, cols, ld, 5);
  for (std::int64_t j = 0; j < cols; ++j) x[2 * ld + j] = 0.0f;
  x[5 * ld + 76] = 1e30f;
  x[6 * ld] = -127.5f;
  for (const QuantSpec spec :
       {QuantSpec{8, true, true}, QuantSpec{8, true, false}, QuantSpec{4, true, true}}) {
    const std::vector<QuantParams> want = choose_quant_params_rows(x.data(), rows, cols, ld, spec);
    std::vector<std::int8_t> want_q(rows * ld_q, 0x5A), got_q(rows * ld_q, 0x5A);
    quantize_rows(x.data(), rows, cols, ld, want.data(), want_q.data(), ld_q);
    const std::vector<QuantParams> got =
        detail::choose_and_quantize_rows_s8(x.data(), rows, cols, ld, spec, got_q.data(), ld_q);
    ASSERT_EQ(got.size(), want.size());
    for (std::int64_t i = 0; i < rows; ++i) {
      EXPECT_EQ(got[i].scale, want[i].scale) << "row " << i;
      EXPECT_EQ(got[i].zero_point, want[i].zero_point) << "row " << i;
    }
    EXPECT_EQ(got_q, want_q);  // the gaps past each row's cols untouched too
  }
  std::vector<std::int8_t> q(rows * ld_q);
  EXPECT_ERROR_NAMING(detail::choose_and_quantize_rows_s8(x.data(), rows, cols, ld,
                                                          QuantSpec{9, true, true}, q.data(), ld_q),
                      "spec");
  EXPECT_ERROR_NAMING(detail::choose_and_quantize_rows_s8(x.data(), rows, cols, ld, QuantSpec{},
                                                          q.data(), cols - 1),
                      "ld_q");
  x[7 * ld + 3] = kNaN;
  EXPECT_ERROR_NAMING(
      detail::choose_and_quantize_rows_s8(x.data(), rows, cols, ld, QuantSpec{}, q.data(), ld_q),
      "x[7, 3] = nan");
}

}  // namespace
}  // namespace i8gemm
