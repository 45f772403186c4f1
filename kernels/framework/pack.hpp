// Packing into the panel layouts of path_config.hpp. ISA-free: the layout is described by
// the configuration (MR/NR, KG, element type, A offset).
#pragma once

#include <cstddef>
#include <cstdint>

#include "framework/path_config.hpp"

namespace i8gemm::detail {

std::size_t packed_elem_size(PackedElem e);
// Bytes of one NR-column panel of B over all of K.
std::size_t packed_b_panel_bytes(const PathConfig& cfg, std::int64_t k);
// Bytes of all of B's panels.
std::size_t packed_b_bytes(const PathConfig& cfg, std::int64_t k, std::int64_t n);

// Packs B into ceil(n / NR) panels at dst (K and N tails zero-padded) with its N column sums:
// panels [panel_begin, panel_end) of them (all by default), so that threads can share the work.
void pack_b(const PathConfig& cfg, const BDesc& b, void* dst, std::int32_t* col_sums,
            std::int64_t panel_begin = 0, std::int64_t panel_end = INT64_MAX);

// Offset added to each A value when packed (math.md section 2's sign trick).
int a_offset(const PathConfig& cfg, AType type);

// Packs rows [row0, row0 + rows) x columns [k0, k0 + kc) of A into ceil(rows / mr) panels of
// mr rows x round_up(kc, k_unit) values each (mr: the micro-kernel's). If row_sums is set, adds
// each row's sum of packed values (A + offset) over these columns into row_sums[r - row0].
void pack_a(const PathConfig& cfg, int mr, const ADesc& a, std::int64_t row0, std::int64_t rows,
            std::int64_t k0, std::int64_t kc, void* dst, std::int32_t* row_sums);

}  // namespace i8gemm::detail
