// A path's multiply-add rate, measured once per process on its peak loop (path_config.hpp,
// PeakLoop): the driver weighs it against the cost of handing tasks to other threads when it
// decides whether a small call is split at all (driver.cpp, min_split_macs).
#pragma once

#include "framework/path_config.hpp"

namespace i8gemm::detail {

// Multiply-adds per nanosecond of one core on cfg's peak loop (the first call measures it, in
// about 30 us on the vector paths, 0.3 ms on amx), or 0 where the path has no peak loop.
double peak_macs_per_ns(const PathConfig& cfg);

}  // namespace i8gemm::detail
