#include "epilogue/epilogue.hpp"

I8GEMM_DEFINE_EPILOGUE(avx512bw, xsimd::avx512bw)
