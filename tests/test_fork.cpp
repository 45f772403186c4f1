// fork() after a Context has started its pool (issue 11, point 6): the child inherits the
// Context but none of its worker threads. Using it (the pool is rebuilt on the next call),
// changing its thread count and destroying it must work in the child, and the parent's Context
// is unaffected. (Not run under ThreadSanitizer, which does not support threads after fork.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "child_process.hpp"
#include "i8gemm/i8gemm.h"
#include "isa_param.hpp"

namespace i8gemm::testing {
namespace {

struct Problem {
  static constexpr std::int64_t m = 256, n = 200, k = 160;  // split into tasks at 2+ threads
  std::vector<std::int8_t> a = std::vector<std::int8_t>(m * k), b = std::vector<std::int8_t>(k * n);
  std::vector<std::int32_t> want = std::vector<std::int32_t>(m * n);
  Problem() {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::int8_t>(i * 31 + 7);
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::int8_t>(i * 17 + 3);
    Context scalar(Isa::scalar);  // every path is exact: any serves as the expected result
    run(scalar, want);
  }
  void run(Context& ctx, std::vector<std::int32_t>& c) const {
    gemm(ctx, MatrixView<const std::int8_t>(a.data(), m, k), -5,
         MatrixView<const std::int8_t>(b.data(), k, n), BLayout::kn, 4, OutputInt32{},
         MatrixView<std::int32_t>(c.data(), m, n));
  }
  bool works(Context& ctx) const {
    std::vector<std::int32_t> c(m * n);
    run(ctx, c);
    return c == want;
  }
};

class ForkSafety : public IsaTest {
 protected:
  void SetUp() override {
    IsaTest::SetUp();
    if (std::getenv("I8GEMM_TESTS_EMULATED") != nullptr) {
      GTEST_SKIP() << "qemu user-mode aborts when the child of a multi-threaded process starts a "
                      "thread (tests/CMakeLists.txt)";
    }
  }
};

TEST_P(ForkSafety, ChildUsesTheInheritedContext) {
  const Problem p;
  Context ctx(GetParam(), 4);
  ASSERT_TRUE(p.works(ctx));  // the pool has run
  I8GEMM_EXPECT_CHILD_OK(run_in_child([&] {
    I8GEMM_CHILD_CHECK(ctx.num_threads() == 4);
    I8GEMM_CHILD_CHECK(p.works(ctx));
    for (int threads : {3, 1, 2, 4}) {
      ctx.set_num_threads(threads);
      I8GEMM_CHILD_CHECK(p.works(ctx));
    }
    Context fresh(GetParam(), 3);
    I8GEMM_CHILD_CHECK(p.works(fresh));
    return 0;  // ctx and fresh are destroyed on the way out
  }));
  EXPECT_TRUE(p.works(ctx));
}

TEST_P(ForkSafety, ChildDestroysTheInheritedContext) {
  const Problem p;
  auto ctx = std::make_unique<Context>(GetParam(), 3);
  ASSERT_TRUE(p.works(*ctx));
  I8GEMM_EXPECT_CHILD_OK(run_in_child([&] {
    ctx.reset();
    return 0;
  }));
  I8GEMM_EXPECT_CHILD_OK(run_in_child([&] {
    ctx->set_num_threads(2);
    I8GEMM_CHILD_CHECK(p.works(*ctx));
    return 0;
  }));
  EXPECT_TRUE(p.works(*ctx));
}

// A grandchild: the child's rebuilt pool is inherited in turn.
TEST_P(ForkSafety, ForkTwice) {
  const Problem p;
  Context ctx(GetParam(), 2);
  ASSERT_TRUE(p.works(ctx));
  I8GEMM_EXPECT_CHILD_OK(run_in_child([&] {
    I8GEMM_CHILD_CHECK(p.works(ctx));
    const ChildOutcome grandchild = run_in_child([&] {
      I8GEMM_CHILD_CHECK(p.works(ctx));
      ctx.set_num_threads(3);
      I8GEMM_CHILD_CHECK(p.works(ctx));
      return 0;
    });
    I8GEMM_CHILD_CHECK(grandchild.exited && grandchild.code == 0);
    I8GEMM_CHILD_CHECK(p.works(ctx));
    return 0;
  }));
}

TEST_P(ForkSafety, CApiInTheChild) {
  const Problem p;
  i8gemm_context* ctx = nullptr;
  ASSERT_EQ(i8gemm_context_create(static_cast<i8gemm_isa>(GetParam()), 3, &ctx), I8GEMM_OK);
  std::vector<std::int32_t> c(Problem::m * Problem::n);
  auto run = [&] {
    return i8gemm_gemm_int32(ctx, Problem::m, Problem::n, Problem::k, I8GEMM_INT8, p.a.data(),
                             Problem::k, {-5, nullptr}, p.b.data(), Problem::n, I8GEMM_B_KN,
                             {4, nullptr}, nullptr, c.data(), Problem::n) == I8GEMM_OK &&
           c == p.want;
  };
  ASSERT_TRUE(run());
  I8GEMM_EXPECT_CHILD_OK(run_in_child([&] {
    I8GEMM_CHILD_CHECK(run());
    I8GEMM_CHILD_CHECK(i8gemm_context_set_num_threads(ctx, 2) == I8GEMM_OK);
    I8GEMM_CHILD_CHECK(run());
    i8gemm_context_destroy(ctx);
    return 0;
  }));
  EXPECT_TRUE(run());
  i8gemm_context_destroy(ctx);
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(ForkSafety);

}  // namespace
}  // namespace i8gemm::testing
