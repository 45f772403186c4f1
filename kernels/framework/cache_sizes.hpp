// Decoding of the CPU's cache descriptions, apart from reading them, so tests can feed in a
// CPU's words (cache_sizes.cpp reads them).
#pragma once

#include <cstdint>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

// AMD's legacy cache leaves: 0x80000005's ECX (L1D) and 0x80000006's ECX (L2), both per core.
// Hypervisors that hide TOPOEXT leave 0x8000001D empty and answer only these. Their L3 (0x80000006
// EDX) is the whole shared cache with no count of the cores sharing it, so l3 is left 0 (the
// caller uses its default).
CacheSizes decode_amd_legacy_cache_leaves(std::uint32_t leaf5_ecx, std::uint32_t leaf6_ecx);

}  // namespace i8gemm::detail
