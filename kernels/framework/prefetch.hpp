// Software prefetch of a range of memory, one request per 64-byte line.
#pragma once

#include <cstddef>
#include <cstdint>

namespace i8gemm::detail {

// Asks for every line holding a byte of [begin, end), to be read (kWrite = 0) or written
// (kWrite = 1; prefetcht0 on x86 without PREFETCHW), into every cache level (kLocality 3,
// prefetcht0) or from L2 out (2, prefetcht1). Addresses are integers, so that a range may end
// anywhere; a prefetch cannot fault or change a result.
//
// GCC 12 deletes a loop of nothing but __builtin_prefetch as having no effect in some builds
// (found: the driver's C prefetch at -O2, where -O3 happened to keep it, and the dynamic
// packing's at -Os). The empty volatile statement, which emits no instruction, keeps the loop.
template <int kWrite, int kLocality = 3>
inline void prefetch_lines(std::uintptr_t begin, std::uintptr_t end) {
  constexpr std::uintptr_t kLine = 64;
  for (std::uintptr_t line = begin & ~(kLine - 1); line < end; line += kLine) {
    __builtin_prefetch(reinterpret_cast<const void*>(line), kWrite, kLocality);
    __asm__ volatile("");
  }
}

// Asks for the lines of kBytes of a sequential stream read kBytes at a time from `begin`: one
// request per 64 bytes, without prefetch_lines' loop over the lines the span touches (a compare
// and branch per span, which doubled the instructions of avx2's one-row kernel). Over
// consecutive spans every line of the stream is asked for, whatever its alignment; a span of 32
// bytes asks for each line twice.
template <std::size_t kBytes>
inline void prefetch_span(std::uintptr_t begin) {
  constexpr std::size_t kRequests = (kBytes + 63) / 64;
#pragma GCC unroll 8
  for (std::size_t i = 0; i < kRequests; ++i) {
    __builtin_prefetch(reinterpret_cast<const void*>(begin + 64 * i), 0, 3);
    __asm__ volatile("");  // (kept: see prefetch_lines)
  }
}

// A is read once per call and usually from L3 or memory (the benchmark rotates it through 32 MiB;
// a layer's activations were written by the layer before). Its rows are short streams (K bytes
// each) that the hardware prefetchers pick up late, so the packers ask for the row
// kPackAheadRows rows on, a line for each line they read. Calls alternating in one process, A and
// C rotated, medians of the pairs, with / without: avx512vnni 256^3 0.97, 127 x 255 x 333 0.96;
// amx 256^3 0.95, 1024^3 0.96-0.97, 384 x 1024^2 0.98; avx2 and avx512bw 0.99-1.00 (their
// kernels take longer, so packing is less of the call). 8 rows ahead measured the same; calls
// of at most 16 rows ask for nothing.
constexpr std::int64_t kPackAheadRows = 16;

// Asks for the line `ahead` bytes after `at` to be read into every cache level: the packers'
// read-ahead, the same line of the row kPackAheadRows on (pack.cpp and the paths' own packers).
inline void prefetch_line_ahead(const void* at, std::uintptr_t ahead) {
  prefetch_span<1>(reinterpret_cast<std::uintptr_t>(at) + ahead);
}

// The lines of a block of rows that will be written: `rows` rows of `row_bytes` bytes from
// `first`, `stride` bytes apart (none when rows is 0), asked for into L2 only when `into_l2`, else
// into every level.
struct PrefetchRows {
  std::uintptr_t first = 0;
  std::uintptr_t stride = 0;
  std::uintptr_t row_bytes = 0;
  int rows = 0;
  bool into_l2 = false;

  void row(int r) const {
    const std::uintptr_t begin = first + static_cast<std::uintptr_t>(r) * stride;
    if (into_l2) {
      prefetch_lines<1, 2>(begin, begin + row_bytes);
    } else {
      prefetch_lines<1, 3>(begin, begin + row_bytes);
    }
  }
  void all() const {
    if (into_l2) {
      all_into<2>();
    } else {
      all_into<3>();
    }
  }

  // A row of at most a line (a 16-column int32 tile's) touches the lines of its first and last
  // byte, one or two: two prefetches without a loop. avx2 int32 64^3 (560 lines a call): 3,025
  // fewer instructions a call (callgrind), about 4 % of it.
  template <int kLocality>
  void all_into() const {
    std::uintptr_t begin = first;
    if (row_bytes != 0 && row_bytes <= 64) {
      for (int r = 0; r < rows; ++r, begin += stride) {
        __builtin_prefetch(reinterpret_cast<const void*>(begin), 1, kLocality);
        __builtin_prefetch(reinterpret_cast<const void*>(begin + row_bytes - 1), 1, kLocality);
        __asm__ volatile("");  // (kept: see prefetch_lines)
      }
      return;
    }
    for (int r = 0; r < rows; ++r, begin += stride) {
      prefetch_lines<1, kLocality>(begin, begin + row_bytes);
    }
  }
};

}  // namespace i8gemm::detail
