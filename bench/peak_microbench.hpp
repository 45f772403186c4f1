// The dot-product throughput each path could reach on this core, measured rather than taken
// from a data sheet: each path registers a loop of independent dot-product instructions.
#pragma once

#include <cstdint>

#include "framework/path_config.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::bench {

// A path's peak loop (its registry entry's PathConfig::peak).
using PeakKernel = detail::PeakLoop;

// The loop for `isa`, or null when there is none for it or this CPU lacks what it needs.
const PeakKernel* peak_kernel(Isa isa);

// Best of several runs of about 20 ms of this thread's CPU time each, in GMAC/s.
double measure_peak_gmacs(const PeakKernel& kernel);

}  // namespace i8gemm::bench
