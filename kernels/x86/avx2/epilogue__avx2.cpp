#include "epilogue/epilogue.hpp"

I8GEMM_DEFINE_EPILOGUE(avx2, xsimd::avx2)
