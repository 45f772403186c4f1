// A hostile caller's floating-point environment for the tests: one of the four rounding modes
// (fesetround) with flush-to-zero and denormals-are-zero on or off (MXCSR FTZ/DAZ on x86-64,
// FPCR.FZ on aarch64), set for a scope.
#pragma once

#include <cfenv>
#include <cstdint>
#include <string>
#include <vector>

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace i8gemm::testing {

struct FpMode {
  int rounding;  // FE_TONEAREST, FE_UPWARD, FE_DOWNWARD or FE_TOWARDZERO
  bool flush;    // FTZ and DAZ (x86-64) / FZ (aarch64)
  std::string name() const {
    const char* r = rounding == FE_UPWARD       ? "upward"
                    : rounding == FE_DOWNWARD   ? "downward"
                    : rounding == FE_TOWARDZERO ? "toward_zero"
                                                : "to_nearest";
    return std::string(r) + (flush ? "+ftz/daz" : "");
  }
};

// Whether the CPU has a flush-to-zero control the tests can set (riscv64, for one, has none:
// its denormals are always kept).
#if defined(__x86_64__) || defined(__aarch64__)
constexpr bool kHasFlushControl = true;
#else
constexpr bool kHasFlushControl = false;
#endif

// Every rounding mode, with and without flushing denormals where the CPU can flush them.
inline std::vector<FpMode> all_fp_modes() {
  std::vector<FpMode> modes;
  for (int r : {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO}) {
    modes.push_back({r, false});
    if (kHasFlushControl) modes.push_back({r, true});
  }
  return modes;
}

// Whether denormals are flushed in the calling thread right now.
inline bool flush_enabled() {
#if defined(__x86_64__)
  return (_mm_getcsr() & 0x8040u) != 0;  // FTZ (bit 15) or DAZ (bit 6)
#elif defined(__aarch64__)
  std::uint64_t fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  return (fpcr >> 24) & 1;
#else
  return false;
#endif
}

inline void set_flush(bool on) {
#if defined(__x86_64__)
  const unsigned bits = 0x8040u;
  _mm_setcsr(on ? (_mm_getcsr() | bits) : (_mm_getcsr() & ~bits));
#elif defined(__aarch64__)
  std::uint64_t fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  fpcr = on ? (fpcr | (std::uint64_t{1} << 24)) : (fpcr & ~(std::uint64_t{1} << 24));
  __asm__ volatile("msr fpcr, %0" : : "r"(fpcr));
#else
  (void)on;
#endif
}

// Sets `mode` in the calling thread until the end of the scope.
class CallerFpMode {
 public:
  explicit CallerFpMode(const FpMode& mode) : saved_rounding_(std::fegetround()) {
    std::fesetround(mode.rounding);
    set_flush(mode.flush);
  }
  ~CallerFpMode() {
    set_flush(false);
    std::fesetround(saved_rounding_);
  }
  CallerFpMode(const CallerFpMode&) = delete;
  CallerFpMode& operator=(const CallerFpMode&) = delete;

 private:
  int saved_rounding_;
};

}  // namespace i8gemm::testing
