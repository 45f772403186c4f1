// A call's per-column epilogue terms (epilogue_args.hpp, ColumnTerms), included by each path's
// epilogue (epilogue.hpp, epilogue_plain.hpp) so that these loops over N are compiled with the
// path's instructions: in the framework's code, built for baseline x86-64, the multipliers'
// split took about 8 instructions a column, and avx512vnni's 1 x 1024^2 int8 call ran 0.95 of
// its time with the loops built for AVX-512 (Zen 5, A and C rotated, 5 rounds, medians).
#pragma once

#include <algorithm>
#include <cstdint>

#include "framework/epilogue_args.hpp"
#include "framework/isa_namespace.hpp"
#include "framework/path_config.hpp"

namespace i8gemm::I8GEMM_ISA_NS::epilogue {

inline detail::MultiplierShifts column_terms(const detail::ColumnTerms& t) {
  // Branches hoisted and pointers local, so that the loops vectorize.
  const std::int64_t n = t.n;
  const std::int32_t* col_sums = t.col_sums;
  const std::int32_t* bias = t.bias;
  // Modulo 2^32, in unsigned arithmetic (framework/wrapping.hpp's, written out here: this file
  // is compiled once per path and includes no shared inline code; isa_namespace.hpp).
  const auto za = static_cast<std::uint32_t>(t.za);
  std::int32_t* col_terms = t.col_terms;
  if (bias != nullptr) {
    for (std::int64_t j = 0; j < n; ++j) {
      col_terms[j] = static_cast<std::int32_t>(static_cast<std::uint32_t>(bias[j]) -
                                               za * static_cast<std::uint32_t>(col_sums[j]));
    }
  } else {
    for (std::int64_t j = 0; j < n; ++j) {
      col_terms[j] = static_cast<std::int32_t>(0u - za * static_cast<std::uint32_t>(col_sums[j]));
    }
  }
  if (t.multipliers == nullptr) return {false, false};
  const QuantizedMultiplier* q = t.multipliers;
  std::int32_t* m0s = t.m0s;
  std::int32_t* left = m0s + n;
  std::int32_t* right = m0s + 2 * n;
  int any_left = 0, every_right = 1;
  for (std::int64_t j = 0; j < n; ++j) {
    const std::int32_t shift = q[j].shift;
    m0s[j] = q[j].m0;
    left[j] = std::max(shift, 0);
    right[j] = std::max(-shift, 0);
    any_left |= static_cast<int>(shift > 0);
    every_right &= static_cast<int>(shift < 0);
  }
  return {any_left != 0, every_right != 0};
}

}  // namespace i8gemm::I8GEMM_ISA_NS::epilogue

// Within namespace i8gemm::detail::I8GEMM_ISA_NS, after the path's i8gemm_epilogue_run__<isa>:
// i8gemm_epilogue_columns__<isa> and the path's EpilogueKernels, i8gemm_epilogue__<isa>.
#define I8GEMM_EPILOGUE_KERNELS(isa)                                                  \
  MultiplierShifts i8gemm_epilogue_columns__##isa(const ColumnTerms& terms) {         \
    return ::i8gemm::I8GEMM_ISA_NS::epilogue::column_terms(terms);                    \
  }                                                                                   \
  extern const EpilogueKernels i8gemm_epilogue__##isa = {&i8gemm_epilogue_run__##isa, \
                                                         &i8gemm_epilogue_columns__##isa};
