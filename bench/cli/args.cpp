#include "cli/args.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace i8gemm::cli {

Options::Options(const std::vector<std::string>& args, const std::vector<std::string>& allowed) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + arg + "'");
    std::string name = arg.substr(2), value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else {
      if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value");
      value = args[++i];
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      throw UsageError("unknown option --" + name);
    }
    values_[name] = value;
  }
}

std::string Options::get(const std::string& name, const std::string& fallback) const {
  const auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

std::int64_t Options::get_int(const std::string& name, std::int64_t fallback, std::int64_t lo,
                              std::int64_t hi) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  const std::string& s = it->second;
  const bool digits =
      !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  errno = 0;
  const long long v = digits ? std::strtoll(s.c_str(), nullptr, 10) : 0;
  if (!digits || errno == ERANGE || v < lo || v > hi) {
    throw UsageError("--" + name + ": '" + s + "' is not a whole number in [" + std::to_string(lo) +
                     ", " + std::to_string(hi) + "]");
  }
  return v;
}

}  // namespace i8gemm::cli
