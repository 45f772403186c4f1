// The dispatch table: one PathConfig per micro-kernel in ukernels.inc that was compiled in.
#include "framework/epilogue_args.hpp"
#include "framework/path_config.hpp"

namespace i8gemm::detail {

#define I8GEMM_UKERNEL(isa, name, ...)                                                  \
  void i8gemm_##name(std::size_t, const void*, const void*, std::int32_t*, bool);       \
  void i8gemm_epilogue__##isa(const EpilogueArgs&, const std::int32_t*, int, int, int,  \
                              std::int64_t, std::int64_t);
#include "ukernels.inc"
#undef I8GEMM_UKERNEL

namespace {
#define I8GEMM_UKERNEL(isa_, name, mr, nr, kg, a_elem, b_elem, off_s8, off_u8, mc, nc, kc) \
  PathConfig{Isa::isa_, #name, mr, nr, kg, PackedElem::a_elem, PackedElem::b_elem, off_s8,  \
             off_u8, mc, nc, kc, &i8gemm_##name, &i8gemm_epilogue__##isa_},
const PathConfig kPaths[] = {
#include "ukernels.inc"
    PathConfig{Isa::scalar, "", 0, 0, 0, PackedElem::s8, PackedElem::s8, 0, 0, 0, 0, 0, nullptr,
               nullptr},  // sentinel: scalar runs the oracle, not a micro-kernel
};
#undef I8GEMM_UKERNEL
}  // namespace

const PathConfig* find_path_config(Isa isa) {
  for (const PathConfig& cfg : kPaths) {
    if (cfg.isa == isa && cfg.ukernel != nullptr) return &cfg;
  }
  return nullptr;
}

}  // namespace i8gemm::detail
