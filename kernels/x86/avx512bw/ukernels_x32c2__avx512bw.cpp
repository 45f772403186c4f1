// The avx512bw micro-kernels of every row count: 8 rows for large M, fewer for small M
// (GEMV-like), where a full-height tile would multiply padding rows.
#include "x86/avx512bw/dot_x32c2__avx512bw.hpp"
#include "x86/ukernel_broadcast.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

void i8gemm_ukernel_1x32c2__avx512bw(std::size_t k_units, const void* a, const void* b,
                                     std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX32c2Avx512bw, 1>(k_units, a, b, c, accumulate);
}
void i8gemm_ukernel_2x32c2__avx512bw(std::size_t k_units, const void* a, const void* b,
                                     std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX32c2Avx512bw, 2>(k_units, a, b, c, accumulate);
}
void i8gemm_ukernel_4x32c2__avx512bw(std::size_t k_units, const void* a, const void* b,
                                     std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX32c2Avx512bw, 4>(k_units, a, b, c, accumulate);
}
void i8gemm_ukernel_8x32c2__avx512bw(std::size_t k_units, const void* a, const void* b,
                                     std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX32c2Avx512bw, 8>(k_units, a, b, c, accumulate);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
