// The neon_i8mm path: smmla on 2 x 8 blocks (int8 x int8). uint8 A is packed as A - 128. Main
// tile 8 x 8 (16 accumulators + 4 A + 4 B q registers); one row runs the 2-row kernel.
#include "framework/path_definition.hpp"

namespace i8gemm::detail {
namespace I8GEMM_ISA_NS {

I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_8x8c8__neon_i8mm)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x8c8__neon_i8mm)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x8c8__neon_i8mm)
I8GEMM_DECLARE_EPILOGUE(i8gemm_epilogue__neon_i8mm)
extern const QuantKernelTable i8gemm_quant_kernels__neon_i8mm;

constexpr UkernelEntry kUkernels[] = {
    {"ukernel_8x8c8__neon_i8mm", 8, i8gemm_ukernel_8x8c8__neon_i8mm,
     i8gemm_ukernel_8x8c8__neon_i8mm},
    {"ukernel_4x8c8__neon_i8mm", 4, i8gemm_ukernel_4x8c8__neon_i8mm,
     i8gemm_ukernel_4x8c8__neon_i8mm},
    {"ukernel_2x8c8__neon_i8mm", 2, i8gemm_ukernel_2x8c8__neon_i8mm,
     i8gemm_ukernel_2x8c8__neon_i8mm},
};

}  // namespace I8GEMM_ISA_NS

I8GEMM_PATH_CONFIG(neon_i8mm) = {
    Isa::neon_i8mm,
    {&CpuFeatures::neon, &CpuFeatures::i8mm},
    I8GEMM_ISA_NS::kUkernels,
    3,
    /*nr=*/8,
    /*a_kg=*/8,
    /*b_kg=*/8,
    /*k_unit=*/8,
    PackedElem::s8,
    PackedElem::s8,
    /*a_offset_s8=*/0,
    /*a_offset_u8=*/-128,
    &I8GEMM_ISA_NS::i8gemm_epilogue__neon_i8mm,
    &I8GEMM_ISA_NS::i8gemm_quant_kernels__neon_i8mm,
    /*peak=*/nullptr,
    /*thread_init=*/nullptr,
    /*thread_teardown=*/nullptr,
    /*delegate_when=*/nullptr,
    /*delegate=*/Isa::scalar,
    kBlisCacheShares,
};

}  // namespace i8gemm::detail
