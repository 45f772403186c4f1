// The avxvnni path, for CPUs with AVX-VNNI and no AVX-512 (Intel client cores, Alder Lake to
// Arrow Lake): VEX vpdpbusd on ymm. int8 A is packed as A + 128 and the 128 * colsum(B) joins
// the zero-point term (math.md section 2), so one kernel serves both A types. Main tile 6 x 16,
// K in groups of 4.
#include "framework/path_definition.hpp"

namespace i8gemm::detail {
namespace I8GEMM_ISA_NS {

I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_6x16c4__avxvnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_6x16c4_prefetch__avxvnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_6x16c4_direct_s8__avxvnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_6x16c4_direct_u8__avxvnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x16c4__avxvnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x16c4_prefetch__avxvnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_4x16c4_direct_s8__avxvnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_4x16c4_direct_u8__avxvnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x16c4__avxvnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x16c4_prefetch__avxvnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_2x16c4_direct_s8__avxvnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_2x16c4_direct_u8__avxvnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x16c4__avxvnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x16c4_prefetch__avxvnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_1x16c4_direct_s8__avxvnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_1x16c4_direct_u8__avxvnni)
I8GEMM_DECLARE_EPILOGUE(i8gemm_epilogue__avxvnni)
extern const QuantKernelTable i8gemm_quant_kernels__avxvnni;
extern const PeakLoop i8gemm_peak__avxvnni;

constexpr UkernelEntry kUkernels[] = {
    {"ukernel_6x16c4__avxvnni", 6, i8gemm_ukernel_6x16c4__avxvnni, i8gemm_ukernel_6x16c4__avxvnni,
     i8gemm_ukernel_6x16c4_prefetch__avxvnni, i8gemm_ukernel_6x16c4_prefetch__avxvnni,
     /*overlapped_s8=*/nullptr, /*overlapped_u8=*/nullptr, /*overlap_min_k_units=*/nullptr,
     i8gemm_ukernel_6x16c4_direct_s8__avxvnni, i8gemm_ukernel_6x16c4_direct_u8__avxvnni},
    {"ukernel_4x16c4__avxvnni", 4, i8gemm_ukernel_4x16c4__avxvnni, i8gemm_ukernel_4x16c4__avxvnni,
     i8gemm_ukernel_4x16c4_prefetch__avxvnni, i8gemm_ukernel_4x16c4_prefetch__avxvnni,
     /*overlapped_s8=*/nullptr, /*overlapped_u8=*/nullptr, /*overlap_min_k_units=*/nullptr,
     i8gemm_ukernel_4x16c4_direct_s8__avxvnni, i8gemm_ukernel_4x16c4_direct_u8__avxvnni},
    {"ukernel_2x16c4__avxvnni", 2, i8gemm_ukernel_2x16c4__avxvnni, i8gemm_ukernel_2x16c4__avxvnni,
     i8gemm_ukernel_2x16c4_prefetch__avxvnni, i8gemm_ukernel_2x16c4_prefetch__avxvnni,
     /*overlapped_s8=*/nullptr, /*overlapped_u8=*/nullptr, /*overlap_min_k_units=*/nullptr,
     i8gemm_ukernel_2x16c4_direct_s8__avxvnni, i8gemm_ukernel_2x16c4_direct_u8__avxvnni},
    {"ukernel_1x16c4__avxvnni", 1, i8gemm_ukernel_1x16c4__avxvnni, i8gemm_ukernel_1x16c4__avxvnni,
     i8gemm_ukernel_1x16c4_prefetch__avxvnni, i8gemm_ukernel_1x16c4_prefetch__avxvnni,
     /*overlapped_s8=*/nullptr, /*overlapped_u8=*/nullptr, /*overlap_min_k_units=*/nullptr,
     i8gemm_ukernel_1x16c4_direct_s8__avxvnni, i8gemm_ukernel_1x16c4_direct_u8__avxvnni},
};

}  // namespace I8GEMM_ISA_NS

I8GEMM_PATH_CONFIG(avxvnni) = {
    Isa::avxvnni,
    {&CpuFeatures::avx2, &CpuFeatures::avxvnni},
    I8GEMM_ISA_NS::kUkernels,
    4,
    /*nr=*/16,
    /*a_kg=*/4,
    /*b_kg=*/4,
    /*k_unit=*/4,
    PackedElem::u8,
    PackedElem::s8,
    /*a_offset_s8=*/128,
    /*a_offset_u8=*/0,
    &I8GEMM_ISA_NS::i8gemm_epilogue__avxvnni,
    &I8GEMM_ISA_NS::i8gemm_quant_kernels__avxvnni,
    &I8GEMM_ISA_NS::i8gemm_peak__avxvnni,
    /*thread_init=*/nullptr,
    /*thread_teardown=*/nullptr,
    /*delegate_when=*/nullptr,
    /*delegate=*/Isa::scalar,
    kBlisCacheShares,
};

}  // namespace i8gemm::detail
