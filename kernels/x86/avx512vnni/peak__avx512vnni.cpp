// The avx512vnni path's peak loop: vpdpbusd into 16 independent accumulators, more than its
// latency times its throughput.
#include "framework/path_definition.hpp"
#include "x86/peak_asm.hpp"

#define I8GEMM_VPDPBUSD_ZMM(i) "vpdpbusd %%zmm17, %%zmm16, %%zmm" #i "\n\t"

namespace i8gemm::detail::I8GEMM_ISA_NS {
namespace {

void peak_loop(std::int64_t loops) {
  // clang-format off
  I8GEMM_PEAK_ASM(loops,
                  I8GEMM_ZERO_ZMM_0_TO_11 I8GEMM_ZERO_ZMM(12) I8GEMM_ZERO_ZMM(13)
                  I8GEMM_ZERO_ZMM(14) I8GEMM_ZERO_ZMM(15) I8GEMM_ONES_ZMM_16_17,
                  I8GEMM_VPDPBUSD_ZMM(0) I8GEMM_VPDPBUSD_ZMM(1) I8GEMM_VPDPBUSD_ZMM(2)
                  I8GEMM_VPDPBUSD_ZMM(3) I8GEMM_VPDPBUSD_ZMM(4) I8GEMM_VPDPBUSD_ZMM(5)
                  I8GEMM_VPDPBUSD_ZMM(6) I8GEMM_VPDPBUSD_ZMM(7) I8GEMM_VPDPBUSD_ZMM(8)
                  I8GEMM_VPDPBUSD_ZMM(9) I8GEMM_VPDPBUSD_ZMM(10) I8GEMM_VPDPBUSD_ZMM(11)
                  I8GEMM_VPDPBUSD_ZMM(12) I8GEMM_VPDPBUSD_ZMM(13) I8GEMM_VPDPBUSD_ZMM(14)
                  I8GEMM_VPDPBUSD_ZMM(15),
                  I8GEMM_ZMM_CLOBBERS);
  // clang-format on
}

}  // namespace

extern constexpr PeakLoop i8gemm_peak__avx512vnni = {"vpdpbusd zmm", 16 * 64, peak_loop};

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
