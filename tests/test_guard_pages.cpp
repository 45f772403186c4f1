// No out-of-bounds access: every user buffer is placed against a PROT_NONE page, so a read or a
// write one byte past its end (or before its start) crashes the test with SIGSEGV. Results are
// compared with the oracle, and the gaps between rows of C must keep their sentinel bytes.
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "isa_param.hpp"
#include "reference/gemm_reference.hpp"

namespace i8gemm::testing {
namespace {

enum class Guard {
  after,   // the buffer's last byte is the last byte before a guard page
  before,  // the buffer's first byte is the first byte after a guard page
};

// Mappings of `span` read-write bytes between two PROT_NONE pages. A path's cases use about
// 100,000 buffers, and three system calls for each took most of the tests' time, several times
// more under a hypervisor or qemu; so a mapping is kept, guards and all, once its buffer is done,
// and the next buffer of the same span takes it (every buffer is filled before it is read).
class GuardedMappings {
 public:
  static const std::size_t page;

  static char* take(std::size_t span) {
    std::vector<char*>& free = pool().free_by_span[span];
    if (!free.empty()) {
      char* usable = free.back();
      free.pop_back();
      return usable;
    }
    void* map = mmap(nullptr, span + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) throw std::runtime_error("mmap failed");
    char* usable = static_cast<char*>(map) + page;
    if (span > 0 && mprotect(usable, span, PROT_READ | PROT_WRITE) != 0) {
      munmap(map, span + 2 * page);
      throw std::runtime_error("mprotect failed");
    }
    return usable;
  }
  static void give_back(char* usable, std::size_t span) {
    pool().free_by_span[span].push_back(usable);
  }

 private:
  struct Pool {
    std::map<std::size_t, std::vector<char*>> free_by_span;
    ~Pool() {
      for (auto& [span, free] : free_by_span) {
        for (char* usable : free) munmap(usable - page, span + 2 * page);
      }
    }
  };
  static Pool& pool() {
    thread_local Pool p;
    return p;
  }
};
const std::size_t GuardedMappings::page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));

// `count` elements of T in their own mapping, against a guard page on the side `guard` says
// (with a guard on the other side too, one page away at most).
template <typename T>
class GuardedArray {
 public:
  GuardedArray(std::size_t count, Guard guard) : count_(count) {
    const std::size_t page = GuardedMappings::page;
    const std::size_t bytes = count * sizeof(T);
    span_ = (bytes + page - 1) / page * page;
    usable_ = GuardedMappings::take(span_);
    data_ = reinterpret_cast<T*>(guard == Guard::after ? usable_ + span_ - bytes : usable_);
  }
  ~GuardedArray() { GuardedMappings::give_back(usable_, span_); }
  GuardedArray(const GuardedArray&) = delete;
  GuardedArray& operator=(const GuardedArray&) = delete;

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return count_; }
  T& operator[](std::size_t i) { return data_[i]; }
  std::vector<T> copy() const { return std::vector<T>(data_, data_ + count_); }

 private:
  char* usable_ = nullptr;
  std::size_t span_ = 0;
  std::size_t count_ = 0;
  T* data_ = nullptr;
};

TEST(GuardedArray, AgainstTheGuard) {
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  GuardedArray<std::int32_t> after(13, Guard::after);
  GuardedArray<std::uint8_t> before(13, Guard::before);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(after.data() + 13) % page, 0u);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(before.data()) % page, 0u);
  EXPECT_DEATH(static_cast<void>(*static_cast<volatile std::int32_t*>(after.data() + 13)), "");
  EXPECT_DEATH(static_cast<void>(*static_cast<volatile std::uint8_t*>(before.data() - 1)), "");
}

// int32_raw: no bias and A's zero point the path's offset undone (-128 for int8 A, 0 for uint8):
// the kernels' sums are C's, which the vpdpbusd paths write straight into C.
enum class Stage { int32, fixed_s8, fixed_u8, float_scale_s8, float_scale_u8, float32, int32_raw };
constexpr Stage kStages[] = {Stage::int32,          Stage::fixed_s8,       Stage::fixed_u8,
                             Stage::float_scale_s8, Stage::float_scale_u8, Stage::float32};

const char* stage_name(Stage s) {
  switch (s) {
    case Stage::int32:
      return "OutputInt32";
    case Stage::fixed_s8:
      return "OutputFixedPoint<int8>";
    case Stage::fixed_u8:
      return "OutputFixedPoint<uint8>";
    case Stage::float_scale_s8:
      return "OutputFloatScale<int8>";
    case Stage::float_scale_u8:
      return "OutputFloatScale<uint8>";
    case Stage::float32:
      return "OutputFloat";
    case Stage::int32_raw:
      return "OutputInt32 without bias";
  }
  return "?";
}

