// A persistent pool of worker threads for Context. A call hands the pool n tasks; the calling
// thread works on them too. Between calls the workers spin for a bounded time (a GEMM that
// follows soon starts without a wake-up) and then sleep on a condition variable, so an idle
// pool burns no CPU.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace i8gemm::detail {

class ThreadPool {
 public:
  // `workers` threads besides the caller's, all running when it returns (thread_pool.cpp says
  // why fork() needs that). If the system refuses one (std::system_error from std::thread), the
  // workers already started are stopped and joined before it is rethrown.
  explicit ThreadPool(int workers);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // False in the child of a fork() made after the pool started (fork_safety.hpp): there the
  // workers do not exist, and the pool must not run, join or be destroyed.
  bool owned() const;

  // Runs task(0) .. task(n - 1), each exactly once, across the workers and the caller; returns
  // when all are done, then rethrows the first exception a task threw, if any. Not reentrant:
  // one call at a time per pool.
  void run(std::size_t n, const std::function<void(std::size_t)>& task);

 private:
  void worker_loop();
  void work_on(const std::function<void(std::size_t)>& task, std::size_t n);
  void stop_and_join();

  std::uint64_t process_generation_;  // process_generation() when the workers started
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<std::uint64_t> generation_{0};  // bumped once per job
  std::atomic<bool> stop_{false};
  const std::function<void(std::size_t)>* task_ = nullptr;
  std::size_t n_tasks_ = 0;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> done_{0};
  std::atomic<int> active_{0};   // workers inside work_on
  std::atomic<int> started_{0};  // workers that have entered worker_loop
  std::mutex error_mutex_;
  std::exception_ptr error_;  // the first exception of the current job
};

// Deletes a pool it owns. A pool inherited through fork() is leaked on purpose: its workers do
// not exist in this process, so joining them would crash or hang, and destroying its mutex and
// condition variable (possibly held or waited on at the fork) is undefined.
struct ThreadPoolDeleter {
  void operator()(ThreadPool* pool) const;
};
using ThreadPoolPtr = std::unique_ptr<ThreadPool, ThreadPoolDeleter>;

}  // namespace i8gemm::detail
