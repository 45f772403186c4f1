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
extern const QuantKernelTable i8gemm_quant_kernels__avx2;
extern const PeakLoop i8gemm_peak__avx2;

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
    kBlisCacheShares,
};

}  // namespace i8gemm::detail
