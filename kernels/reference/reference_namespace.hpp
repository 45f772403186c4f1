// The namespace of the reference's inline helpers that the paths' epilogues also run
// (round_half_even.hpp, output_stage_reference.hpp). Compiled in a path's object library they
// live in that path's namespace (framework/isa_namespace.hpp): the linker keeps one copy of an
// inline function per name, and one compiled with a path's instruction set must never be the
// copy that code for other CPUs calls.
#pragma once

#ifdef I8GEMM_ISA_NS
#define I8GEMM_REFERENCE_NS i8gemm::I8GEMM_ISA_NS::reference
#else
#define I8GEMM_REFERENCE_NS i8gemm::reference
#endif
