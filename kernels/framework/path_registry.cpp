// The dispatch table: one PathConfig per main micro-kernel in ukernels.inc that was compiled
// in, and its variants for small M.
#include <vector>

#include "framework/epilogue_args.hpp"
#include "framework/path_config.hpp"

namespace i8gemm::detail {

#define I8GEMM_UKERNEL(isa, name, ...)                                                 \
  void i8gemm_##name(std::size_t, const void*, const void*, std::int32_t*, bool);      \
  void i8gemm_epilogue__##isa(const EpilogueArgs&, const std::int32_t*, int, int, int, \
                              std::int64_t, std::int64_t);
#define I8GEMM_UKERNEL_SMALL_M(isa, name, mr) \
  void i8gemm_##name(std::size_t, const void*, const void*, std::int32_t*, bool);
#include "ukernels.inc"
#undef I8GEMM_UKERNEL
#undef I8GEMM_UKERNEL_SMALL_M

namespace {

struct SmallM {
  Isa isa;
  const char* name;
  int mr;
  UkernelFn ukernel;
};

#define I8GEMM_UKERNEL(isa_, name, mr, nr, kg, a_elem, b_elem, off_s8, off_u8, mc, nc, kc) \
  PathConfig{Isa::isa_, #name,  mr, nr, kg, PackedElem::a_elem, PackedElem::b_elem,        \
             off_s8,    off_u8, mc, nc, kc, &i8gemm_##name,     &i8gemm_epilogue__##isa_},
#define I8GEMM_UKERNEL_SMALL_M(isa, name, mr)
const PathConfig kPaths[] = {
#include "ukernels.inc"
    PathConfig{Isa::scalar, "", 0, 0, 0, PackedElem::s8, PackedElem::s8, 0, 0, 0, 0, 0, nullptr,
               nullptr},  // sentinel: scalar runs the oracle, not a micro-kernel
};
#undef I8GEMM_UKERNEL
#undef I8GEMM_UKERNEL_SMALL_M

#define I8GEMM_UKERNEL(isa, name, mr, nr, ...) \
  static_assert((mr) * (nr) <= kMaxTileElements, #name " is larger than kMaxTileElements");
#define I8GEMM_UKERNEL_SMALL_M(isa, name, mr)
#include "ukernels.inc"
#undef I8GEMM_UKERNEL
#undef I8GEMM_UKERNEL_SMALL_M

#define I8GEMM_UKERNEL(...)
#define I8GEMM_UKERNEL_SMALL_M(isa_, name, mr) SmallM{Isa::isa_, #name, mr, &i8gemm_##name},
const SmallM kSmallM[] = {
#include "ukernels.inc"
    SmallM{Isa::scalar, "", 0, nullptr},  // sentinel
};
#undef I8GEMM_UKERNEL
#undef I8GEMM_UKERNEL_SMALL_M

}  // namespace

const PathConfig* find_path_config(Isa isa) {
  for (const PathConfig& cfg : kPaths) {
    if (cfg.isa == isa && cfg.ukernel != nullptr) return &cfg;
  }
  return nullptr;
}

PathConfig config_for_rows(const PathConfig& cfg, std::int64_t m) {
  PathConfig best = cfg;
  for (const SmallM& s : kSmallM) {
    if (s.isa == cfg.isa && s.ukernel != nullptr && s.mr >= m && s.mr < best.mr) {
      best.mr = s.mr;
      best.ukernel_name = s.name;
      best.ukernel = s.ukernel;
    }
  }
  return best;
}

std::vector<PathConfig> all_ukernel_configs() {
  std::vector<PathConfig> all;
  for (const PathConfig& cfg : kPaths) {
    if (cfg.ukernel == nullptr) continue;
    all.push_back(cfg);
    for (const SmallM& s : kSmallM) {
      if (s.isa != cfg.isa || s.ukernel == nullptr) continue;
      PathConfig v = cfg;
      v.mr = s.mr;
      v.ukernel_name = s.name;
      v.ukernel = s.ukernel;
      all.push_back(v);
    }
  }
  return all;
}

}  // namespace i8gemm::detail
