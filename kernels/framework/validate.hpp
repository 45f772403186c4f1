// Argument checks of the public entry points. Each failure throws Error naming the argument
// and its value, before anything is written.
#pragma once

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

void validate_a(const ADesc& a);
void validate_b(const BDesc& b);
// `k` and `n` are B's; `m` and `k` must match A's.
void validate_gemm(const ADesc& a, std::int64_t k, std::int64_t n, const OutDesc& out);

}  // namespace i8gemm::detail
