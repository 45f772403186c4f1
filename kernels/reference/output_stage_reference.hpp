// The output stages of math.md section 3, literally, one value at a time. The SIMD epilogues
// must reproduce these bits; the tests hold these against gemmlowp's fixedpoint.h. The plain
// C++ paths' epilogue (epilogue/epilogue_plain.hpp) runs these very functions: compiled in a
// path's object library they live in that path's namespace (framework/isa_namespace.hpp).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "i8gemm/i8gemm.hpp"
#include "reference/reference_namespace.hpp"
#include "reference/round_half_even.hpp"

namespace I8GEMM_REFERENCE_NS {

// Two's-complement wrap of an exact value into int32 (what int32 SIMD accumulation gives).
inline std::int32_t wrap32(std::int64_t v) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::uint64_t>(v)));
}

// High 32 bits of 2*a*b, rounded to nearest with ties away from zero; saturates the one
// overflowing case a = b = INT32_MIN.
inline std::int32_t saturating_rounding_doubling_high_mul(std::int32_t a, std::int32_t b) {
  if (a == std::numeric_limits<std::int32_t>::min() && a == b) {
    return std::numeric_limits<std::int32_t>::max();
  }
  const std::int64_t ab = std::int64_t{a} * std::int64_t{b};
  const std::int64_t nudge = ab >= 0 ? (std::int64_t{1} << 30) : (1 - (std::int64_t{1} << 30));
  // Division truncating toward zero, as gemmlowp's reference.
  return static_cast<std::int32_t>((ab + nudge) / (std::int64_t{1} << 31));
}

// x / 2^exponent rounded to nearest, ties away from zero (exponent 0..31).
inline std::int32_t rounding_divide_by_pot(std::int32_t x, int exponent) {
  const std::int32_t mask = static_cast<std::int32_t>((std::int64_t{1} << exponent) - 1);
  const std::int32_t remainder = x & mask;
  const std::int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * 2^s for s >= 0, saturating to int32 (gemmlowp's SaturatingRoundingMultiplyByPOT for a
// left shift); TensorFlow Lite's plain multiply is undefined where this saturates.
inline std::int32_t saturating_left_shift(std::int32_t x, int s) {
  const std::int64_t v = std::int64_t{x} * (std::int64_t{1} << s);
  if (v > std::numeric_limits<std::int32_t>::max()) return std::numeric_limits<std::int32_t>::max();
  if (v < std::numeric_limits<std::int32_t>::min()) return std::numeric_limits<std::int32_t>::min();
  return static_cast<std::int32_t>(v);
}

// TensorFlow Lite's MultiplyByQuantizedMultiplier.
inline std::int32_t multiply_by_quantized_multiplier(std::int32_t x, QuantizedMultiplier m) {
  const int left = m.shift > 0 ? m.shift : 0;
  const int right = m.shift > 0 ? 0 : -m.shift;
  return rounding_divide_by_pot(
      saturating_rounding_doubling_high_mul(saturating_left_shift(x, left), m.m0), right);
}

inline std::int32_t clamp32(std::int64_t v, std::int32_t lo, std::int32_t hi) {
  return static_cast<std::int32_t>(v < lo ? lo : (v > hi ? hi : v));
}

// zY + MultiplyByQuantizedMultiplier(v, m), clamped.
inline std::int32_t requantize_fixed_point(std::int32_t v, QuantizedMultiplier m,
                                           std::int32_t zero_point, std::int32_t lo,
                                           std::int32_t hi) {
  return clamp32(std::int64_t{zero_point} + multiply_by_quantized_multiplier(v, m), lo, hi);
}

// zY + round_half_even(float(v) * scale), clamped; one fp32 multiply, as math.md says (in the
// default environment, which reference::gemm sets).
inline std::int32_t requantize_float(std::int32_t v, float scale, std::int32_t zero_point,
                                     std::int32_t lo, std::int32_t hi) {
  const float product = static_cast<float>(v) * scale;
  const double rounded = static_cast<double>(round_half_even(product));
  const double y = rounded + zero_point;
  if (std::isnan(y)) return clamp32(zero_point, lo, hi);  // unreachable for finite scales
  if (y <= lo) return lo;
  if (y >= hi) return hi;
  return static_cast<std::int32_t>(y);
}

// clamp((sA * sB) * float(v) + bias, lo, hi), fp32. The clamp is written as the SIMD max/min
// compute it (x > lo ? x : lo, then x < hi ? x : hi), down to the sign of a zero.
inline float dequantize_output(std::int32_t v, float a_scale, float b_scale, float bias, float lo,
                               float hi) {
  const float scale = a_scale * b_scale;
  const float y = scale * static_cast<float>(v) + bias;
  const float above = y > lo ? y : lo;
  return above < hi ? above : hi;
}

}  // namespace I8GEMM_REFERENCE_NS
