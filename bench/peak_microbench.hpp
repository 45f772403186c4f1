// The dot-product throughput each path could reach on this core, measured rather than taken
// from a data sheet: a loop of independent dot-product instructions of that path.
#pragma once

#include <cstdint>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::bench {

struct PeakKernel {
  Isa isa;
  const char* instruction;     // what the loop issues, e.g. "vpdpbusd zmm"
  std::int64_t macs_per_loop;  // multiply-accumulates of one trip of the loop
  void (*run)(std::int64_t loops);
};

// The loop for `isa`, or null when there is none for it or this CPU lacks what it needs.
const PeakKernel* peak_kernel(Isa isa);

// Best of several runs of about 20 ms of this thread's CPU time each, in GMAC/s.
double measure_peak_gmacs(const PeakKernel& kernel);

}  // namespace i8gemm::bench
