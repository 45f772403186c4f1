// The neon micro-kernels of every row count: 8 rows for large M, fewer for small M (GEMV-like),
// where a full-height tile would multiply padding.
#include "arm/neon/ukernel_mrx8c1__neon.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

void i8gemm_ukernel_1x8c1__neon(std::size_t k_units, const void* a, const void* b, std::int32_t* c,
                                std::size_t ldc, bool accumulate) {
  ukernel_mrx8c1__neon<1>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_2x8c1__neon(std::size_t k_units, const void* a, const void* b, std::int32_t* c,
                                std::size_t ldc, bool accumulate) {
  ukernel_mrx8c1__neon<2>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_4x8c1__neon(std::size_t k_units, const void* a, const void* b, std::int32_t* c,
                                std::size_t ldc, bool accumulate) {
  ukernel_mrx8c1__neon<4>(k_units, a, b, c, ldc, accumulate);
}
void i8gemm_ukernel_8x8c1__neon(std::size_t k_units, const void* a, const void* b, std::int32_t* c,
                                std::size_t ldc, bool accumulate) {
  ukernel_mrx8c1__neon<8>(k_units, a, b, c, ldc, accumulate);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
