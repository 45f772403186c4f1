// The avx512vnni micro-kernels of every row count: 8 rows for large M, fewer for small M
// (GEMV-like), where a full-height tile would multiply padding rows; each with its form that
// prefetches B and its direct forms, which read A unpacked (ukernel_broadcast.hpp).
#include "x86/avx512vnni/dot_x32c4__avx512vnni.hpp"
#include "x86/ukernel_broadcast.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

I8GEMM_BROADCAST_UKERNELS(DotX32c4Avx512vnni, 1, i8gemm_ukernel_1x32c4__avx512vnni,
                          i8gemm_ukernel_1x32c4_prefetch__avx512vnni)
I8GEMM_BROADCAST_DIRECT_UKERNELS(DotX32c4Avx512vnni, 1, i8gemm_ukernel_1x32c4_direct_s8__avx512vnni,
                                 i8gemm_ukernel_1x32c4_direct_u8__avx512vnni)
I8GEMM_BROADCAST_UKERNELS(DotX32c4Avx512vnni, 2, i8gemm_ukernel_2x32c4__avx512vnni,
                          i8gemm_ukernel_2x32c4_prefetch__avx512vnni)
I8GEMM_BROADCAST_DIRECT_UKERNELS(DotX32c4Avx512vnni, 2, i8gemm_ukernel_2x32c4_direct_s8__avx512vnni,
                                 i8gemm_ukernel_2x32c4_direct_u8__avx512vnni)
I8GEMM_BROADCAST_UKERNELS(DotX32c4Avx512vnni, 4, i8gemm_ukernel_4x32c4__avx512vnni,
                          i8gemm_ukernel_4x32c4_prefetch__avx512vnni)
I8GEMM_BROADCAST_DIRECT_UKERNELS(DotX32c4Avx512vnni, 4, i8gemm_ukernel_4x32c4_direct_s8__avx512vnni,
                                 i8gemm_ukernel_4x32c4_direct_u8__avx512vnni)
I8GEMM_BROADCAST_UKERNELS(DotX32c4Avx512vnni, 8, i8gemm_ukernel_8x32c4__avx512vnni,
                          i8gemm_ukernel_8x32c4_prefetch__avx512vnni)
I8GEMM_BROADCAST_DIRECT_UKERNELS(DotX32c4Avx512vnni, 8, i8gemm_ukernel_8x32c4_direct_s8__avx512vnni,
                                 i8gemm_ukernel_8x32c4_direct_u8__avx512vnni)

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
