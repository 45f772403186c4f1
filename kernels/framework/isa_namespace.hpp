// Code compiled once per path (templates and inline functions of the kernel, epilogue and
// quantization headers) lives in the namespace I8GEMM_ISA_NS, which CMake names after the path
// whose object library compiles it (isa_avx2, isa_avx512vnni, ...): the same template compiled
// with two paths' flags gives two symbols, never one the linker could take from either
// (highway's per-target namespaces). Only functions and constants named after their path
// (i8gemm_ukernel_8x32c4__avx512vnni, i8gemm_path__avx2, ...) are shared with the framework.
#pragma once

#ifndef I8GEMM_ISA_NS
#error "I8GEMM_ISA_NS is not defined: this header belongs to a path's object library"
#endif
