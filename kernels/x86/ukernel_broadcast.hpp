// The loop every x86 micro-kernel shares: an MR x (2 vectors) tile of int32 accumulators (or of
// the first vector alone, where the direct form meets a narrow panel); per K group, two vectors of
// B (each column's group contiguous) and one broadcast of each A row's group, multiplied by the
// ISA's dot-product step. Included by each ISA's kernels file, so it is compiled with that ISA's
// flags only.
//
// Isa provides: Vec, kLanes (int32 lanes per Vec), kBStep (bytes of B per K group), zero(),
// load(const void*), load_b(const void*) (one B vector from kBStep / 2 bytes), store(void*, Vec),
// broadcast(std::int32_t), add(Vec, Vec) and dot(Vec acc, Vec a, Vec b) = acc + the K group's
// products; for the direct forms (K groups of 4 bytes) also flip_bytes(Vec) (each byte's top bit
// flipped: int8 as the packed form's A + 128).
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
// about the same there (avx512vnni 4 x 4096^2: 1,024 0.94, 2,048 0.91, 4,096 0.91, 8,192 0.91);
// on a Zen 5 (1 MiB L2) 8,192 bytes ahead ran faster than 4,096 (avx512vnni, binaries
// alternating, pinned, 9 rounds, medians, 8,192 / 4,096 time: 4 x 4096^2 0.94, 16 x 4096^2 0.97,
// 1 x 8192^2 0.98, 1 x 4096^2 0.99, 128 x 4096^2 0.99; avx2 1.00), and 16,384 no faster. Where
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
#include <cstring>
#include <type_traits>

