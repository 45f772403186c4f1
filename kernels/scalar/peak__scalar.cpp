// The scalar path's peak loop: independent 32-bit multiply-adds with opaque operands, so the
// compiler can neither vectorize the loop nor hoist the products out of it.
#include "framework/path_definition.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {
namespace {

void peak_loop(std::int64_t loops) {
  std::uint32_t a0 = 3, a1 = 5, a2 = 7, b0 = 11, b1 = 13;
  std::uint32_t c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
  asm volatile("" : "+r"(b0), "+r"(b1));
  for (std::int64_t i = 0; i < loops; ++i) {
    asm volatile("" : "+r"(a0), "+r"(a1), "+r"(a2));
    c0 += a0 * b0;
    c1 += a1 * b0;
    c2 += a2 * b0;
    c3 += a0 * b1;
    c4 += a1 * b1;
    c5 += a2 * b1;
  }
  asm volatile("" : : "r"(c0 + c1 + c2 + c3 + c4 + c5));
}

}  // namespace

extern constexpr PeakLoop i8gemm_peak__scalar = {"mul r32 + add r32", 6, peak_loop};

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
