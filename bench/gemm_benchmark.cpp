// The GEMM suite: every built path x shape x output stage, the measured dot-product peak of each
// path, and oneDNN as the peer when it is built in. Names: gemm/<path>/<output>/<M>x<N>x<K>.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dynamic_benchmark.hpp"
#include "i8gemm/i8gemm.hpp"
#include "peak_microbench.hpp"
#include "read_bandwidth.hpp"
#include "reference/gemm_reference.hpp"
#include "suite_support.hpp"
#if I8GEMM_HAVE_ONEDNN
#include "onednn_peer.hpp"
#endif

namespace i8gemm::bench {
namespace {

constexpr Shape kShapes[] = {
    // square
    {16, 16, 16},
    {32, 32, 32},
    {64, 64, 64},
    {256, 256, 256},
    {1024, 1024, 1024},
    {2048, 2048, 2048},
    // GEMV
    {1, 1024, 1024},
    {1, 4096, 4096},
    {1, 8192, 8192},
    // skinny
    {4, 4096, 4096},
    {16, 4096, 4096},
    {128, 4096, 4096},
    // transformer (sequence 384, hidden 1024, FFN 4096)
    {384, 1024, 1024},
    {384, 4096, 1024},
    // odd: every edge tile
    {127, 255, 333},
    {1000, 1000, 1000}};

// The scalar path and the oracle run at 1 to 3 GMAC/s: only the shapes they finish quickly.
constexpr std::int64_t kScalarMaxMacs = std::int64_t{1} << 27;
constexpr std::int32_t kAZeroPoint = 3;
constexpr std::int32_t kCZeroPoint = -5;

// int8: fixed-point requantization (TensorFlow Lite's); int8_prepared: the same through a
// PreparedGemm made once (as oneDNN's primitive is); int8_fp32: the same multipliers as fp32
// scales (the arithmetic of oneDNN's output scales); int32: the raw accumulators.
enum class Output { int8, int8_prepared, int8_fp32, int32 };
const char* output_name(Output out) {
  switch (out) {
    case Output::int8:
      return "int8";
    case Output::int8_prepared:
      return "int8_prepared";
    case Output::int8_fp32:
      return "int8_fp32";
    case Output::int32:
      return "int32";
  }
  return "?";
}

// The inputs of one shape, shared by every benchmark of that shape (they are registered one
// shape after the other, so only the current shape is kept).
struct Workload {
  Shape shape;
  std::size_t copies_int8, copies_int32;
  std::vector<std::int8_t> a;  // max(copies) copies of M x K
  std::vector<std::int8_t> b;  // K x N
  std::vector<std::int32_t> bias_int32;
  std::vector<float> scales;
  std::vector<QuantizedMultiplier> multipliers;
  std::vector<std::int8_t> c_int8;    // copies_int8 copies of M x N
  std::vector<std::int32_t> c_int32;  // copies_int32 copies of M x N
  std::map<Isa, std::unique_ptr<PackedB>> packed;

  explicit Workload(const Shape& s)
      : shape(s),
        copies_int8(copies_for(s.m * s.k + s.m * s.n)),
        copies_int32(copies_for(s.m * s.k + s.m * s.n * sizeof(std::int32_t))),
        a(std::max(copies_int8, copies_int32) * s.m * s.k),
        b(s.k * s.n),
        bias_int32(s.n),
        scales(s.n),
        multipliers(s.n),
        c_int8(copies_int8 * s.m * s.n, 0),
        c_int32(copies_int32 * s.m * s.n, 0) {
    fill_random(a.data(), a.size(), 1);
    fill_random(b.data(), b.size(), 2);
    std::vector<std::uint32_t> r(s.n);
    fill_random(r.data(), r.size() * sizeof(r[0]), 3);
    for (std::int64_t j = 0; j < s.n; ++j) {
      bias_int32[j] = static_cast<std::int32_t>(r[j] % 2001) - 1000;
      scales[j] = static_cast<float>(1.0 / (1024 + r[j] % 3072));
      multipliers[j] = quantize_multiplier(scales[j]);
    }
  }

