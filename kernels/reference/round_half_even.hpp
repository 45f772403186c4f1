// Round half to even, the rounding of math.md, independent of the caller's rounding mode.
#pragma once

#include <cmath>

#include "reference/reference_namespace.hpp"

namespace I8GEMM_REFERENCE_NS {

// x rounded to the nearest integer, ties to even, spelled out: std::nearbyint would follow the
// caller's rounding mode. Every step is exact in any mode: |x| - floor(|x|) by Sterbenz's lemma
// (floor(|x|) >= |x| / 2 once |x| >= 1), the rest on small integers.
inline float round_half_even(float x) {
  const float magnitude = std::fabs(x);
  if (!(magnitude < 8388608.0f)) return x;  // 2^23 and above are integers (as are inf, NaN)
  const float lower = std::floor(magnitude);
  const float fraction = magnitude - lower;
  const bool up = fraction > 0.5f || (fraction == 0.5f && std::fmod(lower, 2.0f) != 0.0f);
  return std::copysign(up ? lower + 1.0f : lower, x);
}

}  // namespace I8GEMM_REFERENCE_NS
