#include "framework/validate.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

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
  // The last element, (rows - 1) * ld + cols - 1, must be addressable.
  const std::int64_t max_elems = std::numeric_limits<std::int64_t>::max() / std::int64_t(elem);
  if ((rows - 1) > (max_elems - cols) / ld) {
    fail(name, ": ", rows, " rows with ld = ", ld, " exceed the address space");
  }
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

void validate_scale(const char* name, float s, std::int64_t idx) {
  if (!(s > 0.0f) || !std::isfinite(s)) {
    if (idx < 0) fail(name, ": ", s, " is not a finite positive number");
    fail(name, "[", idx, "]: ", s, " is not a finite positive number");
  }
}

// m0 = 0 only as the explicit zero multiplier: a default-constructed one is a trap.
bool m0_ok(QuantizedMultiplier m) {
  return m.m0 >= (std::int32_t{1} << 30) || m.is_zero();
}
bool shift_ok(QuantizedMultiplier m) {
  return m.shift >= -31 && m.shift <= 30;
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

// The check inlines into the per-channel loop; the message is built only for a bad multiplier.
inline void validate_multiplier(const char* name, QuantizedMultiplier m, std::int64_t idx) {
  if (!m0_ok(m) || !shift_ok(m)) multiplier_error(name, m, idx);
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

void validate_b(const BDesc& b) {
  validate_view("b", b.data, b.rows, b.cols, b.ld, 1);
  if (b.layout != BLayout::kn && b.layout != BLayout::nk) {
    fail("b_layout: ", static_cast<int>(b.layout), " is not BLayout::kn or BLayout::nk");
  }
  const std::int64_t n = b.n();
  validate_zero_points("b_zero_point", b.zero_point, n, -128, 127);
}

void validate_gemm(const ADesc& a, std::int64_t k, std::int64_t n, const OutDesc& out) {
  if (a.cols != k) fail("a.cols: ", a.cols, " does not match K = ", k, " of B");
  std::size_t elem = out.type == OutType::s8 || out.type == OutType::u8 ? 1 : 4;
  validate_view("c", out.data, out.rows, out.cols, out.ld, elem);
  if (out.rows != a.rows) fail("c.rows: ", out.rows, " does not match M = ", a.rows, " of A");
  if (out.cols != n) fail("c.cols: ", out.cols, " does not match N = ", n, " of B");
  const std::int64_t m = a.rows;
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
          for (std::int64_t j = 0; j < n; ++j) {
            validate_multiplier("per_channel", out.multipliers[j], j);
          }
        }
      } else if (out.scales == nullptr) {
        validate_scale("scale", out.scale, -1);
      } else {
        for (std::int64_t j = 0; j < n; ++j) validate_scale("per_channel", out.scales[j], j);
      }
      return;
    }
    case OutKind::float32:
      if (!(out.min_f <= out.max_f)) {
        fail("min, max: [", out.min_f, ", ", out.max_f, "] is not a range (NaN, or min > max)");
      }
      if (out.a_scales == nullptr) {
        validate_scale("a_scale", out.a_scale, -1);
      } else {
        for (std::int64_t i = 0; i < m; ++i) validate_scale("a_scales", out.a_scales[i], i);
      }
      if (out.scales == nullptr) {
        validate_scale("b_scale", out.scale, -1);
      } else {
        for (std::int64_t j = 0; j < n; ++j) validate_scale("b_scales", out.scales[j], j);
      }
      if (out.bias_f != nullptr) {
        for (std::int64_t j = 0; j < n; ++j) {
          if (!std::isfinite(out.bias_f[j]))
            fail("bias[", j, "]: ", out.bias_f[j], " is not finite");
        }
      }
      return;
  }
  fail("output stage: unknown kind ", static_cast<int>(out.kind));
}

}  // namespace i8gemm::detail
