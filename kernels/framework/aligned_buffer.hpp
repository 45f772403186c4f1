// A 64-byte aligned byte buffer that only grows: scratch is allocated once per context and
// reused by every later call of the same or smaller size.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>

#include "framework/round.hpp"

namespace i8gemm::detail {

constexpr std::size_t kAlignment = 64;

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
      const std::size_t size = round_up(bytes, kAlignment);
      void* p = std::aligned_alloc(kAlignment, size);
      if (p == nullptr) throw std::bad_alloc();
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
