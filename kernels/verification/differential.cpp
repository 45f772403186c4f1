#include "verification/differential.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <vector>

#include "framework/validate.hpp"
#include "reference/gemm_reference.hpp"

namespace i8gemm::verification {

struct Operands {
  std::vector<std::uint8_t> a;  // int8 or uint8 bytes
  std::vector<std::int8_t> b;
  std::vector<std::int32_t> za, zb, bias;
  std::vector<float> bias_f, scales, a_scales;
  std::vector<QuantizedMultiplier> multipliers;
};

namespace {

const char* name(ZeroPointKind z) {
  switch (z) {
    case ZeroPointKind::none:
      return "none";
    case ZeroPointKind::tensor:
      return "tensor";
    case ZeroPointKind::channel:
      return "channel";
  }
  return "?";
}
const char* name(detail::OutKind k) {
  switch (k) {
    case detail::OutKind::int32:
      return "int32";
    case detail::OutKind::fixed_point:
      return "fixed_point";
    case detail::OutKind::float_scale:
      return "float_scale";
    case detail::OutKind::float32:
      return "float32";
  }
  return "?";
}
const char* name(detail::OutType t) {
  switch (t) {
    case detail::OutType::s32:
      return "s32";
    case detail::OutType::s8:
      return "s8";
    case detail::OutType::u8:
      return "u8";
    case detail::OutType::f32:
      return "f32";
  }
  return "?";
}
const char* name(DataPattern d) {
  switch (d) {
    case DataPattern::random:
      return "random";
    case DataPattern::all_min:
      return "all_min";
    case DataPattern::all_max:
      return "all_max";
    case DataPattern::a_max_b_min:
      return "a_max_b_min";
    case DataPattern::alternating:
      return "alternating";
    case DataPattern::small:
      return "small";
  }
  return "?";
}

// Shapes: mostly small, some primes, some large; always >= 1.
std::int64_t pick_dim(std::mt19937_64& rng, std::int64_t max) {
  static const std::int64_t kPrimes[] = {1,  2,  3,  5,  7,   11,  13,  17,
                                         31, 37, 61, 67, 127, 131, 251, 257};
  const int style = static_cast<int>(rng() % 4);
  std::int64_t v;
  if (style == 0) {
    v = kPrimes[rng() % (sizeof(kPrimes) / sizeof(kPrimes[0]))];
  } else if (style == 1) {
    v = 1 + static_cast<std::int64_t>(rng() % 20);
  } else {
    v = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(max));
  }
  return std::min(v, max);
}

std::int32_t a_lo(const GemmCase& c) {
  return c.a_type == detail::AType::s8 ? -128 : 0;
}
std::int32_t a_hi(const GemmCase& c) {
  return c.a_type == detail::AType::s8 ? 127 : 255;
}

std::int32_t data_value(const GemmCase& c, std::mt19937_64& rng, bool is_a, std::int64_t kk) {
  const std::int32_t lo = is_a ? a_lo(c) : -128, hi = is_a ? a_hi(c) : 127;
  switch (c.data) {
    case DataPattern::random:
      return lo + static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
    case DataPattern::all_min:
      return lo;
    case DataPattern::all_max:
      return hi;
    case DataPattern::a_max_b_min:
      return is_a ? hi : lo;
    case DataPattern::alternating:
      return (kk % 2 == 0) == is_a ? hi : lo;
    case DataPattern::small:
      return std::clamp(static_cast<std::int32_t>(rng() % 5) - 2, lo, hi);
  }
  return 0;
}

Operands make_operands(const GemmCase& c) {
  std::mt19937_64 rng(c.seed);
  Operands o;
  const std::int64_t lda = c.k + c.lda_pad;
  o.a.assign(static_cast<std::size_t>(c.m * lda), 0xA5);
  for (std::int64_t i = 0; i < c.m; ++i) {
    for (std::int64_t kk = 0; kk < c.k; ++kk) {
      o.a[i * lda + kk] = static_cast<std::uint8_t>(data_value(c, rng, true, kk));
    }
  }
  const std::int64_t b_rows = c.b_layout == BLayout::kn ? c.k : c.n;
  const std::int64_t b_cols = c.b_layout == BLayout::kn ? c.n : c.k;
  const std::int64_t ldb = b_cols + c.ldb_pad;
  o.b.assign(static_cast<std::size_t>(b_rows * ldb), 0x5A);
  for (std::int64_t r = 0; r < b_rows; ++r) {
    for (std::int64_t q = 0; q < b_cols; ++q) {
      const std::int64_t kk = c.b_layout == BLayout::kn ? r : q;
      o.b[r * ldb + q] = static_cast<std::int8_t>(data_value(c, rng, false, kk));
    }
  }
  auto spread = [&](std::vector<std::int32_t>& v, std::int64_t count, std::int32_t lo,
                    std::int32_t hi, std::int32_t tensor_value) {
    v.resize(static_cast<std::size_t>(count));
    for (std::int64_t i = 0; i < count; ++i) {
      const int pick = static_cast<int>(rng() % 4);
      v[i] = pick == 0   ? lo
             : pick == 1 ? hi
             : pick == 2 ? tensor_value
                         : lo + static_cast<std::int32_t>(rng() % (hi - lo + 1));
    }
  };
  if (c.za_kind == ZeroPointKind::channel) spread(o.za, c.m, a_lo(c), a_hi(c), c.za);
  if (c.zb_kind == ZeroPointKind::channel) spread(o.zb, c.n, -128, 127, c.zb);
  o.bias.resize(c.n);
  o.bias_f.resize(c.n);
  o.scales.resize(c.n);
  o.multipliers.resize(c.n);
  o.a_scales.resize(c.m);
  for (std::int64_t j = 0; j < c.n; ++j) {
    o.bias[j] = static_cast<std::int32_t>(rng() % 200001) - 100000;
    if (rng() % 16 == 0) o.bias[j] = rng() % 2 ? INT32_MAX : INT32_MIN;
    o.bias_f[j] = static_cast<float>(static_cast<std::int32_t>(rng() % 2001) - 1000) / 64.0f;
    o.scales[j] = std::ldexp(1.0f + static_cast<float>(rng() % 1000) / 1000.0f,
                             -static_cast<int>(rng() % 24));
    const int exponent = c.multipliers_below_half ? -1 - static_cast<int>(rng() % 24)
                                                  : 2 - static_cast<int>(rng() % 26);
    o.multipliers[j] =
        quantize_multiplier(std::ldexp(0.5 + static_cast<double>(rng() % 1000) / 2000.0, exponent));
  }
  for (std::int64_t i = 0; i < c.m; ++i) {
    o.a_scales[i] =
        std::ldexp(1.0f + static_cast<float>(rng() % 100) / 100.0f, -static_cast<int>(rng() % 12));
  }
  return o;
}

detail::OutDesc make_out(const GemmCase& c, const Operands& o, void* data) {
  detail::OutDesc d{c.out_kind, c.out_type, data, c.m, c.n, c.n + c.ldc_pad};
  d.bias = c.bias ? o.bias.data() : nullptr;
  d.bias_f = c.bias ? o.bias_f.data() : nullptr;
  d.multiplier = o.multipliers[0];
  d.multipliers = c.per_channel_scale ? o.multipliers.data() : nullptr;
  d.scale = o.scales[0];
  d.scales = c.per_channel_scale ? o.scales.data() : nullptr;
  d.a_scale = o.a_scales[0];
  d.a_scales = c.per_channel_scale ? o.a_scales.data() : nullptr;
  const bool s8 = c.out_type == detail::OutType::s8;
  d.zero_point =
      s8 ? static_cast<std::int32_t>(c.seed % 256) - 128 : static_cast<std::int32_t>(c.seed % 256);
  d.min = s8 ? -128 : 0;
  d.max = s8 ? 127 : 255;
  if (c.clamp) {
    d.min = d.zero_point;  // ReLU
    d.max = std::max(d.zero_point, d.max - 20);
  }
  return d;
}

ZeroPoints zero_points(ZeroPointKind kind, std::int32_t value, const std::vector<std::int32_t>& v) {
  if (kind == ZeroPointKind::none) return ZeroPoints(0);
  if (kind == ZeroPointKind::tensor) return ZeroPoints(value);
  return ZeroPoints::channel(v.data());
}

}  // namespace

