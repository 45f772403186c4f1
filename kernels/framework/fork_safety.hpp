// fork() copies a process with only the calling thread: in the child, the workers of every pool
// started before the fork do not exist. Pools remember the generation they were started in; the
// child of each fork() (pthread_atfork) starts a new generation, in which the older pools are
// not owned: they must not be used, joined or destroyed (their mutex may have been held by a
// worker at the fork), only replaced.
#pragma once

#include <cstdint>

namespace i8gemm::detail {

// The current generation: 0 in the original process, bumped in each forked child.
std::uint64_t process_generation();

}  // namespace i8gemm::detail
