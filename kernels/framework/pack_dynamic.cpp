// Packing float A for a dynamically quantized GEMM (math.md section 4): a row's range, its
// parameters and its quantization happen while the row is hot, then the integer packer lays
// the quantized rows out for the micro-kernel. Range and quantization run on the path's
// quantization kernels (exact min/max; quantization bit-exact with the reference), the
// parameters on the reference's own function, so every path gives the same bits.
#include <algorithm>
#include <string>

#include "framework/aligned_buffer.hpp"
#include "framework/blocking.hpp"
#include "framework/pack.hpp"
#include "framework/round.hpp"
#include "i8gemm/quantize.hpp"
#include "quantize/quantize_dispatch.hpp"
#include "reference/quantize_reference.hpp"

namespace i8gemm::detail {

void pack_a_dynamic(const PathConfig& cfg, int mr, const ADesc& a, std::int64_t row0,
                    std::int64_t rows, std::int64_t kc_max, std::size_t block_bytes, void* dst,
                    void* rows_buffer, std::int32_t* zero_points, float* scales,
                    QuantParams* params_out, std::int32_t* row_sums) {
  const QuantKernelTable& kernels = *cfg.quant;
  const DynamicA& dyn = *a.dynamic;
  const bool to_s8 = dyn.quantized == AType::s8;
  const std::int32_t qmin = to_s8 ? -128 : 0, qmax = to_s8 ? 127 : 255;
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
      // The next row is fetched while this one is ranged and quantized: its first read is what
      // bounds this loop, and the hardware prefetchers stop at each 4 KiB page, which a row of
      // 1,024 floats fills. One prefetch per 64-byte line of it: fused 384 x 1024 x 1024 and
      // 1024^3 ran 5-7 % faster on amx and avx512vnni in alternating runs, K = 4096 within 1.5 %.
      if (i + 1 < row0 + rows) {
        const float* next = x + a.ld;
        for (std::int64_t c = 0; c < k; c += 16) __builtin_prefetch(next + c);
      }
      QuantParams p;
      if (dyn.tensor != nullptr) {
        p = *dyn.tensor;
      } else {
        float lo = 0.0f, hi = 0.0f;
        if (k > 0) {
          const std::size_t bad = kernels.min_max(x, static_cast<std::size_t>(k), &lo, &hi);
          if (bad != static_cast<std::size_t>(k)) {
            throw Error("a[" + std::to_string(i) + "][" + std::to_string(bad) +
                        "]: " + std::to_string(x[bad]) + " is not finite");
          }
        }
        p = reference::choose_quant_params(lo, hi, qmin, qmax);
      }
      std::uint8_t* q = quantized + rr * k;
      if (to_s8) {
        kernels.s8.quantize(x, static_cast<std::size_t>(k), p, reinterpret_cast<std::int8_t*>(q));
      } else {
        kernels.u8.quantize(x, static_cast<std::size_t>(k), p, q);
      }
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
