#include "epilogue/epilogue.hpp"

I8GEMM_DEFINE_EPILOGUE(avxvnni, xsimd::avx2)
