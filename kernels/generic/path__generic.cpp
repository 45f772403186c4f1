// The generic path: a blocked GEMM in plain C++ (no intrinsics) that the compiler vectorizes at
// the build's baseline; the default where no SIMD path applies (x86-64 without AVX2, riscv64,
// other architectures). A and B widened to int16; 4 x 4 tiles over K in groups of 64 (the
// ukernel's note says why), so K is padded to 64: small K pays for the padding.
#include "framework/path_definition.hpp"

namespace i8gemm::detail {
namespace I8GEMM_ISA_NS {

I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x4c64__generic)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x4c64__generic)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x4c64__generic)
I8GEMM_DECLARE_EPILOGUE(i8gemm_epilogue__generic)
extern const QuantKernelTable i8gemm_quant_kernels__generic;

constexpr UkernelEntry kUkernels[] = {
    {"ukernel_4x4c64__generic", 4, i8gemm_ukernel_4x4c64__generic, i8gemm_ukernel_4x4c64__generic},
    {"ukernel_2x4c64__generic", 2, i8gemm_ukernel_2x4c64__generic, i8gemm_ukernel_2x4c64__generic},
    {"ukernel_1x4c64__generic", 1, i8gemm_ukernel_1x4c64__generic, i8gemm_ukernel_1x4c64__generic},
};

}  // namespace I8GEMM_ISA_NS

I8GEMM_PATH_CONFIG(generic) = {
    Isa::generic,
    {},
    I8GEMM_ISA_NS::kUkernels,
    3,
    /*nr=*/4,
    /*a_kg=*/64,
    /*b_kg=*/64,
    /*k_unit=*/64,
    PackedElem::s16,
    PackedElem::s16,
    /*a_offset_s8=*/0,
    /*a_offset_u8=*/0,
    &I8GEMM_ISA_NS::i8gemm_epilogue__generic,
    &I8GEMM_ISA_NS::i8gemm_quant_kernels__generic,
    /*peak=*/nullptr,
    /*thread_init=*/nullptr,
    /*thread_teardown=*/nullptr,
    /*delegate_when=*/nullptr,
    /*delegate=*/Isa::scalar,
    kBlisCacheShares,
};

}  // namespace i8gemm::detail
