// Dynamically quantized linear layers (docs/math.md section 4): float32 activations quantized to
// int8 or uint8 per row ("per token") or per tensor while they are packed for the micro-kernel,
// int8 weights quantized once symmetrically per output channel, float32 output. One call, the
// same bits on every path and thread count.
//
//   QuantizedWeights w(ctx, MatrixView<const float>(W, N, K), BLayout::nk);  // once
//   gemm_dynamic(ctx, MatrixView<const float>(x, M, K), w, MatrixView<float>(y, M, N), opts);
#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "i8gemm/i8gemm.hpp"
#include "i8gemm/quantize.hpp"

namespace i8gemm {

// Where the activations' (scale, zero point) come from: each row's range, or the whole tensor's.
enum class ActivationQuant { per_row, per_tensor };

struct DynamicOptions {
  ActivationQuant granularity = ActivationQuant::per_row;
  bool unsigned_activations = false;  // uint8 [0, 255] instead of int8 [-128, 127]
  const float* bias = nullptr;        // N values (float, added after dequantization) or null
  float min = -std::numeric_limits<float>::infinity();  // C is clamped to [min, max]
  float max = std::numeric_limits<float>::infinity();
  // When set, receives the activations' parameters: M entries per row, 1 per tensor.
  QuantParams* activation_params = nullptr;
};

// Float weights prepared in one call: symmetric int8 per output channel over [-127, 127]
// (scale = max |w| / 127 per channel, 1 for a zero channel), packed for the context's path.
// W is N x K ("weights as rows", BLayout::nk, e.g. a PyTorch nn.Linear weight) or K x N
// (BLayout::kn). Every value must be finite. Read-only after construction; may be shared.
class QuantizedWeights {
 public:
  QuantizedWeights(Context& ctx, MatrixView<const float> w, BLayout layout);

  const PackedB& packed() const& { return packed_; }
  PackedB packed() && { return std::move(packed_); }  // takes the packed weights out
  // The N per-channel scales.
  const std::vector<float>& scales() const { return scales_; }
  std::int64_t k() const { return packed_.k(); }
  std::int64_t n() const { return packed_.n(); }

 private:
  struct Prepared {
    std::vector<std::int8_t> q;  // W quantized, in W's layout, dense
    std::vector<float> scales;
    std::int64_t k = 0, n = 0;
    BLayout layout = BLayout::nk;
  };
  static Prepared prepare(MatrixView<const float> w, BLayout layout);
  QuantizedWeights(Context& ctx, Prepared&& prepared);

  std::vector<float> scales_;
  PackedB packed_;
};

// C[M x N] = dequantize(quantize(A) x B) (+ bias, clamped), A float M x K. B is int8 packed
// with zero point 0 (its zero points, if any, are honoured) and `b_scales` its N per-channel
// scales. Throws Error naming the argument; a NaN or infinity in A names its row and column.
void gemm_dynamic(Context& ctx, MatrixView<const float> a, const PackedB& b, const float* b_scales,
                  MatrixView<float> c, const DynamicOptions& options = {});
void gemm_dynamic(Context& ctx, MatrixView<const float> a, const QuantizedWeights& w,
                  MatrixView<float> c, const DynamicOptions& options = {});

}  // namespace i8gemm
