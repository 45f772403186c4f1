// What a PackedB owns, and the view of packed B that the driver reads (from a PackedB or from
// the context's scratch in the one-call form).
#pragma once

#include "framework/aligned_buffer.hpp"
#include "framework/path_config.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

struct PackedBView {
  const void* panels;            // the path's layout (pack.hpp)
  const std::int32_t* col_sums;  // N values
  ZeroPoints zero_point;         // per-channel values point at N values
  std::int64_t k, n;
  std::size_t panel_bytes;  // from one NR panel to the next (packed_b_panel_bytes of the path)
  std::size_t bytes;        // of all the panels (packed_b_bytes)
};

struct PackedBState {
  Isa isa = Isa::scalar;
  std::uint64_t id = 0;  // this packing's, unique in the process (a PreparedGemm's check)
  AlignedBuffer buffer;  // panels | column sums | per-column zero points
  PackedBView view{};
};

}  // namespace i8gemm::detail
