#include "framework/validate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>

#include "framework/path_config.hpp"

namespace i8gemm::detail {
namespace {

template <typename... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  std::ostringstream s;
  (s << ... << parts);
  throw Error(s.str());
}

// A row-major view of rows x cols elements of `elem` bytes with leading dimension ld.
void validate_view(const char* name, const void* data, std::int64_t rows, std::int64_t cols,
                   std::int64_t ld, std::size_t elem) {
  if (rows < 0) fail(name, ".rows: ", rows, " is negative");
  if (cols < 0) fail(name, ".cols: ", cols, " is negative");
  if (ld < cols) fail(name, ".ld: ", ld, " is smaller than ", name, ".cols = ", cols);
  if (rows == 0 || cols == 0) return;
  if (data == nullptr) fail(name, ".data: null for a ", rows, " x ", cols, " matrix");
  // The last element, (rows - 1) * ld + cols - 1, must be addressable: ((rows - 1) ld + cols)
  // elem bytes fit in int64. Checked by overflow rather than by dividing the limit: the same
  // condition without two 64-bit divisions per matrix in every call.
  std::int64_t span = 0;
  if (__builtin_mul_overflow(rows - 1, ld, &span) || __builtin_add_overflow(span, cols, &span) ||
      __builtin_mul_overflow(span, static_cast<std::int64_t>(elem), &span)) {
    fail(name, ": ", rows, " rows of ", cols, " with ld = ", ld, " exceed the address space");
  }
}

// The bytes a validated view spans, [begin, end); empty views span nothing.
struct ByteRange {
  std::uintptr_t begin = 0, end = 0;
};
ByteRange bytes_of(const void* data, std::int64_t rows, std::int64_t cols, std::int64_t ld,
                   std::size_t elem) {
  if (rows == 0 || cols == 0) return {};
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const auto size = static_cast<std::uintptr_t>((rows - 1) * ld + cols) * elem;
  const std::uintptr_t max = std::numeric_limits<std::uintptr_t>::max();
  return {begin, size > max - begin ? max : begin + size};
}

void validate_zero_points(const char* name, const ZeroPoints& z, std::int64_t count,
                          std::int32_t lo, std::int32_t hi) {
  auto check = [&](std::int32_t v, std::int64_t idx) {
    if (v < lo || v > hi) {
      if (idx < 0) fail(name, ": ", v, " is outside [", lo, ", ", hi, "]");
      fail(name, "[", idx, "]: ", v, " is outside [", lo, ", ", hi, "]");
    }
  };
  if (z.per_channel == nullptr) {
    check(z.value, -1);
    return;
  }
  for (std::int64_t i = 0; i < count; ++i) check(z.per_channel[i], i);
}

// Decided from the bits (sign clear, not zero, exponent not all ones): with DAZ set, a
// comparison would take a denormal for 0. Those patterns are [1, 0x7F800000), ordered like
// the values.
bool finite_positive_bits(std::uint32_t bits) {
  return bits != 0 && bits < 0x7F800000u;
}
bool finite_positive(float s) {
  std::uint32_t bits;
  std::memcpy(&bits, &s, sizeof bits);
  return finite_positive_bits(bits);
}

void validate_scale(const char* name, float s, std::int64_t idx) {
  if (!finite_positive(s)) {
    if (idx < 0) fail(name, ": ", s, " is not a finite positive number");
    fail(name, "[", idx, "]: ", s, " is not a finite positive number");
  }
}

// The largest of a float32 stage's scales (per tensor, or per row / column): where it is
// (`channels` null per tensor) and its value.
struct ScaleMax {
  const char* name;
  const float* channels;  // or null
  std::int64_t count;
  float value;
};
ScaleMax validate_scales(const char* tensor_name, const char* channels_name, float tensor,
                         const float* channels, std::int64_t count) {
  if (channels == nullptr) {
    validate_scale(tensor_name, tensor, -1);
    return {tensor_name, nullptr, 0, tensor};
  }
  // One pass over the bit patterns, which a dynamic call pays for every weight scale on every
  // call: all are finite positive when the least and the greatest are (finite_positive_bits).
  // The loop that names a bad scale runs only when there is one.
  std::uint32_t least = std::numeric_limits<std::uint32_t>::max(), greatest = 0;
  for (std::int64_t i = 0; i < count; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, channels + i, sizeof bits);
    least = std::min(least, bits);
    greatest = std::max(greatest, bits);
  }
  if (count > 0 && !(finite_positive_bits(least) && finite_positive_bits(greatest))) {
    for (std::int64_t i = 0; i < count; ++i) validate_scale(channels_name, channels[i], i);
  }
  float value = 0.0f;
  if (count > 0) std::memcpy(&value, &greatest, sizeof value);
  return {channels_name, channels, count, value};
}

