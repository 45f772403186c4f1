# NEON is part of the aarch64 baseline.
i8gemm_path(neon ARCH aarch64
            SOURCES path__neon.cpp ukernels_x8c1__neon.cpp epilogue__neon.cpp quantize__neon.cpp)
