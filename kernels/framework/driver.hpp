// The blocked GEMM loops: tasks of MC x NC blocks of C, each NC -> MC -> KC -> NR -> MR ->
// micro-kernel (BLIS's order when KC covers K, the usual case), then the fused epilogue.
#pragma once

#include "framework/column_set.hpp"
#include "framework/context_state.hpp"
#include "framework/packed_b_state.hpp"
#include "framework/path_config.hpp"

namespace i8gemm::detail {

// `prepared`: a PreparedGemm's column terms and blocking cache, or null (the terms computed
// here, the Context's cache).
void run_blocked(ContextState& st, const PathConfig& path, const ADesc& a, const PackedBView& b,
                 const OutDesc& out, const PreparedCall* prepared = nullptr);

}  // namespace i8gemm::detail