namespace i8gemm::detail::I8GEMM_ISA_NS {

constexpr std::uintptr_t kBPrefetchBytes = 8192;

// A's K groups as the loop below reads them: row r's group (4 bytes, or 2 int16) of the current
// K group broadcast to a vector, then on to the next group.
// A packed panel (pack.cpp, or the path's packer): MR rows' groups side by side.
template <int kMr>
struct PackedPanelA {
  const std::int32_t* a;
  template <class Isa>
  typename Isa::Vec broadcast(int r) const {
    return Isa::broadcast(a[r]);
  }
  void next() { a += kMr; }
};

// A's rows where they lie, for the direct form (path_config.hpp, DirectUkernelFn; the vpdpbusd
// paths, K groups of 4 bytes): kMr row pointers, those past the valid rows repeating the last
// valid one (its tile rows are computed but never written out), and the K byte of the current
// group. int8 A (kSignedA) becomes the packed form's A + 128 by its top bits flipped, after the
// broadcast (Isa::flip_bytes), so that the group is broadcast straight from memory: flipped in a
// general register first, the broadcast from it made avx512vnni's direct 64^3 call as slow as
// packing on a Zen 5.
template <class Isa, int kMr, bool kSignedA>
struct RowsOfA {
  const std::uint8_t* row[kMr];
  std::size_t at = 0;
  RowsOfA(const std::uint8_t* a, std::size_t lda, int rows) {
#pragma GCC unroll 16
    for (int r = 0; r < kMr; ++r)
      row[r] = a + static_cast<std::size_t>(r < rows ? r : rows - 1) * lda;
  }
  // The group of 4 bytes at p as the packed panel has it, broadcast.
  static typename Isa::Vec broadcast_group(const std::uint8_t* p) {
    std::int32_t x;
    std::memcpy(&x, p, 4);
    const typename Isa::Vec v = Isa::broadcast(x);
    return kSignedA ? Isa::flip_bytes(v) : v;
  }
  template <class>
  typename Isa::Vec broadcast(int r) const {
    return broadcast_group(row[r] + at);
  }
  void next() {
    at += 4;
  }
};

// The last, partial K group of RowsOfA: the `bytes` (1 to 3) bytes of each row from K byte `at`
// and zeros after them, gathered before the loop, so that nothing past a row's K is read.
// (The zeros, flipped or not, meet B's zero padding. Byte loads, not a memcpy of `bytes`: that
// is a call into libc, around which the accumulators are spilled.)
template <class Isa, int kMr, bool kSignedA>
struct TailOfA {
  std::uint8_t group[kMr][4] = {};
  TailOfA(const RowsOfA<Isa, kMr, kSignedA>& rows, std::size_t at, std::size_t bytes) {
#pragma GCC unroll 16
    for (int r = 0; r < kMr; ++r) {
#pragma GCC unroll 3
      for (std::size_t i = 0; i < 3; ++i) {
        if (i < bytes) group[r][i] = rows.row[r][at + i];
      }
    }
  }
  template <class>
  typename Isa::Vec broadcast(int r) const {
    return RowsOfA<Isa, kMr, kSignedA>::broadcast_group(group[r]);
  }
  void next() {}
};

// T, in a parameter that does not deduce it (std::type_identity_t before C++20).
template <class T>
using NoDeduction = typename std::enable_if<true, T>::type;

// The tile over k_groups whole K groups from `a` (a reader above) and, unless Tail is void, the
// group after them from `tail`, which is multiplied first: after the loop, GCC kept the
// accumulators in copies and spilled some in the loop (as with a runtime test of `tail` in the
// packed kernels, where avx512vnni's 16 x 4096^2 ran 1.25 of its time).
template <class Isa, int kMr, bool kPrefetchB, class A, class Tail = void, int kVecs = 2>
void ukernel_broadcast(std::size_t k_groups, A a, const NoDeduction<Tail>* tail,
                       const void* b_panel, std::int32_t* c, std::size_t ldc, bool accumulate) {
  using Vec = typename Isa::Vec;
  static_assert(kVecs == 1 || kVecs == 2, "a tile is the panel's two vectors, or its first");
  // With few rows the kVecs x MR accumulator chains are too few to hide the dot product's
  // latency: short kernels keep kSets independent sets over consecutive K groups and add them at
  // the end (at least 8 chains, as the 4-row kernel has).
  constexpr int kSets = kMr * kVecs >= 8 ? 1 : 8 / (kMr * kVecs);
  const auto* b = static_cast<const char*>(b_panel);
  Vec acc[kSets][kMr][kVecs];
#pragma GCC unroll 16
  for (int s = 0; s < kSets; ++s) {
#pragma GCC unroll 16
    for (int r = 0; r < kMr; ++r) {
#pragma GCC unroll 2
      for (int v = 0; v < kVecs; ++v) acc[s][r][v] = Isa::zero();
    }
  }
  // One K group: set s of the accumulators, A's groups from `groups`, B's from `b_group`.
  auto step = [&](int s, auto& groups, const char* b_group) {
    if constexpr (kPrefetchB) {
      // An integer address: the lines ahead may lie past the panel's allocation.
      prefetch_span<Isa::kBStep>(reinterpret_cast<std::uintptr_t>(b_group) + kBPrefetchBytes);
    }
    Vec bv[kVecs];
#pragma GCC unroll 2
    for (int v = 0; v < kVecs; ++v) bv[v] = Isa::load_b(b_group + v * (Isa::kBStep / 2));
#pragma GCC unroll 16
    for (int r = 0; r < kMr; ++r) {
      const Vec av = groups.template broadcast<Isa>(r);
#pragma GCC unroll 2
      for (int v = 0; v < kVecs; ++v) acc[s][r][v] = Isa::dot(acc[s][r][v], av, bv[v]);
    }
    groups.next();
  };
  if constexpr (!std::is_void_v<Tail>) {
    Tail last = *tail;
    step(0, last, b + k_groups * Isa::kBStep);
  }
  std::size_t g = 0;
  for (; g + kSets <= k_groups; g += kSets) {
#pragma GCC unroll 8
    for (int s = 0; s < kSets; ++s, b += Isa::kBStep) step(s, a, b);
  }
  for (; g < k_groups; ++g, b += Isa::kBStep) step(0, a, b);
#pragma GCC unroll 16
  for (int r = 0; r < kMr; ++r) {
    std::int32_t* row = c + static_cast<std::size_t>(r) * ldc;
#pragma GCC unroll 2
    for (int v = 0; v < kVecs; ++v) {
#pragma GCC unroll 8
      for (int s = 1; s < kSets; ++s) acc[0][r][v] = Isa::add(acc[0][r][v], acc[s][r][v]);
      if (accumulate) acc[0][r][v] = Isa::add(acc[0][r][v], Isa::load(row + v * Isa::kLanes));
      Isa::store(row + v * Isa::kLanes, acc[0][r][v]);
    }
  }
}

// The direct form's tile of kVecs vectors a row over K bytes of A's rows: the whole groups, then
// the partial one.
template <class Isa, int kMr, bool kSignedA, int kVecs>
void ukernel_broadcast_direct_tile(std::size_t k, const std::uint8_t* a, std::size_t lda, int rows,
                                   const void* b_panel, std::int32_t* c, std::size_t ldc) {
  using Rows = RowsOfA<Isa, kMr, kSignedA>;
  using Tail = TailOfA<Isa, kMr, kSignedA>;
  constexpr std::size_t kGroup = 4;
  const Rows groups(a, lda, rows);
  const std::size_t whole = k / kGroup;
  if (k % kGroup == 0) {
    ukernel_broadcast<Isa, kMr, false, Rows, void, kVecs>(whole, groups, nullptr, b_panel, c, ldc,
                                                          false);
    return;
  }
  const Tail tail(groups, whole * kGroup, k % kGroup);
  ukernel_broadcast<Isa, kMr, false, Rows, Tail, kVecs>(whole, groups, &tail, b_panel, c, ldc,
                                                        false);
}

// The direct form (path_config.hpp, DirectUkernelFn). (The vpdpbusd paths have it. The vpmaddwd
// paths' form, which widened each broadcast pair to int16 on the shuffle port that their B loads
// already use, lost beyond 16^3 on a Zen 5, direct / packed time at A and C rotated, medians of 3:
// avx2 16^3 0.96, 32^3 1.08, 64^3 1.11, 128^3 1.18; avx512bw 1.02, 0.92, 1.04, 1.14.)
//
// A panel of at most one vector of valid columns (N of 16 or less on avx512vnni, or N's last 16;
// 8 on avxvnni) is multiplied by its first vector of B alone: half the dot products and stores.
// Binaries alternating, pinned, 7 rounds, medians, new / old time, int8 / int32 out, on a Zen 5:
// avx512vnni 16^3 0.94 / 0.94, 48^3 0.93 / 0.91, 64 x 16 x 64 0.79 / 0.76 (32^3, no such panel,
// 1.01 / 1.01); avxvnni 16 x 8 x 16 0.98 / 0.89, 32 x 40 x 32 0.98 / 0.91.
template <class Isa, int kMr, bool kSignedA>
void ukernel_broadcast_direct(std::size_t k, const std::uint8_t* a, std::size_t lda, int rows,
                              int cols, const void* b_panel, std::int32_t* c, std::size_t ldc) {
  if (cols <= Isa::kLanes) {
    ukernel_broadcast_direct_tile<Isa, kMr, kSignedA, 1>(k, a, lda, rows, b_panel, c, ldc);
  } else {
    ukernel_broadcast_direct_tile<Isa, kMr, kSignedA, 2>(k, a, lda, rows, b_panel, c, ldc);
  }
}

// A path's kMr-row micro-kernel `fn` and its B-prefetching form `prefetching_fn` (one function
// each for both A types).
#define I8GEMM_BROADCAST_UKERNELS(Isa, kMr, fn, prefetching_fn)                                \
  void fn(std::size_t k_units, const void* a, const void* b, std::int32_t* c, std::size_t ldc, \
          bool accumulate) {                                                                   \
    ukernel_broadcast<Isa, kMr, false>(k_units,                                                \
                                       PackedPanelA<kMr>{static_cast<const std::int32_t*>(a)}, \
                                       nullptr, b, c, ldc, accumulate);                        \
  }                                                                                            \
  void prefetching_fn(std::size_t k_units, const void* a, const void* b, std::int32_t* c,      \
                      std::size_t ldc, bool accumulate) {                                      \
    ukernel_broadcast<Isa, kMr, true>(k_units,                                                 \
                                      PackedPanelA<kMr>{static_cast<const std::int32_t*>(a)},  \
                                      nullptr, b, c, ldc, accumulate);                         \
  }

// Its direct forms (K groups of 4 bytes: the vpdpbusd paths) for int8 A (each byte + 128, the
// path's a_offset_s8) and uint8 A (as it is). Flattened: GCC left the four tiles (one or two
// vectors, with or without a K tail) as calls, passing the rows of A in memory, and 32^3 took 1.29
// of the time (avx512vnni on a Zen 5).
#define I8GEMM_BROADCAST_DIRECT_UKERNELS(Isa, kMr, fn_s8, fn_u8)                               \
  [[gnu::flatten]] void fn_s8(std::size_t k, const std::uint8_t* a, std::size_t lda, int rows, \
                              int cols, const void* b, std::int32_t* c, std::size_t ldc) {     \
    ukernel_broadcast_direct<Isa, kMr, true>(k, a, lda, rows, cols, b, c, ldc);                \
  }                                                                                            \
  [[gnu::flatten]] void fn_u8(std::size_t k, const std::uint8_t* a, std::size_t lda, int rows, \
                              int cols, const void* b, std::int32_t* c, std::size_t ldc) {     \
    ukernel_broadcast_direct<Isa, kMr, false>(k, a, lda, rows, cols, b, c, ldc);               \
  }

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
