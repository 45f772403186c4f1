#include "epilogue/epilogue_plain.hpp"

I8GEMM_DEFINE_PLAIN_EPILOGUE(scalar)
