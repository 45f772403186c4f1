// Sub-commands of the `i8gemm` command-line tool. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace i8gemm::cli {

int run_info(const std::vector<std::string>& args);
int run_bench(const std::vector<std::string>& args);
int run_verify(const std::vector<std::string>& args);
// Every path and the oracle in one table (compare.cpp); `i8gemm bench --isa all` runs it too.
int run_compare(const std::vector<std::string>& args);
bool asks_for_every_path(const std::vector<std::string>& args);

}  // namespace i8gemm::cli
