// A float MLP run quantized with i8gemm, end to end (docs/math.md section 4): the "circles"
// classifier, input 2 -> dense 5 -> ReLU -> dense 2 -> sigmoid.
//
// Each dense layer y = x W + b becomes one GEMM: x quantized asymmetric int8 per tensor, W
// symmetric int8 per output channel (packed once), b as int32 at the accumulator's scale
// sX * sW[j]. Layer 1 requantizes to int8 with the ReLU fused as the output clamp; layer 2
// gives int8 logits that are dequantized before the sigmoid (and, for comparison, float logits
// straight from the OutputFloat stage). Ranges of the activations come from running the float
// model on the inputs (calibration).
//
// Usage: quantized_mlp [--check]   (--check: exit 1 if a logit or probability is off by more
// than two quantization steps of the logits)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "i8gemm/i8gemm.hpp"
#include "i8gemm/quantize.hpp"

namespace {

using i8gemm::MatrixView;

constexpr int kBatch = 2, kIn = 2, kHidden = 5, kOut = 2;

const float kX[kBatch * kIn] = {0, 0, 1, 1};
const float kW1[kIn * kHidden] = {4.4037123f,  -2.9683902f, -4.4077654f, 2.3313837f, 0.05330967f,
                                  -1.0420023f, 3.5323772f,  -1.5059234f, 4.3279686f, -4.243471f};
const float kB1[kHidden] = {-2.0229015f, -2.446563f, -2.7381809f, -2.715235f, -1.9951458f};
const float kW2[kHidden * kOut] = {2.7341564f,  -2.7900338f, 3.049221f,   -3.114146f, 2.761332f,
                                   -2.8246257f, 3.0681298f,  -3.1184993f, 2.8039508f, -2.8363247f};
const float kB2[kOut] = {-4.372014f, 4.457383f};

float sigmoid(float z) {
  return 1.0f / (1.0f + std::exp(-z));
}

// y = x W + b (x: rows x k, W: k x n, row-major).
std::vector<float> dense(const std::vector<float>& x, int rows, int k, const float* w,
                         const float* b, int n) {
  std::vector<float> y(static_cast<std::size_t>(rows) * n);
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < n; ++j) {
      float s = b[j];
      for (int p = 0; p < k; ++p) s += x[i * k + p] * w[p * n + j];
      y[i * n + j] = s;
    }
  }
  return y;
}

struct Range {
  float lo, hi;
};
Range range_of(const std::vector<float>& v) {
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return {*lo, *hi};
}

// A dense layer's weights quantized symmetric int8 per output channel (per column of the
// k x n matrix W), packed once, and its bias as int32 at the scale s_in * s_w[j].
struct QuantizedDense {
  std::vector<i8gemm::QuantParams> w_params;
  std::vector<std::int8_t> w_q;
  i8gemm::PackedB packed;
  std::vector<std::int32_t> bias_q;
  std::vector<float> w_scales;

  QuantizedDense(i8gemm::Context& ctx, const float* w, const float* b, int k, int n, float s_in)
      : w_params(i8gemm::choose_quant_params_columns(w, k, n, n, {8, true, true})),
        w_q(quantize_weights(w, k, n, w_params)),
        packed(ctx, MatrixView<const std::int8_t>(w_q.data(), k, n), i8gemm::BLayout::kn, 0) {
    for (int j = 0; j < n; ++j) {
      w_scales.push_back(w_params[j].scale);
      bias_q.push_back(static_cast<std::int32_t>(
          std::lround(double(b[j]) / (double(s_in) * double(w_params[j].scale)))));
    }
  }

  // Requantization to an output at scale s_out: m[j] = s_in * s_w[j] / s_out.
  std::vector<i8gemm::QuantizedMultiplier> multipliers(float s_in, float s_out) const {
    std::vector<i8gemm::QuantizedMultiplier> m;
    for (float s_w : w_scales) {
      m.push_back(i8gemm::quantize_multiplier(double(s_in) * double(s_w) / double(s_out)));
    }
    return m;
  }

