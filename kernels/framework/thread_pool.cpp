#include "framework/thread_pool.hpp"

#include <chrono>

#include "framework/fork_safety.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace i8gemm::detail {
namespace {

void cpu_relax() {
#if defined(__x86_64__)
  _mm_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

// How long an idle worker spins before it sleeps: long enough to catch back-to-back GEMM calls
// (a layer after a layer), short enough that an idle pool costs nothing measurable.
constexpr auto kSpin = std::chrono::microseconds(200);

// Waits until done() holds: spins first (the awaited task usually ends within microseconds),
// then yields the core at every check. On an oversubscribed machine (more runnable threads than
// cores, as when tests run in parallel) the thread waited for may need this very core, and a
// pure spin would hold it for whole scheduler time slices.
template <typename Done>
void wait_until(Done done) {
  constexpr int kSpinsBeforeYield = 256;
  for (int spins = 0; !done(); ++spins) {
    if (spins < kSpinsBeforeYield) {
      cpu_relax();
    } else {
      std::this_thread::yield();
    }
  }
}

}  // namespace

ThreadPool::ThreadPool(int workers) : process_generation_(process_generation()) {
  threads_.reserve(static_cast<std::size_t>(workers));
  try {
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { worker_loop(); });
  } catch (...) {
    // The members would be destroyed under running workers (std::terminate for a joinable
    // std::thread, a hang in the condition variable's destructor): stop them first.
    stop_and_join();
    throw;
  }
  // Return only once every worker runs its loop. A thread starting up may hold locks of the C
  // library or of a sanitizer runtime (seen: ASan's allocator lock, taken in its thread start):
  // a fork() at that moment would copy them taken into the child, where the first thread the
  // child starts would wait for them forever. Between calls, our workers hold no such lock.
  wait_until([&] { return started_.load(std::memory_order_acquire) == workers; });
}

ThreadPool::~ThreadPool() {
  stop_and_join();
}

void ThreadPool::stop_and_join() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_.store(true, std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_acq_rel);
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

bool ThreadPool::owned() const {
  return process_generation_ == process_generation();
}

void ThreadPoolDeleter::operator()(ThreadPool* pool) const {
  if (pool->owned()) delete pool;
}

void ThreadPool::work_on(const std::function<void(std::size_t)>& task, std::size_t n) {
  for (;;) {
    const std::size_t i = next_.fetch_add(1, std::memory_order_acq_rel);
    if (i >= n) return;
    // A task that throws still counts as done, so that run() waits for the others before the
    // first exception is rethrown on the caller's thread.
    try {
      task(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex_);
      if (!error_) error_ = std::current_exception();
    }
    done_.fetch_add(1, std::memory_order_acq_rel);
  }
}

void ThreadPool::worker_loop() {
  started_.fetch_add(1, std::memory_order_acq_rel);
  std::uint64_t seen = 0;
  for (;;) {
    // Spin, then sleep, until a new job (or stop) is published.
    const auto spin_until = std::chrono::steady_clock::now() + kSpin;
    while (generation_.load(std::memory_order_acquire) == seen &&
           std::chrono::steady_clock::now() < spin_until) {
      cpu_relax();
    }
    // Join the job under the lock: run() publishes a job only while no worker is still inside
    // the previous one, so task_ and n_tasks_ read here belong to the generation seen here.
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
    seen = generation_.load(std::memory_order_acquire);
    if (stop_.load(std::memory_order_acquire)) return;
    const std::function<void(std::size_t)>* task = task_;
    const std::size_t n = n_tasks_;
    active_.fetch_add(1, std::memory_order_acq_rel);
    lock.unlock();
    work_on(*task, n);
    active_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

void ThreadPool::run(std::size_t n, const std::function<void(std::size_t)>& task) {
  if (n == 0) return;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    // A worker that joined the previous job late may still be leaving it.
    while (active_.load(std::memory_order_acquire) != 0) {  // checked again under the lock
      lock.unlock();
      wait_until([&] { return active_.load(std::memory_order_acquire) == 0; });
      lock.lock();
    }
    task_ = &task;
    n_tasks_ = n;
    next_.store(0, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_acq_rel);
  }
  wake_.notify_all();
  work_on(task, n);
  // Wait for the tasks others took, then for every worker to leave this job, so that the next
  // job's counters are not reset under a worker still reading them.
  wait_until([&] { return done_.load(std::memory_order_acquire) >= n; });
  wait_until([&] { return active_.load(std::memory_order_acquire) == 0; });
  std::exception_ptr error;
  {
    std::lock_guard<std::mutex> lock(error_mutex_);
    std::swap(error, error_);
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace i8gemm::detail
