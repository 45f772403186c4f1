// The avx512vnni path: vpdpbusd (uint8 x int8, four products per int32 lane). int8 A is packed
// as A + 128 and the 128 * colsum(B) joins the zero-point term (math.md section 2), so one kernel
// serves both A types. Main tile 8 x 32, K in groups of 4.
#include "framework/path_definition.hpp"

namespace i8gemm::detail {
namespace I8GEMM_ISA_NS {

I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_8x32c4__avx512vnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_8x32c4_prefetch__avx512vnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_8x32c4_direct_s8__avx512vnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_8x32c4_direct_u8__avx512vnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x32c4__avx512vnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_4x32c4_prefetch__avx512vnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_4x32c4_direct_s8__avx512vnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_4x32c4_direct_u8__avx512vnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x32c4__avx512vnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_2x32c4_prefetch__avx512vnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_2x32c4_direct_s8__avx512vnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_2x32c4_direct_u8__avx512vnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x32c4__avx512vnni)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_1x32c4_prefetch__avx512vnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_1x32c4_direct_s8__avx512vnni)
I8GEMM_DECLARE_DIRECT_UKERNEL(i8gemm_ukernel_1x32c4_direct_u8__avx512vnni)
I8GEMM_DECLARE_EPILOGUE(i8gemm_epilogue__avx512vnni)
extern const QuantKernelTable i8gemm_quant_kernels__avx512vnni;
extern const PeakLoop i8gemm_peak__avx512vnni;

constexpr UkernelEntry kUkernels[] = {
    {"ukernel_8x32c4__avx512vnni", 8, i8gemm_ukernel_8x32c4__avx512vnni,
     i8gemm_ukernel_8x32c4__avx512vnni, i8gemm_ukernel_8x32c4_prefetch__avx512vnni,
     i8gemm_ukernel_8x32c4_prefetch__avx512vnni, /*overlapped_s8=*/nullptr,
     /*overlapped_u8=*/nullptr, /*overlap_min_k_units=*/nullptr,
     i8gemm_ukernel_8x32c4_direct_s8__avx512vnni, i8gemm_ukernel_8x32c4_direct_u8__avx512vnni},
    {"ukernel_4x32c4__avx512vnni", 4, i8gemm_ukernel_4x32c4__avx512vnni,
     i8gemm_ukernel_4x32c4__avx512vnni, i8gemm_ukernel_4x32c4_prefetch__avx512vnni,
     i8gemm_ukernel_4x32c4_prefetch__avx512vnni, /*overlapped_s8=*/nullptr,
     /*overlapped_u8=*/nullptr, /*overlap_min_k_units=*/nullptr,
     i8gemm_ukernel_4x32c4_direct_s8__avx512vnni, i8gemm_ukernel_4x32c4_direct_u8__avx512vnni},
    {"ukernel_2x32c4__avx512vnni", 2, i8gemm_ukernel_2x32c4__avx512vnni,
     i8gemm_ukernel_2x32c4__avx512vnni, i8gemm_ukernel_2x32c4_prefetch__avx512vnni,
     i8gemm_ukernel_2x32c4_prefetch__avx512vnni, /*overlapped_s8=*/nullptr,
     /*overlapped_u8=*/nullptr, /*overlap_min_k_units=*/nullptr,
     i8gemm_ukernel_2x32c4_direct_s8__avx512vnni, i8gemm_ukernel_2x32c4_direct_u8__avx512vnni},
    {"ukernel_1x32c4__avx512vnni", 1, i8gemm_ukernel_1x32c4__avx512vnni,
     i8gemm_ukernel_1x32c4__avx512vnni, i8gemm_ukernel_1x32c4_prefetch__avx512vnni,
     i8gemm_ukernel_1x32c4_prefetch__avx512vnni, /*overlapped_s8=*/nullptr,
     /*overlapped_u8=*/nullptr, /*overlap_min_k_units=*/nullptr,
     i8gemm_ukernel_1x32c4_direct_s8__avx512vnni, i8gemm_ukernel_1x32c4_direct_u8__avx512vnni},
};

// The blocking model's cache shares: the vector paths' L1 (B's KC x 32 slice beside two 8-row A
// panels), but a quarter of L2 for A's block rather than half, as amx measured for its own: at
// 2048^3 (MC = 256 instead of 512) the call ran 5-7 % faster in three alternating runs on this
// project's Xeon (48 KiB L1D, 2 MiB L2), and 1024^3 (MC = 512 instead of all 1,024 rows) and
// 1000^3 stayed within 2 %. Why the quarter does better here is not established; avx2 measured
// mixed (1024^3 faster, 2048^3 5 % slower) and avx512bw no change, so they keep the half.
// At least 512 KiB, the quarter of that Xeon's L2: on a Zen 5 (1 MiB L2) the quarter cut M into
// two blocks at 128 x 4096^2 and 384 x 1024^2, each streaming B again; with half the L2 they ran
// 0.94-0.98 and 0.95-0.99 of the time (calls alternating in one process, A and C rotated, minima
// of 15, three rounds), 1000^3 0.94-1.00, 1024^3 0.99-1.02 and 2048^3 0.95-1.09 (median 1.01 of
// ten pairs).
constexpr CacheShares kCacheShares = {kBlisCacheShares.l1, kBlisCacheShares.a_panels_in_l1, 25,
                                      std::int64_t{512} << 10};

}  // namespace I8GEMM_ISA_NS

I8GEMM_PATH_CONFIG(avx512vnni) = {
    Isa::avx512vnni,
    {&CpuFeatures::avx512f, &CpuFeatures::avx512cd, &CpuFeatures::avx512dq, &CpuFeatures::avx512bw,
     &CpuFeatures::avx512vl, &CpuFeatures::avx512vnni},
    I8GEMM_ISA_NS::kUkernels,
    4,
    /*nr=*/32,
    /*a_kg=*/4,
    /*b_kg=*/4,
    /*k_unit=*/4,
    PackedElem::u8,
    PackedElem::s8,
    /*a_offset_s8=*/128,
    /*a_offset_u8=*/0,
    &I8GEMM_ISA_NS::i8gemm_epilogue__avx512vnni,
    &I8GEMM_ISA_NS::i8gemm_quant_kernels__avx512vnni,
    &I8GEMM_ISA_NS::i8gemm_peak__avx512vnni,
    /*thread_init=*/nullptr,
    /*thread_teardown=*/nullptr,
    /*delegate_when=*/nullptr,
    /*delegate=*/Isa::scalar,
    I8GEMM_ISA_NS::kCacheShares,
};

}  // namespace i8gemm::detail
