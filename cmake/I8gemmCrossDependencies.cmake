# Dependencies of a cross build (cmake/toolchain-aarch64.cmake), from the build machine's
# Debian packages without multiarch: xsimd and gemmlowp are header-only, so their host headers
# serve any target; GoogleTest is built from the sources Debian ships in /usr/src/googletest.
# The Google Benchmark suite needs the target's libbenchmark and is not cross-built (the
# `i8gemm` command-line tool is).

# Only the two header directories are handed to the cross compiler: adding /usr/include itself
# would put the host's C library headers before the target's.
set(I8GEMM_HOST_INCLUDE_DIR /usr/include CACHE PATH "Where the host's xsimd and gemmlowp headers are")
set(I8GEMM_CROSS_HEADERS ${CMAKE_BINARY_DIR}/host-headers)
file(MAKE_DIRECTORY ${I8GEMM_CROSS_HEADERS})
if(NOT EXISTS ${I8GEMM_HOST_INCLUDE_DIR}/xsimd)
  message(FATAL_ERROR "i8gemm's cross build needs ${I8GEMM_HOST_INCLUDE_DIR}/xsimd: install the "
                      "Debian package 'libxsimd-dev' (or run cmake/install-deps.sh --arm)")
endif()
file(CREATE_LINK ${I8GEMM_HOST_INCLUDE_DIR}/xsimd ${I8GEMM_CROSS_HEADERS}/xsimd SYMBOLIC)
set(xsimd_INCLUDE_DIRS ${I8GEMM_CROSS_HEADERS})
if(I8GEMM_BUILD_TESTS AND I8GEMM_WITH_GEMMLOWP)
  if(EXISTS ${I8GEMM_HOST_INCLUDE_DIR}/gemmlowp)
    file(CREATE_LINK ${I8GEMM_HOST_INCLUDE_DIR}/gemmlowp ${I8GEMM_CROSS_HEADERS}/gemmlowp SYMBOLIC)
    set(I8GEMM_GEMMLOWP_INCLUDE_DIR ${I8GEMM_CROSS_HEADERS})
    set(I8GEMM_HAVE_GEMMLOWP ON)
  else()
    message(STATUS "i8gemm: gemmlowp not found (Debian: libgemmlowp-dev): the tests against "
                   "gemmlowp's fixedpoint.h skip")
  endif()
endif()

if(I8GEMM_BUILD_TESTS)
  set(I8GEMM_GOOGLETEST_SOURCE_DIR /usr/src/googletest CACHE PATH "GoogleTest sources")
  if(NOT EXISTS ${I8GEMM_GOOGLETEST_SOURCE_DIR}/CMakeLists.txt)
    message(FATAL_ERROR "i8gemm's cross build compiles GoogleTest from source: install the "
                        "Debian package 'googletest' (or run cmake/install-deps.sh --arm)")
  endif()
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  add_subdirectory(${I8GEMM_GOOGLETEST_SOURCE_DIR} ${CMAKE_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)
  foreach(t gtest gtest_main)
    if(NOT TARGET GTest::${t})  # newer GoogleTest defines these itself
      add_library(GTest::${t} ALIAS ${t})
    endif()
  endforeach()
endif()

if(I8GEMM_BUILD_BENCH)
  message(STATUS "i8gemm: the benchmark suite is not cross-built (I8GEMM_BUILD_BENCH=OFF)")
  set(I8GEMM_BUILD_BENCH OFF CACHE BOOL "Build the Google Benchmark suite" FORCE)
endif()
