// Packing into the panel layouts of path_config.hpp. ISA-free: the layout is described by
// the configuration (MR/NR, KG, element type, A offset).
#pragma once

#include <cstddef>
#include <cstdint>

#include "framework/path_config.hpp"

namespace i8gemm::detail {

// (Inline: every call asks, several times.)
inline std::size_t packed_elem_size(PackedElem e) {
  return e == PackedElem::s16 ? 2 : 1;
}
// Bytes of one NR-column panel of B over all of K.
std::size_t packed_b_panel_bytes(const PathConfig& cfg, std::int64_t k);
// Bytes of all of B's panels.
std::size_t packed_b_bytes(const PathConfig& cfg, std::int64_t k, std::int64_t n);

// Packs B into ceil(n / NR) panels at dst (K and N tails zero-padded) with its N column sums:
// panels [panel_begin, panel_end) of them (all by default), so that threads can share the work.
void pack_b(const PathConfig& cfg, const BDesc& b, void* dst, std::int32_t* col_sums,
            std::int64_t panel_begin = 0, std::int64_t panel_end = INT64_MAX);

// Offset added to each A value when packed (math.md section 2's sign trick).
inline int a_offset(const PathConfig& cfg, AType type) {
  return type == AType::s8 ? cfg.a_offset_s8 : cfg.a_offset_u8;
}

// Packs rows [row0, row0 + rows) x columns [k0, k0 + kc) of A into ceil(rows / mr) panels of
// mr rows x round_up(kc, k_unit) values each (mr: the micro-kernel's). If row_sums is set, adds
// each row's sum of packed values (A + offset) over these columns into row_sums[r - row0].
void pack_a(const PathConfig& cfg, int mr, const ADesc& a, std::int64_t row0, std::int64_t rows,
            std::int64_t k0, std::int64_t kc, void* dst, std::int32_t* row_sums);

// The minimum and maximum of the `len` floats of A's row `row` that start at column `col0`
// (x points at that column), on the path's range kernel; a NaN or infinity among them is an
// Error naming its row and column.
void range_of_row_part(const QuantKernelTable& kernels, const float* x, std::int64_t row,
                       std::int64_t col0, std::int64_t len, float* lo, float* hi);

// Float A (math.md section 4), rows [row0, row0 + rows), each ranged (or given the tensor's
// parameters) and quantized with the path's kernels into q (K bytes a row, the rows K apart):
// each row's zero point (no offset) and scale into zero_points[r - row0] / scales[r - row0], its
// parameters to a.dynamic->params_out[r] when set. Throws Error naming the row and column of a
// NaN or infinity.
void quantize_a_rows(const PathConfig& cfg, const ADesc& a, std::int64_t row0, std::int64_t rows,
                     std::uint8_t* q, std::int32_t* zero_points, float* scales);

// Float A (math.md section 4), rows [row0, row0 + rows): each row's range is found (or the
// tensor's parameters taken) and the row quantized with the path's kernels into `rows_buffer`
// (MR rows of K bytes), then packed as integer A into the K blocks of KC at
// dst + kb * block_bytes (pack_a's panels). Writes each row's zero point plus the path's offset
// and its scale to zero_points[r - row0] / scales[r - row0], its parameters to
// params_out[r] when set, and adds the packed row sums to row_sums[r - row0] when set. Throws
// Error naming the row and column of a NaN or infinity.
void pack_a_dynamic(const PathConfig& cfg, int mr, const ADesc& a, std::int64_t row0,
                    std::int64_t rows, std::int64_t kc_max, std::size_t block_bytes, void* dst,
                    void* rows_buffer, std::int32_t* zero_points, float* scales,
                    QuantParams* params_out, std::int32_t* row_sums);

}  // namespace i8gemm::detail
