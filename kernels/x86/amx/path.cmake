# AMX tiles plus the AVX-512 of every AMX CPU (the epilogue and quantization run on avx512bw;
# GEMV-like calls go to avx512vnni).
i8gemm_path(amx ARCH x86_64
            FLAGS -mamx-tile -mamx-int8 -mavx512f -mavx512cd -mavx512dq -mavx512bw -mavx512vl
                  -mavx512vnni $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>
                  $<$<CXX_COMPILER_ID:GNU>:-Wno-uninitialized>
            SOURCES path__amx.cpp ukernels_x32c64__amx.cpp ukernel_32x32c64_overlapped__amx.cpp amx_tiles.cpp epilogue__amx.cpp
                    quantize__amx.cpp peak__amx.cpp pack_a_c64__amx.cpp)
