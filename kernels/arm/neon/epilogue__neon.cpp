#include "epilogue/epilogue.hpp"

I8GEMM_DEFINE_EPILOGUE(neon, xsimd::neon64)
