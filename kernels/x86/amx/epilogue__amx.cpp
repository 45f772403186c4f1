// The amx path's epilogue: the tiles are stored to the int32 tile of the driver's scratch and the
// xsimd epilogue (avx512bw) applies the zero-point terms and the output stage from there, while
// the tile is in L1.
#include "epilogue/epilogue.hpp"

I8GEMM_DEFINE_EPILOGUE(amx, xsimd::avx512bw)
