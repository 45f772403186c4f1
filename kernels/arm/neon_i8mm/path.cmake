# Only the extension the path's detection checks (on top of Armv8.2, which every CPU with i8mm
# implements), so the compiler cannot use another one in these objects.
i8gemm_path(neon_i8mm ARCH aarch64 FLAGS -march=armv8.2-a+i8mm
            SOURCES path__neon_i8mm.cpp ukernels_x8c8__neon_i8mm.cpp epilogue__neon_i8mm.cpp
                    quantize__neon_i8mm.cpp)
