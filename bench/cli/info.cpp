#include <cstdio>

#include "cli/commands.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::cli {

int run_info(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "i8gemm info: unexpected argument '%s'\n", args[0].c_str());
    return 2;
  }
  const Isa isa = default_isa();  // throws for a bad I8GEMM_ISA
  std::printf("cpu features: %s\n", cpu_features_string().c_str());
  std::printf("%-14s %-6s %s\n", "path", "built", "available here");
  for (Isa p : all_isas()) {
    const std::string reason = unavailable_reason(p);
    bool built = false;
    for (Isa b : built_isas()) built = built || b == p;
    std::printf("%-14s %-6s %s\n", isa_name(p), built ? "yes" : "no",
                reason.empty() ? "yes" : ("no: " + reason).c_str());
  }
  std::printf("default: %s\n", isa_name(isa));
  return 0;
}

}  // namespace i8gemm::cli
