// The loop every x86 micro-kernel shares: an MR x (2 vectors) tile of int32 accumulators; per
// K group, two vectors of B (each column's group contiguous) and one broadcast of each A row's
// group, multiplied by the ISA's dot-product step. Included by each ISA's kernels file, so it
// is compiled with that ISA's flags only.
//
// Isa provides: Vec, kLanes (int32 lanes per Vec), kBStep (bytes of B per K group), zero(),
// load(const void*), store(void*, Vec), broadcast(std::int32_t), add(Vec, Vec) and
// dot(Vec acc, Vec a, Vec b) = acc + the K group's products.
#pragma once

#include "framework/isa_namespace.hpp"

#include <cstddef>
#include <cstdint>

namespace i8gemm::detail::I8GEMM_ISA_NS {

template <class Isa, int kMr>
void ukernel_broadcast(std::size_t k_groups, const void* a_panel, const void* b_panel,
                       std::int32_t* c, bool accumulate) {
  using Vec = typename Isa::Vec;
  constexpr int kNr = 2 * Isa::kLanes;
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
    const Vec b0 = Isa::load(b);
    const Vec b1 = Isa::load(b + Isa::kBStep / 2);
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
    std::int32_t* row = c + r * kNr;
    if (accumulate) {
      acc[0][r][0] = Isa::add(acc[0][r][0], Isa::load(row));
      acc[0][r][1] = Isa::add(acc[0][r][1], Isa::load(row + Isa::kLanes));
    }
    Isa::store(row, acc[0][r][0]);
    Isa::store(row + Isa::kLanes, acc[0][r][1]);
  }
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
