// The neon_dotprod path: sdot by lane (int8 x int8, four products per int32 lane). uint8 A is
// packed as A - 128 and the -128 * colsum(B) joins the zero-point term. Main tile 12 x 8 (24
// accumulators + 3 A + 2 B q registers).
#include "framework/path_definition.hpp"

namespace i8gemm::detail {
namespace I8GEMM_ISA_NS {

I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_12x8c4__neon_dotprod)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_8x8c4__neon_dotprod)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x8c4__neon_dotprod)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x8c4__neon_dotprod)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x8c4__neon_dotprod)
I8GEMM_DECLARE_EPILOGUE(i8gemm_epilogue__neon_dotprod)
extern const QuantKernelTable i8gemm_quant_kernels__neon_dotprod;

constexpr UkernelEntry kUkernels[] = {
    {"ukernel_12x8c4__neon_dotprod", 12, i8gemm_ukernel_12x8c4__neon_dotprod,
     i8gemm_ukernel_12x8c4__neon_dotprod},
    {"ukernel_8x8c4__neon_dotprod", 8, i8gemm_ukernel_8x8c4__neon_dotprod,
     i8gemm_ukernel_8x8c4__neon_dotprod},
    {"ukernel_4x8c4__neon_dotprod", 4, i8gemm_ukernel_4x8c4__neon_dotprod,
     i8gemm_ukernel_4x8c4__neon_dotprod},
    {"ukernel_2x8c4__neon_dotprod", 2, i8gemm_ukernel_2x8c4__neon_dotprod,
     i8gemm_ukernel_2x8c4__neon_dotprod},
    {"ukernel_1x8c4__neon_dotprod", 1, i8gemm_ukernel_1x8c4__neon_dotprod,
     i8gemm_ukernel_1x8c4__neon_dotprod},
};

}  // namespace I8GEMM_ISA_NS

I8GEMM_PATH_CONFIG(neon_dotprod) = {
    Isa::neon_dotprod,
    {&CpuFeatures::neon, &CpuFeatures::dotprod},
    I8GEMM_ISA_NS::kUkernels,
    5,
    /*nr=*/8,
    /*a_kg=*/4,
    /*b_kg=*/4,
    /*k_unit=*/4,
    PackedElem::s8,
    PackedElem::s8,
    /*a_offset_s8=*/0,
    /*a_offset_u8=*/-128,
    &I8GEMM_ISA_NS::i8gemm_epilogue__neon_dotprod,
    &I8GEMM_ISA_NS::i8gemm_quant_kernels__neon_dotprod,
    /*peak=*/nullptr,
    /*thread_init=*/nullptr,
    /*thread_teardown=*/nullptr,
    /*delegate_when=*/nullptr,
    /*delegate=*/Isa::scalar,
    kBlisCacheShares,
};

}  // namespace i8gemm::detail
