/* The C API under hostile use (issue 11), from C11: sizes whose byte counts overflow, a one-row
 * C past the address space, C overlapping A or B, an overflowing float32 scale product, stage
 * defaults for a bogus type, I8GEMM_ISA naming a path this host lacks, and every rounding mode
 * with flush-to-zero / denormals-are-zero on and off (same bits as the default environment,
 * which is given back after each call). Exits nonzero on any failure. */
#define _POSIX_C_SOURCE 200112L /* setenv */

#include <fenv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include "c_check.h"
#include "i8gemm/i8gemm.h"

static const i8gemm_zero_point z0 = {0, NULL};
static const i8gemm_status bad = I8GEMM_INVALID_ARGUMENT;

static void test_sizes(i8gemm_context* ctx) {
  int8_t a = 0, b = 0, c8 = 42;
  int32_t c32 = 42;
  i8gemm_packed_b* p = (i8gemm_packed_b*)&p;
  const int64_t huge_n = ((int64_t)1 << 62) + 16;
  /* K = 0: B is empty whatever N is, but N column sums are still N * 4 bytes. */
  EXPECT_ERROR(i8gemm_packed_b_create(ctx, 0, huge_n, &b, 0, I8GEMM_B_NK, z0, &p), bad,
               "n: 4611686018427387920");
  CHECK(p == NULL);
  i8gemm_output_fixed_point fp = i8gemm_output_fixed_point_defaults(I8GEMM_INT8);
  CHECK_OK(i8gemm_quantize_multiplier(0.01, &fp.multiplier)); /* valid: the size check fails */
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, 1, huge_n, 0, I8GEMM_INT8, &a, 0, z0, &b, huge_n,
                                       I8GEMM_B_KN, z0, &fp, I8GEMM_INT8, &c8, huge_n),
               bad, "n: 4611686018427387920");
  /* One row of more int32 values than the address space holds. */
  const int64_t wide = ((int64_t)1 << 61) + 2;
  EXPECT_ERROR(i8gemm_gemm_int32(ctx, 1, wide, 0, I8GEMM_INT8, &a, 0, z0, &b, wide, I8GEMM_B_KN, z0,
                                 NULL, &c32, wide),
               bad, "address space");
  CHECK(c8 == 42 && c32 == 42);
}

static void test_overlap(i8gemm_context* ctx) {
  enum { S = 8 };
  static int8_t buf[4 * S * S];
  memset(buf, 1, sizeof(buf));
  int8_t* a = buf + S * S;
  int8_t* b = buf + 2 * S * S;
  i8gemm_output_fixed_point fp = i8gemm_output_fixed_point_defaults(I8GEMM_INT8);
  CHECK_OK(i8gemm_quantize_multiplier(0.01, &fp.multiplier));
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, S, S, S, I8GEMM_INT8, a, S, z0, b, S, I8GEMM_B_KN, z0,
                                       &fp, I8GEMM_INT8, a + 3, S),
               bad, "c: overlaps a");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, S, S, S, I8GEMM_INT8, a, S, z0, b, S, I8GEMM_B_KN, z0,
                                       &fp, I8GEMM_INT8, b + 1, S),
               bad, "c: overlaps b");
  for (size_t i = 0; i < sizeof(buf); ++i) CHECK(buf[i] == 1);
  CHECK_OK(i8gemm_gemm_fixed_point(ctx, S, S, S, I8GEMM_INT8, a, S, z0, b, S, I8GEMM_B_KN, z0, &fp,
                                   I8GEMM_INT8, buf, S));
}

static void test_float32_scale_product(i8gemm_context* ctx) {
  int8_t a[4] = {0}, b[4] = {0};
  float c[4] = {42, 42, 42, 42};
  i8gemm_output_float f = i8gemm_output_float_defaults();
  f.a_scale = 1e30f;
  f.b_scale = 1e30f;
  EXPECT_ERROR(
      i8gemm_gemm_float(ctx, 2, 2, 2, I8GEMM_INT8, a, 2, z0, b, 2, I8GEMM_B_KN, z0, &f, c, 2), bad,
      "a_scale * b_scale");
  for (int i = 0; i < 4; ++i) CHECK(c[i] == 42);
}

