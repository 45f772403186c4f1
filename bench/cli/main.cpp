// `i8gemm`: what this CPU can run (info), timing of one GEMM (bench), differential check of the
// paths against the oracle (verify).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/commands.hpp"

namespace {
void usage(std::FILE* out) {
  std::fputs(
      "usage: i8gemm <command> [options]\n"
      "  info      CPU features, ISA paths built and available, the default path\n"
      "  bench     [--isa NAME] [--m M] [--n N] [--k K] [--out int8|uint8|int32|f32]\n"
      "            [--threads T] [--seconds S (5)]\n"
      "            time one GEMM (B packed once); median GMAC/s of what S seconds measure\n"
      "  compare   [--m M] [--n N] [--k K] [--out int8|uint8|int32|f32] [--threads T]\n"
      "            [--seconds S] [--json]   every path and the oracle in one table: GMAC/s,\n"
      "            % of each path's measured peak, speed-up over the oracle, bit-exactness\n"
      "            (also: bench --isa all)\n"
      "  verify    [--isa NAME] [--cases N (200)] [--seconds S] [--seed X (1)] [--max-dim D]\n"
      "            random differential check of the path(s) against the oracle (reference/):\n"
      "            N cases, or as many as S seconds allow in total, each on every path\n"
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
    if (command == "bench") return i8gemm::cli::run_bench(args);
    if (command == "verify") return i8gemm::cli::run_verify(args);
    if (command == "compare") return i8gemm::cli::run_compare(args);
    if (command == "help" || command == "--help" || command == "-h") {
      usage(stdout);
      return 0;
    }
    std::fprintf(stderr, "i8gemm: unknown command '%s'\n", command.c_str());
    usage(stderr);
    return 2;
  } catch (const i8gemm::cli::UsageError& e) {
    std::fprintf(stderr, "i8gemm %s: %s\n", command.c_str(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "i8gemm: error: %s\n", e.what());
    return 1;
  }
}
