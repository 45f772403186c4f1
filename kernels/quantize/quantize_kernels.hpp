// Quantize / dequantize written once over an xsimd arch tag; quantize__<isa>.cpp instantiates
// them with that ISA's flags. Bit-exact with reference/quantize_reference.cpp, which handles the
// tails. Requires -ffp-contract=off (set for every kernel file): r * (1 / s) + z must round
// twice, as the reference does.
//
// Only Arch-templated code and xsimd intrinsics wrappers may be used here: an inline function
// or std:: template without Arch in its signature would be emitted with this ISA's flags in
// several object files, and the linker could pick that copy for the baseline path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <xsimd/xsimd.hpp>

#include "quantize/quantize_dispatch.hpp"
#include "reference/quantize_reference.hpp"

namespace i8gemm::detail {

template <class Arch>
using FloatBatch = xsimd::batch<float, Arch>;
template <class Arch>
using Int32Batch = xsimd::batch<std::int32_t, Arch>;

// Widens / narrows through an aligned buffer rather than xsimd's converting load_as / store_as,
// whose std::copy would be such a shared template.
template <class Arch, typename Q>
Int32Batch<Arch> load_as_int32(const Q* q) {
  if constexpr (std::is_same_v<Q, std::int32_t>) {
    return Int32Batch<Arch>::load_unaligned(q);
  } else {
    alignas(Arch::alignment()) std::int32_t buffer[Int32Batch<Arch>::size];
    for (std::size_t k = 0; k < Int32Batch<Arch>::size; ++k) buffer[k] = q[k];
    return Int32Batch<Arch>::load_aligned(buffer);
  }
}

template <class Arch, typename Q>
void store_from_int32(const Int32Batch<Arch>& v, Q* q) {
  if constexpr (std::is_same_v<Q, std::int32_t>) {
    v.store_unaligned(q);
  } else {
    alignas(Arch::alignment()) std::int32_t buffer[Int32Batch<Arch>::size];
    v.store_aligned(buffer);
    for (std::size_t k = 0; k < Int32Batch<Arch>::size; ++k) q[k] = static_cast<Q>(buffer[k]);
  }
}

// clamp(round_half_even(r * inv_scale + zero_point), qmin, qmax); NaN r counts as 0.
template <class Arch, typename Q>
Int32Batch<Arch> quantize_batch(FloatBatch<Arch> r, FloatBatch<Arch> inv_scale,
                                FloatBatch<Arch> zero_point, Int32Batch<Arch> qmin,
                                Int32Batch<Arch> qmax) {
  using F = FloatBatch<Arch>;
  // The float range that converts to int32 exactly: [-2^31, 2^31 - 128].
  const F lowest(-2147483648.0f);
  const F highest(2147483520.0f);
  r = xsimd::select(xsimd::isnan(r), F(0.0f), r);
  const F v = xsimd::nearbyint(r * inv_scale + zero_point);
  Int32Batch<Arch> q = xsimd::to_int(xsimd::min(xsimd::max(v, lowest), highest));
  if constexpr (std::is_same_v<Q, std::int32_t>) {
    // qmax may exceed 2^31 - 128: a v above that is at least 2^31 and must become INT32_MAX, so
    // add min(v - highest, 127), which is 0 for every v <= highest. (Arithmetic rather than an
    // integer select: xsimd 8.1's avx512bw int32 select does not compile at -O0.)
    q += xsimd::to_int(xsimd::min(xsimd::max(v - highest, F(0.0f)), F(127.0f)));
  }
  return xsimd::min(xsimd::max(q, qmin), qmax);
}

// scale * float(q - zero_point), rounded once. Storage narrower than int32 gives q - z in int32
// (z is validated to lie in [qmin, qmax]); int32 storage may need 33 bits, so the difference
// is split into 16-bit halves whose floats are exact and whose one fp32 sum is the single
// rounding of the exact difference.
template <class Arch, typename Q>
FloatBatch<Arch> dequantize_batch(Int32Batch<Arch> q, FloatBatch<Arch> scale,
                                  Int32Batch<Arch> zero_point) {
  using F = FloatBatch<Arch>;
  using I = Int32Batch<Arch>;
  if constexpr (std::is_same_v<Q, std::int32_t>) {
    const I low_mask(0xFFFF);
    const I high = (q >> 16) - (zero_point >> 16);
    const I low = (q & low_mask) - (zero_point & low_mask);
    return scale * (xsimd::to_float(high) * F(65536.0f) + xsimd::to_float(low));
  } else {
    return scale * xsimd::to_float(q - zero_point);
  }
}

template <class Arch, typename Q>
void quantize_f32(const float* x, std::size_t n, const QuantParams& p, Q* q) {
  using F = FloatBatch<Arch>;
  using I = Int32Batch<Arch>;
  const F inv_scale(1.0f / p.scale);
  const F zero_point(static_cast<float>(p.zero_point));
  const I qmin(p.qmin);
  const I qmax(p.qmax);
  std::size_t i = 0;
  for (; i + F::size <= n; i += F::size) {
    store_from_int32<Arch>(
        quantize_batch<Arch, Q>(F::load_unaligned(x + i), inv_scale, zero_point, qmin, qmax),
        q + i);
  }
  reference::quantize(x + i, n - i, p, q + i);
}

template <class Arch, typename Q>
void quantize_columns_f32(const float* x, std::size_t n, const QuantColumnParams& p, Q* q) {
  using F = FloatBatch<Arch>;
  using I = Int32Batch<Arch>;
  std::size_t i = 0;
  for (; i + F::size <= n; i += F::size) {
    const F zero_point = xsimd::to_float(I::load_unaligned(p.zero_point + i));
    store_from_int32<Arch>(
        quantize_batch<Arch, Q>(F::load_unaligned(x + i), F::load_unaligned(p.inv_scale + i),
                                zero_point, I::load_unaligned(p.qmin + i),
                                I::load_unaligned(p.qmax + i)),
        q + i);
  }
  for (; i < n; ++i) {
    q[i] =
        reference::quantize_value<Q>(x[i], p.inv_scale[i], p.zero_point[i], p.qmin[i], p.qmax[i]);
  }
}

template <class Arch, typename Q>
void dequantize_f32(const Q* q, std::size_t n, const QuantParams& p, float* x) {
  using F = FloatBatch<Arch>;
  using I = Int32Batch<Arch>;
  const F scale(p.scale);
  const I zero_point(p.zero_point);
  std::size_t i = 0;
  for (; i + F::size <= n; i += F::size) {
    dequantize_batch<Arch, Q>(load_as_int32<Arch>(q + i), scale, zero_point).store_unaligned(x + i);
  }
  reference::dequantize(q + i, n - i, p, x + i);
}

template <class Arch, typename Q>
void dequantize_columns_f32(const Q* q, std::size_t n, const QuantColumnParams& p, float* x) {
  using F = FloatBatch<Arch>;
  using I = Int32Batch<Arch>;
  std::size_t i = 0;
  for (; i + F::size <= n; i += F::size) {
    dequantize_batch<Arch, Q>(load_as_int32<Arch>(q + i), F::load_unaligned(p.scale + i),
                              I::load_unaligned(p.zero_point + i))
        .store_unaligned(x + i);
  }
  for (; i < n; ++i) x[i] = reference::dequantize_value(q[i], p.scale[i], p.zero_point[i]);
}

template <class Arch, typename Q>
constexpr QuantKernels<Q> make_quant_kernels() {
  return QuantKernels<Q>{&quantize_f32<Arch, Q>, &quantize_columns_f32<Arch, Q>,
                         &dequantize_f32<Arch, Q>, &dequantize_columns_f32<Arch, Q>};
}

template <class Arch>
constexpr QuantKernelTable make_quant_kernel_table() {
  return QuantKernelTable{
      make_quant_kernels<Arch, std::int8_t>(), make_quant_kernels<Arch, std::uint8_t>(),
      make_quant_kernels<Arch, std::int16_t>(), make_quant_kernels<Arch, std::uint16_t>(),
      make_quant_kernels<Arch, std::int32_t>()};
}

}  // namespace i8gemm::detail
