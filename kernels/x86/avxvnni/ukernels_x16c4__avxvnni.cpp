// The avxvnni micro-kernels of every row count: 6 rows for large M, fewer for small M
// (GEMV-like), where a full-height tile would multiply padding rows; each with its form that
// prefetches B and its direct forms, which read A unpacked (ukernel_broadcast.hpp).
#include "x86/avxvnni/dot_x16c4__avxvnni.hpp"
#include "x86/ukernel_broadcast.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

I8GEMM_BROADCAST_UKERNELS(DotX16c4Avxvnni, 1, i8gemm_ukernel_1x16c4__avxvnni,
                          i8gemm_ukernel_1x16c4_prefetch__avxvnni)
I8GEMM_BROADCAST_DIRECT_UKERNELS(DotX16c4Avxvnni, 1, i8gemm_ukernel_1x16c4_direct_s8__avxvnni,
                                 i8gemm_ukernel_1x16c4_direct_u8__avxvnni)
I8GEMM_BROADCAST_UKERNELS(DotX16c4Avxvnni, 2, i8gemm_ukernel_2x16c4__avxvnni,
                          i8gemm_ukernel_2x16c4_prefetch__avxvnni)
I8GEMM_BROADCAST_DIRECT_UKERNELS(DotX16c4Avxvnni, 2, i8gemm_ukernel_2x16c4_direct_s8__avxvnni,
                                 i8gemm_ukernel_2x16c4_direct_u8__avxvnni)
I8GEMM_BROADCAST_UKERNELS(DotX16c4Avxvnni, 4, i8gemm_ukernel_4x16c4__avxvnni,
                          i8gemm_ukernel_4x16c4_prefetch__avxvnni)
I8GEMM_BROADCAST_DIRECT_UKERNELS(DotX16c4Avxvnni, 4, i8gemm_ukernel_4x16c4_direct_s8__avxvnni,
                                 i8gemm_ukernel_4x16c4_direct_u8__avxvnni)
I8GEMM_BROADCAST_UKERNELS(DotX16c4Avxvnni, 6, i8gemm_ukernel_6x16c4__avxvnni,
                          i8gemm_ukernel_6x16c4_prefetch__avxvnni)
I8GEMM_BROADCAST_DIRECT_UKERNELS(DotX16c4Avxvnni, 6, i8gemm_ukernel_6x16c4_direct_s8__avxvnni,
                                 i8gemm_ukernel_6x16c4_direct_u8__avxvnni)

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
