// The name of a CpuFeatures member, as cpu_features_string() and error messages print it.
#pragma once

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

const char* cpu_feature_name(bool CpuFeatures::*feature);

}  // namespace i8gemm::detail
