// The blocked GEMM loops: tasks of MC x NC blocks of C, each NC -> MC -> KC -> NR -> MR ->
// micro-kernel (BLIS's order when KC covers K, the usual case), then the fused epilogue.
#pragma once

#include <cstddef>

#include "framework/context_state.hpp"
#include "framework/packed_b_state.hpp"
#include "framework/path_config.hpp"

namespace i8gemm::detail {

// The bytes of packed B beyond which little of it is still in the core's L2 from the last call,
// so that the kernels prefetch it (driver.cpp).
inline std::size_t b_streams_beyond(const CacheSizes& caches) {
  return 2 * caches.l2;
}

void run_blocked(ContextState& st, const PathConfig& path, const ADesc& a, const PackedBView& b,
                 const OutDesc& out);

}  // namespace i8gemm::detail
