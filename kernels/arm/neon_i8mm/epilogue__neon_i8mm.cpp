#include "epilogue/epilogue.hpp"

I8GEMM_DEFINE_EPILOGUE(neon_i8mm, xsimd::neon64)