struct Case {
  std::int64_t m = 1, n = 1, k = 1;
  std::int64_t ldc_gap = 0;  // ldc - n
  bool a_signed = false;
  BLayout layout = BLayout::kn;
  bool per_channel_zero_points = true;
  // B's zero point 0 (per tensor): no row sums of A are needed, so the paths that can read A
  // unpacked (the kernels' direct form) do, right up to the guard.
  bool b_zero_point_zero = false;
  Stage stage = Stage::int32;
  Guard guard = Guard::after;
  std::uint64_t seed = 1;

  std::string describe() const {
    std::ostringstream s;
    s << "m=" << m << " n=" << n << " k=" << k << " ldc=n+" << ldc_gap
      << " a=" << (a_signed ? "s8" : "u8") << " b=" << (layout == BLayout::kn ? "kn" : "nk")
      << " zero_points=" << (per_channel_zero_points ? "channel" : "tensor")
      << (b_zero_point_zero ? " (B's 0)" : "") << " " << stage_name(stage)
      << " guard=" << (guard == Guard::after ? "after" : "before");
    return s.str();
  }
};

// Every user buffer of one GEMM, each against its own guard page.
template <typename TA>
struct Operands {
  explicit Operands(const Case& c)
      : a(c.m * c.k, c.guard),
        b(c.k * c.n, c.guard),
        za(c.m, c.guard),
        zb(c.n, c.guard),
        bias(c.n, c.guard),
        bias_f(c.n, c.guard),
        multipliers(c.n, c.guard),
        scales(c.n, c.guard),
        a_scales(c.m, c.guard) {
    std::mt19937_64 rng(c.seed);
    auto byte = [&] { return static_cast<std::uint8_t>(rng()); };
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<TA>(byte());
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::int8_t>(byte());
    for (std::size_t i = 0; i < za.size(); ++i) {
      za[i] = static_cast<std::int32_t>(static_cast<TA>(byte()));
    }
    for (std::size_t j = 0; j < zb.size(); ++j) zb[j] = static_cast<std::int8_t>(byte());
    for (std::size_t j = 0; j < bias.size(); ++j) {
      bias[j] = static_cast<std::int32_t>(rng() % 400001) - 200000;
      bias_f[j] = static_cast<float>(static_cast<std::int32_t>(rng() % 2001) - 1000) / 16.0f;
      multipliers[j] = quantize_multiplier(std::ldexp(
          0.5 + static_cast<double>(rng() % 1000) / 2000.0, -static_cast<int>(rng() % 20)));
      scales[j] = std::ldexp(1.0f + static_cast<float>(rng() % 1000) / 1000.0f,
                             -static_cast<int>(rng() % 20));
    }
    for (std::size_t i = 0; i < a_scales.size(); ++i) {
      a_scales[i] = std::ldexp(1.0f + static_cast<float>(rng() % 100) / 100.0f,
                               -static_cast<int>(rng() % 10));
    }
  }

  GuardedArray<TA> a;
  GuardedArray<std::int8_t> b;
  GuardedArray<std::int32_t> za, zb, bias;
  GuardedArray<float> bias_f;
  GuardedArray<QuantizedMultiplier> multipliers;
  GuardedArray<float> scales, a_scales;
};