std::string GemmCase::describe() const {
  std::ostringstream s;
  s << "m=" << m << " n=" << n << " k=" << k << " pads=" << lda_pad << "/" << ldb_pad << "/"
    << ldc_pad << " a=" << (a_type == detail::AType::s8 ? "s8" : "u8")
    << " b=" << (b_layout == BLayout::kn ? "kn" : "nk") << " za=" << name(za_kind) << ":" << za
    << " zb=" << name(zb_kind) << ":" << zb << " out=" << name(out_kind) << "/" << name(out_type)
    << (bias ? " bias" : "") << (per_channel_scale ? " per_channel" : "")
    << (multipliers_below_half ? " below_half" : "") << (clamp ? " clamp" : "")
    << " data=" << name(data) << " seed=" << seed;
  return s.str();
}

GemmCase random_case(std::mt19937_64& rng, const CaseLimits& limits) {
  GemmCase c;
  c.m = pick_dim(rng, limits.max_m);
  c.n = pick_dim(rng, limits.max_n);
  c.k = pick_dim(rng, limits.max_k);
  c.lda_pad = rng() % 3 == 0 ? static_cast<std::int64_t>(rng() % 9) : 0;
  c.ldb_pad = rng() % 3 == 0 ? static_cast<std::int64_t>(rng() % 9) : 0;
  c.ldc_pad = rng() % 3 == 0 ? static_cast<std::int64_t>(rng() % 9) : 0;
  c.a_type = rng() % 2 ? detail::AType::s8 : detail::AType::u8;
  c.b_layout = rng() % 2 ? BLayout::kn : BLayout::nk;
  c.za_kind = static_cast<ZeroPointKind>(rng() % 3);
  c.zb_kind = static_cast<ZeroPointKind>(rng() % 3);
  const std::int32_t a_extremes[] = {a_lo(c), a_hi(c)};
  c.za = rng() % 2 ? a_extremes[rng() % 2] : a_lo(c) + static_cast<std::int32_t>(rng() % 256);
  c.zb = rng() % 2 ? (rng() % 2 ? -128 : 127) : static_cast<std::int32_t>(rng() % 256) - 128;
  c.out_kind = static_cast<detail::OutKind>(rng() % 4);
  switch (c.out_kind) {
    case detail::OutKind::int32:
      c.out_type = detail::OutType::s32;
      break;
    case detail::OutKind::float32:
      c.out_type = detail::OutType::f32;
      break;
    default:
      c.out_type = rng() % 2 ? detail::OutType::s8 : detail::OutType::u8;
  }
  c.bias = rng() % 2;
  c.per_channel_scale = rng() % 2;
  c.clamp = rng() % 4 == 0;
  c.data = rng() % 2 ? DataPattern::random : static_cast<DataPattern>(rng() % 6);
  c.seed = rng();
  // Half the cases have every multiplier below 1/2 (drawn last: the draws above are unchanged).
  c.multipliers_below_half = rng() % 2 == 0;
  return c;
}

