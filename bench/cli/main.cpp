// `i8gemm`: what this CPU can run (info), timing of one GEMM (bench), differential check of the
// paths against the oracle (verify).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace {
void usage(std::FILE* out) {
  std::fputs(
      "usage: i8gemm <command> [options]\n"
      "  info      CPU features, ISA paths built and available, the default path\n"
      "The environment variable I8GEMM_ISA=<path> forces a path.\n",
      out);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (command == "info") return i8gemm::cli::run_info(args);
    if (command == "help" || command == "--help" || command == "-h") {
      usage(stdout);
      return 0;
    }
    std::fprintf(stderr, "i8gemm: unknown command '%s'\n", command.c_str());
    usage(stderr);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "i8gemm: error: %s\n", e.what());
    return 1;
  }
}
