# Only the extension the path's detection checks (on top of Armv8.2, which every CPU with dotprod
# implements), so the compiler cannot use another one in these objects.
i8gemm_path(neon_dotprod ARCH aarch64 FLAGS -march=armv8.2-a+dotprod
            SOURCES path__neon_dotprod.cpp ukernels_x8c4__neon_dotprod.cpp
                    epilogue__neon_dotprod.cpp quantize__neon_dotprod.cpp)
