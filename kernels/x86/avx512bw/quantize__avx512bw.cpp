// The avx512bw path's quantization kernels: quantize_kernels.hpp compiled with avx512bw flags.
// GCC 12's avx512fintrin.h trips -W(maybe-)uninitialized on its own _mm512_undefined_*() (GCC
// bug 105593, fixed in GCC 13); the warning is located in that header, so it is silenced first.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "quantize/quantize_kernels.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

extern constexpr QuantKernelTable i8gemm_quant_kernels__avx512bw =
    make_quant_kernel_table<xsimd::avx512bw>();

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
