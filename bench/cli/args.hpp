// Strict parsing of `--name value` options: a malformed number or an unknown option is an
// error naming it, never a crash or a silent default.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace i8gemm::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Options {
 public:
  // `allowed` lists the option names (without dashes) the command accepts.
  Options(const std::vector<std::string>& args, const std::vector<std::string>& allowed);
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string get(const std::string& name, const std::string& fallback) const;
  // A decimal integer in [lo, hi].
  std::int64_t get_int(const std::string& name, std::int64_t fallback, std::int64_t lo,
                       std::int64_t hi) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace i8gemm::cli
