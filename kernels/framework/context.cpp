#include <string>
#include <system_error>

#include "framework/context_state.hpp"
#include "framework/context_use.hpp"
#include "framework/fp_env.hpp"
#include "framework/path_config.hpp"

namespace i8gemm {

namespace detail {
void ContextState::parallel(std::size_t n, const std::function<void(std::size_t)>& task) {
  if (n == 1 || threads == 1) {
    for (std::size_t i = 0; i < n; ++i) task(i);  // under the entry point's FpEnvGuard, if any
    return;
  }
  // Other threads have their own floating-point environment (workers inherit the one of the
  // thread that started them; a caller's pool has whatever its threads set).
  const auto in_default_fp_environment = [&task](std::size_t i) {
    const FpEnvGuard guard;
    task(i);
  };
  if (parallel_for) {
    parallel_for(n, in_default_fp_environment);
    return;
  }
  if (!pool->owned()) pool = start_pool(threads);  // in a fork()ed child
  pool->run(n, in_default_fp_environment);
}

void ContextState::use_isa(Isa chosen) {
  isa = chosen;
  path = find_path_config(chosen);
}

void ContextState::reserve_task_scratch() {
  const auto wanted = static_cast<std::size_t>(threads);
  if (task_scratch.size() >= wanted) return;
  task_scratch.resize(wanted);
  task_scratch_busy = std::make_unique<std::atomic<bool>[]>(wanted);
  for (std::size_t i = 0; i < wanted; ++i) task_scratch_busy[i].store(false);
}

ThreadPoolPtr start_pool(int threads) {
  if (threads == 1) return nullptr;
  try {
    return ThreadPoolPtr(new ThreadPool(threads - 1));
  } catch (const std::system_error& e) {
    throw Error("threads: " + std::to_string(threads) + ": the system refused to start " +
                std::to_string(threads - 1) + " worker threads (" + e.what() + ")");
  }
}
}  // namespace detail

namespace {
void check_thread_count(int threads) {
  if (threads < 1) throw Error("threads: " + std::to_string(threads) + " is less than 1");
  if (threads > kMaxThreads) {
    throw Error("threads: " + std::to_string(threads) + " is more than " +
                std::to_string(kMaxThreads) + ", the most a Context runs");
  }
}
}  // namespace

Context::Context() : state_(std::make_unique<detail::ContextState>()) {
  state_->use_isa(default_isa());
}

Context::Context(Isa isa) : state_(std::make_unique<detail::ContextState>()) {
  set_isa(isa);
}

Context::Context(Isa isa, int threads) : Context(isa) {
  set_num_threads(threads);
}

Context::~Context() = default;
Context::Context(Context&&) noexcept = default;
Context& Context::operator=(Context&&) noexcept = default;

detail::ContextState& Context::state() {
  if (!state_) throw Error("ctx: moved-from Context (it holds nothing until assigned a Context)");
  return *state_;
}

const detail::ContextState& Context::state() const {
  return const_cast<Context*>(this)->state();
}

Isa Context::isa() const {
  return state().isa;
}

void Context::set_isa(Isa isa) {
  detail::ContextState& st = state();
  const detail::ContextUse in_use(st);
  detail::require_available(isa, "isa");
  st.use_isa(isa);
}

Isa Context::last_used_isa() const {
  return state().last_used;
}

int Context::num_threads() const {
  return state().threads;
}

void Context::set_num_threads(int threads) {
  check_thread_count(threads);
  detail::ContextState& st = state();
  const detail::ContextUse in_use(st);
  // The new pool first: if it cannot start, the Context keeps its old one.
  detail::ThreadPoolPtr pool = detail::start_pool(threads);
  st.pool = std::move(pool);
  st.parallel_for = nullptr;
  st.threads = threads;
}

void Context::set_parallel_for(ParallelFor parallel_for, int threads) {
  if (!parallel_for) {
    set_num_threads(threads);
    return;
  }
  check_thread_count(threads);
  detail::ContextState& st = state();
  const detail::ContextUse in_use(st);
  st.pool.reset();
  st.parallel_for = std::move(parallel_for);
  st.threads = threads;
}

}  // namespace i8gemm
