// int32 arithmetic modulo 2^32, as SIMD lanes do it, without signed-overflow UB: the sums and
// zero-point terms are exact whenever the true accumulator fits in int32 (math.md section 2).
#pragma once

#include <cstdint>

namespace i8gemm::detail {

inline std::int32_t wrap_add(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}
inline std::int32_t wrap_sub(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) - static_cast<std::uint32_t>(b));
}
inline std::int32_t wrap_mul(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) * static_cast<std::uint32_t>(b));
}

}  // namespace i8gemm::detail
