// Tests parameterized over ISA paths. Every path gets its own instantiation named after it
// (e.g. avx512vnni/GemmPath.RandomShapes/avx512vnni), so `ctest -N` lists each path, and a
// path this host cannot run skips with the reason.
#pragma once

#include <gtest/gtest.h>

#include <ostream>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm {
// GoogleTest prints a path by its name.
inline void PrintTo(Isa isa, std::ostream* os) { *os << isa_name(isa); }
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

#define I8GEMM_INSTANTIATE_ONE(suite, isa_)                                     \
  INSTANTIATE_TEST_SUITE_P(isa_, suite, ::testing::Values(::i8gemm::Isa::isa_), \
                           ::i8gemm::testing::isa_param_name)
#define I8GEMM_INSTANTIATE_FOR_EVERY_ISA(suite) \
  I8GEMM_INSTANTIATE_ONE(suite, scalar);        \
  I8GEMM_INSTANTIATE_ONE(suite, avx2);          \
  I8GEMM_INSTANTIATE_ONE(suite, avx512bw);      \
  I8GEMM_INSTANTIATE_ONE(suite, avx512vnni);    \
  I8GEMM_INSTANTIATE_ONE(suite, neon);          \
  I8GEMM_INSTANTIATE_ONE(suite, neon_dotprod);  \
  I8GEMM_INSTANTIATE_ONE(suite, neon_i8mm)
