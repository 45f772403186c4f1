// The avx2 path's peak loop: vpmaddwd on int16 pairs, then vpaddd, into 12 accumulators.
#include "framework/path_definition.hpp"
#include "x86/peak_asm.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {
namespace {

void peak_loop(std::int64_t loops) {
  // clang-format off
  I8GEMM_PEAK_ASM(loops, I8GEMM_ZERO_YMM_0_TO_11 I8GEMM_ONES_YMM_14_15,
                  I8GEMM_MADD_YMM(0, 12) I8GEMM_MADD_YMM(1, 13) I8GEMM_MADD_YMM(2, 12)
                  I8GEMM_MADD_YMM(3, 13) I8GEMM_MADD_YMM(4, 12) I8GEMM_MADD_YMM(5, 13)
                  I8GEMM_MADD_YMM(6, 12) I8GEMM_MADD_YMM(7, 13) I8GEMM_MADD_YMM(8, 12)
                  I8GEMM_MADD_YMM(9, 13) I8GEMM_MADD_YMM(10, 12) I8GEMM_MADD_YMM(11, 13),
                  I8GEMM_YMM_CLOBBERS);
  // clang-format on
}

}  // namespace

extern constexpr PeakLoop i8gemm_peak__avx2 = {"vpmaddwd ymm + vpaddd ymm", 12 * 16, peak_loop};

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
