// The scalar path's quantization kernels: the reference's, one value at a time.
#include "quantize/quantize_reference_table.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

extern constexpr QuantKernelTable i8gemm_quant_kernels__scalar = reference_quant_kernel_table();

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
