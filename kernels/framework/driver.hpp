// The blocked GEMM loops (BLIS order: NC -> KC -> MC -> NR -> MR -> micro-kernel).
#pragma once

#include "framework/context_state.hpp"
#include "framework/packed_b_state.hpp"
#include "framework/path_config.hpp"

namespace i8gemm::detail {

void run_blocked(ContextState& st, const PathConfig& path, const ADesc& a, const PackedBView& b,
                 const OutDesc& out);

}  // namespace i8gemm::detail