  static std::vector<std::int8_t> quantize_weights(const float* w, int k, int n,
                                                   const std::vector<i8gemm::QuantParams>& p) {
    std::vector<std::int8_t> q(static_cast<std::size_t>(k) * n);
    i8gemm::quantize_columns(w, k, n, n, p.data(), q.data(), n);
    return q;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const bool check = argc > 1 && std::strcmp(argv[1], "--check") == 0;

  // The float model, which also calibrates the activation ranges.
  const std::vector<float> x(kX, kX + kBatch * kIn);
  std::vector<float> h = dense(x, kBatch, kIn, kW1, kB1, kHidden);
  for (float& v : h) v = std::max(v, 0.0f);
  const std::vector<float> logits = dense(h, kBatch, kHidden, kW2, kB2, kOut);

  const auto [x_lo, x_hi] = range_of(x);
  const auto [h_lo, h_hi] = range_of(h);
  const auto [y_lo, y_hi] = range_of(logits);
  const i8gemm::QuantParams px = i8gemm::choose_quant_params(x_lo, x_hi);
  const i8gemm::QuantParams ph = i8gemm::choose_quant_params(h_lo, h_hi);
  const i8gemm::QuantParams py = i8gemm::choose_quant_params(y_lo, y_hi);

  i8gemm::Context ctx;
  const QuantizedDense l1(ctx, kW1, kB1, kIn, kHidden, px.scale);
  const QuantizedDense l2(ctx, kW2, kB2, kHidden, kOut, ph.scale);

  // Layer 1: int8 x -> int8 h, ReLU fused as the clamp (real 0 is h's zero point).
  std::vector<std::int8_t> x_q(x.size());
  i8gemm::quantize(x.data(), x.size(), px, x_q.data());
  const std::vector<i8gemm::QuantizedMultiplier> m1 = l1.multipliers(px.scale, ph.scale);
  i8gemm::OutputFixedPoint<std::int8_t> stage1;
  stage1.per_channel = m1.data();
  stage1.bias = l1.bias_q.data();
  stage1.zero_point = ph.zero_point;
  stage1.min = ph.zero_point;
  std::vector<std::int8_t> h_q(static_cast<std::size_t>(kBatch) * kHidden);
  i8gemm::gemm(ctx, MatrixView<const std::int8_t>(x_q.data(), kBatch, kIn), px.zero_point,
               l1.packed, stage1, MatrixView<std::int8_t>(h_q.data(), kBatch, kHidden));

  // Layer 2: int8 h -> int8 logits, dequantized.
  const std::vector<i8gemm::QuantizedMultiplier> m2 = l2.multipliers(ph.scale, py.scale);
  i8gemm::OutputFixedPoint<std::int8_t> stage2;
  stage2.per_channel = m2.data();
  stage2.bias = l2.bias_q.data();
  stage2.zero_point = py.zero_point;
  std::vector<std::int8_t> y_q(static_cast<std::size_t>(kBatch) * kOut);
  const MatrixView<const std::int8_t> h_view(h_q.data(), kBatch, kHidden);
  i8gemm::gemm(ctx, h_view, ph.zero_point, l2.packed, stage2,
               MatrixView<std::int8_t>(y_q.data(), kBatch, kOut));
  std::vector<float> y_deq(y_q.size());
  i8gemm::dequantize(y_q.data(), y_q.size(), py, y_deq.data());

  // The same layer 2 with float logits straight out of the GEMM (float bias).
  i8gemm::OutputFloat stage2f;
  stage2f.a_scale = ph.scale;
  stage2f.b_scales = l2.w_scales.data();
  stage2f.bias = kB2;
  std::vector<float> y_f(y_q.size());
  i8gemm::gemm(ctx, h_view, ph.zero_point, l2.packed, stage2f,
               MatrixView<float>(y_f.data(), kBatch, kOut));

  std::printf("i8gemm quantized MLP 2 -> 5 -> ReLU -> 2 -> sigmoid, path %s\n",
              i8gemm::isa_name(ctx.last_used_isa()));
  std::printf(
      "calibration: x in [%g, %g] -> (s %.6g, z %d); hidden in [%g, %g] -> (s %.6g, z %d);"
      " logits in [%g, %g] -> (s %.6g, z %d)\n",
      x_lo, x_hi, px.scale, px.zero_point, h_lo, h_hi, ph.scale, ph.zero_point, y_lo, y_hi,
      py.scale, py.zero_point);
  std::printf("%-8s %3s | %10s %10s %8s | %10s %8s | %8s %8s %8s\n", "input", "out", "logit",
              "int8 out", "|err|", "fp32 out", "|err|", "sigmoid", "int8 out", "|err|");
  const float tolerance = 2.0f * py.scale;
  double worst = 0;
  for (int i = 0; i < kBatch; ++i) {
    for (int j = 0; j < kOut; ++j) {
      const int o = i * kOut + j;
      const float err_q = std::fabs(y_deq[o] - logits[o]);
      const float err_f = std::fabs(y_f[o] - logits[o]);
      const float p_float = sigmoid(logits[o]);
      const float p_q = sigmoid(y_deq[o]);
      const float err_p = std::fabs(p_q - p_float);
      char input[32];
      std::snprintf(input, sizeof(input), "[%g, %g]", kX[i * kIn], kX[i * kIn + 1]);
      std::printf("%-8s %3d | %10.5f %10.5f %8.5f | %10.5f %8.5f | %8.5f %8.5f %8.5f\n", input, j,
                  logits[o], y_deq[o], err_q, y_f[o], err_f, p_float, p_q, err_p);
      worst = std::max({worst, double(err_q), double(err_f), double(err_p)});
    }
  }
  const bool ok = worst <= tolerance;
  std::printf("largest error %.5f, %s two logit quantization steps (%.5f)\n", worst,
              ok ? "within" : "NOT within", tolerance);
  return check && !ok ? 1 : 0;
}
