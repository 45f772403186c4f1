// The neon64 quantization kernel set. NEON is part of the aarch64 baseline, so this is the code
// of the aarch64 baseline set too; it is kept as its own set so that ARM builds list it.
#include "quantize/quantize_kernels.hpp"

namespace i8gemm::detail {

const QuantKernelTable& quant_kernels_neon64() {
  static constexpr QuantKernelTable kTable = make_quant_kernel_table<xsimd::neon64>();
  return kTable;
}

}  // namespace i8gemm::detail
