// The avx512bw path's peak loop: vpmaddwd on int16 pairs, then vpaddd, into 12 accumulators.
#include "framework/path_definition.hpp"
#include "x86/peak_asm.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {
namespace {

void peak_loop(std::int64_t loops) {
  // clang-format off
  I8GEMM_PEAK_ASM(loops, I8GEMM_ZERO_ZMM_0_TO_11 I8GEMM_ONES_ZMM_16_17,
                  I8GEMM_MADD_ZMM(0, 12) I8GEMM_MADD_ZMM(1, 13) I8GEMM_MADD_ZMM(2, 14)
                  I8GEMM_MADD_ZMM(3, 15) I8GEMM_MADD_ZMM(4, 12) I8GEMM_MADD_ZMM(5, 13)
                  I8GEMM_MADD_ZMM(6, 14) I8GEMM_MADD_ZMM(7, 15) I8GEMM_MADD_ZMM(8, 12)
                  I8GEMM_MADD_ZMM(9, 13) I8GEMM_MADD_ZMM(10, 14) I8GEMM_MADD_ZMM(11, 15),
                  I8GEMM_ZMM_CLOBBERS);
  // clang-format on
}

}  // namespace

extern constexpr PeakLoop i8gemm_peak__avx512bw = {"vpmaddwd zmm + vpaddd zmm", 12 * 32, peak_loop};

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
