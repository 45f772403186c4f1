// The avx512bw path: A and B widened to int16, vpmaddwd + vpaddd on zmm, exact for every input.
// Main tile 8 x 32, K in pairs; one kernel serves int8 and uint8 A.
#include "framework/path_definition.hpp"

namespace i8gemm::detail {
namespace I8GEMM_ISA_NS {

I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_8x32c2__avx512bw)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_8x32c2_prefetch__avx512bw)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x32c2__avx512bw)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x32c2_prefetch__avx512bw)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x32c2__avx512bw)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x32c2_prefetch__avx512bw)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x32c2__avx512bw)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x32c2_prefetch__avx512bw)
I8GEMM_DECLARE_EPILOGUE(i8gemm_epilogue__avx512bw)
extern const QuantKernelTable i8gemm_quant_kernels__avx512bw;
extern const PeakLoop i8gemm_peak__avx512bw;

constexpr UkernelEntry kUkernels[] = {
    {"ukernel_8x32c2__avx512bw", 8, i8gemm_ukernel_8x32c2__avx512bw,
     i8gemm_ukernel_8x32c2__avx512bw, i8gemm_ukernel_8x32c2_prefetch__avx512bw,
     i8gemm_ukernel_8x32c2_prefetch__avx512bw},
    {"ukernel_4x32c2__avx512bw", 4, i8gemm_ukernel_4x32c2__avx512bw,
     i8gemm_ukernel_4x32c2__avx512bw, i8gemm_ukernel_4x32c2_prefetch__avx512bw,
     i8gemm_ukernel_4x32c2_prefetch__avx512bw},
    {"ukernel_2x32c2__avx512bw", 2, i8gemm_ukernel_2x32c2__avx512bw,
     i8gemm_ukernel_2x32c2__avx512bw, i8gemm_ukernel_2x32c2_prefetch__avx512bw,
     i8gemm_ukernel_2x32c2_prefetch__avx512bw},
    {"ukernel_1x32c2__avx512bw", 1, i8gemm_ukernel_1x32c2__avx512bw,
     i8gemm_ukernel_1x32c2__avx512bw, i8gemm_ukernel_1x32c2_prefetch__avx512bw,
     i8gemm_ukernel_1x32c2_prefetch__avx512bw},
};

}  // namespace I8GEMM_ISA_NS

I8GEMM_PATH_CONFIG(avx512bw) = {
    Isa::avx512bw,
    {&CpuFeatures::avx512f, &CpuFeatures::avx512cd, &CpuFeatures::avx512dq, &CpuFeatures::avx512bw,
     &CpuFeatures::avx512vl},
    I8GEMM_ISA_NS::kUkernels,
    4,
    /*nr=*/32,
    /*a_kg=*/2,
    /*b_kg=*/2,
    /*k_unit=*/2,
    PackedElem::s16,
    PackedElem::s16,
    /*a_offset_s8=*/0,
    /*a_offset_u8=*/0,
    &I8GEMM_ISA_NS::i8gemm_epilogue__avx512bw,
    &I8GEMM_ISA_NS::i8gemm_quant_kernels__avx512bw,
    &I8GEMM_ISA_NS::i8gemm_peak__avx512bw,
    /*thread_init=*/nullptr,
    /*thread_teardown=*/nullptr,
    /*delegate_when=*/nullptr,
    /*delegate=*/Isa::scalar,
    kBlisCacheShares,
};

}  // namespace i8gemm::detail
