// The dynamic-quantization benchmarks of the suite (dynamic/...).
#pragma once

namespace i8gemm::bench {

void register_dynamic_benchmarks();

}  // namespace i8gemm::bench
