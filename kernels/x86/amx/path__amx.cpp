// The amx path (Intel AMX-INT8, Sapphire Rapids on): tdpbssd (int8 A) / tdpbusd (uint8 A) on
// 2 x 2 accumulator tiles of 16 x 16 int32, A and B tiles of 16 x 64 bytes (32 x 32 tiles, K in
// groups of 64; 16 x 32 for M <= 16). Both A types are native: A is packed as given (by the path's
// own packer, pack_a_c64__amx.cpp) and a kernel per type runs, so no offset. The tiles are
// configured on each thread for each call of a task (amx_tiles.hpp says why that is correct next to
// other AMX users). B is packed in avx512vnni's x32c4 layout with K padded to 64, so calls with few
// rows, where a 16-row tile would mostly multiply padding, go to avx512vnni's kernels on the same
// packed B (delegate_when).
#include "framework/path_definition.hpp"
#include "x86/amx/amx_tiles.hpp"

namespace i8gemm::detail {
namespace I8GEMM_ISA_NS {

I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_32x32c64__amx_s8)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_32x32c64__amx_u8)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_16x32c64__amx_s8)
I8GEMM_DECLARE_UKERNEL(i8gemm_ukernel_16x32c64__amx_u8)
I8GEMM_DECLARE_OVERLAPPED_UKERNEL(i8gemm_ukernel_32x32c64_overlapped__amx_s8)
I8GEMM_DECLARE_OVERLAPPED_UKERNEL(i8gemm_ukernel_32x32c64_overlapped__amx_u8)
std::size_t i8gemm_overlap_min_k_groups__amx(const EpilogueArgs& args);
I8GEMM_DECLARE_EPILOGUE(i8gemm_epilogue__amx)
I8GEMM_DECLARE_PACK_A_BLOCK(i8gemm_pack_a_c64__amx)
extern const QuantKernelTable i8gemm_quant_kernels__amx;
extern const PeakLoop i8gemm_peak__amx;

constexpr UkernelEntry kUkernels[] = {
    {"ukernel_32x32c64__amx", 32, i8gemm_ukernel_32x32c64__amx_s8, i8gemm_ukernel_32x32c64__amx_u8,
     nullptr, nullptr, i8gemm_ukernel_32x32c64_overlapped__amx_s8,
     i8gemm_ukernel_32x32c64_overlapped__amx_u8, i8gemm_overlap_min_k_groups__amx},
    {"ukernel_16x32c64__amx", 16, i8gemm_ukernel_16x32c64__amx_s8, i8gemm_ukernel_16x32c64__amx_u8},
};

// Where avx512vnni's kernels beat the tiles (measured on this project's Xeon, one core): one
// row always (a 16-row tile is 15/16 padding); two rows once B (K x N bytes) no longer fits the
// L2 and the call is bound by reading it; and products of at most 32^3, where configuring and
// storing the tiles costs more than the multiply-adds.
bool gemv_like(std::int64_t m, std::int64_t n, std::int64_t k) {
  return m == 1 || (m == 2 && k * n > (std::int64_t{1} << 20)) || m * n * k <= 32 * 32 * 32;
}

// The blocking model's cache shares, measured at 1024^3 on this project's Xeon (48 KiB L1D,
// 2 MiB L2, one core, samples taken while the core's sibling was idle): B's KC x 32 slice may
// take 3/4 of L1D, with no A micro-panel counted beside it, because the kernels load A with the
// streaming hint, which keeps the A panels from evicting it; so K = 1024 is one KC block (KC =
// 512 pays one round trip of every C tile through memory per extra block: 926 against 1,040
// GMAC/s; the vector paths' model, B's slice beside two 32-row A panels, would give 512). A's block
// gets 1/4 of L2 (MC = 512 at K = 1024) rather than 1/2: the tile unit reads A at up to 64 bytes a
// cycle, and a block of half the L2 shares it with C's rows and the B panels coming from L3 (MC =
// 128..512: 1,030-1,060; MC = 1,024: 926).
constexpr CacheShares kCacheShares = {75, 0, 25};

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
    I8GEMM_ISA_NS::kCacheShares,
    &I8GEMM_ISA_NS::i8gemm_pack_a_c64__amx,
};

}  // namespace i8gemm::detail
