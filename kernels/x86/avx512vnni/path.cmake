i8gemm_path(avx512vnni ARCH x86_64
            FLAGS -mavx512f -mavx512cd -mavx512dq -mavx512bw -mavx512vl -mavx512vnni
                  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>
                  $<$<CXX_COMPILER_ID:GNU>:-Wno-uninitialized>
            SOURCES path__avx512vnni.cpp ukernels_x32c4__avx512vnni.cpp epilogue__avx512vnni.cpp
                    quantize__avx512vnni.cpp peak__avx512vnni.cpp)
