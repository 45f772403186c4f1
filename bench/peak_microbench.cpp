#include "peak_microbench.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace i8gemm::bench {
namespace {

// CPU time of this thread, like the suite's timings: the two cores are shared, and wall time
// would count the time other processes hold the core.
struct ThreadCpuClock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<ThreadCpuClock>;
  [[maybe_unused]] static constexpr bool is_steady = true;  // a Clock has it; nothing reads it
  static time_point now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
  }
};

double seconds_of(const PeakKernel& kernel, std::int64_t loops) {
  const auto start = ThreadCpuClock::now();
  kernel.run(loops);
  const auto stop = ThreadCpuClock::now();
  return std::chrono::duration<double>(stop - start).count();
}

}  // namespace

const PeakKernel* peak_kernel(Isa isa) {
  const detail::PathConfig* cfg = detail::find_path_config(isa);
  return cfg != nullptr && is_available(isa) ? cfg->peak : nullptr;
}

double measure_peak_gmacs(const PeakKernel& kernel) {
  constexpr double kRunSeconds = 0.02;
  constexpr int kRuns = 7;
  std::int64_t loops = 1 << 12;
  double seconds = seconds_of(kernel, loops);
  while (seconds < 2e-3) {
    loops *= 4;
    seconds = seconds_of(kernel, loops);
  }
  loops = std::max<std::int64_t>(1, static_cast<std::int64_t>(loops * kRunSeconds / seconds));
  double best = 0.0;
  for (int run = 0; run < kRuns; ++run) {
    const double gmacs =
        static_cast<double>(loops) * kernel.macs_per_loop * 1e-9 / seconds_of(kernel, loops);
    best = std::max(best, gmacs);
  }
  return best;
}

}  // namespace i8gemm::bench
