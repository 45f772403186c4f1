// Preference ranks of the paths, from the registry (i8gemm/paths.inc).
#pragma once

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::detail {

constexpr int path_rank(Isa isa) {
  switch (isa) {
#define I8GEMM_PATH(name, NAME, bit, rank) \
  case Isa::name:                          \
    return rank;
#include "i8gemm/paths.inc"
  }
  return -1;
}

}  // namespace i8gemm::detail
