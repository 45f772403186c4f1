// `i8gemm verify`: random differential cases (shapes, strides, types, zero points, output
// stages, adversarial data) on each path against the scalar oracle; exit 0 only if all agree.
#include <unistd.h>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "verification/differential.hpp"

namespace i8gemm::cli {

int run_verify(const std::vector<std::string>& args) {
  const Options opt(args, {"isa", "cases", "seed", "max-dim"});
  const std::int64_t cases = opt.get_int("cases", 200, 1, 100'000'000);
  const std::int64_t seed = opt.get_int("seed", 1, 0, INT64_MAX);
  const std::int64_t max_dim = opt.get_int("max-dim", 160, 1, 4096);
  std::vector<Isa> paths;
  if (opt.has("isa")) {
    paths.push_back(parse_isa(opt.get("isa", "")));
    Context check(paths[0]);  // throws, listing what runs here, if it cannot run
  } else if (const char* env = std::getenv("I8GEMM_ISA"); env != nullptr && *env != '\0') {
    paths.push_back(default_isa());
  } else {
    for (Isa isa : available_isas()) {
      if (isa != Isa::scalar) paths.push_back(isa);
    }
    if (paths.empty()) paths.push_back(Isa::scalar);
  }
  const bool progress = isatty(STDERR_FILENO) != 0;
  int failures = 0;
  for (Isa isa : paths) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    const auto t0 = std::chrono::steady_clock::now();
    std::int64_t failed = 0;
    for (std::int64_t i = 0; i < cases; ++i) {
      const verification::GemmCase c = verification::random_case(rng, {max_dim, max_dim, max_dim});
      const verification::CaseResult r = verification::run_case(isa, c);
      if (!r.ok) {
        ++failed;
        if (failed <= 10)
          std::printf("MISMATCH %s: %s\n  case: %s\n", isa_name(isa), r.message.c_str(),
                      c.describe().c_str());
      }
      if (progress && (i % 50 == 49 || i + 1 == cases)) {
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "\r%s: %lld/%lld cases, %.1f s", isa_name(isa),
                     static_cast<long long>(i + 1), static_cast<long long>(cases), secs);
      }
    }
    if (progress) std::fputc('\n', stderr);
    std::printf(
        "%s: %lld cases (shapes 1..%lld, int8/uint8 A, kn/nk B, zero points none/tensor/"
        "channel, int32/fixed-point/float-scale/float32 outputs, extreme data): %lld "
        "mismatches\n",
        isa_name(isa), static_cast<long long>(cases), static_cast<long long>(max_dim),
        static_cast<long long>(failed));
    failures += failed != 0;
  }
  std::printf("verify: %s\n",
              failures == 0 ? "all paths bit-exact with the oracle" : "MISMATCHES FOUND");
  return failures == 0 ? 0 : 1;
}

}  // namespace i8gemm::cli
