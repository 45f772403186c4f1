// The loop every x86 micro-kernel shares: an MR x (2 vectors) tile of int32 accumulators; per
// K group, two vectors of B (each column's group contiguous) and one broadcast of each A row's
// group, multiplied by the ISA's dot-product step. Included by each ISA's kernels file, so it
// is compiled with that ISA's flags only.
//
// Isa provides: Vec, kLanes (int32 lanes per Vec), kBStep (bytes of B per K group), zero(),
// load(const void*), load_b(const void*) (one B vector from kBStep / 2 bytes), store(void*, Vec),
// broadcast(std::int32_t), add(Vec, Vec) and dot(Vec acc, Vec a, Vec b) = acc + the K group's
// products.
//
// Each kernel has a second form, kPrefetchB, that asks for the B lines kBPrefetchBytes ahead of
// the ones it loads. The driver runs it on the first row panel of each column when B does not
// stay in L2 between calls (driver.cpp), where that panel streams in from L3 or memory: one
// sequential stream, which the hardware prefetchers alone run too few lines ahead of to cover
// L3's latency. Measured on this project's Xeon (48 KiB L1D, 2 MiB L2; calls alternating in one
// process with the plain kernel, A and C rotated through memory, medians of the pairs, new / old
// time): avx512vnni 1 x 4096^2 0.97, 4 x 4096^2 0.91, 16 x 4096^2 0.89, 128 x 4096^2 0.92;
// avx2 0.94, 0.82, 0.81, 0.95; avx512bw 0.96, 0.85, 0.77, 0.93; avxvnni 0.94, 0.86, 0.92, 0.94;
// amx (its one- and two-row calls run avx512vnni's kernels) 1 x 4096^2 0.97, 2 x 4096^2 0.94,
// 1 x 8192^2 0.97. Prefetching in every row panel gained no more, and 2,048 or 8,192 bytes ahead
// about the same (avx512vnni 4 x 4096^2: 1,024 0.94, 2,048 0.91, 4,096 0.91, 8,192 0.91). Where
// B stays in L2 the prefetches only take load slots: with them in every call, 1 x 1024^2 (1 MiB
// of B) ran 1.04 and 4 x 2048^2 (4 MiB) 1.02 of the time, and from 8 MiB on they paid
// (4 x 4096 x 2048: 0.96). amx's own tile kernels gained nothing from the same prefetches (4 and
// 16 x 4096^2: 1.00, 0.98; 128 x 4096^2 1.08) and have no such form.
//
// A K group's requests are prefetch_span's, one per 64 bytes of its B without a loop over the
// lines; the loop (prefetch_lines) asked for the same lines but doubled the one-row avx2
// kernel's instructions, and on a Zen 2 (512 KiB L2) its GEMVs of 2-8 MiB of B, which come back
// from L3, took 1.5-1.7 the time of the plain kernel. i8gemm bench, old and new binaries
// alternating, 9 rounds, medians, new / old time: 1 x 1024 x 2048 0.65, 1 x 2048^2 0.58,
// 1 x 4096 x 2048 0.65; from memory 1 x 4096^2 and 1 x 8192^2 1.01, 4 and 16 x 4096^2 1.00. One
// request per trip of the K loop for its kSets groups instead read B from memory 1.10-1.15 the
// time, for a reason not found.
#pragma once

#include "framework/isa_namespace.hpp"
#include "framework/prefetch.hpp"

#include <cstddef>
#include <cstdint>

namespace i8gemm::detail::I8GEMM_ISA_NS {

constexpr std::uintptr_t kBPrefetchBytes = 4096;

template <class Isa, int kMr, bool kPrefetchB>
void ukernel_broadcast(std::size_t k_groups, const void* a_panel, const void* b_panel,
                       std::int32_t* c, std::size_t ldc, bool accumulate) {
  using Vec = typename Isa::Vec;
  // With few rows the 2 x MR accumulator chains are too few to hide the dot product's latency:
  // short kernels keep kSets independent sets over consecutive K groups and add them at the end.
  constexpr int kSets = kMr >= 4 ? 1 : 4 / kMr;
  const auto* a = static_cast<const std::int32_t*>(a_panel);  // one row's K group per int32
  const auto* b = static_cast<const char*>(b_panel);
  Vec acc[kSets][kMr][2];
#pragma GCC unroll 16
  for (int s = 0; s < kSets; ++s) {
#pragma GCC unroll 16
    for (int r = 0; r < kMr; ++r) acc[s][r][0] = acc[s][r][1] = Isa::zero();
  }
  auto step = [&](int s) {
    if constexpr (kPrefetchB) {
      // An integer address: the lines ahead may lie past the panel's allocation.
      prefetch_span<Isa::kBStep>(reinterpret_cast<std::uintptr_t>(b) + kBPrefetchBytes);
    }
    const Vec b0 = Isa::load_b(b);
    const Vec b1 = Isa::load_b(b + Isa::kBStep / 2);
#pragma GCC unroll 16
    for (int r = 0; r < kMr; ++r) {
      const Vec av = Isa::broadcast(a[r]);
      acc[s][r][0] = Isa::dot(acc[s][r][0], av, b0);
      acc[s][r][1] = Isa::dot(acc[s][r][1], av, b1);
    }
    a += kMr;
    b += Isa::kBStep;
  };
  std::size_t g = 0;
  for (; g + kSets <= k_groups; g += kSets) {
#pragma GCC unroll 4
    for (int s = 0; s < kSets; ++s) step(s);
  }
  for (; g < k_groups; ++g) step(0);
#pragma GCC unroll 16
  for (int r = 0; r < kMr; ++r) {
#pragma GCC unroll 4
    for (int s = 1; s < kSets; ++s) {
      acc[0][r][0] = Isa::add(acc[0][r][0], acc[s][r][0]);
      acc[0][r][1] = Isa::add(acc[0][r][1], acc[s][r][1]);
    }
    std::int32_t* row = c + static_cast<std::size_t>(r) * ldc;
    if (accumulate) {
      acc[0][r][0] = Isa::add(acc[0][r][0], Isa::load(row));
      acc[0][r][1] = Isa::add(acc[0][r][1], Isa::load(row + Isa::kLanes));
    }
    Isa::store(row, acc[0][r][0]);
    Isa::store(row + Isa::kLanes, acc[0][r][1]);
  }
}

// A path's kMr-row micro-kernel `fn` and its B-prefetching form `prefetching_fn` (one function
// each for both A types).
#define I8GEMM_BROADCAST_UKERNELS(Isa, kMr, fn, prefetching_fn)                                \
  void fn(std::size_t k_units, const void* a, const void* b, std::int32_t* c, std::size_t ldc, \
          bool accumulate) {                                                                   \
    ukernel_broadcast<Isa, kMr, false>(k_units, a, b, c, ldc, accumulate);                     \
  }                                                                                            \
  void prefetching_fn(std::size_t k_units, const void* a, const void* b, std::int32_t* c,      \
                      std::size_t ldc, bool accumulate) {                                      \
    ukernel_broadcast<Isa, kMr, true>(k_units, a, b, c, ldc, accumulate);                      \
  }

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
