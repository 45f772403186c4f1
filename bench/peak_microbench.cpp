#include "peak_microbench.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace i8gemm::bench {
namespace {

// Independent multiply-adds with opaque operands, so the compiler can neither vectorize the
// loop nor hoist the products out of it.
void scalar_loop(std::int64_t loops) {
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

const PeakKernel kScalar{Isa::scalar, "imul r32 + add r32", 6, scalar_loop};

#if defined(__x86_64__)

// Inline assembly rather than intrinsics: with intrinsics the compiler hoists the
// loop-invariant vpmaddwd out of the loop and only the vpaddd would be timed.
#define I8GEMM_ZERO_ZMM(i) "vpxord %%zmm" #i ", %%zmm" #i ", %%zmm" #i "\n\t"
#define I8GEMM_VPDPBUSD(i) "vpdpbusd %%zmm17, %%zmm16, %%zmm" #i "\n\t"
#define I8GEMM_MADD_ZMM(i, t)           \
  "vpmaddwd %%zmm17, %%zmm16, %%zmm" #t \
  "\n\t"                                \
  "vpaddd %%zmm" #t ", %%zmm" #i ", %%zmm" #i "\n\t"
#define I8GEMM_ZERO_YMM(i) "vpxor %%ymm" #i ", %%ymm" #i ", %%ymm" #i "\n\t"
#define I8GEMM_MADD_YMM(i, t)           \
  "vpmaddwd %%ymm15, %%ymm14, %%ymm" #t \
  "\n\t"                                \
  "vpaddd %%ymm" #t ", %%ymm" #i ", %%ymm" #i "\n\t"

#define I8GEMM_ZMM_CLOBBERS                                                                \
  "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", \
      "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17"
#define I8GEMM_YMM_CLOBBERS                                                                \
  "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", \
      "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

// 16 independent accumulators, more than vpdpbusd's latency times its throughput.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void avx512vnni_loop(std::int64_t loops) {
  asm volatile(
      I8GEMM_ZERO_ZMM(0) I8GEMM_ZERO_ZMM(1) I8GEMM_ZERO_ZMM(2) I8GEMM_ZERO_ZMM(3)
      I8GEMM_ZERO_ZMM(4) I8GEMM_ZERO_ZMM(5) I8GEMM_ZERO_ZMM(6) I8GEMM_ZERO_ZMM(7)
      I8GEMM_ZERO_ZMM(8) I8GEMM_ZERO_ZMM(9) I8GEMM_ZERO_ZMM(10) I8GEMM_ZERO_ZMM(11)
      I8GEMM_ZERO_ZMM(12) I8GEMM_ZERO_ZMM(13) I8GEMM_ZERO_ZMM(14) I8GEMM_ZERO_ZMM(15)
      "vpternlogd $0xff, %%zmm16, %%zmm16, %%zmm16\n\t"
      "vpternlogd $0xff, %%zmm17, %%zmm17, %%zmm17\n\t"
      "1:\n\t"
      I8GEMM_VPDPBUSD(0) I8GEMM_VPDPBUSD(1) I8GEMM_VPDPBUSD(2) I8GEMM_VPDPBUSD(3)
      I8GEMM_VPDPBUSD(4) I8GEMM_VPDPBUSD(5) I8GEMM_VPDPBUSD(6) I8GEMM_VPDPBUSD(7)
      I8GEMM_VPDPBUSD(8) I8GEMM_VPDPBUSD(9) I8GEMM_VPDPBUSD(10) I8GEMM_VPDPBUSD(11)
      I8GEMM_VPDPBUSD(12) I8GEMM_VPDPBUSD(13) I8GEMM_VPDPBUSD(14) I8GEMM_VPDPBUSD(15)
      "sub $1, %[n]\n\t"
      "jnz 1b\n\t"
      "vzeroupper\n\t"
      : [n] "+r"(loops)
      :
      : "cc", I8GEMM_ZMM_CLOBBERS);
}

// vpmaddwd on int16 pairs, then vpaddd into 12 accumulators; the temporaries are renamed.
__attribute__((target("avx512f,avx512bw"))) void avx512bw_loop(std::int64_t loops) {
  asm volatile(
      I8GEMM_ZERO_ZMM(0) I8GEMM_ZERO_ZMM(1) I8GEMM_ZERO_ZMM(2) I8GEMM_ZERO_ZMM(3)
      I8GEMM_ZERO_ZMM(4) I8GEMM_ZERO_ZMM(5) I8GEMM_ZERO_ZMM(6) I8GEMM_ZERO_ZMM(7)
      I8GEMM_ZERO_ZMM(8) I8GEMM_ZERO_ZMM(9) I8GEMM_ZERO_ZMM(10) I8GEMM_ZERO_ZMM(11)
      "vpternlogd $0xff, %%zmm16, %%zmm16, %%zmm16\n\t"
      "vpternlogd $0xff, %%zmm17, %%zmm17, %%zmm17\n\t"
      "1:\n\t"
      I8GEMM_MADD_ZMM(0, 12) I8GEMM_MADD_ZMM(1, 13) I8GEMM_MADD_ZMM(2, 14)
      I8GEMM_MADD_ZMM(3, 15) I8GEMM_MADD_ZMM(4, 12) I8GEMM_MADD_ZMM(5, 13)
      I8GEMM_MADD_ZMM(6, 14) I8GEMM_MADD_ZMM(7, 15) I8GEMM_MADD_ZMM(8, 12)
      I8GEMM_MADD_ZMM(9, 13) I8GEMM_MADD_ZMM(10, 14) I8GEMM_MADD_ZMM(11, 15)
      "sub $1, %[n]\n\t"
      "jnz 1b\n\t"
      "vzeroupper\n\t"
      : [n] "+r"(loops)
      :
      : "cc", I8GEMM_ZMM_CLOBBERS);
}

__attribute__((target("avx2"))) void avx2_loop(std::int64_t loops) {
  asm volatile(
      I8GEMM_ZERO_YMM(0) I8GEMM_ZERO_YMM(1) I8GEMM_ZERO_YMM(2) I8GEMM_ZERO_YMM(3)
      I8GEMM_ZERO_YMM(4) I8GEMM_ZERO_YMM(5) I8GEMM_ZERO_YMM(6) I8GEMM_ZERO_YMM(7)
      I8GEMM_ZERO_YMM(8) I8GEMM_ZERO_YMM(9) I8GEMM_ZERO_YMM(10) I8GEMM_ZERO_YMM(11)
      "vpcmpeqd %%ymm14, %%ymm14, %%ymm14\n\t"
      "vpcmpeqd %%ymm15, %%ymm15, %%ymm15\n\t"
      "1:\n\t"
      I8GEMM_MADD_YMM(0, 12) I8GEMM_MADD_YMM(1, 13) I8GEMM_MADD_YMM(2, 12)
      I8GEMM_MADD_YMM(3, 13) I8GEMM_MADD_YMM(4, 12) I8GEMM_MADD_YMM(5, 13)
      I8GEMM_MADD_YMM(6, 12) I8GEMM_MADD_YMM(7, 13) I8GEMM_MADD_YMM(8, 12)
      I8GEMM_MADD_YMM(9, 13) I8GEMM_MADD_YMM(10, 12) I8GEMM_MADD_YMM(11, 13)
      "sub $1, %[n]\n\t"
      "jnz 1b\n\t"
      "vzeroupper\n\t"
      : [n] "+r"(loops)
      :
      : "cc", I8GEMM_YMM_CLOBBERS);
}

const PeakKernel kAvx512vnni{Isa::avx512vnni, "vpdpbusd zmm", 16 * 64, avx512vnni_loop};
const PeakKernel kAvx512bw{Isa::avx512bw, "vpmaddwd zmm + vpaddd zmm", 12 * 32, avx512bw_loop};
const PeakKernel kAvx2{Isa::avx2, "vpmaddwd ymm + vpaddd ymm", 12 * 16, avx2_loop};

#endif  // __x86_64__

// CPU time of this thread, like the suite's timings: the two cores are shared, and wall time
// would count the time other processes hold the core.
struct ThreadCpuClock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<ThreadCpuClock>;
  static constexpr bool is_steady = true;
  static time_point now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
  }
};

