// int32 values where the fixed-point rounding has its edges: the extremes, powers of two, their
// neighbours and their halves (where ties live). Shared by the reference's tests against
// gemmlowp and the sweep of every path's output stage.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace i8gemm::testing {

inline std::vector<std::int32_t> edge_values() {
  constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
  std::vector<std::int32_t> v = {kMin, kMin + 1, kMax, kMax - 1, 0, 1, -1, 2, -2};
  for (int s = 0; s < 31; ++s) {
    const std::int32_t p = std::int32_t{1} << s;
    for (std::int32_t d : {-1, 0, 1}) {
      v.push_back(p + d);
      v.push_back(-p + d);
      v.push_back((p >> 1) * 3 + d);
      v.push_back(-(p >> 1) * 3 + d);
    }
  }
  return v;
}

}  // namespace i8gemm::testing
