// What a PreparedGemm holds: its Context and B, A's type and zero point, the output stage with
// its per-column arrays copied, and the column terms of its path (and delegate).
#pragma once

#include <vector>

#include "framework/aligned_buffer.hpp"
#include "framework/column_set.hpp"
#include "framework/packed_b_state.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

struct PreparedGemmState {
  PreparedGemmState() = default;
  // call points into the object itself.
  PreparedGemmState(const PreparedGemmState&) = delete;
  PreparedGemmState& operator=(const PreparedGemmState&) = delete;

  Context* ctx = nullptr;
  const PackedB* b = nullptr;
  std::uint64_t b_id = 0;  // PackedBState::id of the packing it was made with
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

// The PackedB still holds the packing the PreparedGemm was made with (not another one assigned
// to it since) and the Context runs its path: else an Error naming `b` or `ctx`.
void validate_prepared(const PreparedGemmState& p, const PackedBState& b, Isa context_isa);

}  // namespace i8gemm::detail
