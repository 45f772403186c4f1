// Runs a test body in a forked child, for what must not happen in the test process itself
// (lowering its thread limit, crashing, hanging, using a Context after fork()). The body returns
// the child's exit code: 0 for success, kSkipExit to skip, anything else names the failed check.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

namespace i8gemm::testing {

constexpr int kSkipExit = 77;

// The child's exit code, or a description of how it died ("killed by signal 6", "hung").
struct ChildOutcome {
  bool exited = false;
  int code = -1;
  std::string how;
};

// Each thread of a live process as "tid:state:wait channel" (from /proc), to tell a deadlock
// (threads sleeping in futex_wait_queue) from a starved process (threads runnable, R) when a
// child overruns its timeout.
inline std::string describe_threads(pid_t pid) {
  std::string out;
  std::error_code ec;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
    std::string stat, wchan;
    std::getline(std::ifstream(task.path() / "stat"), stat);
    std::getline(std::ifstream(task.path() / "wchan"), wchan);
    const std::size_t name_end = stat.rfind(')');  // the state follows the "(name)" field
    const char state = name_end + 2 < stat.size() ? stat[name_end + 2] : '?';
    out +=
        " " + task.path().filename().string() + ":" + state + ":" + (wchan.empty() ? "-" : wchan);
  }
  return out.empty() ? " (none readable)" : out;
}

inline ChildOutcome run_in_child(const std::function<int()>& body,
                                 std::chrono::seconds timeout = std::chrono::seconds(120)) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return {false, -1, "fork failed"};
  if (pid == 0) {
    int code = 1;
    try {
      code = body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child: uncaught exception: %s\n", e.what());
      code = 2;
    }
    std::fflush(nullptr);
    _exit(code);  // no atexit handlers, no destructors of the parent's objects
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      if (WIFEXITED(status))
        return {true, WEXITSTATUS(status), "exit " + std::to_string(WEXITSTATUS(status))};
      if (WIFSIGNALED(status))
        return {false, -1, "killed by signal " + std::to_string(WTERMSIG(status))};
      return {false, -1, "stopped"};
    }
    if (std::chrono::steady_clock::now() > deadline) {
      const std::string threads = describe_threads(pid);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return {false, -1, "hung (killed after the timeout); its threads:" + threads};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// In a child: checks `cond`, reports and returns its line as the exit code on failure.
#define I8GEMM_CHILD_CHECK(cond)                                                           \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "child: %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      return __LINE__ % 70 + 3;                                                            \
    }                                                                                      \
  } while (0)

#define I8GEMM_EXPECT_CHILD_OK(outcome)                           \
  do {                                                            \
    const ::i8gemm::testing::ChildOutcome o_ = (outcome);         \
    if (o_.exited && o_.code == ::i8gemm::testing::kSkipExit) {   \
      GTEST_SKIP() << "the child could not set up the test";      \
    }                                                             \
    EXPECT_TRUE(o_.exited&& o_.code == 0) << "child: " << o_.how; \
  } while (0)

}  // namespace i8gemm::testing
