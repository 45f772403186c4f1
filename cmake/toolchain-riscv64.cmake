# Cross build for riscv64 Linux (rv64gc: no vector unit, so the portable paths scalar and
# generic), tests under qemu-riscv64 (cmake/install-deps.sh --riscv):
#   cmake --workflow --preset test-riscv64
set(I8GEMM_CROSS_ARCH riscv64)
set(I8GEMM_CROSS_QEMU_CPU rv64)
include(${CMAKE_CURRENT_LIST_DIR}/I8gemmCrossToolchain.cmake)
