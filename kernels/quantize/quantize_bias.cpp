// quantize_bias (quantize.hpp): a layer's float bias as int32 at scale sX * sW[j], zero point 0.
// A few values per layer, computed once: scalar double arithmetic, the same on every path.
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <limits>

#include "i8gemm/quantize.hpp"

namespace i8gemm {
namespace {

[[noreturn]] __attribute__((format(printf, 1, 2))) void fail(const char* format, ...) {
  char message[256];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof(message), format, args);
  va_end(args);
  throw Error(message);
}

void check_scale(float scale, const char* name, std::int64_t index) {
  if (std::isfinite(scale) && scale > 0.0f) return;
  if (index < 0) fail("%s = %.9g must be finite and > 0", name, static_cast<double>(scale));
  fail("%s[%" PRId64 "] = %.9g must be finite and > 0", name, index, static_cast<double>(scale));
}

// round_half_even(b / (sx * sw)), saturated to int32. sx * sw is exact in double (24 + 24
// significant bits) and cannot overflow or underflow there.
std::int32_t bias_value(float b, float sx, float sw) {
  const double q =
      std::nearbyint(static_cast<double>(b) / (static_cast<double>(sx) * static_cast<double>(sw)));
  if (q <= static_cast<double>(std::numeric_limits<std::int32_t>::min())) {
    return std::numeric_limits<std::int32_t>::min();
  }
  if (q >= static_cast<double>(std::numeric_limits<std::int32_t>::max())) {
    return std::numeric_limits<std::int32_t>::max();
  }
  return static_cast<std::int32_t>(q);
}

// Every argument is checked before the first value is written. weight_scales null: per tensor.
void quantize_bias_checked(const float* bias, std::int64_t n, float input_scale,
                           const float* weight_scales, float weight_scale, std::int32_t* bias_q) {
  if (n < 0) fail("n = %" PRId64 " must be >= 0", n);
  if (n > 0 && bias == nullptr) fail("bias is null (n = %" PRId64 ")", n);
  if (n > 0 && bias_q == nullptr) fail("bias_q is null (n = %" PRId64 ")", n);
  check_scale(input_scale, "input_scale", -1);
  for (std::int64_t j = 0; j < n; ++j) {
    if (!std::isfinite(bias[j])) {
      fail("bias[%" PRId64 "] = %g is not finite", j, static_cast<double>(bias[j]));
    }
    if (weight_scales != nullptr) check_scale(weight_scales[j], "weight_scales", j);
  }
  if (weight_scales == nullptr) check_scale(weight_scale, "weight_scale", -1);
  for (std::int64_t j = 0; j < n; ++j) {
    bias_q[j] = bias_value(bias[j], input_scale,
                           weight_scales != nullptr ? weight_scales[j] : weight_scale);
  }
}

}  // namespace

void quantize_bias(const float* bias, std::int64_t n, float input_scale, const float* weight_scales,
                   std::int32_t* bias_q) {
  if (weight_scales == nullptr && n > 0) fail("weight_scales is null (n = %" PRId64 ")", n);
  quantize_bias_checked(bias, n, input_scale, weight_scales, 1.0f, bias_q);
}

void quantize_bias(const float* bias, std::int64_t n, float input_scale, float weight_scale,
                   std::int32_t* bias_q) {
  quantize_bias_checked(bias, n, input_scale, nullptr, weight_scale, bias_q);
}

}  // namespace i8gemm
