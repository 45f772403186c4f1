i8gemm_path(avxvnni ARCH x86_64 FLAGS -mavx2 -mavxvnni
            SOURCES path__avxvnni.cpp ukernels_x16c4__avxvnni.cpp epilogue__avxvnni.cpp
                    quantize__avxvnni.cpp peak__avxvnni.cpp)
