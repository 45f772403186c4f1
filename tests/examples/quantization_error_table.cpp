// How much a tensor loses when quantized: the mean squared error of dequantize(quantize(x)) for
// 2..8 bits, with one (scale, zero point) per tensor, per row and per column. The tensor is
// random (fixed seed) with rows and columns of very different magnitudes, as activations per
// token and weights per output channel tend to be.
//
// Usage: quantization_error_table [--check]   (--check: exit 1 unless the error falls with every
// extra bit and per row / per column is never worse than per tensor)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "i8gemm/quantize.hpp"

int main(int argc, char** argv) {
  const bool check = argc > 1 && std::strcmp(argv[1], "--check") == 0;
  constexpr std::int64_t kRows = 64, kCols = 96;

  std::mt19937 rng(20240607);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_real_distribution<float> log_scale(-1.0f, 1.0f);
  std::vector<float> row_scale(kRows), col_scale(kCols);
  for (float& s : row_scale) s = std::pow(10.0f, log_scale(rng));
  for (float& s : col_scale) s = std::pow(10.0f, log_scale(rng));
  std::vector<float> x(static_cast<std::size_t>(kRows * kCols));
  for (std::int64_t i = 0; i < kRows; ++i) {
    for (std::int64_t j = 0; j < kCols; ++j) {
      x[i * kCols + j] = normal(rng) * row_scale[i] * col_scale[j] + 0.3f * row_scale[i];
    }
  }
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());

  std::printf("MSE of a %lldx%lld random tensor in [%.3g, %.3g], signed asymmetric\n",
              static_cast<long long>(kRows), static_cast<long long>(kCols), *lo, *hi);
  std::printf("%4s | %12s | %12s | %12s\n", "bits", "per tensor", "per row", "per column");
  std::printf("-----|--------------|--------------|-------------\n");
  bool ok = true;
  double prev[3] = {INFINITY, INFINITY, INFINITY};
  for (int bits = 2; bits <= 8; ++bits) {
    const i8gemm::QuantSpec spec{bits, true, false};
    const i8gemm::QuantParams tensor = i8gemm::choose_quant_params(*lo, *hi, spec);
    const std::vector<i8gemm::QuantParams> rows =
        i8gemm::choose_quant_params_rows(x.data(), kRows, kCols, kCols, spec);
    const std::vector<i8gemm::QuantParams> cols =
        i8gemm::choose_quant_params_columns(x.data(), kRows, kCols, kCols, spec);
    const double mse[3] = {
        i8gemm::quantization_mse(x.data(), x.size(), tensor),
        i8gemm::quantization_mse_rows(x.data(), kRows, kCols, kCols, rows.data()),
        i8gemm::quantization_mse_columns(x.data(), kRows, kCols, kCols, cols.data())};
    std::printf("%4d | %12.6g | %12.6g | %12.6g\n", bits, mse[0], mse[1], mse[2]);
    for (int g = 0; g < 3; ++g) {
      if (!(mse[g] < prev[g])) {
        std::printf("  error does not fall from %d to %d bits (granularity %d)\n", bits - 1, bits,
                    g);
        ok = false;
      }
      prev[g] = mse[g];
    }
    if (mse[1] > mse[0] || mse[2] > mse[0]) {
      std::printf("  per row / per column worse than per tensor at %d bits\n", bits);
      ok = false;
    }
  }
  std::printf("%s\n", ok ? "error falls with bits; per row and per column beat per tensor"
                         : "UNEXPECTED ordering");
  return check && !ok ? 1 : 0;
}