  std::size_t copies(Output out) const { return out == Output::int32 ? copies_int32 : copies_int8; }

  const PackedB& packed_b(Context& ctx) {
    std::unique_ptr<PackedB>& p = packed[ctx.isa()];
    if (!p) {
      p = std::make_unique<PackedB>(ctx, MatrixView<const std::int8_t>(b.data(), shape.k, shape.n),
                                    BLayout::kn, 0);
    }
    return *p;
  }
};

Workload& workload(const Shape& s) {
  return current_workload<Workload>(s);
}

std::map<Isa, double>& peaks() {
  static std::map<Isa, double> measured;
  return measured;
}

void run_ours(benchmark::State& state, Isa isa, const Shape& s, Output out, int threads) {
  if (!is_available(isa)) {
    state.SkipWithError(unavailable_reason(isa).c_str());
    return;
  }
  try {
    Workload& w = workload(s);
    Context& ctx = context_for(isa, threads);
    const PackedB& b = w.packed_b(context_for(isa, 1));
    const std::size_t copies = w.copies(out);
    std::size_t i = 0;
    OutputFixedPoint<std::int8_t> int8_stage;
    int8_stage.per_channel = w.multipliers.data();
    int8_stage.bias = w.bias_int32.data();
    int8_stage.zero_point = kCZeroPoint;
    if (out == Output::int8) {
      for (auto _ : state) {
        gemm(ctx, MatrixView<const std::int8_t>(w.a.data() + i * s.m * s.k, s.m, s.k), kAZeroPoint,
             b, int8_stage, MatrixView<std::int8_t>(w.c_int8.data() + i * s.m * s.n, s.m, s.n));
        if (++i == copies) i = 0;
      }
    } else if (out == Output::int8_prepared) {
      const PreparedGemm<std::int8_t, OutputFixedPoint<std::int8_t>> prepared(ctx, kAZeroPoint, b,
                                                                              int8_stage);
      for (auto _ : state) {
        prepared.run(MatrixView<const std::int8_t>(w.a.data() + i * s.m * s.k, s.m, s.k),
                     MatrixView<std::int8_t>(w.c_int8.data() + i * s.m * s.n, s.m, s.n));
        if (++i == copies) i = 0;
      }
    } else if (out == Output::int8_fp32) {
      OutputFloatScale<std::int8_t> stage;
      stage.per_channel = w.scales.data();
      stage.bias = w.bias_int32.data();
      stage.zero_point = kCZeroPoint;
      for (auto _ : state) {
        gemm(ctx, MatrixView<const std::int8_t>(w.a.data() + i * s.m * s.k, s.m, s.k), kAZeroPoint,
             b, stage, MatrixView<std::int8_t>(w.c_int8.data() + i * s.m * s.n, s.m, s.n));
        if (++i == copies) i = 0;
      }
    } else {
      // The raw accumulators, as dnnl_gemm_u8s8s32 with zero offsets computes them.
      const OutputInt32 stage;
      for (auto _ : state) {
        gemm(ctx, MatrixView<const std::int8_t>(w.a.data() + i * s.m * s.k, s.m, s.k), 0, b, stage,
             MatrixView<std::int32_t>(w.c_int32.data() + i * s.m * s.n, s.m, s.n));
        if (++i == copies) i = 0;
      }
    }
    if (ctx.last_used_isa() != isa) {
      state.SkipWithError((std::string("ran ") + isa_name(ctx.last_used_isa())).c_str());
      return;
    }
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  report_rate(state, s.macs(), peaks()[isa]);
}

// The oracle (reference/, math.md literally, int64): the baseline every path's speed-up is
// measured against. int8 output, the same stage as run_ours.
void run_oracle(benchmark::State& state, const Shape& s) {
  Workload& w = workload(s);
  OutputFixedPoint<std::int8_t> stage;
  stage.per_channel = w.multipliers.data();
  stage.bias = w.bias_int32.data();
  stage.zero_point = kCZeroPoint;
  const reference::BMatrix b{w.b.data(), s.k, s.n, s.n, BLayout::kn, ZeroPoints(0)};
  std::size_t i = 0;
  for (auto _ : state) {
    const detail::ADesc a{w.a.data() + i * s.m * s.k, detail::AType::s8, s.m, s.k, s.k,
                          ZeroPoints(kAZeroPoint)};
    reference::gemm(a, b,
                    detail::out_desc(
                        stage, MatrixView<std::int8_t>(w.c_int8.data() + i * s.m * s.n, s.m, s.n)));
    if (++i == w.copies(Output::int8)) i = 0;
  }
  report_rate(state, s.macs(), 0.0);
}

#if I8GEMM_HAVE_ONEDNN
// oneDNN's %peak is against the best path's peak on this CPU.
double best_peak() {
  double best = 0.0;
  for (const auto& [isa, gmacs] : peaks()) best = std::max(best, gmacs);
  return best;
}

void run_onednn(benchmark::State& state, const Shape& s, Output out, int threads) {
  Workload& w = workload(s);
  PeerProblem p;
  p.m = s.m;
  p.n = s.n;
  p.k = s.k;
  p.a = w.a.data();
  p.b = w.b.data();
  p.bias = w.bias_int32.data();
  p.scales = w.scales.data();
  p.a_zero_point = kAZeroPoint;
  p.c_zero_point = kCZeroPoint;
  p.copies = w.copies(out);
  p.threads = threads;
  if (out == Output::int8) {
    p.c = w.c_int8.data();
    run_onednn_matmul(state, p);
  } else {
    p.c = w.c_int32.data();
    run_onednn_gemm_u8s8s32(state, p);
  }
  report_rate(state, s.macs(), best_peak());
}
#endif

void run_peak(benchmark::State& state, Isa isa) {
  const PeakKernel* kernel = peak_kernel(isa);
  if (kernel == nullptr) {
    const std::string reason = unavailable_reason(isa);
    state.SkipWithError(reason.empty() ? "no peak loop for this path" : reason.c_str());
    return;
  }
  const double peak = peaks()[isa];
  // About a millisecond per iteration.
  const std::int64_t loops =
      std::max<std::int64_t>(1, static_cast<std::int64_t>(peak * 1e6 / kernel->macs_per_loop));
  for (auto _ : state) kernel->run(loops);
  state.SetLabel(kernel->instruction);
  report_rate(state, loops * kernel->macs_per_loop, peak);
}

}  // namespace

// `--i8gemm_peers_only` registers the peers' benchmarks alone: bench/run.sh runs them again
// under another ONEDNN_MAX_CPU_ISA, with the same --benchmark_filter as the full run.
int run_suite(int argc, char** argv) {
  bool peers_only = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--i8gemm_peers_only") == 0) {
      peers_only = true;
      std::copy(argv + i + 1, argv + argc, argv + i);
      --argc;
      break;
    }
  }
#if I8GEMM_HAVE_ONEDNN
  onednn_init();
  for (const auto& [key, value] : onednn_context()) benchmark::AddCustomContext(key, value);
#endif
  benchmark::AddCustomContext("i8gemm_cpu_features", cpu_features_string());
  // What the table and charts are drawn from: the paths run here (worst first) and the best,
  // the one also run on two threads and with fp32 scales. I8GEMM_ISA names another one, e.g.
  // I8GEMM_ISA=avx512vnni ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI for a path and its oneDNN peer on
  // the same instructions, in one run.
  std::string paths;
  for (Isa isa : available_isas()) paths += std::string(paths.empty() ? "" : ",") + isa_name(isa);
  const Isa best = default_isa();
  benchmark::AddCustomContext("i8gemm_paths", paths);
  benchmark::AddCustomContext("i8gemm_best_isa", isa_name(best));
  for (Isa isa : built_isas()) {
    const PeakKernel* kernel = is_available(isa) && !peers_only ? peak_kernel(isa) : nullptr;
    if (kernel == nullptr) continue;
    const double gmacs = measure_peak_gmacs(*kernel);
    peaks()[isa] = gmacs;
    std::fprintf(stderr, "peak %s: %.1f GMAC/s (%s)\n", isa_name(isa), gmacs, kernel->instruction);
    char text[96];
    std::snprintf(text, sizeof(text), "%.1f GMAC/s (%s)", gmacs, kernel->instruction);
    benchmark::AddCustomContext(std::string("peak_") + isa_name(isa), text);
  }

