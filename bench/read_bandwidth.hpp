// The read-bandwidth benchmarks of the suite (bandwidth/read/<bytes>).
#pragma once

#include <benchmark/benchmark.h>

namespace i8gemm::bench {

void register_read_bandwidth();

}  // namespace i8gemm::bench
