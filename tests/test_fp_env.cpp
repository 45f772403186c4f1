// The caller's floating-point environment changes no result (issue 11, point 5): under each of
// the four rounding modes, with FTZ/DAZ on and off, every path and the oracle give the bits of
// the default environment (round half to even, denormals kept), on the calling thread, on the
// pool's workers and on the threads of a caller's parallel_for; and the caller's mode is still
// set after each call.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <thread>
#include <vector>

#include "caller_fp_mode.hpp"
#include "isa_param.hpp"
#include "reference/gemm_reference.hpp"

namespace i8gemm::testing {
namespace {

// A x B with int8 A, B as K x N, and the parameters of every fp32 stage.
struct Problem {
  std::int64_t m = 0, n = 0, k = 0;
  std::vector<std::int8_t> a, b;
  std::int32_t za = 0, zb = 0;
  std::vector<float> scales, a_scales, b_scales, bias_f;
  std::vector<std::int32_t> bias;
};

Problem random_problem(std::int64_t m, std::int64_t n, std::int64_t k, std::uint32_t seed) {
  std::mt19937 rng(seed);
  Problem p;
  p.m = m;
  p.n = n;
  p.k = k;
  p.a.resize(static_cast<std::size_t>(m * k));
  p.b.resize(static_cast<std::size_t>(k * n));
  for (auto& v : p.a) v = static_cast<std::int8_t>(rng());
  for (auto& v : p.b) v = static_cast<std::int8_t>(rng());
  p.za = 3;
  p.zb = -2;
  auto pick_scale = [&](int lowest_exponent) {
    // Mostly inexact products with ties among them; some denormals.
    if (rng() % 8 == 0) return std::numeric_limits<float>::denorm_min() * (1 + rng() % 1000);
    return std::ldexp(1.0f + static_cast<float>(rng() % 64) / 64.0f,
                      lowest_exponent + static_cast<int>(rng() % 8));
  };
  for (std::int64_t j = 0; j < n; ++j) {
    p.scales.push_back(pick_scale(-14));
    p.b_scales.push_back(pick_scale(-12));
    p.bias_f.push_back(static_cast<float>(static_cast<int>(rng() % 2001) - 1000) / 3.0f);
    p.bias.push_back(static_cast<std::int32_t>(rng() % 20001) - 10000);
  }
  for (std::int64_t i = 0; i < m; ++i) p.a_scales.push_back(pick_scale(-10));
  return p;
}

// The case: acc = 5 and scale 0.5 gives 2.5, which rounds to 2 (half to even), not 3.
Problem ties_problem() {
  Problem p;
  p.m = 6;
  p.n = 1;
  p.k = 1;
  p.a = {5, -5, 3, -3, 1, 7};
  p.b = {1};
  p.scales = {0.5f};
  p.b_scales = {0.5f};
  p.a_scales = std::vector<float>(6, std::numeric_limits<float>::denorm_min() * 4096);
  p.bias_f = {0.0f};
  p.bias = {0};
  return p;
}

enum class Stage { float_scale_s8, float_scale_u8_per_channel, float32, float32_per_channel };
const Stage kStages[] = {Stage::float_scale_s8, Stage::float_scale_u8_per_channel, Stage::float32,
                         Stage::float32_per_channel};

// The stage's output bytes, by the one-call form (packed = false) or with a PackedB, or by the
// oracle itself (ctx = nullptr).
std::vector<std::uint8_t> run(Context* ctx, const Problem& p, Stage stage, bool packed) {
  const MatrixView<const std::int8_t> a(p.a.data(), p.m, p.k);
  const MatrixView<const std::int8_t> b(p.b.data(), p.k, p.n);
  const std::size_t elems = static_cast<std::size_t>(p.m * p.n);
  auto go = [&](const auto& s, auto* c) {
    using T = std::remove_pointer_t<decltype(c)>;
    const MatrixView<T> cv(c, p.m, p.n);
    if (ctx == nullptr) {
      const detail::ADesc ad{a.data, detail::AType::s8, p.m, p.k, p.k, ZeroPoints(p.za)};
      reference::gemm(ad, reference::BMatrix{b.data, p.k, p.n, p.n, BLayout::kn, p.zb},
                      detail::out_desc(s, cv));
    } else if (packed) {
      const PackedB pb(*ctx, b, BLayout::kn, p.zb);
      gemm(*ctx, a, p.za, pb, s, cv);
    } else {
      gemm(*ctx, a, p.za, b, BLayout::kn, p.zb, s, cv);
    }
  };
  std::vector<std::uint8_t> bytes;
  if (stage == Stage::float_scale_s8 || stage == Stage::float_scale_u8_per_channel) {
    std::vector<std::int8_t> c(elems);
    if (stage == Stage::float_scale_s8) {
      OutputFloatScale<std::int8_t> s;
      s.scale = p.scales[0];
      s.bias = p.bias.data();
      s.zero_point = -3;
      go(s, c.data());
    } else {
      OutputFloatScale<std::uint8_t> s;
      s.per_channel = p.scales.data();
      s.zero_point = 128;
      go(s, reinterpret_cast<std::uint8_t*>(c.data()));
    }
    bytes.resize(elems);
    std::memcpy(bytes.data(), c.data(), elems);
  } else {
    std::vector<float> c(elems);
    OutputFloat s;
    s.bias = p.bias_f.data();
    if (stage == Stage::float32) {
      s.a_scale = p.a_scales[0];
      s.b_scale = p.b_scales[0];
    } else {
      s.a_scales = p.a_scales.data();
      s.b_scales = p.b_scales.data();
    }
    go(s, c.data());
    bytes.resize(elems * 4);
    std::memcpy(bytes.data(), c.data(), elems * 4);
  }
  return bytes;
}

using FpEnvironment = IsaTest;

void expect_mode_kept(const FpMode& mode) {
  EXPECT_EQ(std::fegetround(), mode.rounding) << "the caller's rounding mode was not restored";
  EXPECT_EQ(flush_enabled(), mode.flush) << "the caller's FTZ/DAZ bits were not restored";
}

TEST_P(FpEnvironment, TiesRoundHalfToEven) {
  Context ctx(GetParam());
  const std::vector<std::uint8_t> got = run(&ctx, ties_problem(), Stage::float_scale_s8, false);
  const std::vector<std::int8_t> want = {2 - 3, -2 - 3, 2 - 3, -2 - 3, 0 - 3, 4 - 3};
  for (std::size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ(static_cast<std::int8_t>(got[i]), want[i]);
}

// Every stage, both forms, on one thread: same bits as the oracle in the default environment.
TEST_P(FpEnvironment, EveryModeGivesTheDefaultBits) {
  const Problem problems[] = {ties_problem(), random_problem(37, 45, 61, 1),
                              random_problem(1, 70, 300, 2), random_problem(9, 3, 8, 3)};
  for (const Problem& p : problems) {
    for (Stage stage : kStages) {
      const std::vector<std::uint8_t> want = run(nullptr, p, stage, false);
      for (const FpMode& mode : all_fp_modes()) {
        const CallerFpMode caller(mode);
        Context ctx(GetParam());
        for (bool packed : {false, true}) {
          EXPECT_EQ(run(&ctx, p, stage, packed), want)
              << mode.name() << " stage " << static_cast<int>(stage) << " m=" << p.m
              << " packed=" << packed;
          expect_mode_kept(mode);
        }
        EXPECT_EQ(run(nullptr, p, stage, false), want) << "the oracle under " << mode.name();
        expect_mode_kept(mode);
      }
    }
  }
}

// The pool's workers are started under the caller's mode (threads inherit it), and a caller's
// parallel_for runs tasks on threads of its own, also in the caller's mode.
TEST_P(FpEnvironment, WorkerThreadsToo) {
  const Problem p = random_problem(200, 200, 128, 4);  // big enough to be split into tasks
  const ParallelFor on_two_threads = [](std::size_t n,
                                        const std::function<void(std::size_t)>& task) {
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        for (std::size_t i = t; i < n; i += 2) task(i);
      });
    }
    for (std::thread& t : threads) t.join();
  };
  for (Stage stage : {Stage::float_scale_u8_per_channel, Stage::float32_per_channel}) {
    const std::vector<std::uint8_t> want = run(nullptr, p, stage, false);
    for (const FpMode& mode : all_fp_modes()) {
      const CallerFpMode caller(mode);
      Context pooled(GetParam(), 2);
      Context callers(GetParam());
      callers.set_parallel_for(on_two_threads, 2);
      for (Context* ctx : {&pooled, &callers}) {
        EXPECT_EQ(run(ctx, p, stage, false), want) << mode.name();
        expect_mode_kept(mode);
      }
    }
  }
}

// A denormal scale is a positive finite number, also to a caller with DAZ set.
TEST_P(FpEnvironment, DenormalScalesAreValidUnderDaz) {
  if (!kHasFlushControl) GTEST_SKIP() << "this CPU has no denormals-are-zero mode";
  Context ctx(GetParam());
  const FpMode mode{FE_TONEAREST, true};
  const CallerFpMode caller(mode);
  std::vector<std::int8_t> a(4, 100), b(4, 100), c(4, 1);
  OutputFloatScale<std::int8_t> s;
  s.scale = std::numeric_limits<float>::denorm_min();
  EXPECT_NO_THROW(gemm(ctx, MatrixView<const std::int8_t>(a.data(), 2, 2), 0,
                       MatrixView<const std::int8_t>(b.data(), 2, 2), BLayout::kn, 0, s,
                       MatrixView<std::int8_t>(c.data(), 2, 2)));
  EXPECT_EQ(c, std::vector<std::int8_t>(4, 0));
  expect_mode_kept(mode);
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(FpEnvironment);

}  // namespace
}  // namespace i8gemm::testing
