// Dynamically quantized linear layers (dynamic.hpp): the fused call, the two-pass way it
// replaces (quantize A with quantize.hpp, then gemm with OutputFloat), and the float layer it
// replaces (oneDNN's f32 matmul, weights prepacked). Names: dynamic/<path>/fused/<shape>,
// dynamic/<path>/two_pass/<shape>, dynamic/onednn_f32/<shape>; one thread, per-row activations,
// float bias.
#include "dynamic_benchmark.hpp"

#include <map>
#include <memory>
#include <vector>

#include "i8gemm/dynamic.hpp"
#include "suite_support.hpp"
#if I8GEMM_HAVE_ONEDNN
#include "onednn_peer.hpp"
#endif

namespace i8gemm::bench {
namespace {

constexpr Shape kDynamicShapes[] = {
    {128, 4096, 4096}, {384, 1024, 1024}, {1024, 1024, 1024}, {1, 4096, 4096}, {16, 4096, 4096}};

struct DynamicWorkload {
  Shape shape;
  std::size_t copies;
  std::vector<float> a;     // copies of M x K
  std::vector<float> w;     // N x K (weights as rows)
  std::vector<float> w_kn;  // K x N, for oneDNN
  std::vector<float> bias;
  std::vector<float> c;          // copies of M x N
  std::vector<std::int8_t> a_q;  // the two-pass way's quantized A
  std::map<Isa, std::unique_ptr<QuantizedWeights>> weights;

  explicit DynamicWorkload(const Shape& s)
      : shape(s),
        copies(copies_for((s.m * s.k + s.m * s.n) * sizeof(float))),
        a(copies * s.m * s.k),
        w(s.n * s.k),
        w_kn(s.n * s.k),
        bias(s.n),
        c(copies * s.m * s.n),
        a_q(s.m * s.k) {
    std::vector<std::int16_t> r(a.size() + w.size() + bias.size());
    fill_random(r.data(), r.size() * sizeof(r[0]), 7);
    std::size_t t = 0;
    for (float& v : a) v = r[t++] / 8192.0f;  // activations in [-4, 4)
    for (float& v : w) v = r[t++] / 65536.0f;
    for (float& v : bias) v = r[t++] / 32768.0f;
    for (std::int64_t j = 0; j < s.n; ++j) {
      for (std::int64_t k = 0; k < s.k; ++k) w_kn[k * s.n + j] = w[j * s.k + k];
    }
  }

  const QuantizedWeights& quantized(Isa isa) {
    std::unique_ptr<QuantizedWeights>& q = weights[isa];
    if (!q) {
      q = std::make_unique<QuantizedWeights>(
          context_for(isa, 1), MatrixView<const float>(w.data(), shape.n, shape.k), BLayout::nk);
    }
    return *q;
  }
};

DynamicWorkload& workload(const Shape& s) {
  return current_workload<DynamicWorkload>(s);
}

void run_fused(benchmark::State& state, Isa isa, const Shape& s) {
  DynamicWorkload& w = workload(s);
  Context& ctx = context_for(isa, 1);
  const QuantizedWeights& qw = w.quantized(isa);
  DynamicOptions opt;
  opt.bias = w.bias.data();
  std::size_t i = 0;
  for (auto _ : state) {
    gemm_dynamic(ctx, MatrixView<const float>(w.a.data() + i * s.m * s.k, s.m, s.k), qw,
                 MatrixView<float>(w.c.data() + i * s.m * s.n, s.m, s.n), opt);
    if (++i == w.copies) i = 0;
  }
  report_rate(state, s.macs(), 0.0);
}

// Quantize A per row with quantize.hpp (one pass for the ranges, one to quantize, int8 written
// and read again), then the GEMM with the float32 stage.
void run_two_pass(benchmark::State& state, Isa isa, const Shape& s) {
  DynamicWorkload& w = workload(s);
  Context& ctx = context_for(isa, 1);
  const QuantizedWeights& qw = w.quantized(isa);
  std::vector<std::int32_t> zero_points(s.m);
  std::vector<float> a_scales(s.m);
  std::size_t i = 0;
  for (auto _ : state) {
    const float* a = w.a.data() + i * s.m * s.k;
    const std::vector<QuantParams> p = choose_quant_params_rows(a, s.m, s.k, s.k);
    quantize_rows(a, s.m, s.k, s.k, p.data(), w.a_q.data(), s.k);
    for (std::int64_t r = 0; r < s.m; ++r) {
      zero_points[r] = p[r].zero_point;
      a_scales[r] = p[r].scale;
    }
    OutputFloat stage;
    stage.a_scales = a_scales.data();
    stage.b_scales = qw.scales().data();
    stage.bias = w.bias.data();
    gemm(ctx, MatrixView<const std::int8_t>(w.a_q.data(), s.m, s.k),
         ZeroPoints::channel(zero_points.data()), qw.packed(), stage,
         MatrixView<float>(w.c.data() + i * s.m * s.n, s.m, s.n));
    if (++i == w.copies) i = 0;
  }
  report_rate(state, s.macs(), 0.0);
}

}  // namespace

void register_dynamic_benchmarks() {
  // The default path, and avx512vnni where it runs (the like-for-like figure).
  std::vector<Isa> paths = {default_isa()};
  if (is_available(Isa::avx512vnni) && paths[0] != Isa::avx512vnni) {
    paths.push_back(Isa::avx512vnni);
  }
  for (const Shape& s : kDynamicShapes) {
    for (Isa isa : paths) {
      const std::string path = isa_name(isa);
      benchmark::RegisterBenchmark(("dynamic/" + path + "/fused/" + shape_name(s)).c_str(),
                                   [isa, s](benchmark::State& st) { run_fused(st, isa, s); })
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(("dynamic/" + path + "/two_pass/" + shape_name(s)).c_str(),
                                   [isa, s](benchmark::State& st) { run_two_pass(st, isa, s); })
          ->Unit(benchmark::kMicrosecond);
    }
#if I8GEMM_HAVE_ONEDNN
    benchmark::RegisterBenchmark(("dynamic/onednn_f32/" + shape_name(s)).c_str(),
                                 [s](benchmark::State& st) {
                                   DynamicWorkload& w = workload(s);
                                   PeerF32Problem p;
                                   p.m = s.m;
                                   p.n = s.n;
                                   p.k = s.k;
                                   p.a = w.a.data();
                                   p.b = w.w_kn.data();
                                   p.bias = w.bias.data();
                                   p.c = w.c.data();
                                   p.copies = w.copies;
                                   run_onednn_f32_matmul(st, p);
                                   report_rate(st, s.macs(), 0.0);
                                 })
        ->Unit(benchmark::kMicrosecond);
#endif
  }
}

}  // namespace i8gemm::bench
