// Quantize / dequantize written once over an xsimd arch tag; each path's quantize__<isa>.cpp
// instantiates them with that path's flags, inside the path's namespace (isa_namespace.hpp).
// Bit-exact with reference/quantize_reference.cpp, which handles the tails. Requires
// -ffp-contract=off (set for every kernel file): r * (1 / s) + z must round twice, as the
// reference does.
#pragma once

#include "framework/isa_namespace.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <xsimd/xsimd.hpp>

#include "quantize/quantize_dispatch.hpp"
#include "reference/quantize_reference.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

template <class Arch>
using FloatBatch = xsimd::batch<float, Arch>;
template <class Arch>
using Int32Batch = xsimd::batch<std::int32_t, Arch>;

// clamp(round_half_even(r * inv_scale + zero_point), qmin, qmax); NaN r counts as 0.
template <class Arch, typename Q>
Int32Batch<Arch> quantize_batch(FloatBatch<Arch> r, FloatBatch<Arch> inv_scale,
                                FloatBatch<Arch> zero_point, Int32Batch<Arch> qmin,
                                Int32Batch<Arch> qmax) {
  using F = FloatBatch<Arch>;
  r = xsimd::select(xsimd::isnan(r), F(0.0f), r);
  if constexpr (!std::is_same_v<Q, std::int32_t>) {
    // Storage of at most 16 bits: qmin and qmax are exact floats, so the value is clamped in
    // float and rounded as it is converted, where the int32 case below rounds, clamps to int32's
    // range, converts and clamps again (7 vector operations for a batch instead of 10).
    // Rounding commutes with a clamp to integer bounds (it is monotonic and leaves integers
    // alone), and the conversion rounds half to even: the entry points run every kernel in the
    // default floating-point environment (fp_env.hpp). The value is never NaN: r is not, and
    // 1 / scale is finite and positive (validated), so r * (1 / scale) + z is a number or an
    // infinity.
    const F v = r * inv_scale + zero_point;
    return xsimd::nearbyint_as_int(
        xsimd::min(xsimd::max(v, xsimd::to_float(qmin)), xsimd::to_float(qmax)));
  } else {
    const F v = xsimd::nearbyint(r * inv_scale + zero_point);
    // The float range that converts to int32 exactly: [-2^31, 2^31 - 128].
    const F lowest(-2147483648.0f);
    const F highest(2147483520.0f);
    Int32Batch<Arch> q = xsimd::to_int(xsimd::min(xsimd::max(v, lowest), highest));
    // qmax may exceed 2^31 - 128: a v above that is at least 2^31 and must become INT32_MAX, so
    // add min(v - highest, 127), which is 0 for every v <= highest. (Arithmetic rather than an
    // integer select: xsimd 8.1's avx512bw int32 select does not compile at -O0.)
    q += xsimd::to_int(xsimd::min(xsimd::max(v - highest, F(0.0f)), F(127.0f)));
    return xsimd::min(xsimd::max(q, qmin), qmax);
  }
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

// Narrower storage is converted from / to int32 lanes a block at a time through an aligned
// buffer: a plain loop over a block vectorizes (packs, sign extensions); xsimd's converting
// load_as / store_as would go through std::copy, a template shared with other object files.
constexpr std::size_t kQuantBlock = 256;

// q[i] for every i below the largest multiple of the batch size <= n, from quantize_at(i) (the
// int32 batch of values i, i + 1, ...). Returns where the scalar tail starts.
template <class Arch, typename Q, typename QuantizeAt>
std::size_t quantize_batches(std::size_t n, Q* q, QuantizeAt quantize_at) {
  constexpr std::size_t kLanes = Int32Batch<Arch>::size;
  const std::size_t end = n / kLanes * kLanes;
  if constexpr (std::is_same_v<Q, std::int32_t>) {
    for (std::size_t i = 0; i < end; i += kLanes) quantize_at(i).store_unaligned(q + i);
#if defined(__AVX512F__)
  } else if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>) {
    // The values lie in [qmin, qmax], which Q holds, so vpmovdb / vpmovdw (truncating) narrow
    // them exactly, straight from the register, where the buffer's loop below compiled to
    // stores, reloads and word permutes: 1,024 floats to int8 in 0.80-0.95 of the time
    // (quantize(), binaries alternating).
    for (std::size_t i = 0; i < end; i += kLanes) {
      const __m512i v = quantize_at(i);
      if constexpr (sizeof(Q) == 1) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(q + i), _mm512_cvtepi32_epi8(v));
      } else {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + i), _mm512_cvtepi32_epi16(v));
      }
    }
#endif
  } else {
    alignas(Arch::alignment()) std::int32_t buffer[kQuantBlock];
    for (std::size_t start = 0; start < end; start += kQuantBlock) {
      const std::size_t m = end - start < kQuantBlock ? end - start : kQuantBlock;
      for (std::size_t k = 0; k < m; k += kLanes) quantize_at(start + k).store_aligned(buffer + k);
      for (std::size_t k = 0; k < m; ++k) q[start + k] = static_cast<Q>(buffer[k]);
    }
  }
  return end;
}

