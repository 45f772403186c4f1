#include "epilogue/epilogue.hpp"

I8GEMM_DEFINE_EPILOGUE(neon_dotprod, xsimd::neon64)
