// The avxvnni micro-kernels of every row count: 6 rows for large M, fewer for small M
// (GEMV-like), where a full-height tile would multiply padding rows.
#include "x86/avxvnni/dot_x16c4__avxvnni.hpp"
#include "x86/ukernel_broadcast.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

void i8gemm_ukernel_1x16c4__avxvnni(std::size_t k_units, const void* a, const void* b,
                                    std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX16c4Avxvnni, 1>(k_units, a, b, c, accumulate);
}
void i8gemm_ukernel_2x16c4__avxvnni(std::size_t k_units, const void* a, const void* b,
                                    std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX16c4Avxvnni, 2>(k_units, a, b, c, accumulate);
}
void i8gemm_ukernel_4x16c4__avxvnni(std::size_t k_units, const void* a, const void* b,
                                    std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX16c4Avxvnni, 4>(k_units, a, b, c, accumulate);
}
void i8gemm_ukernel_6x16c4__avxvnni(std::size_t k_units, const void* a, const void* b,
                                    std::int32_t* c, bool accumulate) {
  ukernel_broadcast<DotX16c4Avxvnni, 6>(k_units, a, b, c, accumulate);
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
