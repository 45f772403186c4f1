# Finds what i8gemm builds with. A missing required package stops configure naming the Debian
# package (cmake/install-deps.sh installs them); a missing optional peer is reported and what
# depends on it is skipped, never a failure.
macro(i8gemm_require pkg debian)
  find_package(${pkg} ${ARGN} QUIET)
  if(NOT ${pkg}_FOUND)
    message(FATAL_ERROR "i8gemm needs ${pkg}: install the Debian package '${debian}' "
                        "(or run cmake/install-deps.sh)")
  endif()
endmacro()

# Optional peers, each with an option to leave it out even when it is installed:
#   I8GEMM_HAVE_GEMMLOWP  tests compare the fixed-point primitives with gemmlowp's fixedpoint.h
#   I8GEMM_HAVE_ONEDNN    the benchmark suite runs oneDNN beside i8gemm
set(I8GEMM_HAVE_GEMMLOWP OFF)
set(I8GEMM_HAVE_ONEDNN OFF)

if(CMAKE_CROSSCOMPILING)
  include(I8gemmCrossDependencies)
else()
  i8gemm_require(xsimd libxsimd-dev)
  if(I8GEMM_BUILD_TESTS)
    i8gemm_require(GTest libgtest-dev)
    if(I8GEMM_WITH_GEMMLOWP)
      find_path(I8GEMM_GEMMLOWP_INCLUDE_DIR gemmlowp/fixedpoint/fixedpoint.h)
      if(I8GEMM_GEMMLOWP_INCLUDE_DIR)
        set(I8GEMM_HAVE_GEMMLOWP ON)
      else()
        message(STATUS "i8gemm: gemmlowp not found (Debian: libgemmlowp-dev): the tests against "
                       "gemmlowp's fixedpoint.h skip")
      endif()
    endif()
  endif()
endif()

if(I8GEMM_BUILD_BENCH)
  i8gemm_require(benchmark libbenchmark-dev)
  if(I8GEMM_WITH_ONEDNN)
    # oneDNN's headers and library, found directly: Debian's dnnl-config.cmake insists on
    # OpenCL (find_package(OpenCL REQUIRED), for a GPU runtime the benchmark never uses), which
    # would turn a missing OpenCL into a configure error. Debian's oneDNN runs on OpenMP.
    find_path(I8GEMM_DNNL_INCLUDE_DIR oneapi/dnnl/dnnl.hpp)
    find_library(I8GEMM_DNNL_LIBRARY dnnl)
    find_package(OpenMP QUIET COMPONENTS CXX)
    if(I8GEMM_DNNL_INCLUDE_DIR AND I8GEMM_DNNL_LIBRARY AND OpenMP_CXX_FOUND)
      set(I8GEMM_HAVE_ONEDNN ON)
      add_library(i8gemm_dnnl INTERFACE)
      target_include_directories(i8gemm_dnnl SYSTEM INTERFACE ${I8GEMM_DNNL_INCLUDE_DIR})
      target_link_libraries(i8gemm_dnnl INTERFACE ${I8GEMM_DNNL_LIBRARY} OpenMP::OpenMP_CXX)
      message(STATUS "i8gemm: benchmarking oneDNN (${I8GEMM_DNNL_LIBRARY}) as a peer")
    else()
      message(STATUS "i8gemm: oneDNN not found (Debian: libdnnl-dev): the benchmark suite and "
                     "bench/run.sh's table run without the oneDNN columns")
    endif()
  endif()
endif()

# Debian's xsimd target asks to link "xtl", a library that does not exist (xtl is header-only
# and optional): take only its headers.
add_library(i8gemm_xsimd INTERFACE)
target_include_directories(i8gemm_xsimd SYSTEM INTERFACE ${xsimd_INCLUDE_DIRS})
