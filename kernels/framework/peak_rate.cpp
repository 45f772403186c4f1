#include "framework/peak_rate.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace i8gemm::detail {
namespace {

// The fastest of three runs of kTrips trips: 2.2 ns a trip for avx512vnni's loop (16 x 64
// multiply-adds) on the Zen 5, 9 us a run. (Its doubles run in the caller's floating-point
// environment: driver.cpp sets the default one around it.)
double measure(const PeakLoop& peak) {
  constexpr std::int64_t kTrips = 4096;
  double best = 0.0;
  for (int run = 0; run < 3; ++run) {
    const auto start = std::chrono::steady_clock::now();
    peak.run(kTrips);
    const double ns =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    if (ns > 0.0) best = std::max(best, static_cast<double>(kTrips * peak.macs_per_loop) / ns);
  }
  return best;
}

}  // namespace

double peak_macs_per_ns(const PathConfig& cfg) {
  if (cfg.peak == nullptr) return 0.0;
  // By the path's bit in Isa; 0 until measured. Two threads measuring at once both store a
  // measurement, either of which will do.
  static std::atomic<double> measured[32];
  std::atomic<double>& slot = measured[__builtin_ctz(static_cast<std::uint32_t>(cfg.isa))];
  double rate = slot.load(std::memory_order_relaxed);
  if (rate == 0.0) {
    rate = measure(*cfg.peak);
    slot.store(rate, std::memory_order_relaxed);
  }
  return rate;
}

}  // namespace i8gemm::detail
