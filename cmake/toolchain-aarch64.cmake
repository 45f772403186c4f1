# Cross build for aarch64 Linux, tests under qemu-aarch64 (cmake/install-deps.sh --arm):
#   cmake --workflow --preset test-aarch64
# `-cpu max` emulates every extension (dotprod, i8mm), so the suite runs all three ARM paths;
# I8GEMM_QEMU_CPU picks another model.
set(I8GEMM_CROSS_ARCH aarch64)
set(I8GEMM_CROSS_QEMU_CPU max)
include(${CMAKE_CURRENT_LIST_DIR}/I8gemmCrossToolchain.cmake)
