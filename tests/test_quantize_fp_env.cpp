// Quantization under the caller's floating-point environment (issue 11, point 5): every kernel
// set and the reference give, in each rounding mode with FTZ/DAZ on and off, the bits of the
// default environment (choose, quantize, dequantize, per tensor / row / column, MSE), and the
// caller's mode is still set afterwards.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "caller_fp_mode.hpp"
#include "i8gemm/quantize.hpp"
#include "isa_param.hpp"
#include "quantize/quantize_dispatch.hpp"
#include "reference/quantize_reference.hpp"

namespace i8gemm::testing {
namespace {

constexpr std::int64_t kRows = 7, kCols = 37;

std::vector<float> values() {
  std::mt19937 rng(17);
  std::uniform_real_distribution<float> u(-40.0f, 60.0f);
  std::vector<float> x(kRows * kCols);
  for (std::size_t i = 0; i < x.size(); ++i) {
    // Halves make ties after scaling by 1/s = 2 (below); some denormals for DAZ.
    x[i] = i % 5 == 0   ? static_cast<float>(static_cast<int>(i) - 100) * 0.25f
           : i % 7 == 0 ? std::numeric_limits<float>::denorm_min() * static_cast<float>(i)
                        : u(rng);
  }
  return x;
}

// Everything the module computes from x, as bytes.
std::vector<std::uint8_t> everything(Isa set, const std::vector<float>& x) {
  std::vector<std::uint8_t> out;
  auto append = [&out](const void* p, std::size_t bytes) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    out.insert(out.end(), b, b + bytes);
  };
  const std::vector<QuantParams> rows =
      choose_quant_params_rows(x.data(), kRows, kCols, kCols, QuantSpec{8, true, false});
  const std::vector<QuantParams> cols =
      choose_quant_params_columns(x.data(), kRows, kCols, kCols, QuantSpec{7, false, false});
  const QuantParams tensor = choose_quant_params(-40.0f, 60.0f);
  const QuantParams halves{0.5f, 3, -128, 127};  // 1 / s = 2: x = k / 4 lands on ties
  append(rows.data(), rows.size() * sizeof(QuantParams));
  append(cols.data(), cols.size() * sizeof(QuantParams));
  append(&tensor, sizeof tensor);
  const auto n = x.size();
  std::vector<std::int8_t> q(n);
  std::vector<std::uint8_t> qu(n);
  std::vector<float> r(n);
  for (const QuantParams& p : {tensor, halves}) {
    detail::quantize(set, x.data(), n, p, q.data());
    append(q.data(), n);
    detail::dequantize(set, q.data(), n, p, r.data());
    append(r.data(), n * 4);
    const double mse = detail::quantization_mse(set, x.data(), n, p);
    append(&mse, sizeof mse);
  }
  detail::quantize_rows(set, x.data(), kRows, kCols, kCols, rows.data(), q.data(), kCols);
  append(q.data(), n);
  detail::dequantize_rows(set, q.data(), kRows, kCols, kCols, rows.data(), r.data(), kCols);
  append(r.data(), n * 4);
  detail::quantize_columns(set, x.data(), kRows, kCols, kCols, cols.data(), qu.data(), kCols);
  append(qu.data(), n);
  detail::dequantize_columns(set, qu.data(), kRows, kCols, kCols, cols.data(), r.data(), kCols);
  append(r.data(), n * 4);
  const double mse_rows =
      detail::quantization_mse_rows(set, x.data(), kRows, kCols, kCols, rows.data());
  const double mse_cols =
      detail::quantization_mse_columns(set, x.data(), kRows, kCols, kCols, cols.data());
  append(&mse_rows, sizeof mse_rows);
  append(&mse_cols, sizeof mse_cols);
  return out;
}

// The reference itself, called directly as the tests use it as the oracle.
std::vector<std::uint8_t> reference_bytes(const std::vector<float>& x) {
  const QuantParams p = reference::choose_quant_params(-40.0f, 60.0f, -128, 127);
  std::vector<std::int8_t> q(x.size());
  std::vector<float> r(x.size());
  reference::quantize(x.data(), x.size(), p, q.data());
  reference::dequantize(q.data(), x.size(), p, r.data());
  const double mse = reference::quantization_mse(x.data(), x.size(), p);
  std::vector<std::uint8_t> out(sizeof p + q.size() + r.size() * 4 + sizeof mse);
  std::memcpy(out.data(), &p, sizeof p);
  std::memcpy(out.data() + sizeof p, q.data(), q.size());
  std::memcpy(out.data() + sizeof p + q.size(), r.data(), r.size() * 4);
  std::memcpy(out.data() + sizeof p + q.size() + r.size() * 4, &mse, sizeof mse);
  return out;
}

using QuantizeFpEnvironment = IsaTest;

TEST_P(QuantizeFpEnvironment, EveryModeGivesTheDefaultBits) {
  const std::vector<float> x = values();
  const std::vector<std::uint8_t> want = everything(GetParam(), x);
  const std::vector<std::uint8_t> want_reference = reference_bytes(x);
  for (const FpMode& mode : all_fp_modes()) {
    const CallerFpMode caller(mode);
    EXPECT_EQ(everything(GetParam(), x), want) << mode.name();
    EXPECT_EQ(reference_bytes(x), want_reference) << "the reference under " << mode.name();
    EXPECT_EQ(std::fegetround(), mode.rounding);
    EXPECT_EQ(flush_enabled(), mode.flush);
  }
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(QuantizeFpEnvironment);

}  // namespace
}  // namespace i8gemm::testing
