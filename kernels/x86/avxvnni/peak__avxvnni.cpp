// The avxvnni path's peak loop: VEX vpdpbusd on ymm into 12 independent accumulators, more
// than its latency times its throughput.
#include "framework/path_definition.hpp"
#include "x86/peak_asm.hpp"

// {vex} (written %{vex%} in an asm template): the assembler would otherwise pick the EVEX
// (AVX512_VNNI) encoding.
#define I8GEMM_VPDPBUSD_YMM(i) "%{vex%} vpdpbusd %%ymm15, %%ymm14, %%ymm" #i "\n\t"

namespace i8gemm::detail::I8GEMM_ISA_NS {
namespace {

void peak_loop(std::int64_t loops) {
  // clang-format off
  I8GEMM_PEAK_ASM(loops, I8GEMM_ZERO_YMM_0_TO_11 I8GEMM_ONES_YMM_14_15,
                  I8GEMM_VPDPBUSD_YMM(0) I8GEMM_VPDPBUSD_YMM(1) I8GEMM_VPDPBUSD_YMM(2)
                  I8GEMM_VPDPBUSD_YMM(3) I8GEMM_VPDPBUSD_YMM(4) I8GEMM_VPDPBUSD_YMM(5)
                  I8GEMM_VPDPBUSD_YMM(6) I8GEMM_VPDPBUSD_YMM(7) I8GEMM_VPDPBUSD_YMM(8)
                  I8GEMM_VPDPBUSD_YMM(9) I8GEMM_VPDPBUSD_YMM(10) I8GEMM_VPDPBUSD_YMM(11),
                  I8GEMM_YMM_CLOBBERS);
  // clang-format on
}

}  // namespace

extern constexpr PeakLoop i8gemm_peak__avxvnni = {"vpdpbusd ymm (VEX)", 12 * 32, peak_loop};

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
