# Scalar code only: the compiler's vectorizers are off, so this path is what a CPU without any
# vector unit would run, through the same blocked driver as every other path.
i8gemm_path(scalar ARCH any
            FLAGS $<$<CXX_COMPILER_ID:GNU>:-fno-tree-vectorize -fno-tree-slp-vectorize>
                  $<$<CXX_COMPILER_ID:Clang>:-fno-vectorize -fno-slp-vectorize>
            SOURCES path__scalar.cpp ukernels_x4c1__scalar.cpp epilogue__scalar.cpp
                    quantize__scalar.cpp peak__scalar.cpp)
