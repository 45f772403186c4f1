// What a PreparedGemm holds: its Context and B, A's type and zero point, the output stage with
// its per-column arrays copied, and the column terms of its path (and delegate).
#pragma once

#include <vector>

#include "framework/aligned_buffer.hpp"
#include "framework/column_set.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

struct PreparedGemmState {
  Context* ctx = nullptr;
  const PackedB* b = nullptr;
  AType a_type = AType::s8;
  std::int32_t a_zero_point = 0;
  OutDesc out{};  // C's fields unset; its arrays point into the copies below
  std::vector<std::int32_t> bias;
  std::vector<float> bias_f, scales;
  std::vector<QuantizedMultiplier> multipliers;
  AlignedBuffer col_terms[2], m0s[2];  // the storage of call.sets
  BlockingCache blocking;              // call.blocking (its runs write it)
  PreparedCall call;
};

}  // namespace i8gemm::detail
