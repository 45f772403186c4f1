// ISA path names, which paths are built and available, and the default choice.
#include <cstdlib>
#include <string>

#include "framework/path_config.hpp"
#include "i8gemm/i8gemm.hpp"

namespace i8gemm {

const std::vector<Isa>& all_isas() {
  static const std::vector<Isa> isas = {Isa::scalar,     Isa::avx2, Isa::avx512bw,
                                        Isa::avx512vnni, Isa::neon, Isa::neon_dotprod,
                                        Isa::neon_i8mm};
  return isas;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::scalar:
      return "scalar";
    case Isa::avx2:
      return "avx2";
    case Isa::avx512bw:
      return "avx512bw";
    case Isa::avx512vnni:
      return "avx512vnni";
    case Isa::neon:
      return "neon";
    case Isa::neon_dotprod:
      return "neon_dotprod";
    case Isa::neon_i8mm:
      return "neon_i8mm";
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
  for (Isa isa : all_isas()) {
    if (isa == Isa::scalar || detail::find_path_config(isa) != nullptr) built.push_back(isa);
  }
  return built;
}

std::string unavailable_reason(Isa isa) {
  const CpuFeatures& f = cpu_features();
  if (isa != Isa::scalar && detail::find_path_config(isa) == nullptr) {
    return std::string("path ") + isa_name(isa) + " is not built into this library";
  }
  const bool avx512_core = f.avx512f && f.avx512cd && f.avx512dq && f.avx512bw && f.avx512vl;
  switch (isa) {
    case Isa::scalar:
      return "";
    case Isa::avx2:
      return f.avx2 ? "" : "CPU lacks avx2";
    case Isa::avx512bw:
      return avx512_core ? "" : "CPU lacks avx512f/cd/dq/bw/vl";
    case Isa::avx512vnni:
      if (!avx512_core) return "CPU lacks avx512f/cd/dq/bw/vl";
      return f.avx512vnni ? "" : "CPU lacks avx512_vnni";
    case Isa::neon:
      return f.neon ? "" : "CPU lacks neon (asimd)";
    case Isa::neon_dotprod:
      return f.dotprod ? "" : "CPU lacks dotprod (asimddp)";
    case Isa::neon_i8mm:
      return f.i8mm ? "" : "CPU lacks i8mm";
  }
  return "unknown path";
}

bool is_available(Isa isa) {
  return unavailable_reason(isa).empty();
}

std::vector<Isa> available_isas() {
  std::vector<Isa> available;
  for (Isa isa : all_isas()) {
    if (is_available(isa)) available.push_back(isa);
  }
  return available;
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
  return available_isas().back();  // all_isas() is ordered worst first
}

}  // namespace i8gemm
