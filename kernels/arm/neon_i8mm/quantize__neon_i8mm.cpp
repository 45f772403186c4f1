// The neon_i8mm path's quantization kernels: quantize_kernels.hpp on xsimd's neon64 arch, compiled
// with this path's flags in this path's namespace.
#include "quantize/quantize_kernels.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

extern constexpr QuantKernelTable i8gemm_quant_kernels__neon_i8mm =
    make_quant_kernel_table<xsimd::neon64>();

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
