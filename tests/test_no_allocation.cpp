// design.md: no allocation inside the GEMM call once the context's scratch is warm, on any
// path, in both forms, at any thread count. operator new is counted for the whole test binary;
// the scratch buffers count their own aligned allocations.
// The replacements below pair operator new with malloc and operator delete with free; GCC 12
// cannot see the pairing through the inlined GoogleTest code and would warn on every delete.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "framework/aligned_buffer.hpp"
#include "isa_param.hpp"

namespace {
std::atomic<std::uint64_t> g_news{0};
}  // namespace

void* operator new(std::size_t size) {
  g_news.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace i8gemm::testing {
namespace {

using NoAllocation = IsaTest;

std::uint64_t allocations() {
  return g_news.load() + detail::aligned_allocations().load();
}

TEST_P(NoAllocation, WarmCallsAllocateNothing) {
  const std::int64_t m = 197, n = 301, k = 150;
  std::vector<std::int8_t> a(m * k, 3), b(k * n, -5), c(m * n);
  std::vector<QuantizedMultiplier> mult(n, quantize_multiplier(1.0 / 512));
  std::vector<std::int32_t> zb(n, 2), bias(n, 7);
  OutputFixedPoint<std::int8_t> stage;
  stage.per_channel = mult.data();
  stage.bias = bias.data();
  for (int threads : {1, 3}) {
    Context ctx(GetParam(), threads);
    const PackedB packed(ctx, MatrixView<const std::int8_t>(b.data(), k, n), BLayout::kn,
                         ZeroPoints::channel(zb.data()));
    const MatrixView<const std::int8_t> av(a.data(), m, k);
    const MatrixView<const std::int8_t> bv(b.data(), k, n);
    const MatrixView<std::int8_t> cv(c.data(), m, n);
    const PreparedGemm<std::int8_t, OutputFixedPoint<std::int8_t>> prepared(ctx, 1, packed, stage);
    // Warm: the largest call of each form once.
    gemm(ctx, av, 1, packed, stage, cv);
    gemm(ctx, av, 1, bv, BLayout::kn, ZeroPoints::channel(zb.data()), stage, cv);
    prepared.run(av, cv);
    const std::uint64_t before = allocations();
    for (int rep = 0; rep < 20; ++rep) {
      gemm(ctx, av, 1, packed, stage, cv);
      gemm(ctx, av, 1, bv, BLayout::kn, ZeroPoints::channel(zb.data()), stage, cv);
      // (Its blocking recomputed for another M without allocating.)
      prepared.run(MatrixView<const std::int8_t>(a.data(), m - rep, k),
                   MatrixView<std::int8_t>(c.data(), m - rep, n));
    }
    EXPECT_EQ(allocations(), before) << "threads=" << threads;
  }
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(NoAllocation);

// Buffers from 2 MiB on start on a huge-page boundary (aligned_buffer.hpp), and growing keeps
// that; smaller ones keep the 64-byte alignment, and a reserve within the size allocates nothing.
TEST(AlignedBuffer, LargeBuffersStartOnHugePageBoundaries) {
  constexpr std::size_t kHuge = detail::kHugePageBytes;
  detail::AlignedBuffer buffer(1000);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(buffer.data()) % 64, 0u);
  buffer.reserve(kHuge + 1);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(buffer.data()) % kHuge, 0u);
  EXPECT_GE(buffer.size(), kHuge + 1);
  const std::uint64_t before = detail::aligned_allocations().load();
  buffer.reserve(buffer.size());
  EXPECT_EQ(detail::aligned_allocations().load(), before);
  buffer.reserve(5 * kHuge - 64);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(buffer.data()) % kHuge, 0u);
  static_cast<char*>(buffer.data())[5 * kHuge - 65] = 1;  // the last byte asked for is writable
}

}  // namespace
}  // namespace i8gemm::testing
