// Dynamic quantization (dynamic.hpp, math.md section 4): every path bit-exact against the
// oracle's literal reference::gemm_dynamic on random and adversarial rows, per row and per
// tensor, int8 and uint8 activations, at several thread counts; the error against the float
// product within the bound the scales imply; weights prepared as specified; bad input refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "caller_fp_mode.hpp"
#include "forced_blocking.hpp"
#include "framework/blocking.hpp"
#include "framework/path_config.hpp"
#include "i8gemm/dynamic.hpp"
#include "isa_param.hpp"
#include "reference/gemm_reference.hpp"

namespace i8gemm::testing {
namespace {

enum class Rows { random, zeros, one_huge, denormal, constant, negative, positive, mixed };

std::vector<float> activations(std::int64_t m, std::int64_t k, std::int64_t lda, Rows kind,
                               std::mt19937& rng) {
  std::normal_distribution<float> normal(0.3f, 2.0f);
  std::vector<float> a(static_cast<std::size_t>(std::max<std::int64_t>(1, m * lda)),
                       std::numeric_limits<float>::quiet_NaN());  // padding is never read
  for (std::int64_t i = 0; i < m; ++i) {
    const Rows row = kind == Rows::mixed ? static_cast<Rows>(i % 7) : kind;
    for (std::int64_t kk = 0; kk < k; ++kk) {
      float v = normal(rng);
      switch (row) {
        case Rows::zeros:
          v = 0.0f;
          break;
        case Rows::one_huge:
          v = kk == k / 2 ? 3e30f : v * 1e-3f;
          break;
        case Rows::denormal:
          v = v * 1e-39f;
          break;
        case Rows::constant:
          v = 3.5f;
          break;
        case Rows::negative:
          v = -std::fabs(v) - 0.5f;
          break;
        case Rows::positive:
          v = std::fabs(v) + 0.5f;
          break;
        default:
          break;
      }
      a[i * lda + kk] = v;
    }
  }
  return a;
}

struct Weights {
  std::int64_t n, k;
  std::vector<float> w;  // N x K
  std::vector<std::int8_t> q;
  std::vector<float> scales;
};

// The weights as math.md section 4 prepares them, through the public utilities.
Weights weights(std::int64_t n, std::int64_t k, std::mt19937& rng) {
  Weights w{n, k, std::vector<float>(static_cast<std::size_t>(n * k)), {}, {}};
  std::uniform_real_distribution<float> u(-0.7f, 0.7f);
  for (auto& v : w.w) v = u(rng);
  for (std::int64_t kk = 0; n > 3 && kk < k; ++kk) w.w[2 * k + kk] = 0.0f;  // a zero channel
  const std::vector<QuantParams> p =
      choose_quant_params_rows(w.w.data(), n, k, k, QuantSpec{8, true, true});
  w.q.resize(w.w.size());
  quantize_rows(w.w.data(), n, k, k, p.data(), w.q.data(), k);
  for (const QuantParams& c : p) w.scales.push_back(c.scale);
  return w;
}

// A random layer on a path: M x K activations of one kind, N x K weights, quantized and packed.
struct Layer {
  std::int64_t m, n, k;
  std::mt19937 rng;
  std::vector<float> a;
  Weights w;
  Context ctx;
  QuantizedWeights qw;

