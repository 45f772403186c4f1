// What an epilogue needs besides the tile: the output stage and the zero-point terms of
// math.md section 2, rearranged so that a tile needs at most two multiplies per element:
//   acc = S + col_term[j] - za_i * col_sum[j] - zb_j * row_term[i]
// with S the kernel's sum over packed (offset) values, za the offset zero point of A,
// row_term[i] = rowsum_A[i] - K * za_i, and col_term[j] = -za * col_sum[j] + bias[j] when za is
// per tensor (bias is left out for the float32 stage, whose bias is float). Everything wraps
// modulo 2^32, which is exact whenever the true acc fits in int32.
#pragma once

#include <cstdint>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

struct EpilogueArgs {
  const OutDesc* out;
  const std::int32_t* col_terms;      // N values
  const std::int32_t* col_sums;       // N values; used when a_zero_points is set
  const std::int32_t* a_zero_points;  // a_zero_points[i - a_zero_points_row0]: offset zero
  std::int64_t a_zero_points_row0;    // points of A's rows, or null (per tensor)
  const float* a_scales;              // float32 stage: a_scales[i - a_scales_row0], or null
  std::int64_t a_scales_row0;         // (OutDesc::a_scale)
  const std::int32_t* row_terms;      // row_terms[i - row_terms_row0], or null when every B
                                      // zero point is 0
  std::int64_t row_terms_row0;
  const std::int32_t* b_zero_points;  // N values, or null (per tensor: b_zero_point)
  std::int32_t b_zero_point;
  // Per-channel fixed-point multipliers split into vectors-friendly arrays (N values each):
  // m0, left shift and right shift; null for a per-tensor multiplier.
  const std::int32_t* m0s;
  const std::int32_t* left_shifts;
  const std::int32_t* right_shifts;
  bool any_left_shift;  // some multiplier >= 1: the saturating left shift is needed
  // Every multiplier < 1/2 (a right shift of at least 1): the rounded values are within
  // +-2^30, so adding the output zero point cannot wrap and a saturating narrowing store can
  // clamp at the type's bounds.
  bool every_right_shift;
};

// What a call's per-column terms are computed from, and where they go (EpilogueKernels::columns,
// once per call before its blocks): col_terms[j] = bias[j] - za * col_sums[j] (bias null: none),
// wrapping; with per-channel fixed-point multipliers, each split into m0s[j], m0s[n + j] (its
// left shift) and m0s[2n + j] (its right shift), EpilogueArgs' three arrays.
struct ColumnTerms {
  std::int64_t n;
  const std::int32_t* col_sums;
  const std::int32_t* bias;  // or null
  std::int32_t za;
  std::int32_t* col_terms;
  const QuantizedMultiplier* multipliers;  // or null: nothing to split
  std::int32_t* m0s;                       // 3 n values where multipliers is set
};
// EpilogueArgs' any_left_shift and every_right_shift of the split multipliers.
struct MultiplierShifts {
  bool any_left_shift;
  bool every_right_shift;
};

}  // namespace i8gemm::detail
