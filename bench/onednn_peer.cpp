#include "onednn_peer.hpp"

#include <omp.h>

#include <cstdlib>
#include <exception>
#include <memory>
#include <unordered_map>

#include <oneapi/dnnl/dnnl_debug.h>
#include <oneapi/dnnl/dnnl.hpp>

namespace i8gemm::bench {
namespace {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpu_stream() {
  static dnnl::stream stream(cpu_engine());
  return stream;
}

dnnl::memory s32_scalar(std::int32_t value) {
  dnnl::memory mem({{1}, dt::s32, tag::a}, cpu_engine());
  *static_cast<std::int32_t*>(mem.get_data_handle()) = value;
  return mem;
}

// The primitive and its reordered weights for one problem, kept while consecutive benchmarks
// run that problem (the int8 weights reorder of a 8192 x 8192 B takes a while).
struct Matmul {
  std::int64_t m = 0, n = 0, k = 0;
  const std::int8_t* b = nullptr;
  const float* scales = nullptr;
  std::int32_t a_zero_point = 0, c_zero_point = 0;
  int threads = 1;
  dnnl::matmul primitive;
  std::string impl;
  dnnl::memory src, weights, bias, dst, src_zero_point, dst_zero_point;

  bool matches(const PeerProblem& p) const {
    return m == p.m && n == p.n && k == p.k && b == p.b && scales == p.scales &&
           a_zero_point == p.a_zero_point && c_zero_point == p.c_zero_point && threads == p.threads;
  }
};

std::unique_ptr<Matmul> make_matmul(const PeerProblem& p) {
  auto mm = std::make_unique<Matmul>();
  mm->m = p.m;
  mm->n = p.n;
  mm->k = p.k;
  mm->b = p.b;
  mm->scales = p.scales;
  mm->a_zero_point = p.a_zero_point;
  mm->c_zero_point = p.c_zero_point;
  mm->threads = p.threads;

  const dnnl::memory::desc src_md({p.m, p.k}, dt::s8, tag::ab);
  const dnnl::memory::desc weights_any({p.k, p.n}, dt::s8, tag::any);
  const dnnl::memory::desc bias_md({1, p.n}, dt::s32, tag::ab);
  const dnnl::memory::desc dst_md({p.m, p.n}, dt::s8, tag::ab);
  dnnl::primitive_attr attr;
  // Scales given at creation, as a layer's weight scales are: with DNNL_RUNTIME_F32_VAL,
  // oneDNN 2.6 falls back from its brgemm kernels to gemm:jit, 2-10x slower on small M.
  attr.set_output_scales(1 << 1, std::vector<float>(p.scales, p.scales + p.n));
  attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
  attr.set_zero_points(DNNL_ARG_DST, 0, {DNNL_RUNTIME_S32_VAL});
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src_md, weights_any, bias_md, dst_md),
                                        attr, cpu_engine());
  mm->impl = pd.impl_info_str();
  mm->primitive = dnnl::matmul(pd);

  dnnl::memory user_weights({{p.k, p.n}, dt::s8, tag::ab}, cpu_engine(),
                            const_cast<std::int8_t*>(p.b));
  mm->weights = dnnl::memory(pd.weights_desc(), cpu_engine());
  dnnl::reorder(user_weights, mm->weights).execute(cpu_stream(), user_weights, mm->weights);
  cpu_stream().wait();

  mm->src = dnnl::memory(src_md, cpu_engine(), const_cast<std::int8_t*>(p.a));
  mm->dst = dnnl::memory(dst_md, cpu_engine(), p.c);
  mm->bias = dnnl::memory(bias_md, cpu_engine(), const_cast<std::int32_t*>(p.bias));
  mm->src_zero_point = s32_scalar(p.a_zero_point);
  mm->dst_zero_point = s32_scalar(p.c_zero_point);
  return mm;
}

Matmul& matmul_for(const PeerProblem& p) {
  static std::unique_ptr<Matmul> cached;
  if (!cached || !cached->matches(p)) {
    cached.reset();  // frees the previous weights first
    cached = make_matmul(p);
  }
  return *cached;
}

}  // namespace

void onednn_init() {
  // Debian's oneDNN runs on OpenMP (libgomp). libgomp reads OMP_NUM_THREADS when it is loaded,
  // before main, so setenv here would come too late; the benchmarks run on the main thread,
  // and its nthreads ICV is what oneDNN's omp_get_max_threads() returns.
  omp_set_num_threads(1);
}

