#include "epilogue/epilogue.hpp"

I8GEMM_DEFINE_EPILOGUE(avx512vnni, xsimd::avx512bw)
