// What the benchmark suites share (suite_support.hpp).
#include "suite_support.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <utility>

namespace i8gemm::bench {
namespace {
// More than the L3 of a Zen 4 CCD (32 MiB).
constexpr std::size_t kRotateBytes = std::size_t{32} << 20;
}  // namespace

std::string shape_name(const Shape& s) {
  return std::to_string(s.m) + "x" + std::to_string(s.n) + "x" + std::to_string(s.k);
}

void fill_random(void* data, std::size_t bytes, std::uint64_t seed) {
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  auto* out = static_cast<unsigned char*>(data);
  for (std::size_t i = 0; i < bytes; i += sizeof(x)) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::memcpy(out + i, &x, std::min(sizeof(x), bytes - i));
  }
}

std::size_t copies_for(std::size_t bytes_per_copy) {
  return std::max<std::size_t>(1, (kRotateBytes + bytes_per_copy - 1) / bytes_per_copy);
}

Context& context_for(Isa isa, int threads) {
  static std::map<std::pair<Isa, int>, Context> contexts;
  auto it = contexts.find({isa, threads});
  if (it == contexts.end())
    it = contexts.emplace(std::make_pair(isa, threads), Context(isa, threads)).first;
  return it->second;
}

void report_rate(benchmark::State& state, std::int64_t macs, double peak_gmacs) {
  const double gmac = static_cast<double>(macs) * 1e-9;
  state.counters["GMAC/s"] =
      benchmark::Counter(gmac, benchmark::Counter::kIsIterationInvariantRate);
  if (peak_gmacs > 0.0) {
    state.counters["%peak"] = benchmark::Counter(100.0 * gmac / peak_gmacs,
                                                 benchmark::Counter::kIsIterationInvariantRate);
  }
}

}  // namespace i8gemm::bench
