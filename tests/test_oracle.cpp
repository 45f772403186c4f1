// The oracle against a naive int64 triple loop written independently here: dense int64
// copies of A and B with the zero points subtracted, then each output stage by its formula
// (the fixed-point one in int64 here; test_fixed_point.cpp holds the oracle's primitives against
// gemmlowp's).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "i8gemm/i8gemm.hpp"
#include "reference/gemm_reference.hpp"

namespace i8gemm {
namespace {

// TensorFlow Lite's fixed-point multiply for m0 in [2^30, 2^31) and a right shift, in int64:
// the doubling high multiply rounds half up (gemmlowp's nudge and truncating division come to
// floor((x * m0 + 2^30) / 2^31)), the shift rounds half away from zero.
std::int32_t naive_fixed_point(std::int32_t x, std::int32_t m0, int right) {
  const std::int64_t high = (std::int64_t{x} * m0 + (std::int64_t{1} << 30)) >> 31;
  if (right == 0) return static_cast<std::int32_t>(high);
  const std::int64_t half = std::int64_t{1} << (right - 1);
  const std::int64_t q = high >= 0 ? (high + half) >> right : -((-high + half) >> right);
  return static_cast<std::int32_t>(q);
}

struct NaiveCase {
  std::int64_t m, n, k, lda, ldb, ldc;
  bool a_signed;
  BLayout layout;
  int za_kind, zb_kind;                          // 0 none, 1 tensor, 2 per channel
  std::vector<std::int32_t> a, b, za, zb, bias;  // a: m x lda, b: as laid out
};

NaiveCase make_case(std::mt19937_64& rng, std::int64_t m, std::int64_t n, std::int64_t k,
                    int extreme) {
  NaiveCase c{m,
              n,
              k,
              k + static_cast<std::int64_t>(rng() % 5),
              0,
              n + static_cast<std::int64_t>(rng() % 5),
              rng() % 2 == 0,
              rng() % 2 ? BLayout::kn : BLayout::nk,
              static_cast<int>(rng() % 3),
              static_cast<int>(rng() % 3),
              {},
              {},
              {},
              {},
              {}};
  const std::int32_t a_lo = c.a_signed ? -128 : 0, a_hi = c.a_signed ? 127 : 255;
  auto value = [&](std::int32_t lo, std::int32_t hi) {
    if (extreme == 1) return lo;
    if (extreme == 2) return hi;
    if (extreme == 3) return rng() % 2 ? lo : hi;
    return lo + static_cast<std::int32_t>(rng() % (hi - lo + 1));
  };
  c.a.resize(m * c.lda);
  for (auto& v : c.a) v = value(a_lo, a_hi);
  const std::int64_t b_rows = c.layout == BLayout::kn ? k : n;
  const std::int64_t b_cols = c.layout == BLayout::kn ? n : k;
  c.ldb = b_cols + static_cast<std::int64_t>(rng() % 5);
  c.b.resize(b_rows * c.ldb);
  for (auto& v : c.b) v = value(-128, 127);
  c.za.resize(m);
  const std::int32_t za_t = value(a_lo, a_hi);
  for (auto& v : c.za) v = c.za_kind == 0 ? 0 : c.za_kind == 1 ? za_t : value(a_lo, a_hi);
  c.zb.resize(n);
  const std::int32_t zb_t = value(-128, 127);
  for (auto& v : c.zb) v = c.zb_kind == 0 ? 0 : c.zb_kind == 1 ? zb_t : value(-128, 127);
  c.bias.resize(n);
  for (auto& v : c.bias) v = static_cast<std::int32_t>(rng() % 2000001) - 1000000;
  return c;
}

std::vector<std::int64_t> naive_acc(const NaiveCase& c) {
  std::vector<std::int64_t> acc(c.m * c.n, 0);
  for (std::int64_t i = 0; i < c.m; ++i) {
    for (std::int64_t j = 0; j < c.n; ++j) {
      for (std::int64_t kk = 0; kk < c.k; ++kk) {
        const std::int64_t bv = c.layout == BLayout::kn ? c.b[kk * c.ldb + j] : c.b[j * c.ldb + kk];
        acc[i * c.n + j] += (c.a[i * c.lda + kk] - c.za[i]) * (bv - c.zb[j]);
      }
    }
  }
  return acc;
}

struct Views {
  std::vector<std::int8_t> a_s8, b_s8;
  std::vector<std::uint8_t> a_u8;
  detail::ADesc a;
  reference::BMatrix b;
};

Views views(const NaiveCase& c) {
  Views v;
  v.b_s8.assign(c.b.begin(), c.b.end());
  const void* a_data;
  if (c.a_signed) {
    v.a_s8.assign(c.a.begin(), c.a.end());
    a_data = v.a_s8.data();
  } else {
    v.a_u8.assign(c.a.begin(), c.a.end());
    a_data = v.a_u8.data();
  }
  const ZeroPoints za = c.za_kind == 2 ? ZeroPoints::channel(c.za.data()) : ZeroPoints(c.za[0]);
  const ZeroPoints zb = c.zb_kind == 2 ? ZeroPoints::channel(c.zb.data()) : ZeroPoints(c.zb[0]);
  v.a = detail::ADesc{a_data, c.a_signed ? detail::AType::s8 : detail::AType::u8, c.m, c.k, c.lda,
                      za};
  v.b = reference::BMatrix{v.b_s8.data(), c.k, c.n, c.ldb, c.layout, zb};
  return v;
}

std::int32_t wrap(std::int64_t v) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
}

void check_case(const NaiveCase& c) {
  SCOPED_TRACE(::testing::Message() << c.m << "x" << c.n << "x" << c.k << " signed=" << c.a_signed
                                    << " za=" << c.za_kind << " zb=" << c.zb_kind);
  const std::vector<std::int64_t> acc = naive_acc(c);
  const Views v = views(c);
  // int32 + bias.
  std::vector<std::int32_t> c32(c.m * c.ldc, 7);
  reference::gemm(v.a, v.b,
                  detail::out_desc(OutputInt32{c.bias.data()},
                                   MatrixView<std::int32_t>(c32.data(), c.m, c.n, c.ldc)));
  // int8 fixed point, per channel multipliers.
  std::vector<QuantizedMultiplier> mult(c.n);
  for (std::int64_t j = 0; j < c.n; ++j)
    mult[j] = quantize_multiplier(std::ldexp(1.0 + j % 7, -10 - int(j % 9)));
  OutputFixedPoint<std::int8_t> fp;
  fp.per_channel = mult.data();
  fp.bias = c.bias.data();
  fp.zero_point = -5;
  std::vector<std::int8_t> c8(c.m * c.ldc, 7);
  reference::gemm(v.a, v.b,
                  detail::out_desc(fp, MatrixView<std::int8_t>(c8.data(), c.m, c.n, c.ldc)));
  // uint8 by fp32 scale.
  OutputFloatScale<std::uint8_t> fs;
  fs.scale = 1.0f / 4096;
  fs.zero_point = 128;
  std::vector<std::uint8_t> cu8(c.m * c.ldc, 7);
  reference::gemm(v.a, v.b,
                  detail::out_desc(fs, MatrixView<std::uint8_t>(cu8.data(), c.m, c.n, c.ldc)));
  // float32, per row and per column scales.
  std::vector<float> sa(c.m), sb(c.n), bf(c.n);
  for (std::int64_t i = 0; i < c.m; ++i) sa[i] = 0.01f * (1 + i % 5);
  for (std::int64_t j = 0; j < c.n; ++j) {
    sb[j] = 0.02f * (1 + j % 3);
    bf[j] = 0.5f * (j % 4);
  }
  OutputFloat ff;
  ff.a_scales = sa.data();
  ff.b_scales = sb.data();
  ff.bias = bf.data();
  std::vector<float> cf(c.m * c.ldc, 7);
  reference::gemm(v.a, v.b, detail::out_desc(ff, MatrixView<float>(cf.data(), c.m, c.n, c.ldc)));

  for (std::int64_t i = 0; i < c.m; ++i) {
    for (std::int64_t j = 0; j < c.ldc; ++j) {
      const std::int64_t o = i * c.ldc + j;
      if (j >= c.n) {  // gaps between rows are not written
        ASSERT_EQ(c32[o], 7);
        ASSERT_EQ(c8[o], 7);
        ASSERT_EQ(cu8[o], 7);
        ASSERT_EQ(cf[o], 7.0f);
        continue;
      }
      const std::int32_t a32 = wrap(acc[i * c.n + j]);
      const std::int32_t biased = wrap(std::int64_t{a32} + c.bias[j]);
      ASSERT_EQ(c32[o], biased) << i << "," << j;
      const int right = -mult[j].shift;
      const std::int32_t q = naive_fixed_point(biased, mult[j].m0, right);
      ASSERT_EQ(c8[o], std::clamp<std::int64_t>(std::int64_t{q} - 5, -128, 127)) << i << "," << j;
      const double r = std::nearbyint(static_cast<float>(a32) * (1.0f / 4096));
      ASSERT_EQ(cu8[o], std::clamp<double>(r + 128, 0, 255)) << i << "," << j;
      const float s = sa[i] * sb[j];
      ASSERT_EQ(cf[o], s * static_cast<float>(a32) + bf[j]) << i << "," << j;
    }
  }
}

TEST(Oracle, MatchesNaiveLoopOnRandomShapes) {
  std::mt19937_64 rng(42);
  const std::int64_t primes[] = {1, 2, 3, 7, 13, 31, 61, 127, 251, 293};
  for (int t = 0; t < 24; ++t) {
    const std::int64_t m = t % 3 == 0 ? primes[rng() % 10] : 1 + rng() % 300;
    const std::int64_t n = t % 3 == 1 ? primes[rng() % 10] : 1 + rng() % 300;
    const std::int64_t k = t % 3 == 2 ? primes[rng() % 10] : 1 + rng() % 300;
    check_case(make_case(rng, std::min<std::int64_t>(m, 64), n, k, 0));
  }
}

TEST(Oracle, MatchesNaiveLoopOnExtremeValues) {
  std::mt19937_64 rng(43);
  for (int extreme = 1; extreme <= 3; ++extreme) {
    for (int t = 0; t < 12; ++t)
      check_case(make_case(rng, 1 + rng() % 40, 1 + rng() % 40, 1 + rng() % 300, extreme));
  }
}

// The worst case of math.md section 2: |A - za| = |B - zb| = 255 at K = 33025 still fits.
TEST(Oracle, ExactAtTheInt32Bound) {
  NaiveCase c{1, 1, 33025, 33025, 1, 1, false, BLayout::kn, 1, 1, {}, {}, {}, {}, {}};
  c.a.assign(33025, 255);
  c.b.assign(33025, -128);
  c.za = {0};
  c.zb = {127};
  c.bias = {0};
  const Views v = views(c);
  std::int32_t out = 0;
  reference::gemm(v.a, v.b, detail::out_desc(OutputInt32{}, MatrixView<std::int32_t>(&out, 1, 1)));
  EXPECT_EQ(out, std::int64_t{-255} * 255 * 33025);
}

}  // namespace
}  // namespace i8gemm