static void test_stage_defaults(i8gemm_context* ctx) {
  const i8gemm_type bogus = (i8gemm_type)42;
  i8gemm_output_fixed_point fp = i8gemm_output_fixed_point_defaults(bogus);
  CHECK(strstr(i8gemm_last_error(), "i8gemm_output_fixed_point_defaults: c_type: 42") != NULL);
  i8gemm_output_float_scale fs = i8gemm_output_float_scale_defaults(bogus);
  CHECK(strstr(i8gemm_last_error(), "c_type: 42") != NULL);
  int8_t a[4] = {1, 2, 3, 4}, b[4] = {1, 1, 1, 1}, c[4] = {42, 42, 42, 42};
  CHECK_OK(i8gemm_quantize_multiplier(0.25, &fp.multiplier));
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, 2, 2, 2, I8GEMM_INT8, a, 2, z0, b, 2, I8GEMM_B_KN, z0,
                                       &fp, I8GEMM_INT8, c, 2),
               bad, "stage: made by i8gemm_output_fixed_point_defaults() from an invalid c_type");
  EXPECT_ERROR(i8gemm_gemm_float_scale(ctx, 2, 2, 2, I8GEMM_INT8, a, 2, z0, b, 2, I8GEMM_B_KN, z0,
                                       &fs, I8GEMM_UINT8, c, 2),
               bad, "i8gemm_output_float_scale_defaults() from an invalid c_type");
  for (int i = 0; i < 4; ++i) CHECK(c[i] == 42);
  EXPECT_ERROR(i8gemm_output_fixed_point_init(bogus, &fp), bad, "c_type: 42");
  EXPECT_ERROR(i8gemm_output_float_scale_init(I8GEMM_UINT8, NULL), bad, "stage");
  CHECK_OK(i8gemm_output_float_scale_init(I8GEMM_UINT8, &fs));
  CHECK(fs.min == 0 && fs.max == 255 && fs.scale == 1.0f && fs.per_channel == NULL);
  CHECK_OK(i8gemm_output_fixed_point_init(I8GEMM_INT8, &fp));
  CHECK(fp.min == -128 && fp.max == 127 && fp.multiplier.m0 == 0);
}

/* I8GEMM_ISA naming a path this host cannot run: I8GEMM_UNAVAILABLE, as the header says. */
static void test_unavailable_default(void) {
  const uint32_t missing = ~i8gemm_available_isas() & (2u * I8GEMM_ISA_NEON_I8MM - 1u);
  for (uint32_t bit = 1; bit <= I8GEMM_ISA_NEON_I8MM; bit <<= 1) {
    if ((missing & bit) == 0) continue;
    const char* name = i8gemm_isa_name((i8gemm_isa)bit);
    CHECK(setenv("I8GEMM_ISA", name, 1) == 0);
    i8gemm_context* ctx = (i8gemm_context*)&ctx;
    EXPECT_ERROR(i8gemm_context_create(I8GEMM_ISA_DEFAULT, 1, &ctx), I8GEMM_UNAVAILABLE, name);
    CHECK(ctx == NULL);
    i8gemm_isa isa = I8GEMM_ISA_DEFAULT;
    EXPECT_ERROR(i8gemm_default_isa(&isa), I8GEMM_UNAVAILABLE, "I8GEMM_ISA");
  }
  /* A name that is no path stays an invalid argument. */
  CHECK(setenv("I8GEMM_ISA", "avx9000", 1) == 0);
  i8gemm_context* ctx = NULL;
  EXPECT_ERROR(i8gemm_context_create(I8GEMM_ISA_DEFAULT, 1, &ctx), bad, "avx9000");
  CHECK(unsetenv("I8GEMM_ISA") == 0);
}

/* ------------------------------------------------------------------------------------------ */
/* The caller's floating-point environment. */

static int flush_enabled(void) {
#if defined(__x86_64__)
  return (_mm_getcsr() & 0x8040u) != 0; /* FTZ | DAZ */
#elif defined(__aarch64__)
  uint64_t fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  return (int)((fpcr >> 24) & 1);
#else
  return 0;
#endif
}

/* Whether the CPU has a flush-to-zero control (riscv64, for one, always keeps denormals). */
#if defined(__x86_64__) || defined(__aarch64__)
enum { kFlushModes = 2 };
#else
enum { kFlushModes = 1 };
#endif

static void set_flush(int on) {
#if defined(__x86_64__)
  _mm_setcsr(on ? (_mm_getcsr() | 0x8040u) : (_mm_getcsr() & ~0x8040u));
#elif defined(__aarch64__)
  uint64_t fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  fpcr = on ? (fpcr | ((uint64_t)1 << 24)) : (fpcr & ~((uint64_t)1 << 24));
  __asm__ volatile("msr fpcr, %0" : : "r"(fpcr));
#else
  (void)on;
#endif
}

enum { FM = 23, FN = 29, FK = 41 };

typedef struct fp_problem {
  int8_t a[FM * FK], b[FK * FN];
  float scales[FN], a_scales[FM], b_scales[FN], bias_f[FN];
  uint8_t c8[FM * FN];
  float cf[FM * FN];
} fp_problem;

static void make_fp_problem(fp_problem* p) {
  uint32_t state = 12345u;
  for (size_t i = 0; i < sizeof(p->a); ++i)
    p->a[i] = (int8_t)((state = state * 1103515245u + 12345u) >> 16);
  for (size_t i = 0; i < sizeof(p->b); ++i)
    p->b[i] = (int8_t)((state = state * 1103515245u + 12345u) >> 16);
  for (int j = 0; j < FN; ++j) {
    /* Halves and quarters make ties; a few denormals test FTZ/DAZ. */
    p->scales[j] = j % 7 == 0 ? 1e-40f : (float)(1 + j % 5) / (float)(4 << (j % 9));
    p->b_scales[j] = j % 5 == 0 ? 3e-41f : 0.001f * (float)(1 + j);
    p->bias_f[j] = (float)(j % 11) / 3.0f - 1.0f;
  }
  for (int i = 0; i < FM; ++i) p->a_scales[i] = i % 4 == 0 ? 7e-39f : 0.01f / (float)(1 + i);
}