namespace {
std::int64_t b_rows(const GemmCase& c) {
  return c.b_layout == BLayout::kn ? c.k : c.n;
}
std::int64_t b_cols(const GemmCase& c) {
  return c.b_layout == BLayout::kn ? c.n : c.k;
}
detail::ADesc a_desc(const GemmCase& c, const Operands& o) {
  return detail::ADesc{o.a.data(), c.a_type,        c.m,
                       c.k,        c.k + c.lda_pad, zero_points(c.za_kind, c.za, o.za)};
}
detail::BDesc b_desc(const GemmCase& c, const Operands& o) {
  return detail::BDesc{o.b.data(), b_rows(c),
                       b_cols(c),  b_cols(c) + c.ldb_pad,
                       c.b_layout, zero_points(c.zb_kind, c.zb, o.zb)};
}
}  // namespace

PreparedCase::PreparedCase(const GemmCase& c)
    : case_(c), operands_(std::make_unique<Operands>(make_operands(c))) {
  const std::int64_t ldc = c.n + c.ldc_pad;
  expected_.assign(static_cast<std::size_t>(c.m * ldc) * detail::out_elem_size(c.out_type), 0xCD);
  const detail::BDesc b = b_desc(c, *operands_);
  reference::gemm(a_desc(c, *operands_),
                  reference::BMatrix{b.data, c.k, c.n, b.ld, b.layout, b.zero_point},
                  make_out(c, *operands_, expected_.data()));
}

