// The name of a CpuFeatures member, as cpu_features_string() and error messages print it.
#pragma once

#include <string>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

const char* cpu_feature_name(bool CpuFeatures::*feature);
// Why this CPU's feature is off although the CPU has it (e.g. the OS refused AMX tile data), or "".
std::string cpu_feature_note(bool CpuFeatures::*feature);

}  // namespace i8gemm::detail
