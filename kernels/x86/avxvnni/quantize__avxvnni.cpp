// The avxvnni path's quantization kernels: quantize_kernels.hpp on xsimd's avx2 arch (xsimd has
// no VNNI arch), compiled with this path's flags in this path's namespace.
#include "quantize/quantize_kernels.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

extern constexpr QuantKernelTable i8gemm_quant_kernels__avxvnni =
    make_quant_kernel_table<xsimd::avx2>();

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
