// One Context used by two threads at once, or re-entered from one of its own tasks (issue 11,
// point 8): the second call is refused with an Error naming the Context, the first call
// finishes with the right result, and the Context is usable afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "isa_param.hpp"

namespace i8gemm::testing {
namespace {

using ContextInUse = IsaTest;

const char kInUse[] = "context: used by two threads at once";

// Large enough that every SIMD path splits it into tasks, so a parallel_for is called.
struct BigCall {
  static constexpr std::int64_t m = 256, n = 256, k = 128;
  std::vector<std::int8_t> a, b;
  std::vector<std::int32_t> c = std::vector<std::int32_t>(m * n);
  BigCall() {
    std::mt19937 rng(8);
    a.resize(m * k);
    b.resize(k * n);
    for (auto& v : a) v = static_cast<std::int8_t>(rng());
    for (auto& v : b) v = static_cast<std::int8_t>(rng());
  }
  void run(Context& ctx) {
    gemm(ctx, MatrixView<const std::int8_t>(a.data(), m, k), 1,
         MatrixView<const std::int8_t>(b.data(), k, n), BLayout::kn, -1, OutputInt32{},
         MatrixView<std::int32_t>(c.data(), m, n));
  }
  std::vector<std::int32_t> expected(Isa isa) {
    Context other(isa);
    BigCall copy = *this;
    copy.run(other);
    return copy.c;
  }
};

// A small call of each kind on `ctx`; returns the messages of the Errors they threw.
std::vector<std::string> small_calls(Context& ctx) {
  std::vector<std::int8_t> a(4, 1), b(4, 1);
  std::vector<std::int32_t> c(4);
  const MatrixView<const std::int8_t> av(a.data(), 2, 2), bv(b.data(), 2, 2);
  std::vector<std::string> errors;
  auto attempt = [&](auto&& f) {
    try {
      f();
      errors.push_back("(accepted)");
    } catch (const Error& e) {
      errors.push_back(e.what());
    }
  };
  attempt([&] {
    gemm(ctx, av, 0, bv, BLayout::kn, 0, OutputInt32{}, MatrixView<std::int32_t>(c.data(), 2, 2));
  });
  attempt([&] { PackedB(ctx, bv, BLayout::kn, 0); });
  attempt([&] { ctx.set_num_threads(2); });
  return errors;
}

void expect_all_in_use(const std::vector<std::string>& errors) {
  ASSERT_EQ(errors.size(), 3u);
  for (const std::string& e : errors) {
    EXPECT_NE(e.find(kInUse), std::string::npos) << "got: " << e;
  }
}

TEST_P(ContextInUse, ReenteredFromItsOwnTask) {
  Context ctx(GetParam());
  std::vector<std::string> errors;
  std::atomic<int> calls{0};
  ctx.set_parallel_for(
      [&](std::size_t n, const std::function<void(std::size_t)>& task) {
        if (calls++ == 0) errors = small_calls(ctx);
        for (std::size_t i = 0; i < n; ++i) task(i);
      },
      2);
  BigCall call;
  const std::vector<std::int32_t> want = call.expected(GetParam());
  call.run(ctx);
  ASSERT_GT(calls.load(), 0);
  expect_all_in_use(errors);
  EXPECT_EQ(call.c, want);
  // Released: the next call runs.
  std::fill(call.c.begin(), call.c.end(), 0);
  call.run(ctx);
  EXPECT_EQ(call.c, want);
}

// Thread 1 is held inside a call (its parallel_for waits) while thread 2 uses the Context.
TEST_P(ContextInUse, TwoThreadsAtOnce) {
  Context ctx(GetParam());
  std::promise<void> inside, tried;
  std::shared_future<void> tried_future = tried.get_future().share();
  std::atomic<int> calls{0};
  ctx.set_parallel_for(
      [&](std::size_t n, const std::function<void(std::size_t)>& task) {
        if (calls++ == 0) {
          inside.set_value();
          tried_future.wait();
        }
        for (std::size_t i = 0; i < n; ++i) task(i);
      },
      2);
  BigCall call;
  const std::vector<std::int32_t> want = call.expected(GetParam());
  std::thread first([&] { call.run(ctx); });
  inside.get_future().wait();
  const std::vector<std::string> errors = small_calls(ctx);
  tried.set_value();
  first.join();
  expect_all_in_use(errors);
  EXPECT_EQ(call.c, want);
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(ContextInUse);

}  // namespace
}  // namespace i8gemm::testing