  auto configure = [](benchmark::internal::Benchmark* b) { b->Unit(benchmark::kMicrosecond); };
  for (Isa isa : built_isas()) {
    if (peers_only) break;
    configure(benchmark::RegisterBenchmark((std::string("peak/") + isa_name(isa)).c_str(),
                                           [isa](benchmark::State& st) { run_peak(st, isa); }));
  }
  if (!peers_only) register_read_bandwidth();
  if (!peers_only) register_dynamic_benchmarks();
  // One thread for every path; two threads (wall-clock time) for the best path and oneDNN.
  for (const Shape& s : kShapes) {
    for (int threads : {1, 2}) {
      const std::string suffix = threads == 1 ? "" : "/threads:" + std::to_string(threads);
      auto configure_threads = [&](benchmark::internal::Benchmark* b) {
        configure(b);
        if (threads > 1) b->UseRealTime();
      };
      if (threads == 1 && !peers_only && s.macs() <= kScalarMaxMacs) {
        configure(benchmark::RegisterBenchmark(("gemm/oracle/int8/" + shape_name(s)).c_str(),
                                               [s](benchmark::State& st) { run_oracle(st, s); }));
      }
      for (Isa isa : built_isas()) {
        if (peers_only) break;
        if (isa == Isa::scalar && s.macs() > kScalarMaxMacs) continue;
        if (threads > 1 && isa != best) continue;
        for (Output out : {Output::int8, Output::int8_prepared, Output::int8_fp32, Output::int32}) {
          if ((out == Output::int8_prepared || out == Output::int8_fp32) && isa != best) continue;
          if (out == Output::int8_prepared && threads > 1) continue;
          const std::string name = std::string("gemm/") + isa_name(isa) + "/" + output_name(out) +
                                   "/" + shape_name(s) + suffix;
          configure_threads(benchmark::RegisterBenchmark(
              name.c_str(), [isa, s, out, threads](benchmark::State& st) {
                run_ours(st, isa, s, out, threads);
              }));
        }
      }
#if I8GEMM_HAVE_ONEDNN
      configure_threads(benchmark::RegisterBenchmark(
          ("gemm/onednn_matmul/int8/" + shape_name(s) + suffix).c_str(),
          [s, threads](benchmark::State& st) { run_onednn(st, s, Output::int8, threads); }));
      configure_threads(benchmark::RegisterBenchmark(
          ("gemm/onednn_gemm_u8s8s32/int32/" + shape_name(s) + suffix).c_str(),
          [s, threads](benchmark::State& st) { run_onednn(st, s, Output::int32, threads); }));
#endif
    }
  }

  // Defaults given as flags rather than per benchmark (which would override the command line
  // and add ".../min_time:0.200/repeats:3" to every name); later flags win.
  static char min_time[] = "--benchmark_min_time=0.2";
  static char repetitions[] = "--benchmark_repetitions=3";
  static char aggregates_only[] = "--benchmark_report_aggregates_only=true";
  std::vector<char*> args(argv, argv + argc);
  args.insert(args.begin() + 1, {min_time, repetitions, aggregates_only});
  int args_count = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&args_count, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_count, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace i8gemm::bench

int main(int argc, char** argv) {
  return i8gemm::bench::run_suite(argc, argv);
}
