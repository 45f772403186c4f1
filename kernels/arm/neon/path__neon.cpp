// The neon path (Armv8.0 baseline): A and B widened to int16, smlal/smlal2 by lane into int32;
// no sum of products is ever held in int16, so any zero point is exact. Main tile 8 x 8 (8 x 8
// accumulators + A + B fill the 32 registers: 16 + 1 + 1 q registers).
#include "framework/path_definition.hpp"

namespace i8gemm::detail {
namespace I8GEMM_ISA_NS {

I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_8x8c1__neon)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x8c1__neon)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x8c1__neon)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x8c1__neon)
I8GEMM_DECLARE_EPILOGUE(i8gemm_epilogue__neon)
extern const QuantKernelTable i8gemm_quant_kernels__neon;

constexpr UkernelEntry kUkernels[] = {
    {"ukernel_8x8c1__neon", 8, i8gemm_ukernel_8x8c1__neon, i8gemm_ukernel_8x8c1__neon},
    {"ukernel_4x8c1__neon", 4, i8gemm_ukernel_4x8c1__neon, i8gemm_ukernel_4x8c1__neon},
    {"ukernel_2x8c1__neon", 2, i8gemm_ukernel_2x8c1__neon, i8gemm_ukernel_2x8c1__neon},
    {"ukernel_1x8c1__neon", 1, i8gemm_ukernel_1x8c1__neon, i8gemm_ukernel_1x8c1__neon},
};

}  // namespace I8GEMM_ISA_NS

I8GEMM_PATH_CONFIG(neon) = {
    Isa::neon,
    {&CpuFeatures::neon},
    I8GEMM_ISA_NS::kUkernels,
    4,
    /*nr=*/8,
    /*a_kg=*/1,
    /*b_kg=*/1,
    /*k_unit=*/1,
    PackedElem::s16,
    PackedElem::s16,
    /*a_offset_s8=*/0,
    /*a_offset_u8=*/0,
    &I8GEMM_ISA_NS::i8gemm_epilogue__neon,
    &I8GEMM_ISA_NS::i8gemm_quant_kernels__neon,
    /*peak=*/nullptr,
    /*thread_init=*/nullptr,
    /*thread_teardown=*/nullptr,
    /*delegate_when=*/nullptr,
    /*delegate=*/Isa::scalar,
    kBlisCacheShares,
};

}  // namespace i8gemm::detail