double seconds_of(const PeakKernel& kernel, std::int64_t loops) {
  const auto start = ThreadCpuClock::now();
  kernel.run(loops);
  const auto stop = ThreadCpuClock::now();
  return std::chrono::duration<double>(stop - start).count();
}

}  // namespace

const PeakKernel* peak_kernel(Isa isa) {
  const CpuFeatures& cpu = cpu_features();
  switch (isa) {
    case Isa::scalar:
      return &kScalar;
#if defined(__x86_64__)
    case Isa::avx2:
      return cpu.avx2 ? &kAvx2 : nullptr;
    case Isa::avx512bw:
      return cpu.avx512f && cpu.avx512bw ? &kAvx512bw : nullptr;
    case Isa::avx512vnni:
      return cpu.avx512f && cpu.avx512bw && cpu.avx512vnni ? &kAvx512vnni : nullptr;
#endif
    default:
      (void)cpu;
      return nullptr;
  }
}

double measure_peak_gmacs(const PeakKernel& kernel) {
  constexpr double kRunSeconds = 0.02;
  constexpr int kRuns = 7;
  std::int64_t loops = 1 << 12;
  double seconds = seconds_of(kernel, loops);
  while (seconds < 2e-3) {
    loops *= 4;
    seconds = seconds_of(kernel, loops);
  }
  loops = std::max<std::int64_t>(1, static_cast<std::int64_t>(loops * kRunSeconds / seconds));
  double best = 0.0;
  for (int run = 0; run < kRuns; ++run) {
    const double gmacs =
        static_cast<double>(loops) * kernel.macs_per_loop * 1e-9 / seconds_of(kernel, loops);
    best = std::max(best, gmacs);
  }
  return best;
}

}  // namespace i8gemm::bench