  Layer(Isa isa, std::int64_t m_, std::int64_t n_, std::int64_t k_, Rows rows, unsigned seed)
      : m(m_),
        n(n_),
        k(k_),
        rng(seed),
        a(activations(m, k, k, rows, rng)),
        w(weights(n, k, rng)),
        ctx(isa),
        qw(ctx, MatrixView<const float>(w.w.data(), n, k), BLayout::nk) {}
};

struct Case {
  std::int64_t m, n, k;
  Rows rows;
  bool per_tensor, u8, bias, clamp;
};

void expect_case(Isa isa, const Case& c, int threads, std::uint32_t seed) {
  std::mt19937 rng(seed);
  const std::int64_t lda = c.k + 3, ldc = c.n + 1;
  const std::vector<float> a = activations(c.m, c.k, lda, c.rows, rng);
  const Weights w = weights(c.n, c.k, rng);
  std::vector<float> bias(static_cast<std::size_t>(c.n));
  for (auto& v : bias) v = std::uniform_real_distribution<float>(-1.0f, 1.0f)(rng);
  Context ctx(isa, threads);
  const QuantizedWeights qw(ctx, MatrixView<const float>(w.w.data(), c.n, c.k), BLayout::nk);
  ASSERT_EQ(qw.scales(), w.scales);
  DynamicOptions opt;
  opt.granularity = c.per_tensor ? ActivationQuant::per_tensor : ActivationQuant::per_row;
  opt.unsigned_activations = c.u8;
  if (c.bias) opt.bias = bias.data();
  if (c.clamp) {
    opt.min = -0.25f;
    opt.max = 1.5f;
  }
  std::vector<QuantParams> got_params(static_cast<std::size_t>(std::max<std::int64_t>(1, c.m)));
  opt.activation_params = got_params.data();
  std::vector<float> got(static_cast<std::size_t>(c.m * ldc), 7.0f);
  gemm_dynamic(ctx, MatrixView<const float>(a.data(), c.m, c.k, lda), qw,
               MatrixView<float>(got.data(), c.m, c.n, ldc), opt);

  std::vector<float> want(got.size(), 7.0f);
  std::vector<QuantParams> want_params(got_params.size());
  OutputFloat stage;
  stage.b_scales = w.scales.data();
  stage.bias = opt.bias;
  stage.min = opt.min;
  stage.max = opt.max;
  reference::gemm_dynamic(
      a.data(), c.m, c.k, lda, c.u8 ? detail::AType::u8 : detail::AType::s8, c.per_tensor,
      reference::BMatrix{w.q.data(), c.k, c.n, c.k, BLayout::nk, ZeroPoints(0)},
      detail::out_desc(stage, MatrixView<float>(want.data(), c.m, c.n, ldc)), want_params.data());
  const std::string what = std::string(isa_name(isa)) + " " + std::to_string(c.m) + "x" +
                           std::to_string(c.n) + "x" + std::to_string(c.k) + " rows " +
                           std::to_string(static_cast<int>(c.rows)) +
                           (c.per_tensor ? " per tensor" : " per row") + (c.u8 ? " u8" : " s8") +
                           " threads " + std::to_string(threads);
  ASSERT_EQ(std::memcmp(got.data(), want.data(), got.size() * sizeof(float)), 0)
      << what << ": first difference at "
      << std::distance(got.begin(), std::mismatch(got.begin(), got.end(), want.begin()).first);
  const std::int64_t reported = c.per_tensor ? 1 : c.m;
  for (std::int64_t i = 0; i < reported; ++i) {
    EXPECT_EQ(got_params[i].scale, want_params[i].scale) << what << " row " << i;
    EXPECT_EQ(got_params[i].zero_point, want_params[i].zero_point) << what << " row " << i;
  }
}

using Dynamic = IsaTest;

TEST_P(Dynamic, BitExactOnRandomAndAdversarialRows) {
  const std::int64_t shapes[][3] = {
      {1, 33, 17}, {7, 64, 100}, {37, 97, 333}, {130, 40, 1500}, {5, 9, 0}};
  std::uint32_t seed = 1;
  for (const auto& s : shapes) {
    for (int rows = 0; rows <= static_cast<int>(Rows::mixed); ++rows) {
      for (int variant = 0; variant < 4; ++variant) {
        const Case c{s[0],
                     s[1],
                     s[2],
                     static_cast<Rows>(rows),
                     variant % 2 == 1,
                     variant >= 2,
                     (rows + variant) % 2 == 0,
                     variant == 3};
        expect_case(GetParam(), c, 1, seed++);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

TEST_P(Dynamic, BitIdenticalAtAnyThreadCount) {
  for (int threads : {1, 2, 3, 7}) {
    expect_case(GetParam(), Case{150, 300, 700, Rows::mixed, false, false, true, false}, threads,
                9);
    expect_case(GetParam(), Case{64, 1100, 96, Rows::random, true, true, true, true}, threads, 10);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// |y - y_float| within what quantizing a (half a step s_i) and w (half a step sB_j) can cost,
// plus a few fp32 roundings of the result.
TEST_P(Dynamic, ErrorWithinTheBoundOfTheScales) {
  Layer l(GetParam(), 9, 21, 300, Rows::random, 3);
  const std::int64_t m = l.m, n = l.n, k = l.k;
  const std::vector<float>& a = l.a;
  const Weights& w = l.w;
  std::vector<float> y(static_cast<std::size_t>(m * n));
  std::vector<QuantParams> p(static_cast<std::size_t>(m));
  DynamicOptions opt;
  opt.activation_params = p.data();
  gemm_dynamic(l.ctx, MatrixView<const float>(a.data(), m, k), l.qw,
               MatrixView<float>(y.data(), m, n), opt);
  for (std::int64_t i = 0; i < m; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      double exact = 0.0, bound = 0.0;
      for (std::int64_t kk = 0; kk < k; ++kk) {
        const double av = a[i * k + kk], wv = w.w[j * k + kk];
        exact += av * wv;
        bound += 0.5 * p[i].scale * std::fabs(wv) + 0.5 * w.scales[j] * std::fabs(av) +
                 0.25 * p[i].scale * w.scales[j];
      }
      bound += 4 * std::numeric_limits<float>::epsilon() * (std::fabs(exact) + bound);
      EXPECT_LE(std::fabs(y[i * n + j] - exact), bound) << "(" << i << ", " << j << ")";
    }
  }
}

TEST_P(Dynamic, WeightsFromKnLayoutMatchNk) {
  std::mt19937 rng(4);
  const Weights w = weights(10, 33, rng);
  std::vector<float> kn(w.w.size());
  for (std::int64_t j = 0; j < w.n; ++j) {
    for (std::int64_t kk = 0; kk < w.k; ++kk) kn[kk * w.n + j] = w.w[j * w.k + kk];
  }
  Context ctx(GetParam());
  const QuantizedWeights a(ctx, MatrixView<const float>(w.w.data(), w.n, w.k), BLayout::nk);
  const QuantizedWeights b(ctx, MatrixView<const float>(kn.data(), w.k, w.n), BLayout::kn);
  EXPECT_EQ(a.scales(), b.scales());
  EXPECT_EQ(a.k(), 33);
  EXPECT_EQ(a.n(), 10);
  for (std::int64_t j = 0; j < w.n; ++j) {
    std::int32_t sum = 0;
    for (std::int64_t kk = 0; kk < w.k; ++kk) sum += w.q[j * w.k + kk];
    EXPECT_EQ(a.packed().column_sums()[j], sum);
    EXPECT_EQ(b.packed().column_sums()[j], sum);
  }
}

// The caller's rounding mode and FTZ/DAZ change nothing (fp_env.hpp): the default
// environment's bits, from the fused call and from the oracle alike.
TEST_P(Dynamic, CallerFpEnvironmentChangesNothing) {
  Layer l(GetParam(), 13, 40, 77, Rows::mixed, 5);
  const std::int64_t m = l.m, n = l.n, k = l.k;
  const std::vector<float>& a = l.a;
  const Weights& w = l.w;
  Context& ctx = l.ctx;
  const QuantizedWeights& qw = l.qw;
  const ActivationQuant granularities[] = {ActivationQuant::per_row, ActivationQuant::per_tensor};
  std::vector<float> want[2], got(m * n);
  for (int g = 0; g < 2; ++g) {
    DynamicOptions opt;
    opt.granularity = granularities[g];
    want[g].resize(m * n);
    gemm_dynamic(ctx, MatrixView<const float>(a.data(), m, k), qw,
                 MatrixView<float>(want[g].data(), m, n), opt);
  }
  for (const FpMode& mode : all_fp_modes()) {
    const CallerFpMode caller(mode);
    const QuantizedWeights again(ctx, MatrixView<const float>(w.w.data(), n, k), BLayout::nk);
    EXPECT_EQ(again.scales(), qw.scales()) << mode.name();
    for (int g = 0; g < 2; ++g) {
      DynamicOptions opt;
      opt.granularity = granularities[g];
      gemm_dynamic(ctx, MatrixView<const float>(a.data(), m, k), again,
                   MatrixView<float>(got.data(), m, n), opt);
      EXPECT_EQ(std::memcmp(got.data(), want[g].data(), got.size() * sizeof(float)), 0)
          << mode.name() << (g ? " per tensor" : " per row");
    }
  }
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(Dynamic);

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// The path's range kernel finds a NaN or infinity wherever it sits in a long row (in its
// unrolled body, its one-vector loop or the tail, and in any of the pieces packing ranges a
// long row in), and names the first one; the largest finite values pass.
TEST_P(Dynamic, NonFiniteActivationIsNamedAnywhereInARow) {
  const struct {
    std::int64_t k;
    std::vector<std::int64_t> cols;
  } rows[] = {{150, {0, 5, 77, 130, 147, 149}}, {1100, {511, 512, 513, 1023, 1024, 1099}}};
  for (const auto& row : rows) {
    const std::int64_t k = row.k;
    Layer l(GetParam(), 3, 5, k, Rows::random, 6);
    std::vector<float> c(3 * 5);
    const auto run = [&] {
      gemm_dynamic(l.ctx, MatrixView<const float>(l.a.data(), 3, k), l.qw,
                   MatrixView<float>(c.data(), 3, 5));
    };
    const float bad[] = {std::numeric_limits<float>::quiet_NaN(),
                         std::numeric_limits<float>::infinity(),
                         -std::numeric_limits<float>::infinity()};
    for (std::int64_t col : row.cols) {
      for (float v : bad) {
        const std::vector<float> saved = l.a;
        l.a[k + col] = v;
        l.a[k + std::min<std::int64_t>(col + 1, k - 1)] = v;  // a later one is not the first
        l.a[2 * k + 3] = v;                                   // nor one in a later row
        const std::string where = "a[1][" + std::to_string(col) + "]";
        EXPECT_NE(error_of(run).find(where), std::string::npos) << where << " = " << v;
        l.a = saved;
      }
    }
    l.a[k + 77] = std::numeric_limits<float>::max();
    l.a[k + 78] = -std::numeric_limits<float>::max();
    EXPECT_EQ(error_of(run), "(no error)");
  }
}

// Where more than one N block meets the rows (N above NC, forced here, on one thread and on
// two), A is quantized once before the blocks instead of by each block's packing (driver.cpp):
// the same bits and the same parameters reported, per row and per tensor, int8 and uint8
// activations, K in one KC block and in several, and K = 0; a NaN still named by its place.
TEST_P(Dynamic, QuantizedOnceWhereSeveralNBlocksMeetTheRows) {
  ForcedBlocking blocking;
  const detail::PathConfig& cfg = *detail::find_path_config(GetParam());
  const std::int64_t mr = cfg.ukernels[0].mr, nr = cfg.nr, unit = cfg.k_unit;
  std::uint32_t seed = 21;
  for (const Blocking& forced : {Blocking{0, 2 * nr, 0}, Blocking{2 * mr, 3 * nr, 2 * unit}}) {
    blocking.set(forced);
    for (int threads : {1, 2}) {
      for (int variant = 0; variant < 4; ++variant) {
        const bool per_tensor = variant % 2 == 1, u8 = variant >= 2;
        expect_case(GetParam(),
                    Case{37, 97, 333, Rows::mixed, per_tensor, u8, variant != 1, variant != 2},
                    threads, seed++);
        expect_case(GetParam(),
                    Case{5, 97, 0, Rows::random, per_tensor, u8, variant == 1, variant == 2},
                    threads, seed++);
        if (HasFatalFailure()) return;
      }
      Layer l(GetParam(), 37, 97, 333, Rows::random, 24);
      l.ctx.set_num_threads(threads);
      l.a[20 * 333 + 111] = std::numeric_limits<float>::quiet_NaN();
      std::vector<float> c(37 * 97);
      const std::string error = error_of([&] {
        gemm_dynamic(l.ctx, MatrixView<const float>(l.a.data(), 37, 333), l.qw,
                     MatrixView<float>(c.data(), 37, 97));
      });
      EXPECT_NE(error.find("a[20][111]"), std::string::npos) << error;
    }
  }
}

TEST(DynamicErrors, BadInputIsNamed) {
  Context ctx;
  std::vector<float> a(4 * 6, 0.5f), w(3 * 6, 0.25f), c(4 * 3);
  const QuantizedWeights qw(ctx, MatrixView<const float>(w.data(), 3, 6), BLayout::nk);
  const auto run = [&](const DynamicOptions& opt) {
    gemm_dynamic(ctx, MatrixView<const float>(a.data(), 4, 6), qw,
                 MatrixView<float>(c.data(), 4, 3), opt);
  };
  for (auto granularity : {ActivationQuant::per_row, ActivationQuant::per_tensor}) {
    DynamicOptions opt;
    opt.granularity = granularity;
    a[2 * 6 + 5] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_NE(error_of([&] { run(opt); }).find("a[2][5]"), std::string::npos);
    a[2 * 6 + 5] = -std::numeric_limits<float>::infinity();
    EXPECT_NE(error_of([&] { run(opt); }).find("a[2][5]"), std::string::npos);
    a[2 * 6 + 5] = 0.5f;
  }
  DynamicOptions opt;
  opt.min = 2.0f;
  opt.max = 1.0f;
  EXPECT_NE(error_of([&] { run(opt); }).find("min, max"), std::string::npos);
  opt = DynamicOptions{};
  opt.granularity = static_cast<ActivationQuant>(9);
  EXPECT_NE(error_of([&] { run(opt); }).find("granularity"), std::string::npos);
  EXPECT_NE(error_of([&] {
              gemm_dynamic(ctx, MatrixView<const float>(a.data(), 4, 5), qw,
                           MatrixView<float>(c.data(), 4, 3));
            }).find("a.cols"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              gemm_dynamic(ctx, MatrixView<const float>(a.data(), 4, 6), qw.packed(), nullptr,
                           MatrixView<float>(c.data(), 4, 3));
            }).find("b_scales"),
            std::string::npos);
  w[4] = std::numeric_limits<float>::infinity();
  EXPECT_NE(error_of([&] {
              QuantizedWeights(ctx, MatrixView<const float>(w.data(), 3, 6), BLayout::nk);
            }),
            "(no error)");
}

}  // namespace
}  // namespace i8gemm::testing
