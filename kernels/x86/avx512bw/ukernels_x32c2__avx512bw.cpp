// The avx512bw micro-kernels of every row count: 8 rows for large M, fewer for small M
// (GEMV-like), where a full-height tile would multiply padding rows; each with its form that
// prefetches B (ukernel_broadcast.hpp).
#include "x86/avx512bw/dot_x32c2__avx512bw.hpp"
#include "x86/ukernel_broadcast.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

I8GEMM_BROADCAST_UKERNELS(DotX32c2Avx512bw, 1, i8gemm_ukernel_1x32c2__avx512bw,
                          i8gemm_ukernel_1x32c2_prefetch__avx512bw)
I8GEMM_BROADCAST_UKERNELS(DotX32c2Avx512bw, 2, i8gemm_ukernel_2x32c2__avx512bw,
                          i8gemm_ukernel_2x32c2_prefetch__avx512bw)
I8GEMM_BROADCAST_UKERNELS(DotX32c2Avx512bw, 4, i8gemm_ukernel_4x32c2__avx512bw,
                          i8gemm_ukernel_4x32c2_prefetch__avx512bw)
I8GEMM_BROADCAST_UKERNELS(DotX32c2Avx512bw, 8, i8gemm_ukernel_8x32c2__avx512bw,
                          i8gemm_ukernel_8x32c2_prefetch__avx512bw)

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
