# Plain C++ at the build's baseline (SSE2 on x86-64, NEON on aarch64, scalar on rv64gc): the
# path of CPUs no SIMD path serves.
i8gemm_path(generic ARCH any
            SOURCES path__generic.cpp ukernels_x4c64__generic.cpp epilogue__generic.cpp
                    quantize__generic.cpp)
