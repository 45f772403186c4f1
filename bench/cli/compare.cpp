// `i8gemm compare` (also `i8gemm bench --isa all`): one GEMM shape and output type on every path
// this CPU runs and on the scalar oracle, in one table: GMAC/s, each path's measured peak (its
// registry entry's PathConfig::peak loop) and the share of it reached, the speed-up over the
// oracle, and whether the path's bits are the oracle's. Time-bounded by --seconds per row.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "i8gemm/i8gemm.hpp"
#include "peak_microbench.hpp"
#include "reference/gemm_reference.hpp"

namespace i8gemm::cli {
namespace {

// The layer `i8gemm bench` times: B packed once, A zero point 3, per-channel stage parameters
// and a bias.
struct Layer {
  std::int64_t m, n, k;
  std::string out;
  std::vector<std::int8_t> a, b;
  std::vector<std::int32_t> bias;
  std::vector<QuantizedMultiplier> multipliers;
  std::vector<float> scales;
  static constexpr std::int32_t kAZeroPoint = 3;
};

// Calls f with the layer's output stage (by the output type's name).
template <typename F>
void with_stage(const Layer& l, F&& f) {
  if (l.out == "int8" || l.out == "uint8") {
    auto narrow = [&](auto stage) {
      stage.per_channel = l.multipliers.data();
      stage.bias = l.bias.data();
      stage.zero_point = l.out == "uint8" ? 128 : 0;
      f(stage);
    };
    if (l.out == "int8") return narrow(OutputFixedPoint<std::int8_t>{});
    return narrow(OutputFixedPoint<std::uint8_t>{});
  }
  if (l.out == "int32") return f(OutputInt32{l.bias.data()});
  OutputFloat stage;
  stage.a_scale = 0.02f;
  stage.b_scales = l.scales.data();
  f(stage);
}

// Seconds per call: the first call alone when it takes half the budget or more, else the median
// of up to five samples of several calls each, within about `budget` seconds.
template <typename F>
double seconds_per_call(F&& call, double budget) {
  using Clock = std::chrono::steady_clock;
  auto seconds_of = [&](std::int64_t calls) {
    const auto t0 = Clock::now();
    for (std::int64_t i = 0; i < calls; ++i) call();
    return std::chrono::duration<double>(Clock::now() - t0).count() / static_cast<double>(calls);
  };
  const double first = seconds_of(1);  // also warms the context's scratch and the caches
  if (first >= budget / 2) return first;
  const auto calls = static_cast<std::int64_t>(std::max(1.0, budget / 6 / std::max(first, 1e-9)));
  std::vector<double> samples;
  double spent = first;
  while (samples.size() < 5 && (samples.size() < 1 || spent < budget)) {
    samples.push_back(seconds_of(calls));
    spent += samples.back() * static_cast<double>(calls);
  }
  std::nth_element(samples.begin(), samples.begin() + samples.size() / 2, samples.end());
  return samples[samples.size() / 2];
}

struct Row {
  std::string path;
  double seconds = 0;
  double gmacs = 0;
  double peak_gmacs = 0;  // 0: no peak loop registered
  std::string peak_instruction;
  bool bit_exact = true;
  double speedup = 0;
};

// The output bytes and the timing of one path (or of the oracle when isa is null).
Row run_row(const Layer& l, const Isa* isa, int threads, double budget,
            std::vector<unsigned char>& bytes) {
  Row row;
  row.path = isa != nullptr ? isa_name(*isa) : "oracle";
  const MatrixView<const std::int8_t> a(l.a.data(), l.m, l.k), b(l.b.data(), l.k, l.n);
  with_stage(l, [&](const auto& stage) {
    using TC = typename std::decay_t<decltype(stage)>::value_type;
    std::vector<TC> c(static_cast<std::size_t>(l.m * l.n));
    const MatrixView<TC> cv(c.data(), l.m, l.n);
    if (isa == nullptr) {
      const detail::ADesc ad{a.data, detail::AType::s8, l.m, l.k, l.k, Layer::kAZeroPoint};
      const reference::BMatrix bm{b.data, l.k, l.n, l.n, BLayout::kn, ZeroPoints(0)};
      row.seconds =
          seconds_per_call([&] { reference::gemm(ad, bm, detail::out_desc(stage, cv)); }, budget);
    } else {
      Context ctx(*isa, threads);
      const PackedB packed(ctx, b, BLayout::kn, 0);
      row.seconds =
          seconds_per_call([&] { gemm(ctx, a, Layer::kAZeroPoint, packed, stage, cv); }, budget);
      if (ctx.last_used_isa() != *isa)
        row.path += std::string("->") + isa_name(ctx.last_used_isa());
    }
    bytes.resize(c.size() * sizeof(TC));
    std::memcpy(bytes.data(), c.data(), bytes.size());
  });
  row.gmacs = static_cast<double>(l.m) * l.n * l.k / row.seconds / 1e9;
  if (isa != nullptr) {
    if (const bench::PeakKernel* peak = bench::peak_kernel(*isa)) {
      row.peak_gmacs = bench::measure_peak_gmacs(*peak) * threads;
      row.peak_instruction = peak->instruction;
    }
  }
  return row;
}

void print_table(const Layer& l, int threads, const std::vector<Row>& rows) {
  std::printf("i8gemm compare: m=%lld n=%lld k=%lld out=%s threads=%d\n",
              static_cast<long long>(l.m), static_cast<long long>(l.n), static_cast<long long>(l.k),
              l.out.c_str(), threads);
  std::printf(
      "(B packed once, A zero point, per-channel stage parameters and bias; the oracle is "
      "the scalar reference, one thread, B unpacked)\n\n");
  std::printf("%-20s %10s %12s %9s %10s %9s %12s  %s\n", "path", "GMAC/s", "peak GMAC/s",
              "% of peak", "x oracle", "= oracle", "time/call", "peak loop");
  for (const Row& r : rows) {
    char peak[32] = "-", share[32] = "-", time[32];
    if (r.peak_gmacs > 0) {
      std::snprintf(peak, sizeof(peak), "%.1f", r.peak_gmacs);
      std::snprintf(share, sizeof(share), "%.0f%%", 100.0 * r.gmacs / r.peak_gmacs);
    }
    if (r.seconds >= 0.1) {
      std::snprintf(time, sizeof(time), "%.2f s", r.seconds);
    } else if (r.seconds >= 1e-4) {
      std::snprintf(time, sizeof(time), "%.2f ms", r.seconds * 1e3);
    } else {
      std::snprintf(time, sizeof(time), "%.2f us", r.seconds * 1e6);
    }
    std::printf("%-20s %10.2f %12s %9s %10.1f %9s %12s  %s\n", r.path.c_str(), r.gmacs, peak, share,
                r.speedup, r.path == "oracle" ? "-" : (r.bit_exact ? "yes" : "NO"), time,
                r.peak_instruction.c_str());
  }
}

void print_json(const Layer& l, int threads, const std::vector<Row>& rows) {
  std::printf(
      "{\"m\": %lld, \"n\": %lld, \"k\": %lld, \"out\": \"%s\", \"threads\": %d, \"rows\": [",
      static_cast<long long>(l.m), static_cast<long long>(l.n), static_cast<long long>(l.k),
      l.out.c_str(), threads);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    std::printf("%s\n  {\"path\": \"%s\", \"gmacs\": %.4f, \"seconds_per_call\": %.9g, ",
                i ? "," : "", r.path.c_str(), r.gmacs, r.seconds);
    if (r.peak_gmacs > 0) {
      std::printf("\"peak_gmacs\": %.4f, \"percent_of_peak\": %.2f, \"peak_instruction\": \"%s\", ",
                  r.peak_gmacs, 100.0 * r.gmacs / r.peak_gmacs, r.peak_instruction.c_str());
    } else {
      std::printf("\"peak_gmacs\": null, \"percent_of_peak\": null, \"peak_instruction\": null, ");
    }
    std::printf("\"speedup_vs_oracle\": %.4f, \"bit_exact\": %s}", r.speedup,
                r.path == "oracle" ? "null" : (r.bit_exact ? "true" : "false"));
  }
  std::printf("\n]}\n");
}

}  // namespace

