// `i8gemm bench`: times one GEMM (B packed once, A zero point, per-channel stage parameters and
// bias, as a quantized linear layer) and prints the median rate.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::cli {
namespace {

// One timed run of `iters` calls; returns seconds per call.
template <typename F>
double time_calls(F&& call, int iters) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < iters; ++i) call();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / iters;
}

template <typename Stage>
double median_seconds(Context& ctx, const std::vector<std::int8_t>& a, std::int64_t m,
                      std::int64_t k, const PackedB& b, const Stage& stage,
                      std::vector<typename Stage::value_type>& c, std::int64_t n) {
  auto call = [&] {
    gemm(ctx, MatrixView<const std::int8_t>(a.data(), m, k), ZeroPoints(3), b, stage,
         MatrixView<typename Stage::value_type>(c.data(), m, n));
  };
  call();  // warm the context's scratch and the caches
  // Enough calls per sample for ~20 ms, 11 samples, the median of them.
  const double once = std::max(time_calls(call, 1), 1e-7);
  const int iters = static_cast<int>(std::clamp(0.02 / once, 1.0, 1e6));
  std::vector<double> samples;
  for (int s = 0; s < 11; ++s) samples.push_back(time_calls(call, iters));
  std::nth_element(samples.begin(), samples.begin() + 5, samples.end());
  return samples[5];
}

}  // namespace

int run_bench(const std::vector<std::string>& args) {
  if (asks_for_every_path(args)) return run_compare(args);
  const Options opt(args, {"isa", "m", "n", "k", "out", "threads"});
  const Isa isa = opt.has("isa") ? parse_isa(opt.get("isa", "")) : default_isa();
  constexpr std::int64_t kMaxDim = 1 << 16;
  const std::int64_t m = opt.get_int("m", 1024, 1, kMaxDim);
  const std::int64_t n = opt.get_int("n", 1024, 1, kMaxDim);
  const std::int64_t k = opt.get_int("k", 1024, 1, kMaxDim);
  const std::int64_t threads = opt.get_int("threads", 1, 1, 256);
  const std::string out = opt.get("out", "int8");
  if (out != "int8" && out != "uint8" && out != "int32" && out != "f32") {
    throw UsageError("--out: '" + out + "' is not one of int8, uint8, int32, f32");
  }
  if (m * k + k * n + 4 * m * n > (std::int64_t{1} << 33)) {
    throw UsageError("--m/--n/--k: the matrices would need more than 8 GiB");
  }
  Context ctx(isa, static_cast<int>(threads));
  std::mt19937 rng(1);
  std::vector<std::int8_t> a(static_cast<std::size_t>(m * k)), b(static_cast<std::size_t>(k * n));
  for (auto& v : a) v = static_cast<std::int8_t>(rng());
  for (auto& v : b) v = static_cast<std::int8_t>(rng());
  const PackedB packed(ctx, MatrixView<const std::int8_t>(b.data(), k, n), BLayout::kn, 0);
  std::vector<std::int32_t> bias(static_cast<std::size_t>(n), 100);
  std::vector<QuantizedMultiplier> mult(static_cast<std::size_t>(n),
                                        quantize_multiplier(1.0 / 4096));
  std::vector<float> scales(static_cast<std::size_t>(n), 1.0f / 4096);
  double seconds;
  if (out == "int8" || out == "uint8") {
    if (out == "int8") {
      OutputFixedPoint<std::int8_t> stage;
      stage.per_channel = mult.data();
      stage.bias = bias.data();
      std::vector<std::int8_t> c(static_cast<std::size_t>(m * n));
      seconds = median_seconds(ctx, a, m, k, packed, stage, c, n);
    } else {
      OutputFixedPoint<std::uint8_t> stage;
      stage.per_channel = mult.data();
      stage.bias = bias.data();
      stage.zero_point = 128;
      std::vector<std::uint8_t> c(static_cast<std::size_t>(m * n));
      seconds = median_seconds(ctx, a, m, k, packed, stage, c, n);
    }
  } else if (out == "int32") {
    std::vector<std::int32_t> c(static_cast<std::size_t>(m * n));
    seconds = median_seconds(ctx, a, m, k, packed, OutputInt32{bias.data()}, c, n);
  } else {
    OutputFloat stage;
    stage.a_scale = 0.02f;
    stage.b_scales = scales.data();
    std::vector<float> c(static_cast<std::size_t>(m * n));
    seconds = median_seconds(ctx, a, m, k, packed, stage, c, n);
  }
  const double gmacs = static_cast<double>(m) * n * k / seconds / 1e9;
  std::printf("isa=%s m=%lld n=%lld k=%lld out=%s threads=%lld time_us=%.3f gmacs=%.2f\n",
              isa_name(ctx.last_used_isa()), static_cast<long long>(m), static_cast<long long>(n),
              static_cast<long long>(k), out.c_str(), static_cast<long long>(threads),
              seconds * 1e6, gmacs);
  return 0;
}

}  // namespace i8gemm::cli
