# Finds what i8gemm builds with; a missing package stops configure naming the Debian package
# (cmake/install-deps.sh installs them).
macro(i8gemm_require pkg debian)
  find_package(${pkg} ${ARGN} QUIET)
  if(NOT ${pkg}_FOUND)
    message(FATAL_ERROR "i8gemm needs ${pkg}: install the Debian package '${debian}' "
                        "(or run cmake/install-deps.sh)")
  endif()
endmacro()

if(CMAKE_CROSSCOMPILING)
  include(I8gemmCrossDependencies)
else()
  i8gemm_require(xsimd libxsimd-dev)
  if(I8GEMM_BUILD_TESTS)
    i8gemm_require(GTest libgtest-dev)
    find_path(I8GEMM_GEMMLOWP_INCLUDE_DIR gemmlowp/fixedpoint/fixedpoint.h)
    if(NOT I8GEMM_GEMMLOWP_INCLUDE_DIR)
      message(FATAL_ERROR "i8gemm's tests need gemmlowp: install the Debian package "
                          "'libgemmlowp-dev' (or run cmake/install-deps.sh)")
    endif()
  endif()
endif()
if(I8GEMM_BUILD_BENCH)
  i8gemm_require(benchmark libbenchmark-dev)
  if(I8GEMM_WITH_ONEDNN)
    find_package(dnnl CONFIG QUIET)
    if(dnnl_FOUND)
      message(STATUS "i8gemm: benchmarking oneDNN ${dnnl_VERSION} as a peer")
    else()
      message(STATUS "i8gemm: oneDNN not found (Debian: libdnnl-dev); benchmarks run without it")
    endif()
  endif()
endif()

# Debian's xsimd target asks to link "xtl", a library that does not exist (xtl is header-only
# and optional): take only its headers.
add_library(i8gemm_xsimd INTERFACE)
target_include_directories(i8gemm_xsimd SYSTEM INTERFACE ${xsimd_INCLUDE_DIRS})
