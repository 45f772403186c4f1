// Differential fuzz target: the input bytes choose a GEMM (shape, strides, types, layout, zero
// points, output stage and its parameters, data); every available path runs it through the
// PackedB and the one-call forms and must give the oracle's bytes, gaps between rows of C
// included. About one input in eight is corrupted into an invalid call instead, which must throw
// i8gemm::Error on every path and leave C untouched. Any failure prints the case and aborts.
//
// Input layout (every read past the end gives 0, so any byte string is a valid input):
//   mode, m, n, k (2 bytes), pads (3), flags, za, zb, stage parameters, fill seed (4),
//   A pattern, B pattern, then the data of A and B (a splitmix64 stream once the bytes run out).
// mode % 8 == 7 makes the call invalid; mode >> 3 picks the size class (see parse()): most
// inputs are small (M, N <= 16, K <= 64), 1 in 32 is medium (M, N <= 64, K <= 128: several tiles
// of every micro-kernel) and 1 in 32 deep (M, N <= 8, K <= 2000: several KC blocks). The oracle
// dominates the time of an execution: small shapes keep executions many (over 1,000 a second
// under ASan + UBSan), and libFuzzer's corpus keeps the larger classes alive anyway.
// make_corpus.py writes seeds in this layout. I8GEMM_FUZZ_VERBOSE=1 prints every case.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "framework/validate.hpp"
#include "i8gemm/i8gemm.hpp"
#include "reference/gemm_reference.hpp"

namespace i8gemm::testing {
namespace {

class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : p_(data), n_(size) {}
  std::uint8_t byte() {
    if (n_ == 0) return 0;
    --n_;
    return *p_++;
  }
  std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
  std::uint32_t u32() { return u16() | (static_cast<std::uint32_t>(u16()) << 16); }
  bool empty() const { return n_ == 0; }

 private:
  const std::uint8_t* p_;
  std::size_t n_;
};

// Continues the data once the input is exhausted, so short inputs still make big matrices.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

enum class Stage { int32, fixed_s8, fixed_u8, float_scale_s8, float_scale_u8, float32 };
const char* const kStageNames[] = {"int32",          "fixed_point/s8", "fixed_point/u8",
                                   "float_scale/s8", "float_scale/u8", "float32"};

enum class Pattern { input, all_min, all_max, alternating, small };
const char* const kPatternNames[] = {"input", "all_min", "all_max", "alternating", "small"};

// Invalid calls; each must be refused with an Error.
enum class Corruption {
  a_rows_negative,
  a_ld_small,
  a_data_null,
  a_cols_not_k,
  ld_overflow,
  za_out_of_range,
  za_channel_out_of_range,
  zb_out_of_range,
  zb_channel_out_of_range,
  b_ld_small,
  b_rows_negative,
  b_data_null,
  b_layout_bogus,
  c_rows_mismatch,
  c_cols_mismatch,
  c_ld_small,
  c_data_null,
  out_zero_point_out_of_range,
  out_min_out_of_range,
  out_max_out_of_range,
  out_min_above_max,
  multiplier_m0,
  multiplier_shift,
  multiplier_channel,
  scale_tensor,
  scale_channel,
  a_scale_tensor,
  a_scale_row,
  b_scale_tensor,
  b_scale_column,
  bias_f_not_finite,
  out_kind_bogus,
  packed_for_another_path,
  kCount,
};

struct Case {
  std::int64_t m = 0, n = 0, k = 0;
  std::int64_t lda_pad = 0, ldb_pad = 0, ldc_pad = 0;
  bool a_signed = false;
  BLayout layout = BLayout::kn;
  bool za_channel = false, zb_channel = false;
  std::int32_t za = 0, zb = 0;
  Stage stage = Stage::int32;
  bool bias = false, per_channel = false;
  Pattern a_pattern = Pattern::input, b_pattern = Pattern::input;
  std::uint32_t seed = 0;
  bool invalid = false;
  Corruption corruption = Corruption::kCount;
  int corruption_arg = 0;

  // Operands; the stage parameters live in `out` (with pointers into these vectors).
  std::vector<std::uint8_t> a;
  std::vector<std::int8_t> b;
  std::vector<std::int32_t> za_values, zb_values, bias_values;
  std::vector<float> bias_f_values, scales, a_scales;
  std::vector<QuantizedMultiplier> multipliers;
  detail::OutDesc out{};

