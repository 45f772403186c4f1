// ISA path names, which paths are built and available, and the default choice: all derived
// from the registry (i8gemm/paths.inc) and the built paths' descriptors.
#include <algorithm>
#include <cstdlib>
#include <string>

#include "framework/cpu_feature_names.hpp"
#include "framework/path_config.hpp"
#include "framework/path_ranks.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm {

const std::vector<Isa>& all_isas() {
  static const std::vector<Isa> isas = [] {
    std::vector<Isa> v = {
#define I8GEMM_PATH(name, NAME, bit, rank) Isa::name,
#include "i8gemm/paths.inc"
    };
    // By rank, then by bit (std::sort: GCC 12's stable_sort buffer trips ASan's
    // alloc-dealloc check).
    std::sort(v.begin(), v.end(), [](Isa a, Isa b) {
      const int ra = detail::path_rank(a), rb = detail::path_rank(b);
      return ra != rb ? ra < rb : static_cast<std::uint32_t>(a) < static_cast<std::uint32_t>(b);
    });
    return v;
  }();
  return isas;
}

const char* isa_name(Isa isa) {
  switch (isa) {
#define I8GEMM_PATH(name, NAME, bit, rank) \
  case Isa::name:                          \
    return #name;
#include "i8gemm/paths.inc"
  }
  return "unknown";
}

namespace {
std::string join_names(const std::vector<Isa>& isas) {
  std::string s;
  for (Isa isa : isas) {
    if (!s.empty()) s += ", ";
    s += isa_name(isa);
  }
  return s;
}
}  // namespace

Isa parse_isa(const std::string& name) {
  for (Isa isa : all_isas()) {
    if (name == isa_name(isa)) return isa;
  }
  throw Error("isa: unknown path '" + name + "' (paths: " + join_names(all_isas()) + ")");
}

std::vector<Isa> built_isas() {
  std::vector<Isa> built;
  for (const detail::PathConfig* cfg : detail::built_path_configs()) built.push_back(cfg->isa);
  return built;
}

std::string unavailable_reason(Isa isa, const CpuFeatures& features) {
  const detail::PathConfig* cfg = detail::find_path_config(isa);
  if (cfg == nullptr)
    return std::string("path ") + isa_name(isa) + " is not built into this library";
  std::string missing, note;
  for (bool CpuFeatures::*feature : cfg->needs) {
    if (feature == nullptr || features.*feature) continue;
    missing += missing.empty() ? "" : "/";
    missing += detail::cpu_feature_name(feature);
    if (note.empty() && &features == &cpu_features()) note = detail::cpu_feature_note(feature);
  }
  if (missing.empty()) return "";
  return note.empty() ? "CPU lacks " + missing : "no " + missing + ": " + note;
}

std::string unavailable_reason(Isa isa) {
  return unavailable_reason(isa, cpu_features());
}

bool is_available(Isa isa) {
  return unavailable_reason(isa).empty();
}

std::vector<Isa> available_isas(const CpuFeatures& features) {
  std::vector<Isa> available;
  for (const detail::PathConfig* cfg : detail::built_path_configs()) {
    if (unavailable_reason(cfg->isa, features).empty()) available.push_back(cfg->isa);
  }
  return available;
}

std::vector<Isa> available_isas() {
  return available_isas(cpu_features());
}

namespace detail {
// Throws unless `isa` runs here; the message lists what does.
void require_available(Isa isa, const char* argument) {
  const std::string reason = unavailable_reason(isa);
  if (reason.empty()) return;
  throw Error(std::string(argument) + ": path " + isa_name(isa) + " cannot run here (" + reason +
              "); this CPU can run: " + join_names(available_isas()));
}
}  // namespace detail

Isa default_isa() {
  if (const char* env = std::getenv("I8GEMM_ISA"); env != nullptr && *env != '\0') {
    Isa isa;
    try {
      isa = parse_isa(env);
    } catch (const Error&) {
      throw Error(std::string("I8GEMM_ISA: unknown path '") + env +
                  "' (paths: " + join_names(all_isas()) +
                  "; this CPU can run: " + join_names(available_isas()) + ")");
    }
    detail::require_available(isa, "I8GEMM_ISA");
    return isa;
  }
  static const Isa best = default_isa(cpu_features());
  return best;
}

Isa default_isa(const CpuFeatures& features) {
  return available_isas(features).back();  // worst first; scalar needs nothing
}

}  // namespace i8gemm
