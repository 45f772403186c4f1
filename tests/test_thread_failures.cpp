// When the system refuses threads (issue 11, points 3 and 4): a Context that cannot start its
// pool throws an Error naming `threads` (no hang, no std::terminate), a failed
// set_num_threads leaves the Context as it was (strong guarantee), and the C API returns a
// status. The limit is real: a forked child lowers RLIMIT_NPROC (as root, after switching to
// a user id of its own, so that exactly `kAllowed` more threads can start), which makes
// pthread_create fail with EAGAIN as `ulimit -u` does. Also: the thread count is bounded.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "i8gemm/i8gemm.h"
#include "isa_param.hpp"

namespace i8gemm::testing {
namespace {

constexpr int kAllowed = 3;  // threads the child may start besides itself

// Limits the calling (child) process to kAllowed more threads; false if it cannot.
bool limit_threads() {
  if (geteuid() == 0) {
    // A user id of its own (tests may run in parallel): its thread count is this process's.
    const auto unused = static_cast<uid_t>(1000000 + getpid());
    if (setgid(unused) != 0 || setuid(unused) != 0) return false;
  } else {
    return false;  // the user's other processes count against the limit: unknown headroom
  }
  const rlimit limit{kAllowed + 1, kAllowed + 1};
  return setrlimit(RLIMIT_NPROC, &limit) == 0;
}

// A small GEMM on ctx compared with the oracle's bits.
bool gemm_works(Context& ctx) {
  std::vector<std::int8_t> a(300 * 200), b(200 * 150);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::int8_t>(i * 7);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::int8_t>(i * 13);
  std::vector<std::int32_t> c(300 * 150), want(300 * 150);
  auto run = [&](Context& on, std::vector<std::int32_t>& out) {
    gemm(on, MatrixView<const std::int8_t>(a.data(), 300, 200), 2,
         MatrixView<const std::int8_t>(b.data(), 200, 150), BLayout::kn, -3, OutputInt32{},
         MatrixView<std::int32_t>(out.data(), 300, 150));
  };
  Context scalar(Isa::scalar);  // every path is exact: any serves as the expected result
  run(scalar, want);
  run(ctx, c);
  return c == want;
}

// A joined thread can still count against RLIMIT_NPROC for a moment: the kernel releases it
// after pthread_join has returned. So a start that fits the limit right after a refused one is
// retried for up to 2 s (CI once saw it refused under load). A thread that was never joined is
// never released: the check still fails then. `start` returns whether it started; an Error
// thrown by it is a refusal too.
template <class F>
bool starts_within_the_limit(F&& start) {
  for (int attempt = 0; attempt < 2000; ++attempt) {
    try {
      if (start()) return true;
    } catch (const Error&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

bool names_threads(const Error& e) {
  return std::strstr(e.what(), "threads") != nullptr;
}

using ThreadStartFailure = IsaTest;

TEST_P(ThreadStartFailure, ContextThrowsAndJoinsWhatStarted) {
  const Isa isa = GetParam();
  I8GEMM_EXPECT_CHILD_OK(run_in_child([isa] {
    if (!limit_threads()) return kSkipExit;
    for (int round = 0; round < 3; ++round) {  // the started workers were joined: same again
      bool threw = false;
      try {
        Context ctx(isa, 8);
      } catch (const Error& e) {
        threw = names_threads(e);
        if (round == 0) std::fprintf(stderr, "child: %s\n", e.what());
      }
      I8GEMM_CHILD_CHECK(threw);
    }
    std::unique_ptr<Context> fits;
    I8GEMM_CHILD_CHECK(starts_within_the_limit([&] {
      fits = std::make_unique<Context>(isa, kAllowed + 1);
      return true;
    }));
    I8GEMM_CHILD_CHECK(fits->num_threads() == kAllowed + 1);
    I8GEMM_CHILD_CHECK(gemm_works(*fits));
    return 0;
  }));
}

TEST_P(ThreadStartFailure, FailedResizeKeepsTheContext) {
  const Isa isa = GetParam();
  I8GEMM_EXPECT_CHILD_OK(run_in_child([isa] {
    if (!limit_threads()) return kSkipExit;
    Context ctx(isa, kAllowed + 1);  // every thread the limit allows
    // More than the limit; then fewer, but the new pool starts before the old one stops.
    for (int threads : {kAllowed + 5, 2}) {
      bool threw = false;
      try {
        ctx.set_num_threads(threads);
      } catch (const Error& e) {
        threw = names_threads(e);
      }
      I8GEMM_CHILD_CHECK(threw);
      I8GEMM_CHILD_CHECK(ctx.num_threads() == kAllowed + 1);
      I8GEMM_CHILD_CHECK(gemm_works(ctx));
    }
    ctx.set_num_threads(1);  // needs no thread
    I8GEMM_CHILD_CHECK(gemm_works(ctx));
    I8GEMM_CHILD_CHECK(starts_within_the_limit([&] {
      ctx.set_num_threads(kAllowed);
      return true;
    }));
    I8GEMM_CHILD_CHECK(ctx.num_threads() == kAllowed);
    I8GEMM_CHILD_CHECK(gemm_works(ctx));
    return 0;
  }));
}

TEST_P(ThreadStartFailure, CApiReturnsAStatus) {
  const auto isa = static_cast<i8gemm_isa>(GetParam());
  I8GEMM_EXPECT_CHILD_OK(run_in_child([isa] {
    if (!limit_threads()) return kSkipExit;
    i8gemm_context* ctx = reinterpret_cast<i8gemm_context*>(1);
    I8GEMM_CHILD_CHECK(i8gemm_context_create(isa, 100, &ctx) == I8GEMM_INVALID_ARGUMENT);
    I8GEMM_CHILD_CHECK(ctx == nullptr);
    I8GEMM_CHILD_CHECK(std::strstr(i8gemm_last_error(), "threads") != nullptr);
    I8GEMM_CHILD_CHECK(
        starts_within_the_limit([&] { return i8gemm_context_create(isa, 2, &ctx) == I8GEMM_OK; }));
    I8GEMM_CHILD_CHECK(i8gemm_context_set_num_threads(ctx, 100) == I8GEMM_INVALID_ARGUMENT);
    I8GEMM_CHILD_CHECK(i8gemm_context_num_threads(ctx) == 2);
    i8gemm_context_destroy(ctx);
    return 0;
  }));
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(ThreadStartFailure);

// More threads than any machine i8gemm targets has hardware threads is refused up front.
TEST(ThreadsApi, CountIsBounded) {
  for (int threads : {1025, 4096, INT_MAX}) {
    EXPECT_THROW(Context(Isa::scalar, threads), Error) << threads;
    Context ctx(Isa::scalar);
    try {
      ctx.set_num_threads(threads);
      ADD_FAILURE() << "set_num_threads(" << threads << ") accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("threads: " + std::to_string(threads)),
                std::string::npos)
          << e.what();
    }
    EXPECT_THROW(
        ctx.set_parallel_for([](std::size_t, const std::function<void(std::size_t)>&) {}, threads),
        Error);
    EXPECT_EQ(ctx.num_threads(), 1);
    i8gemm_context* c = nullptr;
    EXPECT_EQ(i8gemm_context_create(I8GEMM_ISA_SCALAR, threads, &c), I8GEMM_INVALID_ARGUMENT);
    EXPECT_EQ(c, nullptr);
  }
  Context at_bound(Isa::scalar);
  EXPECT_NO_THROW(at_bound.set_parallel_for(
      [](std::size_t n, const std::function<void(std::size_t)>& task) {
        for (std::size_t i = 0; i < n; ++i) task(i);
      },
      1024));
}

}  // namespace
}  // namespace i8gemm::testing