  std::int64_t lda() const { return k + lda_pad; }
  std::int64_t b_rows() const { return layout == BLayout::kn ? k : n; }
  std::int64_t b_cols() const { return layout == BLayout::kn ? n : k; }
  std::int64_t ldb() const { return b_cols() + ldb_pad; }
  std::int64_t ldc() const { return n + ldc_pad; }
  std::size_t out_bytes() const {
    return static_cast<std::size_t>(m * ldc()) * detail::out_elem_size(out);
  }
  std::int32_t a_lo() const { return a_signed ? -128 : 0; }
  std::int32_t a_hi() const { return a_signed ? 127 : 255; }
};

std::int32_t in_range(Input& in, std::int32_t lo, std::int32_t hi) {
  const std::uint8_t sel = in.byte();
  if (sel < 48) return lo;
  if (sel < 96) return hi;
  return lo + static_cast<std::int32_t>(in.byte() % static_cast<std::uint32_t>(hi - lo + 1));
}

QuantizedMultiplier multiplier(Input& in) {
  QuantizedMultiplier q;
  const std::uint8_t sel = in.byte() % 8;
  q.m0 = sel == 0   ? 0
         : sel == 1 ? (1 << 30)
         : sel == 2 ? std::numeric_limits<std::int32_t>::max()
                    : static_cast<std::int32_t>((1u << 30) | (in.u32() & ((1u << 30) - 1)));
  const std::uint8_t s = in.byte();
  // Mostly the right shifts of multipliers below 1; sometimes the whole valid range.
  q.shift = s < 192 ? -static_cast<std::int32_t>(s % 32) : static_cast<std::int32_t>(s % 62) - 31;
  // m0 = 0 is valid only as the explicit zero multiplier (its shift byte is read, not used).
  return sel == 0 ? QuantizedMultiplier::zero() : q;
}

// A finite positive float, sometimes extreme (denormal, FLT_MIN, FLT_MAX, arbitrary bits).
float scale(Input& in) {
  switch (in.byte() % 10) {
    case 0:
      return std::numeric_limits<float>::max();
    case 1:
      return std::numeric_limits<float>::denorm_min();
    case 2:
      return std::numeric_limits<float>::min();
    case 3: {
      std::uint32_t bits = in.u32() & 0x7FFFFFFFu;
      if (bits == 0 || bits >= 0x7F800000u) bits = 0x3F800000u;
      float f;
      std::memcpy(&f, &bits, 4);
      return f;
    }
    default: {
      const float mantissa = 1.0f + static_cast<float>(in.byte()) / 256.0f;
      return std::ldexp(mantissa, static_cast<int>(in.byte() % 40) - 28);
    }
  }
}

float bias_f(Input& in) {
  switch (in.byte() % 8) {
    case 0:
      return 0.0f;
    case 1:
      return std::numeric_limits<float>::max();
    case 2:
      return -std::numeric_limits<float>::max();
    case 3: {
      std::uint32_t bits = in.u32();
      if ((bits & 0x7F800000u) == 0x7F800000u) bits &= 0xBF800000u;
      float f;
      std::memcpy(&f, &bits, 4);
      return f;
    }
    default:
      return static_cast<float>(static_cast<std::int16_t>(in.u16())) / 64.0f;
  }
}

std::int32_t bias32(Input& in) {
  switch (in.byte() % 8) {
    case 0:
      return std::numeric_limits<std::int32_t>::min();
    case 1:
      return std::numeric_limits<std::int32_t>::max();
    case 2:
      return static_cast<std::int32_t>(in.u32());
    default:
      return static_cast<std::int16_t>(in.u16());
  }
}

std::int32_t pattern_value(Pattern p, std::int32_t lo, std::int32_t hi, std::int64_t kk, bool is_a,
                           Input& in, SplitMix64& rng) {
  switch (p) {
    case Pattern::input:
      return static_cast<std::int32_t>(in.empty() ? static_cast<std::uint8_t>(rng.next())
                                                  : in.byte());
    case Pattern::all_min:
      return lo;
    case Pattern::all_max:
      return hi;
    case Pattern::alternating:
      return (kk % 2 == 0) == is_a ? hi : lo;
    case Pattern::small:
      return std::max(lo, static_cast<std::int32_t>(rng.next() % 5) - 2);
  }
  return 0;
}

Case parse(Input& in) {
  Case c;
  const std::uint8_t mode = in.byte();
  c.invalid = mode % 8 == 7;
  const int size_class = mode >> 3;
  const bool medium = size_class == 30, deep = size_class == 31;
  c.m = in.byte() % (medium ? 65 : deep ? 9 : 17);
  c.n = in.byte() % (medium ? 65 : deep ? 9 : 17);
  const std::uint16_t k = in.u16();
  c.k = k % (deep ? 2001 : medium ? 129 : 65);
  if (c.invalid) {
    c.m = std::max<std::int64_t>(c.m, 1);
    c.n = std::max<std::int64_t>(c.n, 1);
    c.k = std::max<std::int64_t>(c.k, 1);
  }
  for (std::int64_t* pad : {&c.lda_pad, &c.ldb_pad, &c.ldc_pad}) {
    const std::uint8_t p = in.byte();
    *pad = p < 160 ? 0 : p % 70;
  }
  const std::uint8_t flags = in.byte();
  c.a_signed = flags & 1;
  c.layout = flags & 2 ? BLayout::nk : BLayout::kn;
  c.za_channel = flags & 4;
  c.zb_channel = flags & 8;
  c.bias = flags & 16;
  c.per_channel = flags & 32;
  const bool clamp = flags & 64;
  const bool za_zero = (flags & 128) && !c.za_channel;
  c.za = za_zero ? 0 : in_range(in, c.a_lo(), c.a_hi());
  c.zb = in_range(in, -128, 127);
  c.stage = static_cast<Stage>(in.byte() % 6);
  if (c.invalid) {
    c.corruption = static_cast<Corruption>(in.byte() % static_cast<int>(Corruption::kCount));
    c.corruption_arg = in.byte();
  }
  if (c.za_channel) {
    c.za_values.resize(static_cast<std::size_t>(c.m));
    for (auto& v : c.za_values) v = in_range(in, c.a_lo(), c.a_hi());
  }
  if (c.zb_channel) {
    c.zb_values.resize(static_cast<std::size_t>(c.n));
    for (auto& v : c.zb_values) v = in_range(in, -128, 127);
  }

  detail::OutDesc& out = c.out;
  out.rows = c.m;
  out.cols = c.n;
  out.ld = c.ldc();
  switch (c.stage) {
    case Stage::int32:
      out.kind = detail::OutKind::int32;
      out.type = detail::OutType::s32;
      break;
    case Stage::fixed_s8:
    case Stage::fixed_u8:
      out.kind = detail::OutKind::fixed_point;
      out.type = c.stage == Stage::fixed_s8 ? detail::OutType::s8 : detail::OutType::u8;
      break;
    case Stage::float_scale_s8:
    case Stage::float_scale_u8:
      out.kind = detail::OutKind::float_scale;
      out.type = c.stage == Stage::float_scale_s8 ? detail::OutType::s8 : detail::OutType::u8;
      break;
    case Stage::float32:
      out.kind = detail::OutKind::float32;
      out.type = detail::OutType::f32;
      break;
  }
  const std::size_t n = static_cast<std::size_t>(c.n);
  if (c.bias) {
    c.bias_values.resize(n);
    c.bias_f_values.resize(n);
    for (std::size_t j = 0; j < n; ++j) {
      if (out.kind == detail::OutKind::float32) {
        c.bias_f_values[j] = bias_f(in);
      } else {
        c.bias_values[j] = bias32(in);
      }
    }
    out.bias = c.bias_values.data();
    out.bias_f = c.bias_f_values.data();
  }
  if (out.kind == detail::OutKind::fixed_point) {
    out.multiplier = multiplier(in);
    if (c.per_channel) {
      c.multipliers.resize(n);
      for (auto& q : c.multipliers) q = multiplier(in);
      out.multipliers = c.multipliers.data();
    }
  } else if (out.kind == detail::OutKind::float_scale) {
    out.scale = scale(in);
    if (c.per_channel) {
      c.scales.resize(n);
      for (auto& s : c.scales) s = scale(in);
      out.scales = c.scales.data();
    }
  } else if (out.kind == detail::OutKind::float32) {
    out.a_scale = scale(in);
    out.scale = scale(in);
    if (c.per_channel) {
      c.a_scales.resize(static_cast<std::size_t>(c.m));
      for (auto& s : c.a_scales) s = scale(in);
      c.scales.resize(n);
      for (auto& s : c.scales) s = scale(in);
      out.a_scales = c.a_scales.data();
      out.scales = c.scales.data();
    }
  }
  if (out.type == detail::OutType::s8 || out.type == detail::OutType::u8) {
    const std::int32_t lo = out.type == detail::OutType::s8 ? -128 : 0;
    const std::int32_t hi = lo + 255;
    out.zero_point = in_range(in, lo, hi);
    out.min = lo;
    out.max = hi;
    if (clamp) {
      const std::int32_t x = in_range(in, lo, hi), y = in_range(in, lo, hi);
      out.min = std::min(x, y);
      out.max = std::max(x, y);
    }
  }

  c.seed = in.u32();
  for (Pattern* p : {&c.a_pattern, &c.b_pattern}) {
    const int v = in.byte() % 8;
    *p = v < 4 ? Pattern::input : static_cast<Pattern>(v - 3);
  }
  SplitMix64 rng{c.seed};
  c.a.assign(static_cast<std::size_t>(c.m * c.lda()), 0xA5);
  for (std::int64_t i = 0; i < c.m; ++i) {
    for (std::int64_t kk = 0; kk < c.k; ++kk) {
      c.a[i * c.lda() + kk] = static_cast<std::uint8_t>(
          pattern_value(c.a_pattern, c.a_lo(), c.a_hi(), kk, true, in, rng));
    }
  }
  c.b.assign(static_cast<std::size_t>(c.b_rows() * c.ldb()), 0x5A);
  for (std::int64_t r = 0; r < c.b_rows(); ++r) {
    for (std::int64_t q = 0; q < c.b_cols(); ++q) {
      const std::int64_t kk = c.layout == BLayout::kn ? r : q;
      c.b[r * c.ldb() + q] =
          static_cast<std::int8_t>(pattern_value(c.b_pattern, -128, 127, kk, false, in, rng));
    }
  }
  return c;
}

std::string describe(const Case& c) {
  std::ostringstream s;
  const detail::OutDesc& o = c.out;
  s << "m=" << c.m << " n=" << c.n << " k=" << c.k << " pads=" << c.lda_pad << "/" << c.ldb_pad
    << "/" << c.ldc_pad << " a=" << (c.a_signed ? "s8" : "u8")
    << " b=" << (c.layout == BLayout::kn ? "kn" : "nk")
    << " za=" << (c.za_channel ? "channel" : std::to_string(c.za))
    << " zb=" << (c.zb_channel ? "channel" : std::to_string(c.zb))
    << " stage=" << kStageNames[static_cast<int>(c.stage)] << (c.bias ? " bias" : "")
    << (c.per_channel ? " per_channel" : "") << " multiplier=" << o.multiplier.m0 << "*2^("
    << o.multiplier.shift << "-31) scale=" << o.scale << " a_scale=" << o.a_scale
    << " zero_point=" << o.zero_point << " min=" << o.min << " max=" << o.max
    << " patterns=" << kPatternNames[static_cast<int>(c.a_pattern)] << "/"
    << kPatternNames[static_cast<int>(c.b_pattern)] << " seed=" << c.seed;
  if (c.invalid) s << " corruption=" << static_cast<int>(c.corruption) << ":" << c.corruption_arg;
  return s.str();
}

[[noreturn]] void fail(const Case& c, const std::string& what) {
  std::fprintf(stderr, "i8gemm fuzz: %s\n  case: %s\n", what.c_str(), describe(c).c_str());
  std::fflush(stderr);
  std::abort();
}

detail::ADesc a_desc(const Case& c) {
  return detail::ADesc{
      c.a.data(), c.a_signed ? detail::AType::s8 : detail::AType::u8,
      c.m,        c.k,
      c.lda(),    c.za_channel ? ZeroPoints::channel(c.za_values.data()) : ZeroPoints(c.za)};
}

detail::BDesc b_desc(const Case& c) {
  return detail::BDesc{
      c.b.data(), c.b_rows(),
      c.b_cols(), c.ldb(),
      c.layout,   c.zb_channel ? ZeroPoints::channel(c.zb_values.data()) : ZeroPoints(c.zb)};
}

std::string first_difference(const Case& c, const std::vector<std::uint8_t>& got,
                             const std::vector<std::uint8_t>& expected) {
  const std::size_t elem = detail::out_elem_size(c.out);
  for (std::size_t byte = 0; byte < got.size(); ++byte) {
    if (got[byte] == expected[byte]) continue;
    const std::size_t idx = byte / elem;
    const auto row = static_cast<std::int64_t>(idx) / c.ldc();
    const auto col = static_cast<std::int64_t>(idx) % c.ldc();
    std::ostringstream s;
    s << "C(" << row << ", " << col << ")";
    if (col >= c.n) {
      s << " (in the gap between rows)";
    } else {
      const auto i = static_cast<std::size_t>(row), j = static_cast<std::size_t>(col);
      if (c.za_channel) s << " za[i]=" << c.za_values[i];
      if (c.zb_channel) s << " zb[j]=" << c.zb_values[j];
      if (!c.bias_values.empty()) s << " bias[j]=" << c.bias_values[j];
      if (!c.bias_f_values.empty()) s << " bias_f[j]=" << c.bias_f_values[j];
      if (!c.multipliers.empty()) {
        s << " multiplier[j]=" << c.multipliers[j].m0 << "*2^(" << c.multipliers[j].shift << "-31)";
      }
      if (!c.scales.empty()) s << " scale[j]=" << c.scales[j];
      if (!c.a_scales.empty()) s << " a_scale[i]=" << c.a_scales[i];
      detail::ADesc a{
          c.a.data(), c.a_signed ? detail::AType::s8 : detail::AType::u8,
          c.m,        c.k,
          c.lda(),    c.za_channel ? ZeroPoints::channel(c.za_values.data()) : ZeroPoints(c.za)};
      const reference::BMatrix b{
          c.b.data(), c.k,
          c.n,        c.ldb(),
          c.layout,   c.zb_channel ? ZeroPoints::channel(c.zb_values.data()) : ZeroPoints(c.zb)};
      s << " exact_acc=" << reference::exact_accumulator(a, b, row, col);
    }
    if (elem == 1) {
      s << ": got " << int(got[idx]) << ", oracle " << int(expected[idx]);
    } else {
      std::int32_t g, e;
      std::memcpy(&g, &got[idx * 4], 4);
      std::memcpy(&e, &expected[idx * 4], 4);
      s << ": got " << g << ", oracle " << e;
      if (c.out.type == detail::OutType::f32) {
        float gf, ef;
        std::memcpy(&gf, &g, 4);
        std::memcpy(&ef, &e, 4);
        s << " (as float: got " << gf << ", oracle " << ef << ")";
      }
    }
    return s.str();
  }
  return "";
}

// One warm context per path, kept across inputs: its scratch holds whatever earlier calls left.
Context& warm_context(Isa isa) {
  static std::vector<std::unique_ptr<Context>> contexts(32);
  int bit = 0;
  while ((static_cast<std::uint32_t>(isa) >> bit) != 1u) ++bit;
  if (!contexts[bit]) contexts[bit] = std::make_unique<Context>(isa);
  return *contexts[bit];
}

constexpr std::int64_t kScalarPathMacs = 16 * 16 * 64;

std::string form_name(int form, bool on_warm) {
  return std::string(form == 0 ? "PackedB" : "one call") +
         (on_warm ? ", warm context" : ", new context");
}

void run_valid(const Case& c) {
  const detail::ADesc a = a_desc(c);
  const detail::BDesc b = b_desc(c);
  std::vector<std::uint8_t> expected(c.out_bytes(), 0xCD);
  detail::OutDesc out = c.out;
  out.data = expected.data();
  reference::gemm(a, reference::BMatrix{b.data, c.k, c.n, b.ld, b.layout, b.zero_point}, out);

  std::string failures;
  // Each path runs the call in both forms, one on a new Context and the other on the path's warm
  // one; the fill seed's low bit says which, so across inputs each form meets both contexts.
  const bool packed_on_warm = (c.seed & 1u) != 0;
  for (const Isa isa : available_isas()) {
    // The scalar path runs at the oracle's speed: on small cases only (it would double the
    // oracle's time, most of an execution).
    if (isa == Isa::scalar && c.m * c.n * c.k > kScalarPathMacs) continue;
    Context fresh(isa);
    for (int form = 0; form < 2; ++form) {
      std::vector<std::uint8_t> got(c.out_bytes(), 0xCD);
      out.data = got.data();
      const bool on_warm = (form == 0) == packed_on_warm;
      Context& used = on_warm ? warm_context(isa) : fresh;
      try {
        if (form == 0) {
          const PackedB packed(used, MatrixView<const std::int8_t>(b.data, b.rows, b.cols, b.ld),
                               b.layout, b.zero_point);
          detail::gemm_packed(used, a, packed, out);
        } else {
          detail::gemm_unpacked(used, a, b, out);
        }
      } catch (const std::exception& e) {
        fail(c, std::string(isa_name(isa)) + ", " + form_name(form, on_warm) +
                    ": threw on a valid call: " + e.what());
      }
      const std::string where =
          std::string("\n  ") + isa_name(isa) + ", " + form_name(form, on_warm);
      if (used.last_used_isa() != isa) {
        failures += where + ": ran path " + isa_name(used.last_used_isa());
      } else if (got != expected) {
        failures += where + ": " + first_difference(c, got, expected);
      }
    }
  }
  // Every path is run before failing, so the report says which paths disagree.
  if (!failures.empty()) fail(c, "differs from the oracle:" + failures);
}

float bad_scale(int arg) {
  const float bad[] = {0.0f,
                       -0.0f,
                       -1.0f,
                       -std::numeric_limits<float>::denorm_min(),
                       std::numeric_limits<float>::infinity(),
                       -std::numeric_limits<float>::infinity(),
                       std::numeric_limits<float>::quiet_NaN()};
  return bad[arg % 7];
}

// The smallest leading dimension (plus `extra`) that puts the last element of a rows x cols
// view, (rows - 1) * ld + cols - 1, past INT64_MAX / elem; 0 if there is none.
std::int64_t overflowing_ld(std::int64_t rows, std::int64_t cols, std::int64_t elem, int extra) {
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  if (rows < 2 || cols < 1) return 0;
  const std::int64_t q = (max / elem - (cols - 1)) / (rows - 1);
  if (q == max) return 0;
  return q + 1 + std::min<std::int64_t>(extra, max - (q + 1));
}

void run_invalid(Case& c) {
  detail::ADesc a = a_desc(c);
  detail::BDesc b = b_desc(c);
  detail::OutDesc& out = c.out;
  const int arg = c.corruption_arg;
  const auto n = static_cast<std::size_t>(c.n);
  const auto m = static_cast<std::size_t>(c.m);
  // Stage parameters that only one kind of stage reads: switch to that kind first.
  auto make_fixed_point = [&] {
    out.kind = detail::OutKind::fixed_point;
    out.type = detail::OutType::s8;
    out.zero_point = 0;
    out.min = -128;
    out.max = 127;
    out.multiplier = QuantizedMultiplier{1 << 30, -3};
    out.multipliers = nullptr;
  };
  auto make_float_scale = [&] {
    make_fixed_point();
    out.kind = detail::OutKind::float_scale;
    out.scale = 0.25f;
    out.scales = nullptr;
  };
  auto make_float32 = [&] {
    out.kind = detail::OutKind::float32;
    out.type = detail::OutType::f32;
    out.a_scale = out.scale = 0.5f;
    out.a_scales = out.scales = nullptr;
    out.bias_f = nullptr;
  };
  std::vector<std::int32_t> zero_points;
  std::vector<QuantizedMultiplier> multipliers;
  std::vector<float> floats;
  bool foreign_packed_b = false;
  switch (c.corruption) {
    case Corruption::a_rows_negative:
      a.rows = -1 - arg;
      break;
    case Corruption::a_ld_small:
      a.ld = a.cols - 1 - arg % a.cols;
      break;
    case Corruption::a_data_null:
      a.data = nullptr;
      break;
    case Corruption::a_cols_not_k:
      a.cols = c.k + 1 + arg;
      a.ld = std::max(a.ld, a.cols);
      break;
    case Corruption::ld_overflow:
      if (const std::int64_t ld = overflowing_ld(a.rows, a.cols, 1, arg)) {
        a.ld = ld;
      } else if (const std::int64_t ldb = overflowing_ld(b.rows, b.cols, 1, arg)) {
        b.ld = ldb;
      } else {
        a.rows = -1;
      }
      if (const std::int64_t ldc = overflowing_ld(out.rows, out.cols, 4, arg); ldc && arg % 2) {
        out.ld = ldc;
      }
      break;
    case Corruption::za_out_of_range:
      a.zero_point = ZeroPoints(arg % 2 ? c.a_hi() + 1 + arg : c.a_lo() - 1 - arg);
      break;
    case Corruption::za_channel_out_of_range:
      zero_points.assign(m, c.a_lo());
      zero_points[static_cast<std::size_t>(arg) % m] = arg % 2 ? c.a_hi() + 1 : c.a_lo() - 1;
      a.zero_point = ZeroPoints::channel(zero_points.data());
      break;
    case Corruption::zb_out_of_range:
      b.zero_point = ZeroPoints(arg % 2 ? 128 + arg : -129 - arg);
      break;
    case Corruption::zb_channel_out_of_range:
      zero_points.assign(n, 0);
      zero_points[static_cast<std::size_t>(arg) % n] = arg % 2 ? 128 : -129;
      b.zero_point = ZeroPoints::channel(zero_points.data());
      break;
    case Corruption::b_ld_small:
      b.ld = b.cols - 1 - arg % b.cols;
      break;
    case Corruption::b_rows_negative:
      b.rows = -1 - arg;
      break;
    case Corruption::b_data_null:
      b.data = nullptr;
      break;
    case Corruption::b_layout_bogus:
      b.layout = static_cast<BLayout>(2 + arg);
      break;
    case Corruption::c_rows_mismatch:
      out.rows = c.m + 1 + arg;
      break;
    case Corruption::c_cols_mismatch:
      out.cols = c.n + 1 + arg;
      out.ld = std::max(out.ld, out.cols);
      break;
    case Corruption::c_ld_small:
      out.ld = out.cols - 1 - arg % out.cols;
      break;
    case Corruption::c_data_null:
      break;  // handled below: C's buffer is never passed
    case Corruption::out_zero_point_out_of_range: {
      make_fixed_point();
      if (arg % 3 == 0) out.kind = detail::OutKind::float_scale;
      if (arg % 2) out.type = detail::OutType::u8, out.min = 0, out.max = 255;
      const std::int32_t lo = out.min, hi = out.max;
      out.zero_point = arg % 4 < 2 ? lo - 1 - arg : hi + 1 + arg;
      break;
    }
    case Corruption::out_min_out_of_range:
      make_fixed_point();
      if (arg % 2) out.type = detail::OutType::u8, out.max = 255;
      out.min = out.type == detail::OutType::u8 ? -1 - arg : -129 - arg;
      break;
    case Corruption::out_max_out_of_range:
      make_float_scale();
      if (arg % 2) out.type = detail::OutType::u8, out.min = 0;
      out.max = out.type == detail::OutType::u8 ? 256 + arg : 128 + arg;
      break;
    case Corruption::out_min_above_max:
      make_fixed_point();
      out.min = 1 + arg % 127;
      out.max = out.min - 1 - arg % 3;
      break;
    case Corruption::multiplier_m0:
      make_fixed_point();
      out.multiplier.m0 = arg % 2 ? -1 - arg : 1 + arg * 4000000;
      break;
    case Corruption::multiplier_shift:
      make_fixed_point();
      out.multiplier.shift = arg % 2 ? 31 + arg : -32 - arg;
      break;
    case Corruption::multiplier_channel:
      make_fixed_point();
      multipliers.assign(n, QuantizedMultiplier{1 << 30, -1});
      multipliers[static_cast<std::size_t>(arg) % n] =
          arg % 2 ? QuantizedMultiplier{(1 << 30) - 1, 0} : QuantizedMultiplier{1 << 30, 31};
      out.multipliers = multipliers.data();
      break;
    case Corruption::scale_tensor:
      make_float_scale();
      out.scale = bad_scale(arg);
      break;
    case Corruption::scale_channel:
      make_float_scale();
      floats.assign(n, 1.0f);
      floats[static_cast<std::size_t>(arg) % n] = bad_scale(arg / 7);
      out.scales = floats.data();
      break;
    case Corruption::a_scale_tensor:
      make_float32();
      out.a_scale = bad_scale(arg);
      break;
    case Corruption::a_scale_row:
      make_float32();
      floats.assign(m, 1.0f);
      floats[static_cast<std::size_t>(arg) % m] = bad_scale(arg / 7);
      out.a_scales = floats.data();
      break;
    case Corruption::b_scale_tensor:
      make_float32();
      out.scale = bad_scale(arg);
      break;
    case Corruption::b_scale_column:
      make_float32();
      floats.assign(n, 1.0f);
      floats[static_cast<std::size_t>(arg) % n] = bad_scale(arg / 7);
      out.scales = floats.data();
      break;
    case Corruption::bias_f_not_finite:
      make_float32();
      floats.assign(n, 1.0f);
      floats[static_cast<std::size_t>(arg) % n] =
          arg % 3 == 0   ? std::numeric_limits<float>::quiet_NaN()
          : arg % 3 == 1 ? std::numeric_limits<float>::infinity()
                         : -std::numeric_limits<float>::infinity();
      out.bias_f = floats.data();
      break;
    case Corruption::out_kind_bogus:
      out.kind = static_cast<detail::OutKind>(4 + arg);
      break;
    case Corruption::packed_for_another_path:
      foreign_packed_b = true;
      break;
    case Corruption::kCount:
      break;
  }
  // C's buffer fits the valid call (4-byte elements): a corrupted call that is wrongly accepted
  // may write past it, which AddressSanitizer reports as the failure it is.
  const std::size_t c_bytes = static_cast<std::size_t>(c.m * c.ldc()) * 4;
  const std::vector<std::uint8_t> untouched(c_bytes, 0xCD);
  const std::vector<Isa> isas = available_isas();
  for (const Isa isa : isas) {
    if (foreign_packed_b && isas.size() < 2) return;
    Context ctx(isa);
    for (int form = 0; form < 2; ++form) {
      std::vector<std::uint8_t> got(c_bytes, 0xCD);
      out.data = c.corruption == Corruption::c_data_null ? nullptr : got.data();
      const char* form_name = form == 0 ? "PackedB" : "one call";
      try {
        if (form == 0) {
          Context other(foreign_packed_b ? (isa == isas[0] ? isas[1] : isas[0]) : isa);
          const PackedB packed(other, MatrixView<const std::int8_t>(b.data, b.rows, b.cols, b.ld),
                               b.layout, b.zero_point);
          detail::gemm_packed(ctx, a, packed, out);
        } else {
          if (foreign_packed_b) continue;
          detail::gemm_unpacked(ctx, a, b, out);
        }
      } catch (const Error&) {
        if (got != untouched) {
          fail(c, std::string(isa_name(isa)) + ", " + form_name + ": C written before the Error");
        }
        continue;
      } catch (const std::exception& e) {
        fail(c, std::string(isa_name(isa)) + ", " + form_name +
                    ": threw something else than i8gemm::Error: " + e.what());
      }
      fail(c, std::string(isa_name(isa)) + ", " + form_name + ": invalid call accepted");
    }
  }
}

}  // namespace
}  // namespace i8gemm::testing

namespace i8gemm::testing {
namespace {
// The float32 stage multiplies by a_scale[i] * b_scale[j]: a product that overflows is refused.
bool scale_product_overflows(const Case& c) {
  if (c.out.kind != detail::OutKind::float32 || c.m == 0 || c.n == 0) return false;
  const float a =
      c.a_scales.empty() ? c.out.a_scale : *std::max_element(c.a_scales.begin(), c.a_scales.end());
  const float b =
      c.scales.empty() ? c.out.scale : *std::max_element(c.scales.begin(), c.scales.end());
  return !std::isfinite(a * b);
}
}  // namespace
}  // namespace i8gemm::testing

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  i8gemm::testing::Input in(data, size);
  i8gemm::testing::Case c = i8gemm::testing::parse(in);
  static const bool verbose = std::getenv("I8GEMM_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "case: %s\n", i8gemm::testing::describe(c).c_str());
  if (c.invalid || i8gemm::testing::scale_product_overflows(c)) {
    i8gemm::testing::run_invalid(c);  // (uncorrupted when only the product overflows)
  } else {
    i8gemm::testing::run_valid(c);
  }
  return 0;
}
