// A float linear layer y = x W^T + b made dynamically quantized in three lines (weights
// quantized once, activations per row inside the call), against the float layer it replaces:
// its error and its speed. `--check` fails unless the error is within the bound the scales
// imply (a few quantization steps).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "i8gemm/dynamic.hpp"

namespace {

constexpr int kTokens = 64, kIn = 1024, kOut = 1024;

// The float layer: y[i][j] = sum_k x[i][k] * w[j][k] + b[j], in plain C++ with the weights
// transposed once so that the inner loop runs along j and vectorizes at the build's baseline
// (the benchmark suite compares with oneDNN's f32 matmul instead: bench/dynamic_benchmark.cpp).
void float_linear(const std::vector<float>& x, const std::vector<float>& w_t,
                  const std::vector<float>& b, std::vector<float>& y) {
  for (int i = 0; i < kTokens; ++i) {
    float* yi = y.data() + i * kOut;
    for (int j = 0; j < kOut; ++j) yi[j] = b[j];
    for (int k = 0; k < kIn; ++k) {
      const float xik = x[i * kIn + k];
      const float* wk = w_t.data() + k * kOut;
      for (int j = 0; j < kOut; ++j) yi[j] += xik * wk[j];
    }
  }
}

template <typename F>
double seconds_per_call(F&& f) {
  f();  // warm
  int calls = 0;
  const auto t0 = std::chrono::steady_clock::now();
  double elapsed = 0.0;
  while (elapsed < 0.2) {
    f();
    ++calls;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  return elapsed / calls;
}

}  // namespace

int main(int argc, char** argv) {
  const bool check = argc > 1 && std::strcmp(argv[1], "--check") == 0;
  std::mt19937 rng(2024);
  std::normal_distribution<float> act(0.0f, 1.0f), wt(0.0f, 0.05f);
  std::vector<float> x(kTokens * kIn), w(kOut * kIn), b(kOut), y_float(kTokens * kOut),
      y_int8(kTokens * kOut);
  for (float& v : x) v = act(rng);
  for (float& v : w) v = wt(rng);
  for (float& v : b) v = wt(rng);
  std::vector<float> w_t(w.size());
  for (int j = 0; j < kOut; ++j) {
    for (int k = 0; k < kIn; ++k) w_t[k * kOut + j] = w[j * kIn + k];
  }

  // The dynamically quantized layer.
  i8gemm::Context ctx;
  const i8gemm::QuantizedWeights weights(ctx, i8gemm::MatrixView<const float>(w.data(), kOut, kIn),
                                         i8gemm::BLayout::nk);
  i8gemm::DynamicOptions options;
  options.bias = b.data();
  std::vector<i8gemm::QuantParams> params(kTokens);
  options.activation_params = params.data();
  const auto int8_layer = [&] {
    i8gemm::gemm_dynamic(ctx, i8gemm::MatrixView<const float>(x.data(), kTokens, kIn), weights,
                         i8gemm::MatrixView<float>(y_int8.data(), kTokens, kOut), options);
  };

  const double t_float = seconds_per_call([&] { float_linear(x, w_t, b, y_float); });
  const double t_int8 = seconds_per_call(int8_layer);

  // Error against the float layer, and the bound each output's scales imply: half a step of
  // x's and of w's quantization times the other operand, summed over k.
  double worst_ratio = 0.0, max_error = 0.0, sum_sq = 0.0, sum_sq_ref = 0.0;
  for (int i = 0; i < kTokens; ++i) {
    for (int j = 0; j < kOut; ++j) {
      double bound = 0.0;
      for (int k = 0; k < kIn; ++k) {
        bound += 0.5 * params[i].scale * std::fabs(w[j * kIn + k]) +
                 0.5 * weights.scales()[j] * std::fabs(x[i * kIn + k]) +
                 0.25 * params[i].scale * weights.scales()[j];
      }
      const double err =
          std::fabs(static_cast<double>(y_int8[i * kOut + j]) - y_float[i * kOut + j]);
      max_error = std::max(max_error, err);
      worst_ratio = std::max(worst_ratio, err / bound);
      sum_sq += err * err;
      sum_sq_ref += static_cast<double>(y_float[i * kOut + j]) * y_float[i * kOut + j];
    }
  }
  std::printf("dynamic int8 linear layer, %d tokens x %d -> %d, path %s\n", kTokens, kIn, kOut,
              i8gemm::isa_name(ctx.last_used_isa()));
  std::printf("  token 0: scale %.6f zero point %d (its range mapped onto int8)\n", params[0].scale,
              params[0].zero_point);
  std::printf(
      "  error against the float layer: max %.5f, relative (L2) %.3f%%, worst %.0f%% of "
      "the bound the scales imply\n",
      max_error, 100.0 * std::sqrt(sum_sq / sum_sq_ref), 100.0 * worst_ratio);
  std::printf("  plain C++ float layer %.1f us, dynamic int8 layer %.1f us: %.1fx\n", t_float * 1e6,
              t_int8 * 1e6, t_float / t_int8);
  if (check && !(worst_ratio <= 1.0 && std::sqrt(sum_sq / sum_sq_ref) < 0.02)) {
    std::printf("dynamic_linear: error beyond the bound\n");
    return 1;
  }
  return 0;
}
