// The avx2 micro-kernels of every row count: 6 rows for large M, fewer for small M
// (GEMV-like), where a full-height tile would multiply padding rows.
#include "x86/avx2/dot_x16c2__avx2.hpp"
#include "x86/ukernel_broadcast.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

void i8gemm_ukernel_1x16c2__avx2(std::size_t k_units, const void* a, const void* b, std::int32_t* c,
                                 bool accumulate) {
  ukernel_broadcast<DotX16c2Avx2, 1>(k_units, a, b, c, accumulate);
}
void i8gemm_ukernel_2x16c2__avx2(std::size_t k_units, const void* a, const void* b, std::int32_t* c,
                                 bool accumulate) {
  ukernel_broadcast<DotX16c2Avx2, 2>(k_units, a, b, c, accumulate);
}
void i8gemm_ukernel_4x16c2__avx2(std::size_t k_units, const void* a, const void* b, std::int32_t* c,
                                 bool accumulate) {
  ukernel_broadcast<DotX16c2Avx2, 4>(k_units, a, b, c, accumulate);
}

void i8gemm_ukernel_6x16c2__avx2(std::size_t k_units, const void* a, const void* b, std::int32_t* c,
                                 bool accumulate) {
  ukernel_broadcast<DotX16c2Avx2, 6>(k_units, a, b, c, accumulate);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
