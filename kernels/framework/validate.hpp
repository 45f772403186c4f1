// Argument checks of the public entry points. Each failure throws Error naming the argument
// and its value, before anything is written.
#pragma once

#include <cstddef>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

// Bytes of one element of C.
inline std::size_t out_elem_size(OutType type) {
  return type == OutType::s8 || type == OutType::u8 ? 1 : 4;
}
inline std::size_t out_elem_size(const OutDesc& out) {
  return out_elem_size(out.type);
}

void validate_a(const ADesc& a);
// Packed B must be of the context's path.
void validate_b_path(Isa packed, Isa context);
void validate_b(const BDesc& b);
// validate_shapes, then validate_stage with M = a.rows.
void validate_gemm(const ADesc& a, std::int64_t k, std::int64_t n, const OutDesc& out);
// `k` and `n` are B's: A's K, C's M and N against them, C's view, C apart from A.
void validate_shapes(const ADesc& a, std::int64_t k, std::int64_t n, const OutDesc& out);
// The output stage's parameters for M rows (A's per-row scales) and N columns; out's C is not
// looked at.
void validate_stage(const OutDesc& out, std::int64_t m, std::int64_t n);
// C must share no byte with the input `name` of `elem`-byte elements (its bytes: from its first
// element to its last, gaps between rows included): the result would depend on the path's order
// of work.
void validate_c_disjoint(const OutDesc& out, const char* name, const void* data, std::int64_t rows,
                         std::int64_t cols, std::int64_t ld, std::size_t elem);
// B packed (panels, column sums, zero points) must fit the address space; with K = 0 B's view
// is empty whatever N is, so its own checks do not bound N.
void validate_packed_b_size(std::int64_t k, std::int64_t n);

}  // namespace i8gemm::detail
