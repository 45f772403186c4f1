# GCC 12 reports its own _mm512_undefined_* intrinsics as maybe-uninitialized once inlined
# (GCC bug 105593); that warning says nothing about our code there.
i8gemm_path(avx512bw ARCH x86_64 FLAGS -mavx512f -mavx512cd -mavx512dq -mavx512bw -mavx512vl
                  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>
                  $<$<CXX_COMPILER_ID:GNU>:-Wno-uninitialized>
            SOURCES path__avx512bw.cpp ukernels_x32c2__avx512bw.cpp epilogue__avx512bw.cpp
                    quantize__avx512bw.cpp peak__avx512bw.cpp)
