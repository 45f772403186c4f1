// Whole GEMM on every path, bit-exact against the oracle.
#include <random>

#include "isa_param.hpp"
#include "verification/differential.hpp"

namespace i8gemm::testing {
namespace {

using namespace ::i8gemm::verification;

using GemmPath = IsaTest;

GemmCase shaped(const std::int64_t (&mnk)[3]) {
  GemmCase c;
  c.m = mnk[0];
  c.n = mnk[1];
  c.k = mnk[2];
  return c;
}

void expect_exact(Isa isa, const GemmCase& c, int threads = 1) {
  const CaseResult r = run_case(isa, c, threads);
  EXPECT_TRUE(r.ok) << r.message << "\n  case (" << threads << " thread(s)): " << c.describe();
}

TEST_P(GemmPath, RandomCases) {
  std::mt19937_64 rng(12345);
  const int cases = GetParam() == Isa::scalar ? 60 : 400;
  for (int i = 0; i < cases; ++i) expect_exact(GetParam(), random_case(rng, {80, 80, 80}));
}

TEST_P(GemmPath, LargeRandomShapes) {
  std::mt19937_64 rng(777);
  const int cases = GetParam() == Isa::scalar ? 4 : 24;
  for (int i = 0; i < cases; ++i) expect_exact(GetParam(), random_case(rng, {300, 300, 300}));
}

// Every data pattern, zero-point kind and output stage on a few awkward shapes.
TEST_P(GemmPath, ExtremesEveryStage) {
  const std::int64_t shapes[][3] = {{1, 1, 1}, {3, 5, 7}, {17, 33, 65}, {8, 16, 4}, {13, 1, 131}};
  std::uint64_t seed = 1;
  for (const auto& s : shapes) {
    for (int data = 0; data < 6; ++data) {
      for (int stage = 0; stage < 5; ++stage) {
        for (int a_signed = 0; a_signed < 2; ++a_signed) {
          GemmCase c = shaped(s);
          c.a_type = a_signed ? detail::AType::s8 : detail::AType::u8;
          c.data = static_cast<DataPattern>(data);
          c.za_kind = static_cast<ZeroPointKind>((data + stage) % 3);
          c.zb_kind = static_cast<ZeroPointKind>((data + 2 * stage + a_signed) % 3);
          c.za = a_signed ? -128 : 255;
          c.zb = (data % 2) ? 127 : -128;
          c.b_layout = (data + stage) % 2 ? BLayout::nk : BLayout::kn;
          const detail::OutKind kinds[] = {detail::OutKind::int32, detail::OutKind::fixed_point,
                                           detail::OutKind::fixed_point,
                                           detail::OutKind::float_scale, detail::OutKind::float32};
          const detail::OutType types[] = {detail::OutType::s32, detail::OutType::s8,
                                           detail::OutType::u8, detail::OutType::s8,
                                           detail::OutType::f32};
          c.out_kind = kinds[stage];
          c.out_type = types[stage];
          c.bias = (stage + data) % 2;
          c.per_channel_scale = data % 2;
          c.clamp = data == 3;
          c.lda_pad = data;
          c.ldc_pad = stage;
          c.seed = seed++;
          expect_exact(GetParam(), c);
        }
      }
    }
  }
}

// Deep K (beyond one KC block on several paths), odd edges, the usual requantization
// (multipliers all below 1/2, which the epilogues run on a path of their own, per tensor and per
// channel; int8 and uint8 out; a fused ReLU), with B zero points (row terms) and left shifts in
// some cases, and two threads in some: the random cases' per-channel multipliers almost never
// are all below 1/2, and their K stays small.
TEST_P(GemmPath, DeepKRequantization) {
  const std::int64_t shapes[][3] = {
      {70, 100, 512}, {33, 65, 640}, {16, 48, 768}, {96, 40, 1536}, {17, 33, 2100}};
  std::uint64_t seed = 100;
  for (const auto& s : shapes) {
    for (int variant = 0; variant < 8; ++variant) {
      GemmCase c = shaped(s);
      c.a_type = variant % 2 ? detail::AType::s8 : detail::AType::u8;
      c.za_kind = variant % 4 < 2 ? ZeroPointKind::tensor : ZeroPointKind::none;
      c.za = variant % 2 ? -3 : 131;
      c.zb_kind = variant == 7 ? ZeroPointKind::tensor : ZeroPointKind::none;
      c.zb = 5;
      c.out_kind = detail::OutKind::fixed_point;
      c.out_type = variant / 2 % 2 ? detail::OutType::u8 : detail::OutType::s8;
      c.bias = variant != 3;
      c.per_channel_scale = variant / 4 == 0;
      c.multipliers_below_half = variant != 6;
      c.clamp = variant % 3 == 0;
      c.ldc_pad = variant % 3;
      c.seed = seed++;
      expect_exact(GetParam(), c);
      if (variant == 0) expect_exact(GetParam(), c, 2);
    }
  }
}

// B of more than the L2 (as cache_sizes() reads it), where the kernels prefetch B (driver.cpp):
// beyond twice the L2 each column's first row panel runs the x86 vector kernels' prefetching
// form (one row, a short kernel's rows, and the main kernel's two panels with a short one; K with
// a tail of the K unit, a last column panel cut short); and amx's 32-row kernel asks for the next
// B slice while it writes an earlier tile (requantization) or not (with row terms).
TEST_P(GemmPath, BBeyondL2) {
  const auto l2 = static_cast<std::int64_t>(cache_sizes().l2);
  const struct {
    std::int64_t m, n, k;
  } shapes[] = {{1, 2 * l2 / 1027 + 45, 1027},
                {3, 2 * l2 / 1027 + 45, 1027},
                {13, 2 * l2 / 1027 + 45, 1027},
                {17, l2 / 520 + 45, 520},
                {17, l2 / 520 + 45, 520}};
  for (int variant = 0; variant < 5; ++variant) {
    if (GetParam() == Isa::scalar && variant > 0) break;  // the oracle's loops, and slow
    const std::int64_t shape[3] = {shapes[variant].m, shapes[variant].n, shapes[variant].k};
    GemmCase c = shaped(shape);
    const bool s8 = variant % 2 == 1;
    c.a_type = s8 ? detail::AType::s8 : detail::AType::u8;
    c.za_kind = ZeroPointKind::tensor;
    c.za = s8 ? -128 : 255;
    c.zb_kind = variant == 4 ? ZeroPointKind::tensor : ZeroPointKind::none;
    c.zb = -7;
    c.out_kind = variant == 0 ? detail::OutKind::int32 : detail::OutKind::fixed_point;
    c.out_type = variant == 0 ? detail::OutType::s32
                 : s8         ? detail::OutType::s8
                              : detail::OutType::u8;
    c.bias = true;
    c.per_channel_scale = true;
    c.multipliers_below_half = true;
    c.data = s8 ? DataPattern::a_max_b_min : DataPattern::random;
    c.seed = 900 + static_cast<std::uint64_t>(variant);
    expect_exact(GetParam(), c);
  }
}

// K of 3, 4 and at least 8 groups of 64, where amx writes each tile inside the next tile's kernel
// (ukernel_32x32c64_overlapped__amx.cpp; int32 from 2 groups, float32 from 4, the int8 / uint8
// stages from 8), in one KC block and in several: every output stage, both A types, every
// zero-point kind, tiles cut short in rows (70 = 32 + 32 + 6) and in columns (40 = 32 + 8, less
// than one block of 16; 50 = 32 + 18), extreme data, left shifts, two threads. On the other
// paths, the same cases through their own loops.
TEST_P(GemmPath, LongKEveryStage) {
  const std::int64_t shapes[][3] = {
      {70, 40, 130}, {40, 72, 250}, {70, 40, 520}, {33, 50, 1100}, {40, 72, 2100}};
  const detail::OutKind kinds[] = {detail::OutKind::int32, detail::OutKind::fixed_point,
                                   detail::OutKind::fixed_point, detail::OutKind::float_scale,
                                   detail::OutKind::float32};
  const detail::OutType types[] = {detail::OutType::s32, detail::OutType::s8, detail::OutType::u8,
                                   detail::OutType::u8, detail::OutType::f32};
  std::uint64_t seed = 500;
  for (const auto& s : shapes) {
    for (int stage = 0; stage < 5; ++stage) {
      for (int variant = 0; variant < 4; ++variant) {
        GemmCase c = shaped(s);
        c.a_type = variant % 2 ? detail::AType::s8 : detail::AType::u8;
        // Variant 0: what amx overlaps with the next tile's multiplies for fixed-point output.
        c.za_kind = variant == 0 ? ZeroPointKind::tensor
                                 : static_cast<ZeroPointKind>((stage + variant) % 3);
        c.zb_kind = variant == 0 ? ZeroPointKind::none
                                 : static_cast<ZeroPointKind>((stage + 2 * variant + 1) % 3);
        c.za = variant % 2 ? -128 : 255;
        c.zb = variant / 2 ? 127 : -128;
        c.out_kind = kinds[stage];
        c.out_type = types[stage];
        c.bias = variant != 1;
        c.per_channel_scale = variant % 2 == 1;
        c.multipliers_below_half = variant < 2;
        c.clamp = variant == 2;
        c.data = variant == 3 ? DataPattern::a_max_b_min : DataPattern::random;
        c.lda_pad = stage;
        c.ldc_pad = variant;
        c.seed = seed++;
        expect_exact(GetParam(), c, variant == 0 ? 2 : 1);
      }
    }
  }
}

// K = 0: the output stage applied to zero accumulators.
// With 16 or 32 rows the B zero point's row terms fill their 64-byte allocation exactly, so
// AddressSanitizer sees a write for a packed panel's padding rows (the fuzzer's find: M = 16
// on the 6-row int16 panels of avx2).
TEST_P(GemmPath, EmptyK) {
  for (int cell = 0; cell < 12; ++cell) {
    const int stage = cell % 4;
    GemmCase c;
    c.m = cell / 4 == 0 ? 5 : 16 * (cell / 4);
    c.n = 19;
    c.k = 0;
    c.za_kind = ZeroPointKind::tensor;
    c.zb_kind = ZeroPointKind::channel;
    c.za = 3;
    c.bias = true;
    c.out_kind = static_cast<detail::OutKind>(stage);
    c.out_type = stage == 0   ? detail::OutType::s32
                 : stage == 3 ? detail::OutType::f32
                              : detail::OutType::s8;
    expect_exact(GetParam(), c);
  }
}

// K beyond one KC block (tiles kept across blocks), N beyond one NC block, M beyond one MC
// block, with every zero-point kind: from the path's own block sizes.
TEST_P(GemmPath, BeyondOneCacheBlock) {
  const std::int64_t kc = blocking(GetParam(), 3, 5, 1 << 20).kc;
  const std::int64_t nc = blocking(GetParam(), 2, 1 << 20, 9).nc;
  const std::int64_t mc = blocking(GetParam(), 1 << 20, 40, 70).mc;
  // (2 * mc: an M up to a quarter above MC may be one block, blocking.cpp.)
  const std::int64_t shapes[][3] = {{3, 5, 2 * kc + 7}, {2, nc + 37, 9}, {2 * mc + 8, 40, 70}};
  std::uint64_t seed = 100;
  for (const auto& s : shapes) {
    for (int kind = 0; kind < 3; ++kind) {
      GemmCase c = shaped(s);
      c.za_kind = static_cast<ZeroPointKind>(kind);
      c.zb_kind = static_cast<ZeroPointKind>(2 - kind);
      c.za = 7;
      c.zb = -128;
      c.a_type = kind == 1 ? detail::AType::s8 : detail::AType::u8;
      c.out_kind = kind == 2 ? detail::OutKind::fixed_point : detail::OutKind::int32;
      c.out_type = kind == 2 ? detail::OutType::s8 : detail::OutType::s32;
      c.bias = true;
      c.seed = seed++;
      expect_exact(GetParam(), c);
    }
  }
}

// int32 output with zero points 0 and no bias, whose sums are C's values: the kernels write
// their whole tiles straight into C (column_in_c in driver.cpp), in one KC block and adding up
// several, beside partial tiles of rows and of columns, into rows of C with padding, on one and
// on two threads.
TEST_P(GemmPath, RawInt32IntoC) {
  const std::int64_t kc = blocking(GetParam(), 3, 5, 1 << 20).kc;
  // (16 and 64 rows: whole tiles of amx's 16-row kernel, and of 32 rows where K is a single
  // group of 64, below its overlapped kernel's.)
  const std::int64_t shapes[][3] = {
      {37, 41, 64}, {50, 35, 2 * kc + 7}, {13, 32, kc + 1}, {16, 64, 130}, {64, 70, 60}};
  std::uint64_t seed = 300;
  for (const auto& s : shapes) {
    for (int data = 0; data < 6; ++data) {
      GemmCase c = shaped(s);
      c.a_type = data % 2 ? detail::AType::s8 : detail::AType::u8;
      c.data = static_cast<DataPattern>(data);
      c.ldc_pad = data % 3;
      c.seed = seed++;
      expect_exact(GetParam(), c, 1 + data % 2);
    }
  }
}

// math.md section 2: exact while the true acc fits int32. Worst cases at the bound, per A type:
// |A - za| = |B - zb| = 255 at K = 33025; int8 data with zero points 0 at K = 131071
// ((-128)(-128) * 131072 = 2^31 is one past INT32_MAX).
TEST_P(GemmPath, ExactAtTheInt32Bound) {
  struct Bound {
    detail::AType type;
    DataPattern data;
    std::int32_t za, zb;
    ZeroPointKind kind;
    std::int64_t k;
  };
  const Bound bounds[] = {
      {detail::AType::u8, DataPattern::a_max_b_min, 0, 127, ZeroPointKind::tensor, 33025},
      {detail::AType::u8, DataPattern::all_min, 255, -128, ZeroPointKind::tensor, 33025},
      {detail::AType::s8, DataPattern::all_min, 0, 0, ZeroPointKind::none, 131071},
      {detail::AType::s8, DataPattern::a_max_b_min, -128, 127, ZeroPointKind::tensor, 33025},
  };
  for (const Bound& b : bounds) {
    GemmCase c;
    c.m = 2;
    c.n = 3;
    c.k = b.k;
    c.a_type = b.type;
    c.data = b.data;
    c.za_kind = c.zb_kind = b.kind;
    c.za = b.za;
    c.zb = b.zb;
    expect_exact(GetParam(), c);
  }
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(GemmPath);

}  // namespace
}  // namespace i8gemm::testing
