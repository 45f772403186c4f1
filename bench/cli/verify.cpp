// `i8gemm verify`: random differential cases (shapes, strides, types, zero points, output
// stages, adversarial data) on each path (scalar, generic and the SIMD ones) against the oracle
// (reference/, math.md literally); exit 0 only if all agree. Each case's oracle result is computed
// once and every path is checked against it, so a run of --seconds S checks the same cases on every
// path in S seconds in total.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "verification/differential.hpp"

namespace i8gemm::cli {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The paths to check: --isa, else I8GEMM_ISA, else every available path. (The oracle is no
// path: scalar is a blocked path of its own.)
std::vector<Isa> paths_to_check(const Options& opt) {
  if (opt.has("isa")) {
    const Isa isa = parse_isa(opt.get("isa", ""));
    Context check(isa);  // throws, listing what runs here, if it cannot run
    return {isa};
  }
  if (const char* env = std::getenv("I8GEMM_ISA"); env != nullptr && *env != '\0') {
    return {default_isa()};
  }
  return available_isas();
}

struct PathTally {
  Isa isa;
  std::unique_ptr<Context> ctx;  // warm across cases, as an application's would be
  std::int64_t mismatches = 0;
  double seconds = 0;  // in this path's calls, the oracle excluded
};

}  // namespace

int run_verify(const std::vector<std::string>& args) {
  const Options opt(args, {"isa", "cases", "seconds", "seed", "max-dim"});
  const std::int64_t seconds_limit = opt.get_int("seconds", 0, 1, 100'000'000);
  const std::int64_t cases =
      opt.get_int("cases", opt.has("seconds") ? INT64_MAX : 200, 1, INT64_MAX);
  const std::int64_t seed = opt.get_int("seed", 1, 0, INT64_MAX);
  const std::int64_t max_dim = opt.get_int("max-dim", 160, 1, 4096);
  const std::vector<Isa> paths = paths_to_check(opt);
  std::vector<PathTally> tally;
  for (Isa isa : paths) tally.push_back({isa, std::make_unique<Context>(isa)});

  std::printf("verify: seed %lld, shapes 1..%lld, %s\n", static_cast<long long>(seed),
              static_cast<long long>(max_dim),
              opt.has("seconds") ? ("for " + std::to_string(seconds_limit) + " s").c_str()
                                 : (std::to_string(cases) + " cases").c_str());
  std::fflush(stdout);
  const bool progress = isatty(STDERR_FILENO) != 0;
  std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
  const auto t0 = Clock::now();
  std::int64_t done = 0;
  while (done < cases && (seconds_limit == 0 || seconds_since(t0) < seconds_limit)) {
    // Every fourth case draws K from a range four times as long, which reaches the kernels
    // of long K (amx's overlapped kernel needs K > 448).
    const std::int64_t max_k = done % 4 == 3 ? 4 * max_dim : max_dim;
    const verification::GemmCase c = verification::random_case(rng, {max_dim, max_dim, max_k});
    const verification::PreparedCase prepared(c);
    for (PathTally& p : tally) {
      const auto t = Clock::now();
      const verification::CaseResult r = prepared.check(*p.ctx);
      p.seconds += seconds_since(t);
      if (!r.ok && ++p.mismatches <= 10) {
        std::printf("MISMATCH %s: %s\n  case %lld of seed %lld: %s\n", isa_name(p.isa),
                    r.message.c_str(), static_cast<long long>(done), static_cast<long long>(seed),
                    c.describe().c_str());
      }
    }
    ++done;
    if (progress && done % 1000 == 0) {
      std::fprintf(stderr, "\r%lld cases, %.0f s", static_cast<long long>(done), seconds_since(t0));
    }
  }
  if (progress) std::fputc('\n', stderr);
  const double elapsed = seconds_since(t0);
  int failures = 0;
  for (const PathTally& p : tally) {
    std::printf(
        "%s: %lld cases (int8/uint8 A, kn/nk B, zero points none/tensor/channel, "
        "int32/fixed-point/float-scale/float32 outputs, extreme data): %lld mismatches; "
        "%.0f cases/s in this path's calls\n",
        isa_name(p.isa), static_cast<long long>(done), static_cast<long long>(p.mismatches),
        p.seconds > 0 ? static_cast<double>(done) / p.seconds : 0.0);
    failures += p.mismatches != 0;
  }
  std::printf(
      "verify: %lld cases on each of %zu paths (%lld checks) in %.1f s (%.0f cases/s), "
      "seed %lld: %s\n",
      static_cast<long long>(done), tally.size(),
      static_cast<long long>(done * static_cast<std::int64_t>(tally.size())), elapsed,
      static_cast<double>(done) / elapsed, static_cast<long long>(seed),
      failures == 0 ? "all paths bit-exact with the oracle" : "MISMATCHES FOUND");
  return failures == 0 ? 0 : 1;
}

}  // namespace i8gemm::cli
