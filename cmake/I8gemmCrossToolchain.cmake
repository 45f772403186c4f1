# The common part of the cross toolchains (toolchain-<arch>.cmake set I8GEMM_CROSS_ARCH and the
# default qemu CPU model I8GEMM_CROSS_QEMU_CPU first):
# Debian's cross compiler <arch>-linux-gnu-g++, the target's libraries and headers under
# /usr/<arch>-linux-gnu, and the tests run under qemu user-mode emulation (cmake/install-deps.sh
# --arm / --riscv installs both).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${I8GEMM_CROSS_ARCH})

set(I8GEMM_CROSS_TRIPLE ${I8GEMM_CROSS_ARCH}-linux-gnu)
set(CMAKE_C_COMPILER ${I8GEMM_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${I8GEMM_CROSS_TRIPLE}-g++)

# Never link the host's libraries.
set(I8GEMM_CROSS_SYSROOT /usr/${I8GEMM_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH ${I8GEMM_CROSS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

find_program(I8GEMM_QEMU NAMES qemu-${I8GEMM_CROSS_ARCH} qemu-${I8GEMM_CROSS_ARCH}-static)
if(NOT I8GEMM_QEMU)
  message(FATAL_ERROR "i8gemm's ${I8GEMM_CROSS_ARCH} build runs its tests under "
                      "qemu-${I8GEMM_CROSS_ARCH}: install the Debian package 'qemu-user' (or run "
                      "cmake/install-deps.sh)")
endif()
set(I8GEMM_QEMU_CPU ${I8GEMM_CROSS_QEMU_CPU} CACHE STRING "qemu CPU model the cross-built tests run on")
set(CMAKE_CROSSCOMPILING_EMULATOR ${I8GEMM_QEMU} -L ${I8GEMM_CROSS_SYSROOT} -cpu ${I8GEMM_QEMU_CPU})
