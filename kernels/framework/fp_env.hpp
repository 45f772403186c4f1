// The floating-point environment every result is computed in, whatever the caller's: round to
// nearest even, denormals kept (no flush-to-zero, no denormals-are-zero), exceptions masked.
// math.md's fp32 arithmetic assumes it, and it is what makes the paths and the oracle agree bit
// for bit when the caller has called fesetround() or set FTZ/DAZ (x86 MXCSR; FPCR.FZ on
// aarch64; elsewhere, e.g. riscv64, which has no flush modes, the rounding mode through
// <cfenv>). FpEnvGuard sets it for a scope and gives the caller's control bits back when the
// scope ends, also by an exception; status flags raised meanwhile stay raised, as after any
// other library call.
#pragma once

#include <cstdint>

#if !defined(__x86_64__) && !defined(__aarch64__)
#include <cfenv>
#endif
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace i8gemm::detail {

class FpEnvGuard {
 public:
  FpEnvGuard() noexcept { set(); }
  // Sets the environment only where `needed`: a call whose arithmetic is all integer (int32 or
  // fixed-point output of integer A) reads no part of it, and reading it is not free (stmxcsr,
  // about 8 ns of a 16^3 call on a Zen 5: gemm.cpp).
  explicit FpEnvGuard(bool needed) noexcept {
    if (needed) set();
  }
  ~FpEnvGuard() {
    if (!changed_) return;
#if defined(__x86_64__)
    _mm_setcsr(saved_ | (_mm_getcsr() & kMxcsrFlags));
#elif defined(__aarch64__)
    __asm__ volatile("msr fpcr, %0" : : "r"(saved_) : "memory");
#else
    std::fesetround(static_cast<int>(saved_));
#endif
  }
  FpEnvGuard(const FpEnvGuard&) = delete;
  FpEnvGuard& operator=(const FpEnvGuard&) = delete;

 private:
  void set() noexcept {
#if defined(__x86_64__)
    saved_ = _mm_getcsr();
    if ((saved_ & kMxcsrControl) != kMxcsrDefault) {
      _mm_setcsr(kMxcsrDefault | (saved_ & kMxcsrFlags));
      changed_ = true;
    }
#elif defined(__aarch64__)
    __asm__ volatile("mrs %0, fpcr" : "=r"(saved_) : : "memory");
    // FPCR holds control bits only (the flags live in FPSR); 0 is the IEEE default.
    if (saved_ != 0) {
      __asm__ volatile("msr fpcr, %0" : : "r"(std::uint64_t{0}) : "memory");
      changed_ = true;
    }
#else
    saved_ = static_cast<std::uint64_t>(std::fegetround());
    if (static_cast<int>(saved_) != FE_TONEAREST) {
      std::fesetround(FE_TONEAREST);
      changed_ = true;
    }
#endif
  }

#if defined(__x86_64__)
  // MXCSR: bits 0-5 are sticky exception flags; 6 DAZ, 7-12 exception masks, 13-14 rounding
  // control, 15 FTZ. The default: every exception masked, round to nearest, FTZ and DAZ off.
  static constexpr std::uint32_t kMxcsrFlags = 0x003F;
  static constexpr std::uint32_t kMxcsrControl = 0xFFC0;
  static constexpr std::uint32_t kMxcsrDefault = 0x1F80;
  std::uint32_t saved_ = 0;
#else
  std::uint64_t saved_ = 0;
#endif
  bool changed_ = false;
};

}  // namespace i8gemm::detail
