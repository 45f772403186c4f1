// The amx path (Intel AMX-INT8, Sapphire Rapids on): tdpbssd (int8 A) / tdpbusd (uint8 A) on
// 2 x 2 accumulator tiles of 16 x 16 int32, A and B tiles of 16 x 64 bytes (32 x 32 tiles, K in
// groups of 64; 16 x 32 for M <= 16). Both A types are native: A is packed as given and a kernel
// per type runs, so no offset. The tiles are configured on each thread for each call of a task
// (amx_tiles.hpp says why that is correct next to other AMX users). B is packed in avx512vnni's
// x32c4 layout with K padded to 64, so calls with few rows, where a 16-row tile would mostly
// multiply padding, go to avx512vnni's kernels on the same packed B (delegate_when).
#include "framework/path_definition.hpp"
#include "x86/amx/amx_tiles.hpp"

namespace i8gemm::detail {
namespace I8GEMM_ISA_NS {

I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_32x32c64__amx_s8)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_32x32c64__amx_u8)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_16x32c64__amx_s8)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_16x32c64__amx_u8)
I8GEMM_DECLARE_EPILOGUE(i8gemm_epilogue__amx)
extern const QuantKernelTable i8gemm_quant_kernels__amx;
extern const PeakLoop i8gemm_peak__amx;

constexpr UkernelEntry kUkernels[] = {
    {"ukernel_32x32c64__amx", 32, i8gemm_ukernel_32x32c64__amx_s8, i8gemm_ukernel_32x32c64__amx_u8},
    {"ukernel_16x32c64__amx", 16, i8gemm_ukernel_16x32c64__amx_s8, i8gemm_ukernel_16x32c64__amx_u8},
};

// Where avx512vnni's kernels beat the tiles (measured on this project's Xeon, one core): one
// row always (a 16-row tile is 15/16 padding); two rows once B (K x N bytes) no longer fits the
// L2 and the call is bound by reading it; and products of at most 32^3, where configuring and
// storing the tiles costs more than the multiply-adds.
bool gemv_like(std::int64_t m, std::int64_t n, std::int64_t k) {
  return m == 1 || (m == 2 && k * n > (std::int64_t{1} << 20)) || m * n * k <= 32 * 32 * 32;
}

}  // namespace I8GEMM_ISA_NS

I8GEMM_PATH_CONFIG(amx) = {
    Isa::amx,
    {&CpuFeatures::avx512f, &CpuFeatures::avx512cd, &CpuFeatures::avx512dq, &CpuFeatures::avx512bw,
     &CpuFeatures::avx512vl, &CpuFeatures::avx512vnni, &CpuFeatures::amx_tile,
     &CpuFeatures::amx_int8},
    I8GEMM_ISA_NS::kUkernels,
    2,
    /*nr=*/32,
    /*a_kg=*/64,
    /*b_kg=*/4,
    /*k_unit=*/64,
    PackedElem::a_type,
    PackedElem::s8,
    /*a_offset_s8=*/0,
    /*a_offset_u8=*/0,
    &I8GEMM_ISA_NS::i8gemm_epilogue__amx,
    &I8GEMM_ISA_NS::i8gemm_quant_kernels__amx,
    &I8GEMM_ISA_NS::i8gemm_peak__amx,
    &I8GEMM_ISA_NS::i8gemm_amx_thread_init,
    &I8GEMM_ISA_NS::i8gemm_amx_thread_teardown,
    &I8GEMM_ISA_NS::gemv_like,
    /*delegate=*/Isa::avx512vnni,
};

}  // namespace i8gemm::detail