std::ostream& operator<<(std::ostream& s, const ScaleMax& m) {
  s << m.name;
  if (m.channels != nullptr)
    s << "[" << (std::find(m.channels, m.channels + m.count, m.value) - m.channels) << "]";
  return s;
}

// m0 = 0 only as the explicit zero multiplier: a default-constructed one is a trap.
bool m0_ok(QuantizedMultiplier m) {
  return m.m0 >= (std::int32_t{1} << 30) || m.is_zero();
}
bool shift_ok(QuantizedMultiplier m) {
  return m.shift >= -31 && m.shift <= 30;
}
// Both, as 0 or 1 in 32-bit arithmetic without a branch, so that a loop over channels vectorizes:
// m0 in [2^30, 2^31) is m0 >> 30 == 1 unsigned; the zero multiplier is m0 = 0 and shift + 31 = 0;
// shift in [-31, 30] is shift + 31 <= 61 unsigned.
std::uint32_t multiplier_bad(QuantizedMultiplier m) {
  static_assert(QuantizedMultiplier::kZeroMultiplierShift == -31, "the least shift is the zero's");
  const auto m0 = static_cast<std::uint32_t>(m.m0);
  const std::uint32_t shift = static_cast<std::uint32_t>(m.shift) + 31u;
  return (static_cast<std::uint32_t>((m0 >> 30) != 1) &
          static_cast<std::uint32_t>((m0 | shift) != 0)) |
         static_cast<std::uint32_t>(shift > 61);
}

[[noreturn]] void multiplier_error(const char* name, QuantizedMultiplier m, std::int64_t idx) {
  std::ostringstream where;
  where << name;
  if (idx >= 0) where << "[" << idx << "]";
  if (m.m0 == 0) {
    fail(where.str(), ".m0: 0 (shift ", m.shift,
         ") is not set: it would make every output the zero point; set it with "
         "quantize_multiplier(sA * sB / sY), or use QuantizedMultiplier::zero() = {0, ",
         QuantizedMultiplier::kZeroMultiplierShift,
         "} (what quantize_multiplier(0.0) returns) for a zero multiplier on purpose");
  }
  if (!m0_ok(m)) fail(where.str(), ".m0: ", m.m0, " is outside [2^30, 2^31)");
  fail(where.str(), ".shift: ", m.shift, " is outside [-31, 30]");
}

void validate_multiplier(const char* name, QuantizedMultiplier m, std::int64_t idx) {
  if (!m0_ok(m) || !shift_ok(m)) multiplier_error(name, m, idx);
}

// Per channel: one pass without a branch, which vectorizes (a per-channel layer pays it on every
// call; the loop with a branch per channel was 9 % of a 1 x 1024^2 avx512vnni call), and the
// loop that names the first bad multiplier only when there is one.
void validate_multipliers(const char* name, const QuantizedMultiplier* q, std::int64_t count) {
  std::uint32_t bad = 0;
  for (std::int64_t j = 0; j < count; ++j) bad |= multiplier_bad(q[j]);
  if (bad == 0) return;
  for (std::int64_t j = 0; j < count; ++j) validate_multiplier(name, q[j], j);
}

}  // namespace

void validate_a(const ADesc& a) {
  if (a.type == AType::f32) {  // float activations: no zero point of their own
    validate_view("a", a.data, a.rows, a.cols, a.ld, sizeof(float));
    if (a.dynamic == nullptr) fail("a: float activations without a quantization choice");
    return;
  }
  validate_view("a", a.data, a.rows, a.cols, a.ld, 1);
  if (a.type == AType::s8) {
    validate_zero_points("a_zero_point", a.zero_point, a.rows, -128, 127);
  } else {
    validate_zero_points("a_zero_point", a.zero_point, a.rows, 0, 255);
  }
}

void validate_b_path(Isa packed, Isa context) {
  if (packed != context) {
    fail("b: packed for path ", isa_name(packed), " but the context runs ", isa_name(context),
         "; pack B with a context of the same path");
  }
}

void validate_b(const BDesc& b) {
  validate_view("b", b.data, b.rows, b.cols, b.ld, 1);
  if (b.layout != BLayout::kn && b.layout != BLayout::nk) {
    fail("b_layout: ", static_cast<int>(b.layout), " is not BLayout::kn or BLayout::nk");
  }
  const std::int64_t n = b.n();
  validate_zero_points("b_zero_point", b.zero_point, n, -128, 127);
}

void validate_shapes(const ADesc& a, std::int64_t k, std::int64_t n, const OutDesc& out) {
  if (a.cols != k) fail("a.cols: ", a.cols, " does not match K = ", k, " of B");
  validate_view("c", out.data, out.rows, out.cols, out.ld, out_elem_size(out));
  if (out.rows != a.rows) fail("c.rows: ", out.rows, " does not match M = ", a.rows, " of A");
  if (out.cols != n) fail("c.cols: ", out.cols, " does not match N = ", n, " of B");
  validate_c_disjoint(out, "a", a.data, a.rows, a.cols, a.ld,
                      a.type == AType::f32 ? sizeof(float) : 1);
}

