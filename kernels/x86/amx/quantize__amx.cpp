// The amx path's quantization kernels: quantize_kernels.hpp on xsimd's avx512bw arch, compiled
// with this path's flags in this path's namespace.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "quantize/quantize_kernels.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

extern constexpr QuantKernelTable i8gemm_quant_kernels__amx =
    make_quant_kernel_table<xsimd::avx512bw>();

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
