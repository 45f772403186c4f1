// The built paths: the descriptor of every path whose objects were compiled into this library
// (CMake lists them in the generated i8gemm_built_paths.inc), in order of preference.
#include <algorithm>

#include "framework/path_config.hpp"
#include "framework/path_ranks.hpp"

namespace i8gemm::detail {

#define I8GEMM_BUILT_PATH(name) extern const PathConfig i8gemm_path__##name;
#include "i8gemm_built_paths.inc"
#undef I8GEMM_BUILT_PATH

const std::vector<const PathConfig*>& built_path_configs() {
  static const std::vector<const PathConfig*> paths = [] {
    std::vector<const PathConfig*> v = {
#define I8GEMM_BUILT_PATH(name) &i8gemm_path__##name,
#include "i8gemm_built_paths.inc"
#undef I8GEMM_BUILT_PATH
    };
    std::sort(v.begin(), v.end(), [](const PathConfig* a, const PathConfig* b) {
      return path_rank(a->isa) < path_rank(b->isa);
    });
    return v;
  }();
  return paths;
}

const PathConfig* find_path_config(Isa isa) {
  for (const PathConfig* cfg : built_path_configs()) {
    if (cfg->isa == isa) return cfg;
  }
  return nullptr;
}

KernelChoice kernel_for_rows(const PathConfig& cfg, std::int64_t m) {
  const UkernelEntry* best = &cfg.ukernels[0];
  for (int i = 1; i < cfg.ukernel_count; ++i) {
    if (cfg.ukernels[i].mr >= m && cfg.ukernels[i].mr < best->mr) best = &cfg.ukernels[i];
  }
  return KernelChoice{&cfg, best};
}

}  // namespace i8gemm::detail
