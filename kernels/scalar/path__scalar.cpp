// The scalar path: plain C++ with the vectorizers off, through the same driver, packing and
// registry as the SIMD paths (the oracle, reference/, stays a separate literal implementation).
// A widened to int16, B int8; 4 x 4 tiles, one k at a time.
#include "framework/path_definition.hpp"

namespace i8gemm::detail {
namespace I8GEMM_ISA_NS {

I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x4c1__scalar)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x4c1__scalar)
I8GEMM_DECLARE_EPILOGUE(i8gemm_epilogue__scalar)
extern const QuantKernelTable i8gemm_quant_kernels__scalar;
extern const PeakLoop i8gemm_peak__scalar;

constexpr UkernelEntry kUkernels[] = {
    {"ukernel_4x4c1__scalar", 4, i8gemm_ukernel_4x4c1__scalar, i8gemm_ukernel_4x4c1__scalar},
    {"ukernel_1x4c1__scalar", 1, i8gemm_ukernel_1x4c1__scalar, i8gemm_ukernel_1x4c1__scalar},
};

}  // namespace I8GEMM_ISA_NS

I8GEMM_PATH_CONFIG(scalar) = {
    Isa::scalar,
    {},
    I8GEMM_ISA_NS::kUkernels,
    2,
    /*nr=*/4,
    /*a_kg=*/1,
    /*b_kg=*/1,
    /*k_unit=*/1,
    PackedElem::s16,
    PackedElem::s8,
    /*a_offset_s8=*/0,
    /*a_offset_u8=*/0,
    &I8GEMM_ISA_NS::i8gemm_epilogue__scalar,
    &I8GEMM_ISA_NS::i8gemm_quant_kernels__scalar,
    &I8GEMM_ISA_NS::i8gemm_peak__scalar,
    /*thread_init=*/nullptr,
    /*thread_teardown=*/nullptr,
    /*delegate_when=*/nullptr,
    /*delegate=*/Isa::scalar,
    kBlisCacheShares,
};

}  // namespace i8gemm::detail