void validate_gemm(const ADesc& a, std::int64_t k, std::int64_t n, const OutDesc& out) {
  validate_shapes(a, k, n, out);
  validate_stage(out, a.rows, n);
}

void validate_stage(const OutDesc& out, std::int64_t m, std::int64_t n) {
  switch (out.kind) {
    case OutKind::int32:
      return;
    case OutKind::fixed_point:
    case OutKind::float_scale: {
      const std::int32_t lo = out.type == OutType::s8 ? -128 : 0;
      const std::int32_t hi = out.type == OutType::s8 ? 127 : 255;
      if (out.zero_point < lo || out.zero_point > hi) {
        fail("zero_point: ", out.zero_point, " is outside the output type's [", lo, ", ", hi, "]");
      }
      if (out.min < lo || out.min > hi) fail("min: ", out.min, " is outside [", lo, ", ", hi, "]");
      if (out.max < lo || out.max > hi) fail("max: ", out.max, " is outside [", lo, ", ", hi, "]");
      if (out.min > out.max) fail("min: ", out.min, " is greater than max = ", out.max);
      if (out.kind == OutKind::fixed_point) {
        if (out.multipliers == nullptr) {
          validate_multiplier("multiplier", out.multiplier, -1);
        } else {
          validate_multipliers("per_channel", out.multipliers, n);
        }
      } else {
        validate_scales("scale", "per_channel", out.scale, out.scales, n);
      }
      return;
    }
    case OutKind::float32: {
      if (!(out.min_f <= out.max_f)) {
        fail("min, max: [", out.min_f, ", ", out.max_f, "] is not a range (NaN, or min > max)");
      }
      const ScaleMax a_max = validate_scales("a_scale", "a_scales", out.a_scale, out.a_scales, m);
      const ScaleMax b_max = validate_scales("b_scale", "b_scales", out.scale, out.scales, n);
      // The stage multiplies by a_scale[i] * b_scale[j]; infinity would turn acc = 0 into NaN.
      // The scales are positive: if the largest product is finite, every product is.
      if (m > 0 && n > 0 && !std::isfinite(a_max.value * b_max.value)) {
        fail(a_max, " * ", b_max, ": ", a_max.value, " * ", b_max.value,
             " is not finite in float (the float32 stage's multiplier)");
      }
      if (out.bias_f != nullptr) {
        for (std::int64_t j = 0; j < n; ++j) {
          if (!std::isfinite(out.bias_f[j]))
            fail("bias[", j, "]: ", out.bias_f[j], " is not finite");
        }
      }
      return;
    }
  }
  fail("output stage: unknown kind ", static_cast<int>(out.kind));
}

void validate_c_disjoint(const OutDesc& out, const char* name, const void* data, std::int64_t rows,
                         std::int64_t cols, std::int64_t ld, std::size_t elem) {
  const ByteRange c = bytes_of(out.data, out.rows, out.cols, out.ld, out_elem_size(out));
  const ByteRange in = bytes_of(data, rows, cols, ld, elem);
  if (c.begin < in.end && in.begin < c.end) {
    fail("c: overlaps ", name, ": C's bytes [", reinterpret_cast<const void*>(c.begin), ", ",
         reinterpret_cast<const void*>(c.end), ") and ", name, "'s [",
         reinterpret_cast<const void*>(in.begin), ", ", reinterpret_cast<const void*>(in.end),
         ") share memory; C must not alias an input");
  }
}

void validate_packed_b_size(std::int64_t k, std::int64_t n) {
  // Each part (column sums, zero points, panels) is kept below 2^60 bytes, so that neither
  // their sum nor the per-column scratch of a call (16 bytes a column) can wrap. Panels hold at
  // most (N + NR) x (K + K unit) values of at most 2 bytes, with NR and the K unit <= 64.
  constexpr std::uint64_t kLimit = std::uint64_t{1} << 60;
  const auto uk = static_cast<std::uint64_t>(k), un = static_cast<std::uint64_t>(n);
  if (un > kLimit / 16) {
    fail("n: ", n, " (with k = ", k, "): packed B would exceed the address space");
  }
  std::uint64_t values;
  constexpr std::uint64_t kMaxPadding = 64;
  if (__builtin_mul_overflow(un + kMaxPadding, uk + kMaxPadding, &values) || values > kLimit / 2) {
    if (k >= n) fail("k: ", k, " (with n = ", n, "): packed B would exceed the address space");
    fail("n: ", n, " (with k = ", k, "): packed B would exceed the address space");
  }
}

}  // namespace i8gemm::detail
