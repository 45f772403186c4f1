// `i8gemm info`: CPU features, caches, the paths built and runnable here with the blocking each
// would use, and the default path. `--caches L1D,L2,L3` shows the blocking for another CPU's
// caches (per core, e.g. a Zen 4: 32K,1M,4M).
#include <cstdio>
#include <fstream>
#include <string>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm::cli {
namespace {

std::size_t parse_size(const std::string& text) {
  std::size_t used = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  if (used == 0 || !(unit.empty() || unit == "K" || unit == "M") || v == 0 || v > (1ull << 40)) {
    throw UsageError("--caches: '" + text + "' is not a size like 48K, 2M or 1048576");
  }
  return static_cast<std::size_t>(v << (unit == "K" ? 10 : unit == "M" ? 20 : 0));
}

CacheSizes parse_caches(const std::string& text) {
  CacheSizes c;
  c.source = "--caches";
  const std::size_t a = text.find(','), b = text.find(',', a + 1);
  if (a == std::string::npos || b == std::string::npos ||
      text.find(',', b + 1) != std::string::npos) {
    throw UsageError("--caches: '" + text + "' is not L1D,L2,L3 (e.g. 32K,1M,4M)");
  }
  c.l1d = parse_size(text.substr(0, a));
  c.l2 = parse_size(text.substr(a + 1, b - a - 1));
  c.l3 = parse_size(text.substr(b + 1));
  return c;
}

std::string kib(std::size_t bytes) {
  return bytes >= (1u << 20) && bytes % (1u << 20) == 0 ? std::to_string(bytes >> 20) + " MiB"
                                                        : std::to_string(bytes >> 10) + " KiB";
}

// Linux's transparent-huge-page mode, the bracketed word of "always [madvise] never": the library
// advises its buffers of 2 MiB and more for huge pages (framework/aligned_buffer.hpp), which
// "always" and "madvise" grant and "never" refuses.
std::string huge_pages() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  if (!std::getline(f, line)) return "unknown (no transparent huge pages here)";
  const std::size_t open = line.find('['), close = line.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return line;
  const std::string mode = line.substr(open + 1, close - open - 1);
  return mode +
         (mode == "never" ? " (off: small pages only)" : " (the library's large buffers use them)");
}

}  // namespace

int run_info(const std::vector<std::string>& args) {
  const Options opt(args, {"caches"});
  const bool described = opt.has("caches");
  const CacheSizes caches = described ? parse_caches(opt.get("caches", "")) : cache_sizes();
  const Isa isa = default_isa();  // throws for a bad I8GEMM_ISA
  std::printf("cpu features: %s\n", cpu_features_string().c_str());
  std::printf("caches per core: L1D %s, L2 %s, L3 %s (%s)\n", kib(caches.l1d).c_str(),
              kib(caches.l2).c_str(), kib(caches.l3).c_str(), caches.source);
  std::printf("huge pages for buffers of 2 MiB and more: %s\n", huge_pages().c_str());
  // Blocking of a 4096^3 product; a K above KC is cut into equal blocks of at most KC.
  constexpr std::int64_t kShape = 4096;
  std::printf("%-14s %-6s %-34s %s\n", "path", "built", "available here",
              "blocking MC x NC x KC at 4096^3");
  for (Isa p : all_isas()) {
    const std::string reason = unavailable_reason(p);
    bool built = false;
    for (Isa b : built_isas()) built = built || b == p;
    std::string blocks = "-";
    if (built && (described || reason.empty())) {
      const Blocking bl = described ? blocking(p, kShape, kShape, kShape, caches)
                                    : blocking(p, kShape, kShape, kShape);
      blocks =
          std::to_string(bl.mc) + " x " + std::to_string(bl.nc) + " x " + std::to_string(bl.kc);
    }
    std::printf("%-14s %-6s %-34s %s\n", isa_name(p), built ? "yes" : "no",
                reason.empty() ? "yes" : ("no: " + reason).c_str(), blocks.c_str());
  }
  std::printf("default: %s\n", isa_name(isa));
  return 0;
}

}  // namespace i8gemm::cli