// Runs one stage on `isa` through both forms, each into a fresh guarded C, and compares all of
// C (the gaps included) with the oracle's C.
template <typename TA, typename StageT>
void run_stage(Isa isa, const Case& c, Operands<TA>& o, const StageT& stage) {
  using TC = typename StageT::value_type;
  const std::int64_t ldc = c.n + c.ldc_gap;
  const std::size_t c_elems = static_cast<std::size_t>(c.m * ldc);
  const MatrixView<const TA> a(o.a.data(), c.m, c.k);
  const bool kn = c.layout == BLayout::kn;
  const MatrixView<const std::int8_t> b(o.b.data(), kn ? c.k : c.n, kn ? c.n : c.k);
  const ZeroPoints za = c.stage == Stage::int32_raw ? ZeroPoints(c.a_signed ? -128 : 0)
                        : c.per_channel_zero_points ? ZeroPoints::channel(o.za.data())
                                                    : ZeroPoints(c.a_signed ? -128 : 255);
  const ZeroPoints zb = c.b_zero_point_zero         ? ZeroPoints(0)
                        : c.per_channel_zero_points ? ZeroPoints::channel(o.zb.data())
                                                    : ZeroPoints(-128);

  std::vector<TC> expected(c_elems);
  std::memset(expected.data(), 0xCD, c_elems * sizeof(TC));
  reference::gemm(detail::ADesc{a.data, detail::a_type<TA>(), a.rows, a.cols, a.ld, za},
                  reference::BMatrix{b.data, c.k, c.n, b.ld, c.layout, zb},
                  detail::out_desc(stage, MatrixView<TC>(expected.data(), c.m, c.n, ldc)));

  Context ctx(isa);
  for (int form = 0; form < 2; ++form) {
    GuardedArray<TC> out(c_elems, c.guard);
    std::memset(out.data(), 0xCD, c_elems * sizeof(TC));
    const MatrixView<TC> cv(out.data(), c.m, c.n, ldc);
    if (form == 0) {
      const PackedB packed(ctx, b, c.layout, zb);
      gemm(ctx, a, za, packed, stage, cv);
    } else {
      gemm(ctx, a, za, b, c.layout, zb, stage, cv);
    }
    ASSERT_EQ(ctx.last_used_isa(), isa);
    // Checked apart from the oracle (which must not write there either).
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(out.data());
    for (std::int64_t i = 0; i < c.m; ++i) {
      for (std::int64_t j = c.n; j < ldc; ++j) {
        for (std::size_t q = 0; q < sizeof(TC); ++q) {
          ASSERT_EQ(bytes[(i * ldc + j) * sizeof(TC) + q], 0xCD)
              << (form == 0 ? "packed" : "unpacked") << ": the gap after row " << i
              << " was written at column " << j << "\n  case: " << c.describe();
        }
      }
    }
    if (std::memcmp(out.data(), expected.data(), c_elems * sizeof(TC)) == 0) continue;
    for (std::size_t idx = 0; idx < c_elems; ++idx) {
      if (std::memcmp(&out[idx], &expected[idx], sizeof(TC)) == 0) continue;
      const auto col = static_cast<std::int64_t>(idx) % ldc;
      FAIL() << (form == 0 ? "packed" : "unpacked") << ": C("
             << static_cast<std::int64_t>(idx) / ldc << ", " << col << ") differs from the oracle"
             << (col >= c.n ? " (in the gap between rows)" : "") << "\n  case: " << c.describe();
    }
  }
}

template <typename TA>
void run_case(Isa isa, const Case& c) {
  Operands<TA> o(c);
  const std::int32_t* bias = o.bias.data();
  const std::int32_t zp_s8 = static_cast<std::int32_t>(c.seed % 256) - 128;
  const std::int32_t zp_u8 = static_cast<std::int32_t>(c.seed % 256);
  switch (c.stage) {
    case Stage::int32:
      run_stage(isa, c, o, OutputInt32{bias});
      return;
    case Stage::int32_raw:
      run_stage(isa, c, o, OutputInt32{});
      return;
    case Stage::fixed_s8: {
      OutputFixedPoint<std::int8_t> s;
      s.per_channel = o.multipliers.data();
      s.bias = bias;
      s.zero_point = zp_s8;
      run_stage(isa, c, o, s);
      return;
    }
    case Stage::fixed_u8: {
      OutputFixedPoint<std::uint8_t> s;
      s.per_channel = o.multipliers.data();
      s.bias = bias;
      s.zero_point = zp_u8;
      s.min = zp_u8;  // ReLU
      run_stage(isa, c, o, s);
      return;
    }
    case Stage::float_scale_s8: {
      OutputFloatScale<std::int8_t> s;
      s.per_channel = o.scales.data();
      s.bias = bias;
      s.zero_point = zp_s8;
      run_stage(isa, c, o, s);
      return;
    }
    case Stage::float_scale_u8: {
      OutputFloatScale<std::uint8_t> s;
      s.per_channel = o.scales.data();
      s.bias = bias;
      s.zero_point = zp_u8;
      run_stage(isa, c, o, s);
      return;
    }
    case Stage::float32: {
      OutputFloat s;
      s.a_scales = o.a_scales.data();
      s.b_scales = o.scales.data();
      s.bias = o.bias_f.data();
      run_stage(isa, c, o, s);
      return;
    }
  }
}

void run_case(Isa isa, const Case& c) {
  if (c.a_signed) {
    run_case<std::int8_t>(isa, c);
  } else {
    run_case<std::uint8_t>(isa, c);
  }
}

constexpr std::int64_t kOddSizes[] = {1, 3, 7, 13, 31, 33, 63, 65, 127};
constexpr int kNumSizes = sizeof(kOddSizes) / sizeof(kOddSizes[0]);

using GuardPages = IsaTest;

