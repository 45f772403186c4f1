// Ceiling division and rounding up, for sizes. Divisors are often powers of two (K units, NR,
// alignments) and quotients often 1 (one block): both are tested first, since a 64-bit division
// costs tens of cycles and a small call makes a dozen of them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace i8gemm::detail {

// ceil(x / d) for x >= 0, d > 0.
template <typename T>
inline T ceil_div(T x, T d) {
  if (x <= d) return x > 0 ? 1 : 0;
  if ((d & (d - 1)) == 0) return (x + d - 1) >> __builtin_ctzll(static_cast<unsigned long long>(d));
  return (x + d - 1) / d;
}

// x rounded up to a multiple of `multiple` (> 0), for byte sizes and for block sizes.
inline std::size_t round_up(std::size_t x, std::size_t multiple) {
  return ceil_div(x, multiple) * multiple;
}
inline std::int64_t round_up(std::int64_t x, std::int64_t multiple) {
  return ceil_div(x, multiple) * multiple;
}

}  // namespace i8gemm::detail
