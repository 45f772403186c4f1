// A persistent pool of worker threads for Context. A call hands the pool n tasks; the calling
// thread works on them too. Between calls the workers spin for a bounded time (a GEMM that
// follows soon starts without a wake-up) and then sleep on a condition variable, so an idle
// pool burns no CPU.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace i8gemm::detail {

class ThreadPool {
 public:
  // `workers` threads besides the caller's.
  explicit ThreadPool(int workers);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Runs task(0) .. task(n - 1), each exactly once, across the workers and the caller; returns
  // when all are done, then rethrows the first exception a task threw, if any. Not reentrant:
  // one call at a time per pool.
  void run(std::size_t n, const std::function<void(std::size_t)>& task);

 private:
  void worker_loop();
  void work_on(const std::function<void(std::size_t)>& task, std::size_t n);

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<std::uint64_t> generation_{0};  // bumped once per job
  std::atomic<bool> stop_{false};
  const std::function<void(std::size_t)>* task_ = nullptr;
  std::size_t n_tasks_ = 0;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> done_{0};
  std::atomic<int> active_{0};  // workers inside work_on
  std::mutex error_mutex_;
  std::exception_ptr error_;  // the first exception of the current job
};

}  // namespace i8gemm::detail