// Every (M, N) pair of odd sizes, K cycling through them too; dense leading dimensions, so the
// last byte of every buffer is the byte before a guard page (or the first, after one).
TEST_P(GuardPages, DenseBuffersEndAtThePageEdge) {
  std::uint64_t seed = 1;
  for (int mi = 0; mi < kNumSizes; ++mi) {
    for (int ni = 0; ni < kNumSizes; ++ni) {
      for (const Stage stage : kStages) {
        Case c;
        c.m = kOddSizes[mi];
        c.n = kOddSizes[ni];
        c.k = kOddSizes[(mi + 2 * ni + static_cast<int>(stage)) % kNumSizes];
        c.stage = stage;
        for (int variant = 0; variant < 8; ++variant) {
          c.guard = variant & 1 ? Guard::before : Guard::after;
          c.layout = variant & 2 ? BLayout::nk : BLayout::kn;
          c.a_signed = variant & 4;
          c.per_channel_zero_points = (variant + mi + ni) % 3 != 0;
          c.b_zero_point_zero = (variant + mi + ni) % 3 == 1;
          c.seed = seed++;
          run_case(GetParam(), c);
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
}

// Every K of `ks` with every (M, N) of `mn`, stage of `stages` and variant below `variants`, each
// case's other settings made by `vary(case, variant)`, seeds counting from `seed`; stops at the
// first failure.
template <typename Ks, typename Mn, typename Stages, typename Vary>
void run_shapes(Isa isa, const Ks& ks, const Mn& mn, const Stages& stages, int variants,
                std::uint64_t seed, Vary vary) {
  for (const std::int64_t k : ks) {
    for (const auto& s : mn) {
      for (const Stage stage : stages) {
        for (int variant = 0; variant < variants; ++variant) {
          Case c;
          c.m = s[0];
          c.n = s[1];
          c.k = k;
          c.stage = stage;
          c.seed = seed++;
          vary(c, variant);
          run_case(isa, c);
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
}

// Every K of the odd sizes with a few (M, N), so that K's tail (the part past the kernel's K
// group) is read right at the guard.
TEST_P(GuardPages, EveryOddK) {
  const std::int64_t mn[][2] = {{1, 1}, {1, 65}, {7, 3}, {33, 31}, {13, 127}};
  run_shapes(GetParam(), kOddSizes, mn, kStages, 8, 1000, [](Case& c, int variant) {
    c.guard = variant & 1 ? Guard::before : Guard::after;
    c.layout = variant & 2 ? BLayout::nk : BLayout::kn;
    c.a_signed = variant & 4;
    c.b_zero_point_zero = ((variant >> 1) ^ variant) & 1;
  });
}

// The calls that read A unpacked (the direct form of the vpdpbusd paths: B's zero point 0, K one
// KC block, at most 8 NR panels of B where A's rows are whole K groups apart, 2 otherwise) with A
// and each of the other operands against a guard: K a multiple of 4 (no partial group) and not,
// M across whole and partial row panels, N up to 256 columns, and the raw int32 sums written
// straight into C.
TEST_P(GuardPages, DirectReadsOfA) {
  const std::int64_t ks[] = {4, 12, 64, 256, 6};
  const std::int64_t mn[][2] = {{1, 32}, {7, 64}, {8, 256}, {9, 255}, {33, 128}, {13, 17}};
  const Stage stages[] = {Stage::int32_raw, Stage::int32, Stage::fixed_s8};
  run_shapes(GetParam(), ks, mn, stages, 4, 9000, [](Case& c, int variant) {
    c.guard = variant & 1 ? Guard::before : Guard::after;
    c.a_signed = variant & 2;
    c.per_channel_zero_points = false;
    c.b_zero_point_zero = true;
  });
}

// ldc well beyond n: every byte between rows (and after the last row) must keep its sentinel,
// on every stage and form.
TEST_P(GuardPages, RowGapsKeepTheirSentinels) {
  std::uint64_t seed = 5000;
  const std::int64_t gaps[] = {1, 15, 64, 333, 1000};
  for (int mi = 0; mi < kNumSizes; ++mi) {
    for (int ni = 0; ni < kNumSizes; ++ni) {
      for (const Stage stage : kStages) {
        for (int variant = 0; variant < 2; ++variant) {
          const int s = static_cast<int>(stage);
          Case c;
          c.m = kOddSizes[mi];
          c.n = kOddSizes[ni];
          c.k = kOddSizes[(mi + ni + variant) % kNumSizes];
          c.stage = stage;
          c.ldc_gap = gaps[(mi + ni + s + variant) % 5];
          c.layout = (mi + s + variant) % 2 ? BLayout::nk : BLayout::kn;
          c.a_signed = (ni + s) % 2;
          c.per_channel_zero_points = variant;
          c.guard = (ni + variant) % 2 ? Guard::before : Guard::after;
          c.seed = seed++;
          run_case(GetParam(), c);
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(GuardPages);

}  // namespace
}  // namespace i8gemm::testing
