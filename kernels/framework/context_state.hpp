// What a Context holds: the chosen path and the scratch its calls reuse.
#pragma once

#include "framework/aligned_buffer.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

struct ContextState {
  Isa isa = Isa::scalar;
  Isa last_used = Isa::scalar;
  AlignedBuffer packed_a;      // one MC x KC block of A
  AlignedBuffer row_sums;      // M row sums of A (only when some B zero point is non-zero)
  AlignedBuffer col_terms;     // N per-column epilogue terms
  AlignedBuffer multipliers;   // 3 x N: per-channel m0, left shift, right shift
  AlignedBuffer accumulators;  // int32 tiles kept across KC blocks when K > KC
  AlignedBuffer packed_b;      // B packed by the one-call form
  AlignedBuffer b_sums;        // its column sums
};

// Throws Error naming `argument` unless `isa` is built and runs on this CPU.
void require_available(Isa isa, const char* argument);

}  // namespace i8gemm::detail