/* Runs the float-scale and float32 stages, unpacked and packed, into p->c8 / p->cf; 0 on OK. */
static int run_fp_stages(i8gemm_context* ctx, fp_problem* p, uint8_t* c8_packed, float* cf_packed) {
  const i8gemm_zero_point za = {-3, NULL}, zb = {2, NULL};
  i8gemm_output_float_scale fs = i8gemm_output_float_scale_defaults(I8GEMM_UINT8);
  fs.per_channel = p->scales;
  fs.zero_point = 128;
  i8gemm_output_float f = i8gemm_output_float_defaults();
  f.a_scales = p->a_scales;
  f.b_scales = p->b_scales;
  f.bias = p->bias_f;
  i8gemm_packed_b* packed = NULL;
  int bad_calls = 0;
  bad_calls += i8gemm_gemm_float_scale(ctx, FM, FN, FK, I8GEMM_INT8, p->a, FK, za, p->b, FN,
                                       I8GEMM_B_KN, zb, &fs, I8GEMM_UINT8, p->c8, FN) != I8GEMM_OK;
  bad_calls += i8gemm_gemm_float(ctx, FM, FN, FK, I8GEMM_INT8, p->a, FK, za, p->b, FN, I8GEMM_B_KN,
                                 zb, &f, p->cf, FN) != I8GEMM_OK;
  bad_calls += i8gemm_packed_b_create(ctx, FK, FN, p->b, FN, I8GEMM_B_KN, zb, &packed) != I8GEMM_OK;
  bad_calls += i8gemm_gemm_packed_float_scale(ctx, FM, FN, FK, I8GEMM_INT8, p->a, FK, za, packed,
                                              &fs, I8GEMM_UINT8, c8_packed, FN) != I8GEMM_OK;
  bad_calls += i8gemm_gemm_packed_float(ctx, FM, FN, FK, I8GEMM_INT8, p->a, FK, za, packed, &f,
                                        cf_packed, FN) != I8GEMM_OK;
  i8gemm_packed_b_destroy(packed);
  return bad_calls;
}

static void test_fp_environment(i8gemm_isa isa) {
  static fp_problem p;
  static uint8_t want8[FM * FN], got8[FM * FN];
  static float wantf[FM * FN], gotf[FM * FN];
  make_fp_problem(&p);
  i8gemm_context* ctx = NULL;
  CHECK_OK(i8gemm_context_create(isa, 1, &ctx));
  if (ctx == NULL) return;
  CHECK(run_fp_stages(ctx, &p, got8, gotf) == 0);
  memcpy(want8, p.c8, sizeof(want8));
  memcpy(wantf, p.cf, sizeof(wantf));
  CHECK(memcmp(got8, want8, sizeof(want8)) == 0 && memcmp(gotf, wantf, sizeof(wantf)) == 0);
  const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
  for (int m = 0; m < 4; ++m) {
    for (int flush = 0; flush < kFlushModes; ++flush) {
      CHECK(fesetround(modes[m]) == 0);
      set_flush(flush);
      memset(p.c8, 0, sizeof(p.c8));
      memset(p.cf, 0, sizeof(p.cf));
      const int bad_calls = run_fp_stages(ctx, &p, got8, gotf);
      const int rounding = fegetround(), flushing = flush_enabled();
      set_flush(0);
      fesetround(FE_TONEAREST);
      if (bad_calls != 0 || memcmp(p.c8, want8, sizeof(want8)) != 0 ||
          memcmp(p.cf, wantf, sizeof(wantf)) != 0 || memcmp(got8, want8, sizeof(want8)) != 0 ||
          memcmp(gotf, wantf, sizeof(wantf)) != 0) {
        fprintf(stderr, "%s: rounding mode %d, flush %d: results differ from the default's\n",
                i8gemm_isa_name(isa), m, flush);
        ++failures;
      }
      CHECK(rounding == modes[m]);
      CHECK(flushing == flush);
    }
  }
  i8gemm_context_destroy(ctx);
}

int main(void) {
  i8gemm_context* ctx = NULL;
  CHECK_OK(i8gemm_context_create(I8GEMM_ISA_DEFAULT, 1, &ctx));
  const uint32_t available = i8gemm_available_isas();
  int paths = 0;
  for (uint32_t bit = 1; bit <= I8GEMM_ISA_NEON_I8MM && ctx != NULL; bit <<= 1) {
    if ((available & bit) == 0) continue;
    CHECK_OK(i8gemm_context_set_isa(ctx, (i8gemm_isa)bit));
    test_sizes(ctx);
    test_overlap(ctx);
    test_float32_scale_product(ctx);
    test_stage_defaults(ctx);
    test_fp_environment((i8gemm_isa)bit);
    ++paths;
  }
  i8gemm_context_destroy(ctx);
  test_unavailable_default();
  if (failures != 0) {
    printf("test_c_api_hostile: %d failures\n", failures);
    return 1;
  }
  printf("test_c_api_hostile: all checks passed on %d paths\n", paths);
  return 0;
}
