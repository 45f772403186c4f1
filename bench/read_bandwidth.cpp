// Read bandwidth of this core at a buffer size: what a GEMV (M = 1..4), which reads each byte of
// B once, is judged against. bandwidth/read/<bytes> reads a buffer of that size over and over
// (sized for L2, L3 and DRAM in the suite) and reports GB/s. The buffer is the library's own kind
// (framework/aligned_buffer.hpp: from 2 MiB on, on huge pages where the OS gives them), as a
// PackedB of the same size is.
#include "read_bandwidth.hpp"

#include <cstdint>
#include <string>

#include "framework/aligned_buffer.hpp"

namespace i8gemm::bench {
namespace {

// Eight independent xor chains over 64-byte lines: the compiler vectorizes them, and nothing but
// the loads limits the loop.
std::uint64_t read_all(const std::uint64_t* p, std::size_t words) {
  std::uint64_t acc[8] = {};
  for (std::size_t i = 0; i + 8 <= words; i += 8) {
    for (int j = 0; j < 8; ++j) acc[j] ^= p[i + j];
  }
  std::uint64_t x = 0;
  for (std::uint64_t v : acc) x ^= v;
  return x;
}

void run_read(benchmark::State& state, std::size_t bytes) {
  const std::size_t words = bytes / sizeof(std::uint64_t);
  detail::AlignedBuffer storage;
  auto* buffer = storage.as<std::uint64_t>(words);
  for (std::size_t i = 0; i < words; ++i) buffer[i] = i * 0x9E3779B97F4A7C15ull;
  for (auto _ : state) benchmark::DoNotOptimize(read_all(buffer, words));
  state.counters["GB/s"] = benchmark::Counter(static_cast<double>(bytes) * 1e-9,
                                              benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

void register_read_bandwidth() {
  // L2-sized, the two GEMV weights' sizes of the suite (16 and 64 MiB, in L3 or DRAM depending on
  // the CPU), and well beyond any L3.
  for (std::size_t mib : {1, 16, 64, 1024}) {
    const std::size_t bytes = mib << 20;
    benchmark::RegisterBenchmark(("bandwidth/read/" + std::to_string(bytes)).c_str(),
                                 [bytes](benchmark::State& st) { run_read(st, bytes); })
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace i8gemm::bench
