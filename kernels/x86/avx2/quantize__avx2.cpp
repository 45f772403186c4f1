// The avx2 quantization kernel set: quantize_kernels.hpp compiled with avx2 flags.
#include "quantize/quantize_kernels.hpp"

namespace i8gemm::detail {

const QuantKernelTable& quant_kernels_avx2() {
  static constexpr QuantKernelTable kTable = make_quant_kernel_table<xsimd::avx2>();
  return kTable;
}

}  // namespace i8gemm::detail
