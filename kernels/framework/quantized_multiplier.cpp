// TensorFlow Lite's QuantizeMultiplier, so that our (m0, shift) pairs are theirs, except that
// what the fixed-point stage cannot represent is refused instead of silently changed.
#include <cmath>
#include <cstdio>
#include <string>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm {
namespace {

[[noreturn]] void refuse(double multiplier, const char* why) {
  char message[160];
  std::snprintf(message, sizeof(message), "multiplier: %g %s", multiplier, why);
  throw Error(message);
}

}  // namespace

QuantizedMultiplier quantize_multiplier(double multiplier) {
  if (std::isnan(multiplier)) refuse(multiplier, "is not a number");
  if (std::isinf(multiplier)) refuse(multiplier, "is not finite");
  if (multiplier < 0) refuse(multiplier, "is negative");
  if (multiplier == 0.0) return QuantizedMultiplier::zero();
  int shift = 0;
  const double q = std::frexp(multiplier, &shift);  // q in [0.5, 1)
  auto q_fixed = static_cast<std::int64_t>(std::round(q * static_cast<double>(1ll << 31)));
  if (q_fixed == (1ll << 31)) {  // q rounded up to 1
    q_fixed /= 2;
    ++shift;
  }
  if (shift < -31) {
    // TensorFlow Lite returns (0, 0) here: every bit would be shifted out.
    refuse(multiplier,
           "is below 2^-32 (2.32831e-10), the smallest multiplier of the fixed-point stage "
           "(m0 = 2^30, shift = -31); use the float-scale stage for it, or 0.0 for a zero "
           "multiplier");
  }
  if (shift > 30) {
    // TensorFlow Lite would need a left shift of 31 bits or more.
    refuse(multiplier,
           "is at least 2^30 (1.07374e+09), beyond the fixed-point stage (left shift of at most "
           "30 bits)");
  }
  return {static_cast<std::int32_t>(q_fixed), shift};
}

}  // namespace i8gemm
