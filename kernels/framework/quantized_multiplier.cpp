// TensorFlow Lite's QuantizeMultiplier, so that our (m0, shift) pairs are theirs.
#include <cmath>
#include <string>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm {

QuantizedMultiplier quantize_multiplier(double multiplier) {
  if (!std::isfinite(multiplier) || multiplier < 0) {
    throw Error("multiplier: " + std::to_string(multiplier) +
                " is not a finite non-negative number");
  }
  if (multiplier == 0.0) return {0, 0};
  int shift = 0;
  const double q = std::frexp(multiplier, &shift);  // q in [0.5, 1)
  auto q_fixed = static_cast<std::int64_t>(std::round(q * static_cast<double>(1ll << 31)));
  if (q_fixed == (1ll << 31)) {  // q rounded up to 1
    q_fixed /= 2;
    ++shift;
  }
  if (shift < -31) {  // every bit would be shifted out
    shift = 0;
    q_fixed = 0;
  }
  if (shift > 30) {  // beyond what the single-rounding multiply supports: saturate
    shift = 30;
    q_fixed = (1ll << 31) - 1;
  }
  return {static_cast<std::int32_t>(q_fixed), shift};
}

}  // namespace i8gemm
