# Per-ISA object libraries: each ISA's sources are compiled with that ISA's flags and nothing
# else is, so the library runs on any CPU of the target architecture and dispatches at run time.

set(I8GEMM_WARNINGS -Wall -Wextra)
if(I8GEMM_WERROR)
  list(APPEND I8GEMM_WARNINGS -Werror)
endif()
# fp32 stages must give the same bits in every path: no fused multiply-add contraction.
set(I8GEMM_COMMON_FLAGS ${I8GEMM_WARNINGS} -ffp-contract=off)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64|amd64")
  set(I8GEMM_ARCH x86_64)
  set(I8GEMM_ISAS avx2 avx512bw avx512vnni)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  set(I8GEMM_ARCH aarch64)
  set(I8GEMM_ISAS neon neon_dotprod neon_i8mm)
else()
  set(I8GEMM_ARCH generic)
  set(I8GEMM_ISAS)
endif()

set(I8GEMM_FLAGS_avx2 -mavx2)
# GCC 12 reports its own _mm512_undefined_* intrinsics as maybe-uninitialized once inlined
# (GCC bug 105593); that warning says nothing about our code there.
set(I8GEMM_FLAGS_avx512bw -mavx512f -mavx512cd -mavx512dq -mavx512bw -mavx512vl
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>
    $<$<CXX_COMPILER_ID:GNU>:-Wno-uninitialized>)
set(I8GEMM_FLAGS_avx512vnni ${I8GEMM_FLAGS_avx512bw} -mavx512vnni)
# aarch64: NEON is baseline. Each path enables only the extension its detection checks (on top
# of Armv8.2, which every CPU with dotprod or i8mm implements), so the compiler cannot use
# another one in its objects.
set(I8GEMM_FLAGS_neon)
set(I8GEMM_FLAGS_neon_dotprod -march=armv8.2-a+dotprod)
set(I8GEMM_FLAGS_neon_i8mm -march=armv8.2-a+i8mm)

# i8gemm_isa_library(<isa> <sources...>): object library i8gemm_<isa>; the main library gets
# I8GEMM_COMPILED_<ISA> so dispatch knows the objects exist.
function(i8gemm_isa_library isa)
  set(sources ${ARGN})
  if(NOT sources)
    return()
  endif()
  add_library(i8gemm_${isa} OBJECT ${sources})
  target_compile_options(i8gemm_${isa} PRIVATE ${I8GEMM_COMMON_FLAGS} ${I8GEMM_FLAGS_${isa}})
  target_include_directories(i8gemm_${isa} PRIVATE ${PROJECT_SOURCE_DIR}/include
                                                   ${PROJECT_SOURCE_DIR}/kernels)
  target_link_libraries(i8gemm_${isa} PRIVATE i8gemm_xsimd)
  string(TOUPPER ${isa} ISA)
  set_property(GLOBAL APPEND PROPERTY I8GEMM_BUILT_DEFS I8GEMM_COMPILED_${ISA}=1)
  set_property(GLOBAL APPEND PROPERTY I8GEMM_ISA_OBJECTS $<TARGET_OBJECTS:i8gemm_${isa}>)
endfunction()
