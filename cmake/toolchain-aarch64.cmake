# Cross build for aarch64 Linux with Debian's cross compiler, tests run under qemu user-mode
# emulation (cmake/install-deps.sh --arm installs both):
#   cmake -S . -B build-arm -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake
#   cmake --build build-arm && ctest --test-dir build-arm
# `-cpu max` emulates every extension (dotprod, i8mm), so the suite runs all three ARM paths;
# I8GEMM_QEMU_CPU picks another model.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(I8GEMM_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${I8GEMM_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${I8GEMM_CROSS_TRIPLE}-g++)

# The target's libraries and headers live under /usr/aarch64-linux-gnu; never link the host's.
set(I8GEMM_CROSS_SYSROOT /usr/${I8GEMM_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH ${I8GEMM_CROSS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

find_program(I8GEMM_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(NOT I8GEMM_QEMU_AARCH64)
  message(FATAL_ERROR "i8gemm's aarch64 build runs its tests under qemu-aarch64: install the "
                      "Debian package 'qemu-user' (or run cmake/install-deps.sh --arm)")
endif()
set(I8GEMM_QEMU_CPU max CACHE STRING "qemu CPU model the aarch64 tests run on")
set(CMAKE_CROSSCOMPILING_EMULATOR
    ${I8GEMM_QEMU_AARCH64} -L ${I8GEMM_CROSS_SYSROOT} -cpu ${I8GEMM_QEMU_CPU})
