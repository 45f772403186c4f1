// The avx2 micro-kernels of every row count: 6 rows for large M, fewer for small M
// (GEMV-like), where a full-height tile would multiply padding rows; each with its form that
// prefetches B (ukernel_broadcast.hpp).
#include "x86/avx2/dot_x16c2__avx2.hpp"
#include "x86/ukernel_broadcast.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

I8GEMM_BROADCAST_UKERNELS(DotX16c2Avx2, 1, i8gemm_ukernel_1x16c2__avx2,
                          i8gemm_ukernel_1x16c2_prefetch__avx2)
I8GEMM_BROADCAST_UKERNELS(DotX16c2Avx2, 2, i8gemm_ukernel_2x16c2__avx2,
                          i8gemm_ukernel_2x16c2_prefetch__avx2)
I8GEMM_BROADCAST_UKERNELS(DotX16c2Avx2, 4, i8gemm_ukernel_4x16c2__avx2,
                          i8gemm_ukernel_4x16c2_prefetch__avx2)
I8GEMM_BROADCAST_UKERNELS(DotX16c2Avx2, 6, i8gemm_ukernel_6x16c2__avx2,
                          i8gemm_ukernel_6x16c2_prefetch__avx2)

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
