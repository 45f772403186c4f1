// Run-time CPU feature detection. xsimd reports AVX2 and AVX-512F/CD/DQ/BW from cpuid, but
// 8.1 neither asks the OS (xgetbv) whether it saves the wide registers nor knows AVX-512VL,
// VNNI, dotprod or i8mm: those few bits come from cpuid/xgetbv and getauxval here.
#include <string>
#include <utility>

#include <xsimd/xsimd.hpp>

#include "framework/cpu_feature_names.hpp"
#include "i8gemm/i8gemm.hpp"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif
#elif defined(__aarch64__) && defined(__linux__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

namespace i8gemm {
namespace {

#if defined(__x86_64__) || defined(_M_X64)
std::uint64_t xgetbv0() {
  std::uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (std::uint64_t{edx} << 32) | eax;
}

// Why AMX is unusable here although the CPU has it ("" when it is usable or absent).
std::string& amx_refusal() {
  static std::string why;
  return why;
}

// AMX needs more than the CPU bits: the OS must save tile state (XCR0 bits 17, 18), and Linux
// (5.16 on) keeps tile data off until the process asks for it with
// arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA): before that the first tile instruction
// raises SIGILL. The grant is per process and permanent, so detection asks once. An older kernel
// (EINVAL: it does not save tile data at all), a seccomp filter or a hypervisor without guest AMX
// refuses, and then the feature is off, with the reason kept for `i8gemm info`.
bool amx_permitted(std::uint64_t xcr0) {
  constexpr std::uint64_t kTileBits = (std::uint64_t{1} << 17) | (std::uint64_t{1} << 18);
  if ((xcr0 & kTileBits) != kTileBits) {
    amx_refusal() = "the OS does not enable AMX tile state (XCR0 bits 17/18)";
    return false;
  }
#if defined(__linux__)
  constexpr long kArchReqXcompPerm = 0x1023;
  constexpr long kXfeatureXtiledata = 18;
  if (syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) != 0) {
    amx_refusal() =
        std::string("the kernel refused AMX tile data permission: ") + std::strerror(errno);
    return false;
  }
#endif
  return true;
}

CpuFeatures detect() {
  CpuFeatures f;
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
  const bool osxsave = (ecx >> 27) & 1;
  if (!osxsave) return f;
  const std::uint64_t xcr0 = xgetbv0();
  const bool os_ymm = (xcr0 & 0x6) == 0x6;              // XMM and YMM state
  const bool os_zmm = os_ymm && (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM
  if (__get_cpuid_max(0, nullptr) < 7) return f;
  const auto xs = xsimd::available_architectures();
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  f.avx2 = os_ymm && xs.avx2;
  f.avx512f = os_zmm && xs.avx512f;
  f.avx512dq = f.avx512f && xs.avx512dq;
  f.avx512cd = f.avx512f && xs.avx512cd;
  f.avx512bw = f.avx512f && xs.avx512bw;
  f.avx512vl = f.avx512f && ((ebx >> 31) & 1);
  f.avx512vnni = f.avx512f && ((ecx >> 11) & 1);
  if (((edx >> 24) & 1) && ((edx >> 25) & 1) && amx_permitted(xcr0)) {  // AMX-TILE, AMX-INT8
    f.amx_tile = f.amx_int8 = true;
  }
  if (eax >= 1) {  // leaf 7's highest subleaf
    unsigned eax1, ebx1, ecx1, edx1;
    __cpuid_count(7, 1, eax1, ebx1, ecx1, edx1);
    f.avxvnni = f.avx2 && ((eax1 >> 4) & 1);  // VEX-encoded vpdpbusd on xmm/ymm
  }
  return f;
}
#elif defined(__aarch64__) && defined(__linux__)
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif
#ifndef HWCAP2_I8MM
#define HWCAP2_I8MM (1 << 13)
#endif
CpuFeatures detect() {
  CpuFeatures f;
  const unsigned long hwcap = getauxval(AT_HWCAP);
  const unsigned long hwcap2 = getauxval(AT_HWCAP2);
  f.neon = (hwcap & HWCAP_ASIMD) != 0;
  f.dotprod = f.neon && (hwcap & HWCAP_ASIMDDP) != 0;
  f.i8mm = f.neon && (hwcap2 & HWCAP2_I8MM) != 0;
  return f;
}
#else
CpuFeatures detect() {
  return CpuFeatures{};
}
#endif

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

namespace detail {
namespace {
struct NamedFeature {
  bool CpuFeatures::*member;
  const char* name;
};
constexpr NamedFeature kFeatureNames[] = {{&CpuFeatures::avx2, "avx2"},
                                          {&CpuFeatures::avx512f, "avx512f"},
                                          {&CpuFeatures::avx512cd, "avx512cd"},
                                          {&CpuFeatures::avx512dq, "avx512dq"},
                                          {&CpuFeatures::avx512bw, "avx512bw"},
                                          {&CpuFeatures::avx512vl, "avx512vl"},
                                          {&CpuFeatures::avx512vnni, "avx512_vnni"},
                                          {&CpuFeatures::avxvnni, "avx_vnni"},
                                          {&CpuFeatures::amx_tile, "amx_tile"},
                                          {&CpuFeatures::amx_int8, "amx_int8"},
                                          {&CpuFeatures::neon, "neon"},
                                          {&CpuFeatures::dotprod, "dotprod"},
                                          {&CpuFeatures::i8mm, "i8mm"}};
}  // namespace

std::string cpu_feature_note(bool CpuFeatures::*feature) {
#if defined(__x86_64__) || defined(_M_X64)
  cpu_features();
  if (feature == &CpuFeatures::amx_tile || feature == &CpuFeatures::amx_int8) return amx_refusal();
#else
  (void)feature;
#endif
  return "";
}

const char* cpu_feature_name(bool CpuFeatures::*feature) {
  for (const NamedFeature& f : kFeatureNames) {
    if (f.member == feature) return f.name;
  }
  return "?";
}
}  // namespace detail

std::string cpu_features_string() {
  const CpuFeatures& f = cpu_features();
  std::string s;
  for (const detail::NamedFeature& named : detail::kFeatureNames) {
    if (!(f.*named.member)) continue;
    if (!s.empty()) s += ' ';
    s += named.name;
  }
  return s.empty() ? "(none beyond the baseline)" : s;
}

}  // namespace i8gemm
