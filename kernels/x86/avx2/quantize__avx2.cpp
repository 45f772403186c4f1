// The avx2 path's quantization kernels: quantize_kernels.hpp compiled with avx2 flags.
#include "quantize/quantize_kernels.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

extern constexpr QuantKernelTable i8gemm_quant_kernels__avx2 =
    make_quant_kernel_table<xsimd::avx2>();

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