bool asks_for_every_path(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--isa=all" ||
        (args[i] == "--isa" && i + 1 < args.size() && args[i + 1] == "all")) {
      return true;
    }
  }
  return false;
}

int run_compare(const std::vector<std::string>& args_in) {
  std::vector<std::string> args;
  bool json = false;
  for (const std::string& a : args_in) {
    if (a == "--json") {
      json = true;
    } else {
      args.push_back(a);
    }
  }
  const Options opt(args, {"isa", "m", "n", "k", "out", "threads", "seconds"});
  if (opt.has("isa") && opt.get("isa", "") != "all") {
    throw UsageError("--isa: '" + opt.get("isa", "") + "': compare runs every path (--isa all)");
  }
  constexpr std::int64_t kMaxDim = 1 << 16;
  Layer l;
  l.m = opt.get_int("m", 1024, 1, kMaxDim);
  l.n = opt.get_int("n", 1024, 1, kMaxDim);
  l.k = opt.get_int("k", 1024, 1, kMaxDim);
  const int threads = static_cast<int>(opt.get_int("threads", 1, 1, 256));
  // The timing of all rows together (each row's share; a single call longer than that is timed
  // alone). The peak loops take about 0.2 s per path on top.
  const std::int64_t seconds = opt.get_int("seconds", 2, 1, 3600);
  const double budget =
      static_cast<double>(seconds) / static_cast<double>(available_isas().size() + 1);
  l.out = opt.get("out", "int8");
  if (l.out != "int8" && l.out != "uint8" && l.out != "int32" && l.out != "f32") {
    throw UsageError("--out: '" + l.out + "' is not one of int8, uint8, int32, f32");
  }
  if (l.m * l.k + l.k * l.n + 4 * l.m * l.n > (std::int64_t{1} << 33)) {
    throw UsageError("--m/--n/--k: the matrices would need more than 8 GiB");
  }
  std::mt19937 rng(1);
  l.a.resize(static_cast<std::size_t>(l.m * l.k));
  l.b.resize(static_cast<std::size_t>(l.k * l.n));
  for (auto& v : l.a) v = static_cast<std::int8_t>(rng());
  for (auto& v : l.b) v = static_cast<std::int8_t>(rng());
  l.bias.assign(static_cast<std::size_t>(l.n), 100);
  l.multipliers.assign(static_cast<std::size_t>(l.n), quantize_multiplier(1.0 / 4096));
  l.scales.assign(static_cast<std::size_t>(l.n), 1.0f / 4096);

  std::vector<unsigned char> oracle_bytes, bytes;
  std::vector<Row> rows{run_row(l, nullptr, 1, budget, oracle_bytes)};
  for (const Isa isa : available_isas()) {
    rows.push_back(run_row(l, &isa, threads, budget, bytes));
    rows.back().bit_exact = bytes == oracle_bytes;
  }
  for (Row& r : rows) r.speedup = r.gmacs / rows.front().gmacs;
  if (json) {
    print_json(l, threads, rows);
  } else {
    print_table(l, threads, rows);
  }
  const bool all_exact =
      std::all_of(rows.begin(), rows.end(), [](const Row& r) { return r.bit_exact; });
  if (!all_exact) std::fprintf(stderr, "i8gemm compare: a path differs from the oracle\n");
  return all_exact ? 0 : 1;
}

}  // namespace i8gemm::cli