std::vector<std::pair<std::string, std::string>> onednn_context() {
  const dnnl_version_t* v = dnnl_version();
  const char* max_isa = std::getenv("ONEDNN_MAX_CPU_ISA");
  return {
      {"onednn_version",
       std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch)},
      {"onednn_max_cpu_isa", max_isa != nullptr ? max_isa : "(unset)"},
      {"onednn_effective_cpu_isa", dnnl_cpu_isa2str(dnnl_get_effective_cpu_isa())},
      {"onednn_threads", std::to_string(omp_get_max_threads())},
  };
}

// oneDNN's OpenMP threads for one benchmark, back to one after it.
class OmpThreads {
 public:
  explicit OmpThreads(int threads) { omp_set_num_threads(threads); }
  ~OmpThreads() { omp_set_num_threads(1); }
};

void run_onednn_matmul(benchmark::State& state, const PeerProblem& p) {
  const OmpThreads threads(p.threads);
  Matmul* mm = nullptr;
  try {
    mm = &matmul_for(p);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const std::unordered_map<int, dnnl::memory> args = {
      {DNNL_ARG_SRC, mm->src},
      {DNNL_ARG_WEIGHTS, mm->weights},
      {DNNL_ARG_BIAS, mm->bias},
      {DNNL_ARG_DST, mm->dst},
      {DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC, mm->src_zero_point},
      {DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_DST, mm->dst_zero_point},
  };
  auto* a = const_cast<std::int8_t*>(p.a);
  auto* c = static_cast<std::int8_t*>(p.c);
  std::size_t i = 0;
  for (auto _ : state) {
    mm->src.set_data_handle(a + i * p.m * p.k);
    mm->dst.set_data_handle(c + i * p.m * p.n);
    mm->primitive.execute(cpu_stream(), args);
    cpu_stream().wait();
    if (++i == p.copies) i = 0;
  }
  state.SetLabel(mm->impl);
}

void run_onednn_gemm_u8s8s32(benchmark::State& state, const PeerProblem& p) {
  const OmpThreads threads(p.threads);
  const auto* a = reinterpret_cast<const std::uint8_t*>(p.a);
  auto* c = static_cast<std::int32_t*>(p.c);
  const std::int32_t c_offset = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    const dnnl_status_t status =
        dnnl_gemm_u8s8s32('N', 'N', 'F', p.m, p.n, p.k, 1.0f, a + i * p.m * p.k, p.k, 0, p.b, p.n,
                          0, 0.0f, c + i * p.m * p.n, p.n, &c_offset);
    if (status != dnnl_success) {
      state.SkipWithError("dnnl_gemm_u8s8s32 failed");
      break;
    }
    if (++i == p.copies) i = 0;
  }
}

void run_onednn_f32_matmul(benchmark::State& state, const PeerF32Problem& p) {
  const OmpThreads threads(1);
  dnnl::matmul primitive;
  dnnl::memory src, weights, bias, dst;
  std::string impl;
  try {
    const dnnl::memory::desc src_md({p.m, p.k}, dt::f32, tag::ab);
    const dnnl::memory::desc weights_any({p.k, p.n}, dt::f32, tag::any);
    const dnnl::memory::desc bias_md({1, p.n}, dt::f32, tag::ab);
    const dnnl::memory::desc dst_md({p.m, p.n}, dt::f32, tag::ab);
    const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src_md, weights_any, bias_md, dst_md),
                                          cpu_engine());
    impl = pd.impl_info_str();
    primitive = dnnl::matmul(pd);
    dnnl::memory user_weights({{p.k, p.n}, dt::f32, tag::ab}, cpu_engine(),
                              const_cast<float*>(p.b));
    weights = dnnl::memory(pd.weights_desc(), cpu_engine());
    dnnl::reorder(user_weights, weights).execute(cpu_stream(), user_weights, weights);
    cpu_stream().wait();
    src = dnnl::memory(src_md, cpu_engine(), const_cast<float*>(p.a));
    dst = dnnl::memory(dst_md, cpu_engine(), p.c);
    bias = dnnl::memory(bias_md, cpu_engine(), const_cast<float*>(p.bias));
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const std::unordered_map<int, dnnl::memory> args = {
      {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_BIAS, bias}, {DNNL_ARG_DST, dst}};
  std::size_t i = 0;
  for (auto _ : state) {
    src.set_data_handle(const_cast<float*>(p.a) + i * p.m * p.k);
    dst.set_data_handle(p.c + i * p.m * p.n);
    primitive.execute(cpu_stream(), args);
    cpu_stream().wait();
    if (++i == p.copies) i = 0;
  }
  state.SetLabel(impl);
}

}  // namespace i8gemm::bench
