// Packing float A for a dynamically quantized GEMM (math.md section 4): a row's range, its
// parameters and its quantization happen while the row is hot, then the integer packer lays
// the quantized rows out for the micro-kernel (pack_a_dynamic); where several N blocks meet the
// rows, they are quantized once, before the blocks, into an integer copy of A instead
// (quantize_a_rows, for the driver's quantize_once_then_run). Range and quantization run on the
// path's quantization kernels (exact min/max; quantization bit-exact with the reference), the
// parameters on the reference's own function, so every path gives the same bits.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "framework/aligned_buffer.hpp"
#include "framework/blocking.hpp"
#include "framework/pack.hpp"
#include "framework/prefetch.hpp"
#include "framework/round.hpp"
#include "i8gemm/quantize.hpp"
#include "quantize/quantize_dispatch.hpp"
#include "reference/quantize_reference.hpp"

namespace i8gemm::detail {
namespace {

// Floats of a row per piece of its range and quantization passes (256 and 1,024 measured the
// same).
constexpr std::int64_t kChunk = 512;

}  // namespace

void range_of_row_part(const QuantKernelTable& kernels, const float* x, std::int64_t row,
                       std::int64_t col0, std::int64_t len, float* lo, float* hi) {
  const std::size_t bad = kernels.min_max(x, static_cast<std::size_t>(len), lo, hi);
  if (bad != static_cast<std::size_t>(len)) {
    throw Error("a[" + std::to_string(row) + "][" +
                std::to_string(col0 + static_cast<std::int64_t>(bad)) +
                "]: " + std::to_string(x[bad]) + " is not finite");
  }
}

namespace {

// Row i of float A (x) quantized into q (K bytes): its range found (or the tensor's parameters
// taken) and its values quantized, while the row after it (next, or null) is fetched.
QuantParams quantize_row(const QuantKernelTable& kernels, const DynamicA& dyn, const float* x,
                         std::int64_t i, std::int64_t k, const float* next, std::uint8_t* q) {
  // The next row is fetched while this one is ranged and quantized: its first read is what
  // bounds the loop over the rows, and the hardware prefetchers stop at each 4 KiB page, which a
  // row of 1,024 floats fills. One prefetch per 64-byte line of it, spread over the passes over
  // this row: each kChunk floats of them are preceded by a matching part of the next row (its
  // first half during the range pass, the second during the quantization; all of it during the
  // quantization when the parameters are the tensor's). Prefetching the whole row at once, as
  // before, waited for free line-fill buffers: the spread passes took 0.95 (384 x 1024^2), 0.96
  // (1024^3) and 0.97 (128 x 4096^2) of its time on amx (paired runs in one process, 15 rounds,
  // medians); the row prefetch itself made fused 384 x 1024^2 and 1024^3 5-7 % faster.
  const bool to_s8 = dyn.quantized == AType::s8;
  const bool ranged = dyn.tensor == nullptr;
  auto prefetch_next = [next](std::int64_t from, std::int64_t to) {
    prefetch_lines<0>(reinterpret_cast<std::uintptr_t>(next + from),
                      reinterpret_cast<std::uintptr_t>(next + to));
  };
  QuantParams p;
  if (!ranged) {
    p = *dyn.tensor;
  } else {
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (std::int64_t c0 = 0; c0 < k; c0 += kChunk) {
      const std::int64_t len = std::min(kChunk, k - c0);
      if (next != nullptr) prefetch_next(c0 / 2, (c0 + len) / 2);
      float chunk_lo, chunk_hi;
      range_of_row_part(kernels, x + c0, i, c0, len, &chunk_lo, &chunk_hi);
      lo = std::min(lo, chunk_lo);
      hi = std::max(hi, chunk_hi);
    }
    if (k == 0) lo = hi = 0.0f;
    p = reference::choose_quant_params(lo, hi, to_s8 ? -128 : 0, to_s8 ? 127 : 255);
  }
  for (std::int64_t c0 = 0; c0 < k; c0 += kChunk) {
    const std::int64_t len = std::min(kChunk, k - c0);
    if (next != nullptr) {
      if (ranged) {
        prefetch_next((k + c0) / 2, (k + c0 + len) / 2);
      } else {
        prefetch_next(c0, c0 + len);
      }
    }
    if (to_s8) {
      kernels.s8.quantize(x + c0, static_cast<std::size_t>(len), p,
                          reinterpret_cast<std::int8_t*>(q + c0));
    } else {
      kernels.u8.quantize(x + c0, static_cast<std::size_t>(len), p, q + c0);
    }
  }
  return p;
}

}  // namespace

void quantize_a_rows(const PathConfig& cfg, const ADesc& a, std::int64_t row0, std::int64_t rows,
                     std::uint8_t* q, std::int32_t* zero_points, float* scales) {
  const DynamicA& dyn = *a.dynamic;
  const std::int64_t k = a.cols;
  const auto* x = static_cast<const float*>(a.data) + row0 * a.ld;
  for (std::int64_t r = 0; r < rows; ++r, x += a.ld, q += k) {
    const QuantParams p =
        quantize_row(*cfg.quant, dyn, x, row0 + r, k, r + 1 < rows ? x + a.ld : nullptr, q);
    zero_points[r] = p.zero_point;
    scales[r] = p.scale;
    if (dyn.params_out != nullptr) dyn.params_out[row0 + r] = p;
  }
}

void pack_a_dynamic(const PathConfig& cfg, int mr, const ADesc& a, std::int64_t row0,
                    std::int64_t rows, std::int64_t kc_max, std::size_t block_bytes, void* dst,
                    void* rows_buffer, std::int32_t* zero_points, float* scales,
                    QuantParams* params_out, std::int32_t* row_sums) {
  const DynamicA& dyn = *a.dynamic;
  const int offset = a_offset(cfg, dyn.quantized);
  const std::int64_t k = a.cols;
  const std::int64_t k_blocks = k_block_count(k, kc_max);
  const std::size_t a_elem = packed_elem_size(cfg.a_elem);
  auto* quantized = static_cast<std::uint8_t*>(rows_buffer);
  for (std::int64_t p0 = 0; p0 < rows; p0 += mr) {
    const std::int64_t valid = std::min<std::int64_t>(mr, rows - p0);
    for (std::int64_t rr = 0; rr < valid; ++rr) {
      const std::int64_t i = row0 + p0 + rr;
      const float* x = static_cast<const float*>(a.data) + i * a.ld;
      const float* next = i + 1 < row0 + rows ? x + a.ld : nullptr;
      const QuantParams p = quantize_row(*cfg.quant, dyn, x, i, k, next, quantized + rr * k);
      zero_points[p0 + rr] = p.zero_point + offset;
      scales[p0 + rr] = p.scale;
      if (params_out != nullptr) params_out[i] = p;
    }
    const ADesc q{quantized, dyn.quantized, valid, k, k, ZeroPoints(0)};
    for (std::int64_t kb = 0; kb < k_blocks; ++kb) {
      const std::int64_t k0 = kb * kc_max, kc = std::min(kc_max, k - k0);
      const std::size_t panel_bytes = static_cast<std::size_t>(mr) *
                                      round_up(static_cast<std::size_t>(kc), cfg.k_unit) * a_elem;
      pack_a(cfg, mr, q, 0, mr, k0, kc,
             static_cast<char*>(dst) + kb * block_bytes + (p0 / mr) * panel_bytes,
             row_sums != nullptr ? row_sums + p0 : nullptr);
    }
  }
}

}  // namespace i8gemm::detail
