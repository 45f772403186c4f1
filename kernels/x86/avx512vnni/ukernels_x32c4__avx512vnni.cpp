// The avx512vnni micro-kernels of every row count: 8 rows for large M, fewer for small M
// (GEMV-like), where a full-height tile would multiply padding rows.
#include "x86/avx512vnni/dot_x32c4__avx512vnni.hpp"
#include "x86/ukernel_broadcast.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

void i8gemm_ukernel_1x32c4__avx512vnni(std::size_t k_units, const void* a, const void* b,
                                       std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX32c4Avx512vnni, 1>(k_units, a, b, c, accumulate);
}
void i8gemm_ukernel_2x32c4__avx512vnni(std::size_t k_units, const void* a, const void* b,
                                       std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX32c4Avx512vnni, 2>(k_units, a, b, c, accumulate);
}
void i8gemm_ukernel_4x32c4__avx512vnni(std::size_t k_units, const void* a, const void* b,
                                       std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX32c4Avx512vnni, 4>(k_units, a, b, c, accumulate);
}
void i8gemm_ukernel_8x32c4__avx512vnni(std::size_t k_units, const void* a, const void* b,
                                       std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX32c4Avx512vnni, 8>(k_units, a, b, c, accumulate);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
