// The avx512bw quantization kernel set: quantize_kernels.hpp compiled with avx512bw flags.
// GCC 12's avx512fintrin.h trips -W(maybe-)uninitialized on its own _mm512_undefined_*() (GCC
// bug 105593, fixed in GCC 13); the warning is located in that header, so it is silenced first.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "quantize/quantize_kernels.hpp"

namespace i8gemm::detail {

const QuantKernelTable& quant_kernels_avx512bw() {
  static constexpr QuantKernelTable kTable = make_quant_kernel_table<xsimd::avx512bw>();
  return kTable;
}

}  // namespace i8gemm::detail
