// The neon_i8mm micro-kernels of every row count: 8 rows for large M, fewer for small M
// (GEMV-like). smmla works on pairs of rows, so a single row runs the 2-row kernel.
#include "arm/neon_i8mm/ukernel_mrx8c8__neon_i8mm.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

void i8gemm_ukernel_2x8c8__neon_i8mm(std::size_t k_units, const void* a, const void* b,
                                     std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx8c8__neon_i8mm<2>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_4x8c8__neon_i8mm(std::size_t k_units, const void* a, const void* b,
                                     std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx8c8__neon_i8mm<4>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_8x8c8__neon_i8mm(std::size_t k_units, const void* a, const void* b,
                                     std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx8c8__neon_i8mm<8>(k_units, a, b, c, ldc, accumulate);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
