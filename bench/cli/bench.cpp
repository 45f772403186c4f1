// `i8gemm bench`: times one GEMM (B packed once, A zero point, per-channel stage parameters and
// bias, as a quantized linear layer) and prints the median rate, within a time bound
// (--seconds): the measurement runs on a thread of its own, and when the bound passes the
// command reports what it has (the median of the samples so far, or that not one call
// finished, with the rate that implies at most) and exits.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::cli {
namespace {

using Clock = std::chrono::steady_clock;

// What the measuring thread has found so far; read by the main thread under the mutex.
struct Measurement {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<double> samples;  // seconds per call
  bool finished = false;
  std::string error;

  void add(double seconds_per_call) {
    const std::lock_guard<std::mutex> lock(mutex);
    samples.push_back(seconds_per_call);
  }
  void finish(std::string failure = "") {
    {
      const std::lock_guard<std::mutex> lock(mutex);
      finished = true;
      error = std::move(failure);
    }
    changed.notify_all();
  }
};

// One timed run of `iters` calls; returns seconds per call.
template <typename F>
double time_calls(F&& call, int iters) {
  const auto t0 = Clock::now();
  for (int i = 0; i < iters; ++i) call();
  return std::chrono::duration<double>(Clock::now() - t0).count() / iters;
}

// The first call (it warms the context's scratch and the caches) is kept as a sample in case
// no other finishes within the time bound; then 11 samples of enough calls for ~20 ms.
template <typename Stage>
void measure(Context& ctx, const std::vector<std::int8_t>& a, std::int64_t m, std::int64_t k,
             const PackedB& b, const Stage& stage, std::int64_t n, Measurement& result) {
  std::vector<typename Stage::value_type> c(static_cast<std::size_t>(m * n));
  auto call = [&] {
    gemm(ctx, MatrixView<const std::int8_t>(a.data(), m, k), ZeroPoints(3), b, stage,
         MatrixView<typename Stage::value_type>(c.data(), m, n));
  };
  const double once = std::max(time_calls(call, 1), 1e-7);
  result.add(once);
  const int iters = static_cast<int>(std::clamp(0.02 / once, 1.0, 1e6));
  for (int s = 0; s < 11; ++s) result.add(time_calls(call, iters));
}

struct Problem {
  Isa isa;
  std::int64_t m, n, k, threads;
  std::string out;
};

void run(const Problem& p, Measurement& result) {
  Context ctx(p.isa, static_cast<int>(p.threads));
  std::vector<std::int8_t> a(static_cast<std::size_t>(p.m * p.k));
  std::vector<std::int8_t> b(static_cast<std::size_t>(p.k * p.n));
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::int8_t>(i * 2654435761u >> 13);
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::int8_t>(i * 2246822519u >> 11);
  const PackedB packed(ctx, MatrixView<const std::int8_t>(b.data(), p.k, p.n), BLayout::kn, 0);
  const auto n = static_cast<std::size_t>(p.n);
  std::vector<std::int32_t> bias(n, 100);
  std::vector<QuantizedMultiplier> mult(n, quantize_multiplier(1.0 / 4096));
  std::vector<float> scales(n, 1.0f / 4096);
  if (p.out == "int8") {
    OutputFixedPoint<std::int8_t> stage;
    stage.per_channel = mult.data();
    stage.bias = bias.data();
    measure(ctx, a, p.m, p.k, packed, stage, p.n, result);
  } else if (p.out == "uint8") {
    OutputFixedPoint<std::uint8_t> stage;
    stage.per_channel = mult.data();
    stage.bias = bias.data();
    stage.zero_point = 128;
    measure(ctx, a, p.m, p.k, packed, stage, p.n, result);
  } else if (p.out == "int32") {
    measure(ctx, a, p.m, p.k, packed, OutputInt32{bias.data()}, p.n, result);
  } else {
    OutputFloat stage;
    stage.a_scale = 0.02f;
    stage.b_scales = scales.data();
    measure(ctx, a, p.m, p.k, packed, stage, p.n, result);
  }
}

}  // namespace

int run_bench(const std::vector<std::string>& args) {
  if (asks_for_every_path(args)) return run_compare(args);
  const Options opt(args, {"isa", "m", "n", "k", "out", "threads", "seconds"});
  constexpr std::int64_t kMaxDim = 1 << 16;
  Problem p;
  p.isa = opt.has("isa") ? parse_isa(opt.get("isa", "")) : default_isa();
  p.m = opt.get_int("m", 1024, 1, kMaxDim);
  p.n = opt.get_int("n", 1024, 1, kMaxDim);
  p.k = opt.get_int("k", 1024, 1, kMaxDim);
  p.threads = opt.get_int("threads", 1, 1, kMaxThreads);
  const std::int64_t seconds = opt.get_int("seconds", 5, 1, 24 * 3600);
  p.out = opt.get("out", "int8");
  if (p.out != "int8" && p.out != "uint8" && p.out != "int32" && p.out != "f32") {
    throw UsageError("--out: '" + p.out + "' is not one of int8, uint8, int32, f32");
  }
  if (p.m * p.k + p.k * p.n + 4 * p.m * p.n > (std::int64_t{1} << 33)) {
    throw UsageError("--m/--n/--k: the matrices would need more than 8 GiB");
  }
  { const Context check(p.isa); }  // throws, listing what runs here, if the path cannot run

  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  Measurement result;
  std::thread worker([&] {
    try {
      run(p, result);
      result.finish();
    } catch (const std::exception& e) {
      result.finish(e.what());
    }
  });
  std::unique_lock<std::mutex> lock(result.mutex);
  const bool finished = result.changed.wait_until(lock, deadline, [&] { return result.finished; });
  if (finished && !result.error.empty()) {
    lock.unlock();
    worker.join();
    throw Error(result.error);
  }
  std::vector<double> samples = result.samples;
  lock.unlock();

  const double macs =
      static_cast<double>(p.m) * static_cast<double>(p.n) * static_cast<double>(p.k);
  std::printf("isa=%s m=%lld n=%lld k=%lld out=%s threads=%lld ", isa_name(p.isa),
              static_cast<long long>(p.m), static_cast<long long>(p.n), static_cast<long long>(p.k),
              p.out.c_str(), static_cast<long long>(p.threads));
  if (samples.empty()) {
    // Not one call within the bound: a call takes at least this long.
    std::printf("time_us>=%.0f gmacs<=%.3f (no call finished within --seconds %lld)\n",
                seconds * 1e6, macs / static_cast<double>(seconds) / 1e9,
                static_cast<long long>(seconds));
  } else {
    if (samples.size() > 1) samples.erase(samples.begin());  // the first call warmed up
    const auto mid = samples.begin() + static_cast<std::ptrdiff_t>(samples.size() / 2);
    std::nth_element(samples.begin(), mid, samples.end());
    std::printf("time_us=%.3f gmacs=%.2f%s\n", *mid * 1e6, macs / *mid / 1e9,
                finished ? "" : " (stopped at --seconds with fewer samples)");
  }
  std::fflush(stdout);
  if (!finished) std::_Exit(0);  // the measuring thread is inside a call that cannot be cut
  worker.join();
  return 0;
}

}  // namespace i8gemm::cli
