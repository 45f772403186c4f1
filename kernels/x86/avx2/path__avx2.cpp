// The avx2 path: A packed widened to int16, B packed as int8 and widened as it is loaded,
// multiplied with vpmaddwd + vpaddd, exact for every input (vpmaddubsw would saturate int16 on
// uint8 x int8 pairs). Main tile 6 x 16, K in pairs.
#include "framework/path_definition.hpp"

namespace i8gemm::detail {
namespace I8GEMM_ISA_NS {

I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_6x16c2__avx2)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_6x16c2_prefetch__avx2)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x16c2__avx2)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x16c2_prefetch__avx2)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x16c2__avx2)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x16c2_prefetch__avx2)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x16c2__avx2)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x16c2_prefetch__avx2)
I8GEMM_DECLARE_EPILOGUE(i8gemm_epilogue__avx2)
I8GEMM_DECLARE_PACK_A_BLOCK(i8gemm_pack_a_c2__avx2)
extern const QuantKernelTable i8gemm_quant_kernels__avx2;
extern const PeakLoop i8gemm_peak__avx2;

// B's KC x NR slice beside one micro-panel of A in L1D, not two: the kernel reads each A panel
// once, front to back, as it streams from L2, so only its lines in flight need room. On a Zen 2
// (32 KiB L1D) that makes K up to 1170 one block (two of 500 for K = 1000 before) and K = 4096
// four of 1024 (six of 684); whole calls, old and new blockings alternating, 3-5 rounds: 1000^3
// 2.7 %, 1024^3 and 384 x 1024^2 0.9 %, 384 x 4096 x 1024 1.3 %, 2048^3 and the 4096-deep
// shapes 0.3-0.9 % faster; KC = 1366 (B's slice two thirds of L1) was slower than either.
constexpr CacheShares kCacheShares = {kBlisCacheShares.l1, 1, kBlisCacheShares.a_in_l2};

// int8 and uint8 A are both widened to int16: one kernel serves both.
constexpr UkernelEntry kUkernels[] = {
    {"ukernel_6x16c2__avx2", 6, i8gemm_ukernel_6x16c2__avx2, i8gemm_ukernel_6x16c2__avx2,
     i8gemm_ukernel_6x16c2_prefetch__avx2, i8gemm_ukernel_6x16c2_prefetch__avx2},
    {"ukernel_4x16c2__avx2", 4, i8gemm_ukernel_4x16c2__avx2, i8gemm_ukernel_4x16c2__avx2,
     i8gemm_ukernel_4x16c2_prefetch__avx2, i8gemm_ukernel_4x16c2_prefetch__avx2},
    {"ukernel_2x16c2__avx2", 2, i8gemm_ukernel_2x16c2__avx2, i8gemm_ukernel_2x16c2__avx2,
     i8gemm_ukernel_2x16c2_prefetch__avx2, i8gemm_ukernel_2x16c2_prefetch__avx2},
    {"ukernel_1x16c2__avx2", 1, i8gemm_ukernel_1x16c2__avx2, i8gemm_ukernel_1x16c2__avx2,
     i8gemm_ukernel_1x16c2_prefetch__avx2, i8gemm_ukernel_1x16c2_prefetch__avx2},
};

}  // namespace I8GEMM_ISA_NS

I8GEMM_PATH_CONFIG(avx2) = {
    Isa::avx2,
    {&CpuFeatures::avx2},
    I8GEMM_ISA_NS::kUkernels,
    4,
    /*nr=*/16,
    /*a_kg=*/2,
    /*b_kg=*/2,
    /*k_unit=*/2,
    PackedElem::s16,
    PackedElem::s8,
    /*a_offset_s8=*/0,
    /*a_offset_u8=*/0,
    &I8GEMM_ISA_NS::i8gemm_epilogue__avx2,
    &I8GEMM_ISA_NS::i8gemm_quant_kernels__avx2,
    &I8GEMM_ISA_NS::i8gemm_peak__avx2,
    /*thread_init=*/nullptr,
    /*thread_teardown=*/nullptr,
    /*delegate_when=*/nullptr,
    /*delegate=*/Isa::scalar,
    I8GEMM_ISA_NS::kCacheShares,
    &I8GEMM_ISA_NS::i8gemm_pack_a_c2__avx2,
};

}  // namespace i8gemm::detail
