// Tests parameterized over ISA paths. Every registered path gets its own test named after it
// (e.g. Path/GemmPath.RandomShapes/avx512vnni), so `ctest -N` lists each path, and a path this
// host cannot run skips with the reason.
#pragma once

#include <gtest/gtest.h>

#include <ostream>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm {
// GoogleTest prints a path by its name.
inline void PrintTo(Isa isa, std::ostream* os) {
  *os << isa_name(isa);
}
}  // namespace i8gemm

namespace i8gemm::testing {

class IsaTest : public ::testing::TestWithParam<Isa> {
 protected:
  void SetUp() override {
    const std::string reason = unavailable_reason(GetParam());
    if (!reason.empty()) GTEST_SKIP() << isa_name(GetParam()) << " skipped: " << reason;
  }
};

inline std::string isa_param_name(const ::testing::TestParamInfo<Isa>& info) {
  return isa_name(info.param);
}

}  // namespace i8gemm::testing

// One instantiation per registered path (i8gemm/paths.inc), built here or not:
// Path/<suite>.<test>/<path>.
#define I8GEMM_INSTANTIATE_FOR_EVERY_ISA(suite)                                    \
  INSTANTIATE_TEST_SUITE_P(Path, suite, ::testing::ValuesIn(::i8gemm::all_isas()), \
                           ::i8gemm::testing::isa_param_name)
