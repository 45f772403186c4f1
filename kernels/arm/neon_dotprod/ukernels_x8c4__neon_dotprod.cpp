// The neon_dotprod micro-kernels of every row count: 12 rows for large M, fewer for small M
// (GEMV-like), where a full-height tile would multiply padding.
#include "arm/neon_dotprod/ukernel_mrx8c4__neon_dotprod.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

void i8gemm_ukernel_1x8c4__neon_dotprod(std::size_t k_units, const void* a, const void* b,
                                        std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx8c4__neon_dotprod<1>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_2x8c4__neon_dotprod(std::size_t k_units, const void* a, const void* b,
                                        std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx8c4__neon_dotprod<2>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_4x8c4__neon_dotprod(std::size_t k_units, const void* a, const void* b,
                                        std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx8c4__neon_dotprod<4>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_8x8c4__neon_dotprod(std::size_t k_units, const void* a, const void* b,
                                        std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx8c4__neon_dotprod<8>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_12x8c4__neon_dotprod(std::size_t k_units, const void* a, const void* b,
                                         std::int32_t* c, std::size_t ldc, bool accumulate) {
  ukernel_mrx8c4__neon_dotprod<12>(k_units, a, b, c, ldc, accumulate);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
