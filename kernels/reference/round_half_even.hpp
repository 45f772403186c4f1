// Round half to even, the rounding of math.md, independent of the caller's rounding mode.
#pragma once

#include <cmath>

// In a path's object library it lives in that path's namespace, as the output stages that use it
// (output_stage_reference.hpp).
#ifdef I8GEMM_ISA_NS
namespace i8gemm::I8GEMM_ISA_NS::reference {
#else
namespace i8gemm::reference {
#endif

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

}  // namespace i8gemm::[I8GEMM_ISA_NS::]reference
