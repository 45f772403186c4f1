// PreparedGemm through its public API on every path: the bits of gemm() for any number of rows,
// on one thread and two, with the stage's arrays copied at creation; and its argument errors.
// (Its bits against the oracle: every differential case that allows it runs the prepared form
// too, verification/differential.cpp.)
#include <random>
#include <vector>

#include "expect_error.hpp"
#include "isa_param.hpp"

namespace i8gemm::testing {
namespace {

using PreparedGemmPath = IsaTest;

constexpr std::int64_t kN = 37, kK = 70;
// Row counts around the kernels' MR (1..8, 16, 32), one call of several blocks and none; 17
// twice in a row (the prepared call's blocking cache hit, gemm() between the two).
constexpr std::int64_t kRows[] = {0, 1, 3, 7, 16, 17, 17, 33, 130};

struct Layer {
  std::mt19937 rng{42};
  std::vector<std::int8_t> b = bytes<std::int8_t>(kK * kN);
  std::vector<std::int32_t> bias = values<std::int32_t>(kN, -100000, 100000);
  std::vector<QuantizedMultiplier> multipliers;
  std::vector<float> scales;
  std::vector<float> bias_f = std::vector<float>(kN, 0.5f);

  Layer() {
    for (std::int64_t j = 0; j < kN; ++j) {
      multipliers.push_back(quantize_multiplier(std::ldexp(0.75, -8 - static_cast<int>(j % 5))));
      scales.push_back(std::ldexp(1.25f, -10 - static_cast<int>(j % 4)));
    }
  }
  template <typename T>
  std::vector<T> bytes(std::int64_t count) {
    std::vector<T> v(static_cast<std::size_t>(count));
    for (T& x : v) x = static_cast<T>(rng());
    return v;
  }
  template <typename T>
  std::vector<T> values(std::int64_t count, T lo, T hi) {
    std::uniform_int_distribution<T> d(lo, hi);
    std::vector<T> v(static_cast<std::size_t>(count));
    for (T& x : v) x = d(rng);
    return v;
  }
};

// The stage with its arrays moved from one layer's to another's.
template <typename T>
const T* moved(const T* p, const std::vector<T>& from, const std::vector<T>& to) {
  return p == from.data() ? to.data() : p;
}
OutputInt32 moved(OutputInt32 s, const Layer& from, const Layer& to) {
  s.bias = moved(s.bias, from.bias, to.bias);
  return s;
}
template <typename T>
OutputFixedPoint<T> moved(OutputFixedPoint<T> s, const Layer& from, const Layer& to) {
  s.bias = moved(s.bias, from.bias, to.bias);
  s.per_channel = moved(s.per_channel, from.multipliers, to.multipliers);
  return s;
}
template <typename T>
OutputFloatScale<T> moved(OutputFloatScale<T> s, const Layer& from, const Layer& to) {
  s.bias = moved(s.bias, from.bias, to.bias);
  s.per_channel = moved(s.per_channel, from.scales, to.scales);
  return s;
}
OutputFloat moved(OutputFloat s, const Layer& from, const Layer& to) {
  s.bias = moved(s.bias, from.bias_f, to.bias_f);
  s.b_scales = moved(s.b_scales, from.scales, to.scales);
  return s;
}

// Runs the prepared call and gemm() with `stage` (its arrays in `layer`) on every row count,
// expects the same bytes. The layer's arrays are overwritten after creation (gemm() reads a copy
// of them): the prepared call must use its own.
template <typename TA, typename Stage>
void expect_same_as_gemm(Context& ctx, const PackedB& b, std::int32_t za, const Stage& stage,
                         Layer& layer) {
  using C = typename Stage::value_type;
  const PreparedGemm<TA, Stage> prepared(ctx, za, b, stage);
  const Layer kept = layer;
  for (std::int32_t& v : layer.bias) v = v * 3 + 1;
  for (QuantizedMultiplier& q : layer.multipliers) q = quantize_multiplier(0.4);
  for (float& v : layer.scales) v *= 3.0f;
  for (float& v : layer.bias_f) v -= 2.0f;
  const Stage same = moved(stage, layer, kept);
  Layer data;
  for (const std::int64_t m : kRows) {
    const std::vector<TA> a = data.bytes<TA>(m * kK);
    std::vector<C> want(static_cast<std::size_t>(m * kN)), got(want.size(), C{99});
    gemm(ctx, MatrixView<const TA>(a.data(), m, kK), za, b, same,
         MatrixView<C>(want.data(), m, kN));
    prepared.run(MatrixView<const TA>(a.data(), m, kK), MatrixView<C>(got.data(), m, kN));
    ASSERT_EQ(got, want) << "m = " << m << ", " << ctx.num_threads() << " thread(s)";
    ASSERT_EQ(ctx.last_used_isa(), ctx.isa());
  }
  layer = kept;
}

TEST_P(PreparedGemmPath, SameBitsAsGemmForAnyRows) {
  for (const int threads : {1, 2}) {
    Context ctx(GetParam(), threads);
    Layer layer;
    const PackedB b(ctx, MatrixView<const std::int8_t>(layer.b.data(), kK, kN), BLayout::kn, 0);
    expect_same_as_gemm<std::int8_t>(ctx, b, -128, OutputInt32{layer.bias.data()}, layer);
    expect_same_as_gemm<std::uint8_t>(ctx, b, 255, OutputInt32{layer.bias.data()}, layer);
    OutputFixedPoint<std::int8_t> per_channel;
    per_channel.per_channel = layer.multipliers.data();
    per_channel.bias = layer.bias.data();
    per_channel.zero_point = -3;
    per_channel.min = -3;  // a fused ReLU
    expect_same_as_gemm<std::int8_t>(ctx, b, 5, per_channel, layer);
    OutputFixedPoint<std::uint8_t> per_tensor;
    per_tensor.multiplier = quantize_multiplier(3.5e-4);
    per_tensor.bias = layer.bias.data();
    per_tensor.zero_point = 128;
    expect_same_as_gemm<std::uint8_t>(ctx, b, 0, per_tensor, layer);
    OutputFloatScale<std::int8_t> float_scale;
    float_scale.per_channel = layer.scales.data();
    float_scale.bias = layer.bias.data();
    expect_same_as_gemm<std::uint8_t>(ctx, b, 7, float_scale, layer);
  }
}

// B with per-column zero points (row terms in the epilogue) and the float32 stage.
TEST_P(PreparedGemmPath, BZeroPointsAndFloatOut) {
  Context ctx(GetParam());
  Layer layer;
  const std::vector<std::int32_t> zb = layer.values<std::int32_t>(kN, -128, 127);
  const PackedB b(ctx, MatrixView<const std::int8_t>(layer.b.data(), kN, kK), BLayout::nk,
                  ZeroPoints::channel(zb.data()));
  OutputFloat out;
  out.a_scale = 0.02f;
  out.b_scales = layer.scales.data();
  out.bias = layer.bias_f.data();
  out.min = -40.0f;
  expect_same_as_gemm<std::int8_t>(ctx, b, -7, out, layer);
}

// K = 0 (every output is the stage applied to the bias) and N = 0 (nothing to write).
TEST_P(PreparedGemmPath, EmptyDimensions) {
  Context ctx(GetParam());
  Layer layer;
  OutputFixedPoint<std::int8_t> stage;
  stage.per_channel = layer.multipliers.data();
  stage.bias = layer.bias.data();
  stage.zero_point = 9;
  const PackedB no_k(ctx, MatrixView<const std::int8_t>(nullptr, 0, kN), BLayout::kn, 0);
  const PreparedGemm<std::int8_t, OutputFixedPoint<std::int8_t>> depth_zero(ctx, 4, no_k, stage);
  std::vector<std::int8_t> want(3 * kN), got(3 * kN, 99);
  gemm(ctx, MatrixView<const std::int8_t>(nullptr, 3, 0), 4, no_k, stage,
       MatrixView<std::int8_t>(want.data(), 3, kN));
  depth_zero.run(MatrixView<const std::int8_t>(nullptr, 3, 0),
                 MatrixView<std::int8_t>(got.data(), 3, kN));
  EXPECT_EQ(got, want);
  const PackedB no_n(ctx, MatrixView<const std::int8_t>(layer.b.data(), kK, 0), BLayout::kn, 0);
  const PreparedGemm<std::int8_t, OutputInt32> width_zero(ctx, 0, no_n, OutputInt32{});
  const std::vector<std::int8_t> a(3 * kK, 1);
  width_zero.run(MatrixView<const std::int8_t>(a.data(), 3, kK),
                 MatrixView<std::int32_t>(nullptr, 3, 0));
  EXPECT_EQ(ctx.last_used_isa(), GetParam());
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(PreparedGemmPath);

TEST(PreparedGemmErrors, NameTheArgument) {
  Context ctx;
  Layer layer;
  const PackedB b(ctx, MatrixView<const std::int8_t>(layer.b.data(), kK, kN), BLayout::kn, 0);
  using Int8Out = OutputFixedPoint<std::int8_t>;
  Int8Out unset;  // multiplier {0, 0}
  expect_error([&] { PreparedGemm<std::int8_t, Int8Out>(ctx, 0, b, unset); }, "multiplier.m0");
  Int8Out stage;
  stage.multiplier = quantize_multiplier(0.001);
  stage.min = 10;
  stage.max = 5;
  expect_error([&] { PreparedGemm<std::int8_t, Int8Out>(ctx, 0, b, stage); }, "min: 10");
  stage.max = 127;
  expect_error([&] { PreparedGemm<std::uint8_t, Int8Out>(ctx, -1, b, stage); }, "a_zero_point: -1");
  expect_error([&] { PreparedGemm<std::int8_t, Int8Out>(ctx, 128, b, stage); },
               "a_zero_point: 128");
  OutputFloat per_row;
  const float a_scales[1] = {1.0f};
  per_row.a_scales = a_scales;
  expect_error([&] { PreparedGemm<std::int8_t, OutputFloat>(ctx, 0, b, per_row); }, "a_scales");

  const PreparedGemm<std::int8_t, Int8Out> prepared(ctx, 0, b, stage);
  std::vector<std::int8_t> a(static_cast<std::size_t>(4 * kK)), c(static_cast<std::size_t>(4 * kN));
  expect_error(
      [&] {
        prepared.run(MatrixView<const std::int8_t>(a.data(), 4, kK - 1),
                     MatrixView<std::int8_t>(c.data(), 4, kN));
      },
      "a.cols: 69");
  expect_error(
      [&] {
        prepared.run(MatrixView<const std::int8_t>(a.data(), 4, kK),
                     MatrixView<std::int8_t>(c.data(), 3, kN));
      },
      "c.rows: 3");
  expect_error(
      [&] {
        prepared.run(MatrixView<const std::int8_t>(nullptr, 4, kK),
                     MatrixView<std::int8_t>(c.data(), 4, kN));
      },
      "a.data");
  expect_error(
      [&] {
        prepared.run(MatrixView<const std::int8_t>(a.data(), 4, kK),
                     MatrixView<std::int8_t>(a.data() + 8, 4, kN));
      },
      "c: overlaps a");
  // The Context on another path than B's, then back on it.
  if (ctx.isa() != Isa::scalar) {
    const Isa path = ctx.isa();
    ctx.set_isa(Isa::scalar);
    expect_error(
        [&] {
          prepared.run(MatrixView<const std::int8_t>(a.data(), 4, kK),
                       MatrixView<std::int8_t>(c.data(), 4, kN));
        },
        "ctx: runs path scalar, but this PreparedGemm was made for path");
    expect_error([&] { PreparedGemm<std::int8_t, Int8Out>(ctx, 0, b, stage); },
                 "b: packed for path");
    ctx.set_isa(path);
    std::vector<std::int8_t> want(c.size());
    gemm(ctx, MatrixView<const std::int8_t>(a.data(), 4, kK), 0, b, stage,
         MatrixView<std::int8_t>(want.data(), 4, kN));
    prepared.run(MatrixView<const std::int8_t>(a.data(), 4, kK),
                 MatrixView<std::int8_t>(c.data(), 4, kN));
    EXPECT_EQ(c, want);
  }
  // Its PackedB assigned another packing (of more columns) after it was made.
  PackedB reassigned(ctx, MatrixView<const std::int8_t>(layer.b.data(), kK, kN), BLayout::kn, 0);
  const PreparedGemm<std::int8_t, Int8Out> on_reassigned(ctx, 0, reassigned, stage);
  reassigned = PackedB(ctx, MatrixView<const std::int8_t>(layer.b.data(), kN, kK), BLayout::kn, 0);
  std::vector<std::int8_t> wide(static_cast<std::size_t>(4 * kK));
  expect_error(
      [&] {
        on_reassigned.run(MatrixView<const std::int8_t>(a.data(), 4, kN),
                          MatrixView<std::int8_t>(wide.data(), 4, kK));
      },
      "b: the PackedB this PreparedGemm was made with holds another packing");
}

}  // namespace
}  // namespace i8gemm::testing