// x[i] = dequantize_at(i, int32 batch of q[i], q[i + 1], ...) over the whole batches of n.
template <class Arch, typename Q, typename DequantizeAt>
std::size_t dequantize_batches(const Q* q, std::size_t n, float* x, DequantizeAt dequantize_at) {
  using I = Int32Batch<Arch>;
  constexpr std::size_t kLanes = I::size;
  const std::size_t end = n / kLanes * kLanes;
  if constexpr (std::is_same_v<Q, std::int32_t>) {
    for (std::size_t i = 0; i < end; i += kLanes) {
      dequantize_at(i, I::load_unaligned(q + i)).store_unaligned(x + i);
    }
  } else {
    alignas(Arch::alignment()) std::int32_t buffer[kQuantBlock];
    for (std::size_t start = 0; start < end; start += kQuantBlock) {
      const std::size_t m = end - start < kQuantBlock ? end - start : kQuantBlock;
      for (std::size_t k = 0; k < m; ++k) buffer[k] = q[start + k];
      for (std::size_t k = 0; k < m; k += kLanes) {
        dequantize_at(start + k, I::load_aligned(buffer + k)).store_unaligned(x + start + k);
      }
    }
  }
  return end;
}

template <class Arch, typename Q>
void quantize_f32(const float* x, std::size_t n, const QuantParams& p, Q* q) {
  using F = FloatBatch<Arch>;
  using I = Int32Batch<Arch>;
  const F inv_scale(1.0f / p.scale);
  const F zero_point(static_cast<float>(p.zero_point));
  const I qmin(p.qmin);
  const I qmax(p.qmax);
  const std::size_t done = quantize_batches<Arch>(n, q, [&](std::size_t i) {
    return quantize_batch<Arch, Q>(F::load_unaligned(x + i), inv_scale, zero_point, qmin, qmax);
  });
  reference::quantize(x + done, n - done, p, q + done);
}

template <class Arch, typename Q>
void quantize_columns_f32(const float* x, std::size_t n, const QuantColumnParams& p, Q* q) {
  using F = FloatBatch<Arch>;
  using I = Int32Batch<Arch>;
  const std::size_t done = quantize_batches<Arch>(n, q, [&](std::size_t i) {
    return quantize_batch<Arch, Q>(F::load_unaligned(x + i), F::load_unaligned(p.inv_scale + i),
                                   xsimd::to_float(I::load_unaligned(p.zero_point + i)),
                                   I::load_unaligned(p.qmin + i), I::load_unaligned(p.qmax + i));
  });
  for (std::size_t i = done; i < n; ++i) {
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
  const std::size_t done = dequantize_batches<Arch>(q, n, x, [&](std::size_t, I values) {
    return dequantize_batch<Arch, Q>(values, scale, zero_point);
  });
  reference::dequantize(q + done, n - done, p, x + done);
}

template <class Arch, typename Q>
void dequantize_columns_f32(const Q* q, std::size_t n, const QuantColumnParams& p, float* x) {
  using F = FloatBatch<Arch>;
  using I = Int32Batch<Arch>;
  const std::size_t done = dequantize_batches<Arch>(q, n, x, [&](std::size_t i, I values) {
    return dequantize_batch<Arch, Q>(values, F::load_unaligned(p.scale + i),
                                     I::load_unaligned(p.zero_point + i));
  });
  for (std::size_t i = done; i < n; ++i) {
    x[i] = reference::dequantize_value(q[i], p.scale[i], p.zero_point[i]);
  }
}

template <class Arch>
std::size_t min_max_f32(const float* x, std::size_t n, float* lo, float* hi) {
  using F = FloatBatch<Arch>;
  constexpr std::size_t kLanes = F::size;
  const F largest(std::numeric_limits<float>::max());
  F vlo(std::numeric_limits<float>::infinity()), vhi(-std::numeric_limits<float>::infinity());
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    const F v = F::load_unaligned(x + i);
    // |v| <= FLT_MAX is false exactly for NaN and the infinities: then the reference finds it.
    if (!xsimd::all(xsimd::abs(v) <= largest)) return i + reference::min_max(x + i, n - i, lo, hi);
    vlo = xsimd::min(vlo, v);
    vhi = xsimd::max(vhi, v);
  }
  alignas(Arch::alignment()) float lanes_lo[kLanes], lanes_hi[kLanes];
  vlo.store_aligned(lanes_lo);
  vhi.store_aligned(lanes_hi);
  float l = lanes_lo[0], h = lanes_hi[0];
  for (std::size_t t = 1; t < kLanes; ++t) {
    l = lanes_lo[t] < l ? lanes_lo[t] : l;
    h = lanes_hi[t] > h ? lanes_hi[t] : h;
  }
  if (i < n) {
    float tail_lo, tail_hi;
    const std::size_t bad = reference::min_max(x + i, n - i, &tail_lo, &tail_hi);
    if (bad != n - i) return i + bad;
    l = tail_lo < l ? tail_lo : l;
    h = tail_hi > h ? tail_hi : h;
  }
  *lo = l;
  *hi = h;
  return n;
}

template <class Arch, typename Q>
constexpr QuantKernels<Q> make_quant_kernels() {
  return QuantKernels<Q>{&quantize_f32<Arch, Q>, &quantize_columns_f32<Arch, Q>,
                         &dequantize_f32<Arch, Q>, &dequantize_columns_f32<Arch, Q>};
}

template <class Arch>
constexpr QuantKernelTable make_quant_kernel_table() {
  return QuantKernelTable{&min_max_f32<Arch>,
                          make_quant_kernels<Arch, std::int8_t>(),
                          make_quant_kernels<Arch, std::uint8_t>(),
                          make_quant_kernels<Arch, std::int16_t>(),
                          make_quant_kernels<Arch, std::uint16_t>(),
                          make_quant_kernels<Arch, std::int32_t>()};
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
