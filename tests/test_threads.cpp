// Threads: bit-identical results at any thread count, the caller's own parallel-for, and many
// threads sharing one PackedB, each with its own Context.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

#include "forced_blocking.hpp"
#include "framework/path_config.hpp"
#include "framework/thread_pool.hpp"
#include "isa_param.hpp"
#include "reference/gemm_reference.hpp"
#include "verification/differential.hpp"

namespace i8gemm::testing {
namespace {

using namespace ::i8gemm::verification;

using Threads = IsaTest;

// Under ThreadSanitizer (the test-tsan preset, about ten times slower) these tests are there to
// find races, which take two threads or more, not many shapes: they keep the thread counts above
// one and a third of the random shapes. The native and ASan suites run all of them.
#if defined(__SANITIZE_THREAD__)
constexpr bool kUnderTsan = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kUnderTsan = true;
#else
constexpr bool kUnderTsan = false;
#endif
#else
constexpr bool kUnderTsan = false;
#endif

// Shapes that cut into several blocks of M and N, GEMV-like ones that are split over N only,
// and K beyond one of the path's KC blocks.
std::vector<GemmCase> threaded_cases(Isa isa) {
  std::mt19937_64 rng(99);
  std::vector<GemmCase> cases;
  const int random_cases = kUnderTsan ? 8 : 24;
  for (int i = 0; i < random_cases; ++i) cases.push_back(random_case(rng, {300, 700, 300}));
  for (std::int64_t m : {1, 3, 8}) {
    GemmCase c = random_case(rng, {m, 2000, 500});
    c.m = m;
    c.n = 1500 + 17 * m;
    cases.push_back(c);
  }
  // Read unpacked by avx512vnni and avxvnni (their direct form: B's zero point 0, K one KC
  // block, N = 125 at most 8 panels of either's NR) and split over the threads: 64 rows over M
  // (and N from 3 threads), 9 rows over N only (one row panel; two N blocks, the second from
  // column 64 on avx512vnni).
  for (std::int64_t m : {64, 9}) {
    GemmCase c = random_case(rng, {m, 125, 256});
    c.m = m;
    c.n = 125;
    c.k = 256;
    c.lda_pad = 0;
    c.zb_kind = ZeroPointKind::none;
    c.zb = 0;
    cases.push_back(c);
  }
  GemmCase deep = random_case(rng, {20, 40, 10});
  deep.k = blocking(isa, deep.m, deep.n, 1 << 20).kc + 33;
  cases.push_back(deep);
  return cases;
}

TEST_P(Threads, BitIdenticalAtAnyThreadCount) {
  const std::vector<GemmCase> cases = threaded_cases(GetParam());
  const std::vector<int> thread_counts =
      kUnderTsan ? std::vector<int>{2, 7} : std::vector<int>{1, 2, 3, 7};
  for (int threads : thread_counts) {
    for (const GemmCase& c : cases) {
      const CaseResult r = run_case(GetParam(), c, threads);
      ASSERT_TRUE(r.ok) << "threads=" << threads << ": " << r.message
                        << "\n  case: " << c.describe();
    }
  }
}

// An application's pool stands in: tasks run on three std::threads in reverse order.
TEST_P(Threads, CallersParallelFor) {
  std::atomic<int> calls{0};
  const ParallelFor reverse_on_three = [&](std::size_t n,
                                           const std::function<void(std::size_t)>& task) {
    ++calls;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < 3; ++t) {
      pool.emplace_back([&] {
        for (std::size_t i; (i = next.fetch_add(1)) < n;) task(n - 1 - i);
      });
    }
    for (std::thread& t : pool) t.join();
  };
  for (const GemmCase& c : threaded_cases(GetParam())) {
    const CaseResult r = run_case(GetParam(), c, 3, reverse_on_three);
    ASSERT_TRUE(r.ok) << r.message << "\n  case: " << c.describe();
  }
  if (GetParam() != Isa::scalar) {
    EXPECT_GT(calls.load(), 0);
  }
}

// One PackedB, read by many threads at once, each with its own (multi-threaded) Context.
TEST_P(Threads, SharedPackedBAcrossThreads) {
  const std::int64_t m = 37, n = 333, k = 517;
  std::mt19937 rng(5);
  std::vector<std::int8_t> a(m * k), b(n * k);
  for (auto& v : a) v = static_cast<std::int8_t>(rng());
  for (auto& v : b) v = static_cast<std::int8_t>(rng());
  Context owner(GetParam());
  const PackedB packed(owner, MatrixView<const std::int8_t>(b.data(), n, k), BLayout::nk, 3);
  std::vector<QuantizedMultiplier> mult(n, quantize_multiplier(1.0 / 3000));
  OutputFixedPoint<std::int8_t> stage;
  stage.per_channel = mult.data();
  std::vector<std::int8_t> expected(m * n);
  gemm(owner, MatrixView<const std::int8_t>(a.data(), m, k), -7, packed, stage,
       MatrixView<std::int8_t>(expected.data(), m, n));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 6; ++t) {
    callers.emplace_back([&, t] {
      Context ctx(GetParam(), 1 + t % 3);
      std::vector<std::int8_t> c(m * n);
      for (int rep = 0; rep < 20; ++rep) {
        gemm(ctx, MatrixView<const std::int8_t>(a.data(), m, k), -7, packed, stage,
             MatrixView<std::int8_t>(c.data(), m, n));
        if (c != expected) ++mismatches;
      }
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// Per-channel fixed-point requantization on blocks of M and N: blocks forced small here cut the
// call into twelve, and the multipliers differ by block of columns, so that the epilogue's
// shift cases differ between blocks: the first block's all below 1/2, the next's 1/2 to 4 (left
// shifts), then any. (The random cases above rarely combine per-channel multipliers, left shifts
// and a split of N.) A (int8 and uint8) with zero points per row and per tensor, a bias; against
// the oracle, on 1, 2 and 3 threads.
TEST_P(Threads, PerChannelFixedPointOnBlocksOfMAndN) {
  const detail::PathConfig& cfg = *detail::find_path_config(GetParam());
  const std::int64_t mr = cfg.ukernels[0].mr, nr = cfg.nr;
  const std::int64_t m = 5 * mr + 1, n = 6 * nr + 5, k = 77;
  const ForcedBlocking forced(Blocking{2 * mr, 2 * nr, 0});
  std::mt19937 rng(17);
  std::vector<std::int8_t> b(k * n);
  for (std::int64_t i = 0; i < k * n; ++i) {
    // (The second block's columns are zero: its outputs are its small biases times multipliers
    // of 1/2 to 4, which a missing left shift changes and int8 does not saturate.)
    b[i] = i % n / (2 * nr) == 1 ? 0 : static_cast<std::int8_t>(rng());
  }
  std::vector<std::int32_t> bias(n);
  std::vector<QuantizedMultiplier> mult(n);
  for (std::int64_t j = 0; j < n; ++j) {
    const std::int64_t block = j / (2 * nr);
    bias[j] = block == 1 ? static_cast<std::int32_t>(rng() % 61) - 30
                         : static_cast<std::int32_t>(rng() % 200001) - 100000;
    const int exponent = block == 0   ? -1 - static_cast<int>(rng() % 20)
                         : block == 1 ? static_cast<int>(rng() % 3)
                                      : 2 - static_cast<int>(rng() % 26);
    mult[j] =
        quantize_multiplier(std::ldexp(0.5 + static_cast<double>(rng() % 1000) / 2000.0, exponent));
  }
  OutputFixedPoint<std::int8_t> stage;
  stage.per_channel = mult.data();
  stage.bias = bias.data();
  stage.zero_point = -3;
  Context ctx(GetParam());
  const PackedB packed(ctx, MatrixView<const std::int8_t>(b.data(), k, n), BLayout::kn, 0);
  auto check = [&](auto a_element) {
    using TA = decltype(a_element);
    std::vector<TA> a(m * k);
    for (auto& v : a) v = static_cast<TA>(rng());
    std::vector<std::int32_t> za(m);
    for (auto& z : za) z = static_cast<std::int32_t>(static_cast<TA>(rng()));
    const MatrixView<const TA> a_view(a.data(), m, k);
    for (const ZeroPoints a_zero_point : {ZeroPoints::channel(za.data()), ZeroPoints(za[0])}) {
      std::vector<std::int8_t> expected(m * n), c(m * n);
      reference::gemm(detail::ADesc{a.data(), detail::a_type<TA>(), m, k, k, a_zero_point},
                      reference::BMatrix{b.data(), k, n, n, BLayout::kn, 0},
                      detail::out_desc(stage, MatrixView<std::int8_t>(expected.data(), m, n)));
      for (int threads : {1, 2, 3}) {
        ctx.set_num_threads(threads);
        gemm(ctx, a_view, a_zero_point, packed, stage, MatrixView<std::int8_t>(c.data(), m, n));
        EXPECT_EQ(c, expected) << (std::is_signed_v<TA> ? "int8" : "uint8") << " A, zero point "
                               << (a_zero_point.per_channel ? "per row" : "per tensor") << ", "
                               << threads << " threads";
      }
    }
  };
  check(std::int8_t{});
  check(std::uint8_t{});
}

double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// Between calls the pool spins briefly and then sleeps: an idle pool of 3 workers must not
// burn a core (spinning would cost ~3 s of CPU here, sleeping costs close to nothing).
TEST(ThreadsApi, IdlePoolSleeps) {
  Context ctx(available_isas().back(), 4);  // the best path: it runs on the pool
  std::vector<std::int8_t> a(64 * 64, 1), b(64 * 64, 2);
  std::vector<std::int32_t> c(64 * 64);
  gemm(ctx, MatrixView<const std::int8_t>(a.data(), 64, 64), 0,
       MatrixView<const std::int8_t>(b.data(), 64, 64), BLayout::kn, 0, OutputInt32{},
       MatrixView<std::int32_t>(c.data(), 64, 64));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the spinning end
  const double before = process_cpu_seconds();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const double idle = process_cpu_seconds() - before;
  std::printf("idle pool of 3 workers: %.2f ms of CPU in 1 s\n", idle * 1e3);
  EXPECT_LT(idle, 0.1);
}

// A task that throws (e.g. std::bad_alloc) reaches the caller after every other task has
// finished, and the pool stays usable.
TEST(ThreadsApi, PoolRethrowsAfterAllTasks) {
  detail::ThreadPool pool(3);
  for (int round = 0; round < 3; ++round) {
    std::atomic<int> ran{0};
    EXPECT_THROW(pool.run(64,
                          [&](std::size_t i) {
                            if (i == 5) throw std::runtime_error("task 5");
                            ++ran;
                          }),
                 std::runtime_error);
    EXPECT_EQ(ran.load(), 63);
  }
  std::atomic<int> ran{0};
  pool.run(16, [&](std::size_t) { ++ran; });
  EXPECT_EQ(ran.load(), 16);
}

TEST(ThreadsApi, RejectsBadCounts) {
  EXPECT_THROW(Context(Isa::scalar, 0), Error);
  Context ctx(Isa::scalar, 3);
  EXPECT_EQ(ctx.num_threads(), 3);
  EXPECT_THROW(ctx.set_num_threads(-1), Error);
  ctx.set_num_threads(1);
  EXPECT_EQ(ctx.num_threads(), 1);
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(Threads);

}  // namespace
}  // namespace i8gemm::testing
