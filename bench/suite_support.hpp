// What the benchmark suites share: shapes, random fills, rotated copies, warm contexts and the
// GMAC/s counters.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::bench {

struct Shape {
  std::int64_t m, n, k;
  std::int64_t macs() const { return m * n * k; }
  bool operator==(const Shape& o) const { return m == o.m && n == o.n && k == o.k; }
};
std::string shape_name(const Shape& s);

// xorshift64: fills the large buffers much faster than <random>.
void fill_random(void* data, std::size_t bytes, std::uint64_t seed);
// How many copies of an input rotate through more than the L3, so that small shapes do not run
// with their activations hot in cache (the weights, packed once, stay).
std::size_t copies_for(std::size_t bytes_per_copy);
// One context per path and thread count, so that its scratch stays warm across benchmarks.
Context& context_for(Isa isa, int threads);
// The inputs of the shape being benchmarked, shared by every benchmark of that shape: they are
// registered shape after shape, so only the current shape's are kept (the previous ones freed
// first). W is constructed from a Shape and has a `shape` member.
template <class W>
W& current_workload(const Shape& s) {
  static std::unique_ptr<W> current;
  if (!current || !(current->shape == s)) {
    current.reset();
    current = std::make_unique<W>(s);
  }
  return *current;
}

// GMAC/s, and %peak against `peak_gmacs` when it is positive.
void report_rate(benchmark::State& state, std::int64_t macs, double peak_gmacs);

}  // namespace i8gemm::bench