PreparedCase::~PreparedCase() = default;

CaseResult PreparedCase::check(Context& ctx) const {
  const GemmCase& c = case_;
  const Isa isa = ctx.isa();
  const detail::ADesc a = a_desc(c, *operands_);
  const detail::BDesc b = b_desc(c, *operands_);
  const std::int64_t ldc = c.n + c.ldc_pad;
  const std::size_t out_bytes = expected_.size();
  CaseResult result;
  const PackedB packed(ctx, MatrixView<const std::int8_t>(b.data, b.rows, b.cols, b.ld), c.b_layout,
                       b.zero_point);
  // The prepared form takes A's zero point and the float32 stage's a_scale per tensor. It is
  // made from a stage whose arrays are overwritten and freed before it runs (it keeps copies;
  // ASan would also see a read of the freed ones), and run twice (the second time with its
  // blocking cache warm).
  const bool preparable = c.za_kind != ZeroPointKind::channel &&
                          !(c.out_kind == detail::OutKind::float32 && c.per_channel_scale);
  std::shared_ptr<const detail::PreparedGemmState> prepared;
  if (preparable) {
    auto arrays = std::make_unique<Operands>(*operands_);
    prepared = detail::prepare_gemm(ctx, c.a_type, a.zero_point.value, packed,
                                    make_out(c, *arrays, nullptr));
    std::fill(arrays->bias.begin(), arrays->bias.end(), 0x5A5A5A5A);
    std::fill(arrays->bias_f.begin(), arrays->bias_f.end(), -3.0f);
    std::fill(arrays->scales.begin(), arrays->scales.end(), 7.0f);
    std::fill(arrays->multipliers.begin(), arrays->multipliers.end(), quantize_multiplier(0.3));
    arrays.reset();
  }
  const char* const form_names[] = {"packed", "unpacked", "prepared", "prepared, run again"};
  for (int form = 0; form < (preparable ? 4 : 2) && result.ok; ++form) {
    std::vector<std::uint8_t> got(out_bytes, 0xCD);
    const detail::OutDesc out = make_out(c, *operands_, got.data());
    if (form == 0) {
      detail::gemm_packed(ctx, a, packed, out);
    } else if (form == 1) {
      detail::gemm_unpacked(ctx, a, b, out);
    } else {
      detail::run_prepared(*prepared, a.data, a.rows, a.cols, a.ld, out.data, out.rows, out.cols,
                           out.ld);
    }
    const char* form_name = form_names[form];
    if (ctx.last_used_isa() != isa) {
      result.ok = false;
      result.message = std::string(form_name) + ": ran path " + isa_name(ctx.last_used_isa());
      break;
    }
    if (std::memcmp(got.data(), expected_.data(), out_bytes) == 0) continue;
    const std::size_t elem = detail::out_elem_size(c.out_type);
    for (std::size_t byte = 0; byte < out_bytes; ++byte) {
      if (got[byte] == expected_[byte]) continue;
      const std::size_t idx = byte / elem;
      std::ostringstream s;
      s << form_name << ": C(" << idx / ldc << ", " << idx % ldc << ") differs";
      if (elem == 4) {
        std::int32_t g, e;
        std::memcpy(&g, &got[idx * 4], 4);
        std::memcpy(&e, &expected_[idx * 4], 4);
        s << ": got " << g << ", oracle " << e;
      } else {
        s << ": got " << int(got[idx]) << ", oracle " << int(expected_[idx]);
      }
      if (static_cast<std::int64_t>(idx % ldc) >= c.n) s << " (in the gap between rows)";
      result.ok = false;
      result.message = s.str();
      break;
    }
  }
  return result;
}

CaseResult run_case(Isa isa, const GemmCase& c, int threads, const ParallelFor& parallel_for) {
  Context ctx(isa, threads);
  if (parallel_for) ctx.set_parallel_for(parallel_for, threads);
  return PreparedCase(c).check(ctx);
}

}  // namespace i8gemm::verification
