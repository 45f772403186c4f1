// The CPU's cache sizes, for the blocking model (blocking.cpp).
#include <cstdio>
#include <fstream>
#include <string>

#include "framework/cache_sizes.hpp"
#include "i8gemm/i8gemm.hpp"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#endif

namespace i8gemm {
namespace {

// Used where neither CPUID nor sysfs tells (and for an L3 they leave unknown): a typical core of
// the last decade.
constexpr CacheSizes kDefaults{32 << 10, 1 << 20, 8 << 20, "defaults"};

void record(CacheSizes& c, int level, bool data_or_unified, std::size_t size, unsigned sharing) {
  if (!data_or_unified || size == 0) return;
  const std::size_t per_core = size / (sharing == 0 ? 1 : sharing);
  if (level == 1) c.l1d = per_core;
  if (level == 2) c.l2 = per_core;
  if (level == 3) c.l3 = per_core;
}

#if defined(__x86_64__) || defined(_M_X64)
constexpr unsigned kAuthenticAmd = 0x68747541;  // CPUID 0's EBX: "Auth"enticAMD

// Where leaf 0x8000001D is empty (a hypervisor hiding TOPOEXT) and sysfs is absent.
bool from_amd_legacy_leaves(CacheSizes& c) {
  unsigned eax, ebx, leaf5_ecx, leaf6_ecx, edx;
  if (!__get_cpuid(0, &eax, &ebx, &leaf5_ecx, &edx) || ebx != kAuthenticAmd) return false;
  if (static_cast<unsigned>(__get_cpuid_max(0x80000000, nullptr)) < 0x80000006u) return false;
  __cpuid(0x80000005, eax, ebx, leaf5_ecx, edx);
  __cpuid(0x80000006, eax, ebx, leaf6_ecx, edx);
  c = detail::decode_amd_legacy_cache_leaves(leaf5_ecx, leaf6_ecx);
  return c.l1d != 0 && c.l2 != 0;
}

// CPUID's deterministic cache parameters: leaf 4 on Intel, 0x8000001D on AMD (same layout).
bool from_cpuid(CacheSizes& c) {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return false;
  const bool amd = ebx == kAuthenticAmd;
  unsigned leaf = 4;
  if (amd) {
    // (GCC's cpuid.h returns unsigned, Clang's int.)
    if (static_cast<unsigned>(__get_cpuid_max(0x80000000, nullptr)) < 0x8000001Du) return false;
    leaf = 0x8000001D;
  } else if (eax < 4) {
    return false;
  }
  for (unsigned i = 0; i < 16; ++i) {
    __cpuid_count(leaf, i, eax, ebx, ecx, edx);
    const unsigned type = eax & 31;  // 1 data, 2 instruction, 3 unified, 0 no more
    if (type == 0) break;
    const int level = static_cast<int>((eax >> 5) & 7);
    const unsigned sharing = ((eax >> 14) & 0xfff) + 1;
    const std::size_t size = std::size_t{((ebx >> 22) & 0x3ff) + 1} * (((ebx >> 12) & 0x3ff) + 1) *
                             ((ebx & 0xfff) + 1) * (std::size_t{ecx} + 1);
    record(c, level, type == 1 || type == 3, size, sharing);
  }
  return c.l1d != 0 && c.l2 != 0;
}
#endif

// Linux: /sys/devices/system/cpu/cpu0/cache/index*/{level,type,size,shared_cpu_list}.
bool from_sysfs(CacheSizes& c) {
  for (int i = 0; i < 16; ++i) {
    const std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(i) + "/";
    std::ifstream level_file(dir + "level"), type_file(dir + "type"), size_file(dir + "size");
    int level = 0;
    std::string type, size;
    if (!(level_file >> level) || !(type_file >> type) || !(size_file >> size)) break;
    std::size_t bytes = std::stoul(size);
    if (size.back() == 'K') bytes <<= 10;
    if (size.back() == 'M') bytes <<= 20;
    // shared_cpu_list, e.g. "0-1,4-5": count the CPUs.
    unsigned sharing = 0;
    std::ifstream list(dir + "shared_cpu_list");
    std::string part;
    while (std::getline(list, part, ',')) {
      unsigned lo = 0, hi = 0;
      const int n = std::sscanf(part.c_str(), "%u-%u", &lo, &hi);
      sharing += n == 2 ? hi - lo + 1 : n == 1 ? 1 : 0;
    }
    record(c, level, type == "Data" || type == "Unified", bytes, sharing);
  }
  return c.l1d != 0 && c.l2 != 0;
}

CacheSizes detect() {
  CacheSizes c;
#if defined(__x86_64__) || defined(_M_X64)
  if (from_cpuid(c)) {
    c.source = "cpuid";
    if (c.l3 == 0) c.l3 = kDefaults.l3;
    return c;
  }
  c = CacheSizes{};
#endif
  try {
    if (from_sysfs(c)) {
      c.source = "sysfs";
      if (c.l3 == 0) c.l3 = c.l2;  // no L3 (some ARM cores): the L2 is the last level
      return c;
    }
  } catch (const std::exception&) {  // an unparsable size: fall back
  }
#if defined(__x86_64__) || defined(_M_X64)
  if (from_amd_legacy_leaves(c)) {
    c.l3 = kDefaults.l3;
    return c;
  }
#endif
  return kDefaults;
}

}  // namespace

CacheSizes detail::decode_amd_legacy_cache_leaves(std::uint32_t leaf5_ecx,
                                                  std::uint32_t leaf6_ecx) {
  CacheSizes c;
  c.l1d = std::size_t{leaf5_ecx >> 24} << 10;  // ECX[31:24]: L1D in KiB
  c.l2 = std::size_t{leaf6_ecx >> 16} << 10;   // ECX[31:16]: L2 in KiB
  c.source = "cpuid 0x80000005/6; L3 default";
  return c;
}

const CacheSizes& cache_sizes() {
  static const CacheSizes sizes = detect();
  return sizes;
}

}  // namespace i8gemm
