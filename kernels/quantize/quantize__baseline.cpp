// The baseline kernel set, compiled with the library's default flags: SSE2 on x86-64, NEON on
// aarch64, the scalar reference elsewhere.
#if defined(__x86_64__) || defined(_M_X64) || defined(__aarch64__)
#include "quantize/quantize_kernels.hpp"
#else
#include "quantize/quantize_dispatch.hpp"
#include "reference/quantize_reference.hpp"
#endif

namespace i8gemm::detail {

#if defined(__x86_64__) || defined(_M_X64)

const QuantKernelTable& quant_kernels_baseline() {
  static constexpr QuantKernelTable kTable = make_quant_kernel_table<xsimd::sse2>();
  return kTable;
}

#elif defined(__aarch64__)

const QuantKernelTable& quant_kernels_baseline() {
  static constexpr QuantKernelTable kTable = make_quant_kernel_table<xsimd::neon64>();
  return kTable;
}

#else

namespace {

template <typename Q>
void quantize_columns_scalar(const float* x, std::size_t n, const QuantColumnParams& p, Q* q) {
  for (std::size_t i = 0; i < n; ++i) {
    q[i] =
        reference::quantize_value<Q>(x[i], p.inv_scale[i], p.zero_point[i], p.qmin[i], p.qmax[i]);
  }
}

template <typename Q>
void dequantize_columns_scalar(const Q* q, std::size_t n, const QuantColumnParams& p, float* x) {
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = reference::dequantize_value(q[i], p.scale[i], p.zero_point[i]);
  }
}

template <typename Q>
constexpr QuantKernels<Q> scalar_kernels() {
  return QuantKernels<Q>{&reference::quantize<Q>, &quantize_columns_scalar<Q>,
                         &reference::dequantize<Q>, &dequantize_columns_scalar<Q>};
}

}  // namespace

const QuantKernelTable& quant_kernels_baseline() {
  static constexpr QuantKernelTable kTable = {
      scalar_kernels<std::int8_t>(), scalar_kernels<std::uint8_t>(), scalar_kernels<std::int16_t>(),
      scalar_kernels<std::uint16_t>(), scalar_kernels<std::int32_t>()};
  return kTable;
}

#endif

}  // namespace i8gemm::detail
