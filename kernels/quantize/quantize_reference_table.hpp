// The quantization kernel table of the plain C++ paths (scalar, generic): the reference's own
// functions, one value at a time, compiled in the path's namespace.
#pragma once

#include "framework/isa_namespace.hpp"
#include "quantize/quantize_dispatch.hpp"
#include "reference/quantize_reference.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

template <typename Q>
void quantize_columns_reference(const float* x, std::size_t n, const QuantColumnParams& p, Q* q) {
  for (std::size_t i = 0; i < n; ++i) {
    q[i] =
        reference::quantize_value<Q>(x[i], p.inv_scale[i], p.zero_point[i], p.qmin[i], p.qmax[i]);
  }
}

template <typename Q>
void dequantize_columns_reference(const Q* q, std::size_t n, const QuantColumnParams& p, float* x) {
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = reference::dequantize_value(q[i], p.scale[i], p.zero_point[i]);
  }
}

template <typename Q>
constexpr QuantKernels<Q> reference_quant_kernels() {
  return QuantKernels<Q>{&reference::quantize<Q>, &quantize_columns_reference<Q>,
                         &reference::dequantize<Q>, &dequantize_columns_reference<Q>};
}

constexpr QuantKernelTable reference_quant_kernel_table() {
  return QuantKernelTable{&reference::min_max,
                          reference_quant_kernels<std::int8_t>(),
                          reference_quant_kernels<std::uint8_t>(),
                          reference_quant_kernels<std::int16_t>(),
                          reference_quant_kernels<std::uint16_t>(),
                          reference_quant_kernels<std::int32_t>()};
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
