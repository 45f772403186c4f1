// Checks that a call is refused with an i8gemm::Error whose message contains `needle` (the
// argument's name, usually with its value).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::testing {

template <typename F>
void expect_error(F&& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "expected an Error mentioning '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
        << "message '" << e.what() << "' lacks '" << needle << "'";
  }
}

}  // namespace i8gemm::testing
