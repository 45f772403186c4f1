// A 64-byte aligned byte buffer that only grows: scratch is allocated once per context and
// reused by every later call of the same or smaller size.
//
// A buffer of 2 MiB or more (a large PackedB, the scratch of a large call) is aligned to 2 MiB
// and its whole 2 MiB pages are advised for transparent huge pages (Linux's MADV_HUGEPAGE; THP
// in "madvise" mode, Debian's default, gives them to no other memory; "never" ignores it). A
// GEMV reads each byte of B once, a new 4 KiB page every 4 KiB, and with 4 KiB pages B of 16
// MiB or more is beyond the second-level TLB's reach (2,048 entries on a Zen 2, 8 MiB). On the
// Zen 2, one binary with and without the advice alternating, 5 rounds, medians, with / without
// time: 1 x 4096^2 (B 16 MiB) 0.59, 1 x 8192^2 0.88, 4 x 4096^2 0.97; B of 4 MiB (within the TLB's
// reach) 1.00. The tail beyond the last whole 2 MiB is not advised: under "madvise" it keeps
// small pages, so that no more memory is touched than the buffer's bytes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

#include "framework/round.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace i8gemm::detail {

constexpr std::size_t kAlignment = 64;
constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// Advice only: where the OS has no transparent huge pages, or refuses, the memory works the same.
inline void advise_huge_pages([[maybe_unused]] void* p, [[maybe_unused]] std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  madvise(p, bytes, MADV_HUGEPAGE);
#endif
}

// Every allocation AlignedBuffer makes (the tests check that a warm context makes none).
inline std::atomic<std::uint64_t>& aligned_allocations() {
  static std::atomic<std::uint64_t> count{0};
  return count;
}

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(std::size_t bytes) { reserve(bytes); }

  // Grows to at least `bytes` (contents are not kept) and returns the storage.
  void* reserve(std::size_t bytes) {
    if (bytes > size_) {
      const bool huge = bytes >= kHugePageBytes;
      // (aligned_alloc's size is a multiple of its alignment; the tail is not touched.)
      const std::size_t size = round_up(bytes, huge ? kHugePageBytes : kAlignment);
      void* p = std::aligned_alloc(huge ? kHugePageBytes : kAlignment, size);
      if (p == nullptr) throw std::bad_alloc();
      if (huge) advise_huge_pages(p, bytes / kHugePageBytes * kHugePageBytes);
      aligned_allocations().fetch_add(1, std::memory_order_relaxed);
      data_.reset(p);
      size_ = size;
    }
    return data_.get();
  }
  template <typename T>
  T* as(std::size_t count) {
    return static_cast<T*>(reserve(count * sizeof(T)));
  }
  void* data() const { return data_.get(); }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  std::unique_ptr<void, Free> data_;
  std::size_t size_ = 0;
};

}  // namespace i8gemm::detail
