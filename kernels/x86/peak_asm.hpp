// The x86 peak loops (peak__<isa>.cpp) in inline assembly rather than intrinsics: with
// intrinsics the compiler hoists the loop-invariant multiply out of the loop and only the add
// would be timed. Each loop runs `setup` once, then `body` `loops` times.
#pragma once

#define I8GEMM_PEAK_ASM(loops, setup, body, ...)                              \
  asm volatile(setup "1:\n\t" body "sub $1, %[n]\n\tjnz 1b\n\tvzeroupper\n\t" \
               : [n] "+r"(loops)                                              \
               :                                                              \
               : "cc", __VA_ARGS__)

#define I8GEMM_ZERO_ZMM(i) "vpxord %%zmm" #i ", %%zmm" #i ", %%zmm" #i "\n\t"
#define I8GEMM_ZERO_YMM(i) "vpxor %%ymm" #i ", %%ymm" #i ", %%ymm" #i "\n\t"
#define I8GEMM_ZERO_YMM_0_TO_11                                                                  \
  I8GEMM_ZERO_YMM(0)                                                                             \
  I8GEMM_ZERO_YMM(1) I8GEMM_ZERO_YMM(2) I8GEMM_ZERO_YMM(3) I8GEMM_ZERO_YMM(4) I8GEMM_ZERO_YMM(5) \
      I8GEMM_ZERO_YMM(6) I8GEMM_ZERO_YMM(7) I8GEMM_ZERO_YMM(8) I8GEMM_ZERO_YMM(9)                \
          I8GEMM_ZERO_YMM(10) I8GEMM_ZERO_YMM(11)
#define I8GEMM_ZERO_ZMM_0_TO_11                                                                  \
  I8GEMM_ZERO_ZMM(0)                                                                             \
  I8GEMM_ZERO_ZMM(1) I8GEMM_ZERO_ZMM(2) I8GEMM_ZERO_ZMM(3) I8GEMM_ZERO_ZMM(4) I8GEMM_ZERO_ZMM(5) \
      I8GEMM_ZERO_ZMM(6) I8GEMM_ZERO_ZMM(7) I8GEMM_ZERO_ZMM(8) I8GEMM_ZERO_ZMM(9)                \
          I8GEMM_ZERO_ZMM(10) I8GEMM_ZERO_ZMM(11)
// All ones in the two operand registers: ymm14/15, zmm16/17.
#define I8GEMM_ONES_YMM_14_15 \
  "vpcmpeqd %%ymm14, %%ymm14, %%ymm14\n\tvpcmpeqd %%ymm15, %%ymm15, %%ymm15\n\t"
#define I8GEMM_ONES_ZMM_16_17                       \
  "vpternlogd $0xff, %%zmm16, %%zmm16, %%zmm16\n\t" \
  "vpternlogd $0xff, %%zmm17, %%zmm17, %%zmm17\n\t"

// vpmaddwd into a temporary t, then vpaddd into accumulator i (the temporaries are renamed).
#define I8GEMM_MADD_ZMM(i, t)           \
  "vpmaddwd %%zmm17, %%zmm16, %%zmm" #t \
  "\n\t"                                \
  "vpaddd %%zmm" #t ", %%zmm" #i ", %%zmm" #i "\n\t"
#define I8GEMM_MADD_YMM(i, t)           \
  "vpmaddwd %%ymm15, %%ymm14, %%ymm" #t \
  "\n\t"                                \
  "vpaddd %%ymm" #t ", %%ymm" #i ", %%ymm" #i "\n\t"

#define I8GEMM_ZMM_CLOBBERS                                                                \
  "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", \
      "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17"
#define I8GEMM_YMM_CLOBBERS                                                                \
  "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", \
      "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"
