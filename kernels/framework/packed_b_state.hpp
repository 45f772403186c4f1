// What a PackedB owns, and the view of packed B that the driver reads (from a PackedB or from
// the context's scratch in the one-call form).
#pragma once

#include "framework/aligned_buffer.hpp"
#include "framework/path_config.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

struct PackedBView {
  const void* panels;            // path layout; for scalar, B as K x N row-major
  const std::int32_t* col_sums;  // N values
  ZeroPoints zero_point;         // per-channel values point at N values
  std::int64_t k, n;
};

struct PackedBState {
  Isa isa = Isa::scalar;
  AlignedBuffer buffer;  // panels | column sums | per-column zero points
  PackedBView view{};
};

// Packs B for `isa` into `panels` (packed_b_storage_bytes bytes) and `col_sums` (N values).
std::size_t packed_b_storage_bytes(Isa isa, std::int64_t k, std::int64_t n);
void pack_b_for(Isa isa, const BDesc& b, void* panels, std::int32_t* col_sums);

}  // namespace i8gemm::detail
