i8gemm_path(avx2 ARCH x86_64 FLAGS -mavx2
            SOURCES path__avx2.cpp ukernels_x16c2__avx2.cpp epilogue__avx2.cpp quantize__avx2.cpp
                    peak__avx2.cpp pack_a_c2__avx2.cpp)
