/* The C API (include/i8gemm/i8gemm.h), from C11: every entry point on every path this host runs,
 * results compared bit for bit with the C++ API on the scalar oracle (c_api_expected.cpp), and
 * the error cases (status, and a message naming the argument). Exits nonzero on any failure. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef __STDC_NO_THREADS__
#include <threads.h>
#endif

#include "c_api_expected.h"
#include "c_check.h"
#include "i8gemm/i8gemm.h"

/* The same bytes, reported with where they differ. */
static void check_same(const void* got, const void* want, size_t bytes, const char* what,
                       const char* isa, int line) {
  if (memcmp(got, want, bytes) != 0) {
    fprintf(stderr, "%s:%d: %s on %s differs from the C++ API on scalar\n", __FILE__, line, what,
            isa);
    ++failures;
  }
}
#define CHECK_SAME(got, want, bytes, what) check_same(got, want, bytes, what, isa_name, __LINE__)

static uint32_t rng_state = 20240607u;
static uint32_t next_random(void) {
  rng_state = rng_state * 1664525u + 1013904223u;
  return rng_state >> 8;
}
static int32_t random_in(int32_t lo, int32_t hi) {
  return lo + (int32_t)(next_random() % (uint32_t)(hi - lo + 1));
}
static void fill_bytes(void* p, size_t n) {
  unsigned char* b = (unsigned char*)p;
  for (size_t i = 0; i < n; ++i) b[i] = (unsigned char)next_random();
}

enum { M = 13, N = 37, K = 70, LDA = K + 3, LDB = 80, LDC = N + 2 };

/* Buffers of one problem; C outputs are LDC wide so that the padding must stay untouched. */
typedef struct problem {
  unsigned char a[M * LDA];
  int8_t b[LDB * LDB];
  int32_t za[M], zb[N], bias[N];
  float bias_f[N], a_scales[M], b_scales[N], scales[N];
  i8gemm_quantized_multiplier multipliers[N];
  c_api_case t;
} problem;

static void make_problem(problem* p, i8gemm_type a_type, i8gemm_b_layout layout, int per_channel) {
  fill_bytes(p->a, sizeof(p->a));
  fill_bytes(p->b, sizeof(p->b));
  for (int i = 0; i < M; ++i) {
    p->za[i] = a_type == I8GEMM_INT8 ? random_in(-128, 127) : random_in(0, 255);
    p->a_scales[i] = 0.001f * (float)random_in(1, 100);
  }
  for (int j = 0; j < N; ++j) {
    p->zb[j] = random_in(-128, 127);
    p->bias[j] = random_in(-100000, 100000);
    p->bias_f[j] = 0.25f * (float)random_in(-100, 100);
    p->b_scales[j] = 0.002f * (float)random_in(1, 100);
    p->scales[j] = 1e-5f * (float)random_in(1, 1000);
    CHECK_OK(i8gemm_quantize_multiplier(1e-5 * random_in(1, 1000), &p->multipliers[j]));
  }
  c_api_case t = {M, N, K, a_type, p->a, LDA, {0, NULL}, p->b, LDB, layout, {0, NULL}};
  if (per_channel) {
    t.a_zero_point.per_channel = p->za;
    t.b_zero_point.per_channel = p->zb;
  } else {
    t.a_zero_point.value = a_type == I8GEMM_INT8 ? -7 : 131;
    t.b_zero_point.value = 5;
  }
  p->t = t;
}

/* A prepared GEMM (made by the caller, destroyed here) run on the case's A, where the case has
 * A's zero point per tensor (the prepared form's): the bytes of `want`. */
static void check_prepared(i8gemm_status made, i8gemm_prepared_gemm* prepared, const c_api_case* t,
                           void* c, const void* want, size_t bytes, const char* what,
                           const char* isa_name) {
  CHECK(made == I8GEMM_OK);
  if (prepared == NULL) return;
  memset(c, 0x5a, bytes);
  CHECK_OK(i8gemm_prepared_run(prepared, M, t->a, LDA, c, LDC));
  CHECK_SAME(c, want, bytes, what);
  i8gemm_prepared_destroy(prepared);
}

/* Every output stage, packed and unpacked, against the oracle. */
static void check_stages(i8gemm_context* ctx, const problem* p, const char* isa_name) {
  const c_api_case* t = &p->t;
  i8gemm_packed_b* packed = NULL;
  CHECK_OK(i8gemm_packed_b_create(ctx, K, N, p->b, LDB, t->layout, t->b_zero_point, &packed));
  if (packed == NULL) return;
  CHECK(i8gemm_packed_b_k(packed) == K && i8gemm_packed_b_n(packed) == N);
  CHECK(i8gemm_packed_b_isa(packed) == i8gemm_context_isa(ctx));
  CHECK(i8gemm_packed_b_size_bytes(packed) >= (size_t)(K * N));
  const int32_t* sums = i8gemm_packed_b_column_sums(packed);
  for (int j = 0; j < N && sums != NULL; ++j) {
    int32_t s = 0;
    for (int k = 0; k < K; ++k)
      s += t->layout == I8GEMM_B_KN ? p->b[k * LDB + j] : p->b[j * LDB + k];
    CHECK(sums[j] == s);
  }

  static int32_t c32[M * LDC], e32[M * LDC];
  static int8_t c8[M * LDC], e8[M * LDC];
  static float cf[M * LDC], ef[M * LDC];

  /* int32, with and without bias (a NULL stage is no bias). */
  for (int with_bias = 0; with_bias < 2; ++with_bias) {
    i8gemm_output_int32 s = i8gemm_output_int32_defaults();
    if (with_bias) s.bias = p->bias;
    const i8gemm_output_int32* sp = with_bias ? &s : NULL;
    memset(e32, 0x5a, sizeof(e32));
    CHECK(expected_int32(t, sp, e32, LDC) == 0);
    memset(c32, 0x5a, sizeof(c32));
    CHECK_OK(i8gemm_gemm_packed_int32(ctx, M, N, K, t->a_type, t->a, LDA, t->a_zero_point, packed,
                                      sp, c32, LDC));
    CHECK_SAME(c32, e32, sizeof(c32), "int32 packed");
    if (t->a_zero_point.per_channel == NULL) {
      i8gemm_prepared_gemm* prep = NULL;
      const i8gemm_status made =
          i8gemm_prepare_int32(ctx, t->a_type, t->a_zero_point.value, packed, sp, &prep);
      check_prepared(made, prep, t, c32, e32, sizeof(c32), "int32 prepared", isa_name);
    }
    memset(c32, 0x5a, sizeof(c32));
    CHECK_OK(i8gemm_gemm_int32(ctx, M, N, K, t->a_type, t->a, LDA, t->a_zero_point, p->b, LDB,
                               t->layout, t->b_zero_point, sp, c32, LDC));
    CHECK_SAME(c32, e32, sizeof(c32), "int32 unpacked");
    CHECK(i8gemm_context_last_used_isa(ctx) == i8gemm_context_isa(ctx));
  }

  for (int ct = 0; ct < 2; ++ct) {
    const i8gemm_type c_type = ct == 0 ? I8GEMM_INT8 : I8GEMM_UINT8;
    for (int per_channel = 0; per_channel < 2; ++per_channel) {
      /* int8 / uint8 fixed point, with a fused ReLU (min = zero point). */
      i8gemm_output_fixed_point fp = i8gemm_output_fixed_point_defaults(c_type);
      CHECK(fp.min == (c_type == I8GEMM_INT8 ? -128 : 0));
      CHECK(fp.max == (c_type == I8GEMM_INT8 ? 127 : 255));
      CHECK_OK(i8gemm_quantize_multiplier(0.00037, &fp.multiplier));
      if (per_channel) fp.per_channel = p->multipliers;
      fp.bias = p->bias;
      fp.zero_point = c_type == I8GEMM_INT8 ? -3 : 120;
      fp.min = fp.zero_point;
      memset(e8, 0x5a, sizeof(e8));
      CHECK(expected_fixed_point(t, &fp, c_type, e8, LDC) == 0);
      memset(c8, 0x5a, sizeof(c8));
      CHECK_OK(i8gemm_gemm_packed_fixed_point(ctx, M, N, K, t->a_type, t->a, LDA, t->a_zero_point,
                                              packed, &fp, c_type, c8, LDC));
      CHECK_SAME(c8, e8, sizeof(c8), "fixed point packed");
      if (t->a_zero_point.per_channel == NULL) {
        i8gemm_prepared_gemm* prep = NULL;
        const i8gemm_status made = i8gemm_prepare_fixed_point(ctx, t->a_type, t->a_zero_point.value,
                                                              packed, &fp, c_type, &prep);
        check_prepared(made, prep, t, c8, e8, sizeof(c8), "fixed point prepared", isa_name);
      }
      memset(c8, 0x5a, sizeof(c8));
      CHECK_OK(i8gemm_gemm_fixed_point(ctx, M, N, K, t->a_type, t->a, LDA, t->a_zero_point, p->b,
                                       LDB, t->layout, t->b_zero_point, &fp, c_type, c8, LDC));
      CHECK_SAME(c8, e8, sizeof(c8), "fixed point unpacked");

      /* int8 / uint8 by an fp32 scale. */
      i8gemm_output_float_scale fs = i8gemm_output_float_scale_defaults(c_type);
      CHECK(fs.scale == 1.0f);
      fs.scale = 0.00041f;
      if (per_channel) fs.per_channel = p->scales;
      fs.bias = per_channel ? p->bias : NULL;
      fs.zero_point = c_type == I8GEMM_INT8 ? 4 : 100;
      fs.max = c_type == I8GEMM_INT8 ? 100 : 200;
      memset(e8, 0x5a, sizeof(e8));
      CHECK(expected_float_scale(t, &fs, c_type, e8, LDC) == 0);
      memset(c8, 0x5a, sizeof(c8));
      CHECK_OK(i8gemm_gemm_packed_float_scale(ctx, M, N, K, t->a_type, t->a, LDA, t->a_zero_point,
                                              packed, &fs, c_type, c8, LDC));
      CHECK_SAME(c8, e8, sizeof(c8), "float scale packed");
      if (t->a_zero_point.per_channel == NULL) {
        i8gemm_prepared_gemm* prep = NULL;
        const i8gemm_status made = i8gemm_prepare_float_scale(ctx, t->a_type, t->a_zero_point.value,
                                                              packed, &fs, c_type, &prep);
        check_prepared(made, prep, t, c8, e8, sizeof(c8), "float scale prepared", isa_name);
      }
      memset(c8, 0x5a, sizeof(c8));
      CHECK_OK(i8gemm_gemm_float_scale(ctx, M, N, K, t->a_type, t->a, LDA, t->a_zero_point, p->b,
                                       LDB, t->layout, t->b_zero_point, &fs, c_type, c8, LDC));
      CHECK_SAME(c8, e8, sizeof(c8), "float scale unpacked");

      /* float32, dequantized per tensor or per row of A / per column of B. */
      i8gemm_output_float f = i8gemm_output_float_defaults();
      CHECK(f.a_scale == 1.0f && f.b_scale == 1.0f && f.bias == NULL);
      f.a_scale = 0.031f;
      f.b_scale = 0.007f;
      if (per_channel) {
        f.a_scales = p->a_scales;
        f.b_scales = p->b_scales;
        f.bias = p->bias_f;
      }
      memset(ef, 0x5a, sizeof(ef));
      CHECK(expected_float(t, &f, ef, LDC) == 0);
      memset(cf, 0x5a, sizeof(cf));
      CHECK_OK(i8gemm_gemm_packed_float(ctx, M, N, K, t->a_type, t->a, LDA, t->a_zero_point, packed,
                                        &f, cf, LDC));
      CHECK_SAME(cf, ef, sizeof(cf), "float packed");
      if (t->a_zero_point.per_channel == NULL && f.a_scales == NULL) {
        i8gemm_prepared_gemm* prep = NULL;
        const i8gemm_status made =
            i8gemm_prepare_float(ctx, t->a_type, t->a_zero_point.value, packed, &f, &prep);
        check_prepared(made, prep, t, cf, ef, sizeof(cf), "float prepared", isa_name);
      }
      memset(cf, 0x5a, sizeof(cf));
      CHECK_OK(i8gemm_gemm_float(ctx, M, N, K, t->a_type, t->a, LDA, t->a_zero_point, p->b, LDB,
                                 t->layout, t->b_zero_point, &f, cf, LDC));
      CHECK_SAME(cf, ef, sizeof(cf), "float unpacked");
    }
  }
  i8gemm_packed_b_destroy(packed);
}

static void test_isa_queries(void) {
  const uint32_t built = i8gemm_built_isas();
  const uint32_t available = i8gemm_available_isas();
  CHECK(built == expected_built_isas());
  CHECK(available == expected_available_isas());
  CHECK((available & I8GEMM_ISA_SCALAR) != 0);
  CHECK((available & ~built) == 0);
  i8gemm_isa def = I8GEMM_ISA_DEFAULT;
  CHECK_OK(i8gemm_default_isa(&def));
  CHECK((uint32_t)def == expected_default_isa());
  /* Every path's bit has a name that parses back; a built path is a named one. */
  for (uint32_t bit = 1; bit != 0; bit <<= 1) {
    const char* name = i8gemm_isa_name((i8gemm_isa)bit);
    if ((built & bit) != 0) CHECK(name != NULL);
    if (name == NULL) continue;
    i8gemm_isa parsed = I8GEMM_ISA_DEFAULT;
    CHECK_OK(i8gemm_parse_isa(name, &parsed));
    CHECK((uint32_t)parsed == bit);
  }
  CHECK(strcmp(i8gemm_isa_name(I8GEMM_ISA_AVX512VNNI), "avx512vnni") == 0);
  CHECK(i8gemm_isa_name(I8GEMM_ISA_DEFAULT) == NULL);
  CHECK(i8gemm_isa_name((i8gemm_isa)(I8GEMM_ISA_AVX2 | I8GEMM_ISA_SCALAR)) == NULL);
  CHECK(i8gemm_isa_name((i8gemm_isa)(1 << 20)) == NULL);
  CHECK(strcmp(i8gemm_status_name(I8GEMM_UNAVAILABLE), "I8GEMM_UNAVAILABLE") == 0);

  i8gemm_context* ctx = NULL;
  CHECK_OK(i8gemm_context_create(I8GEMM_ISA_DEFAULT, 1, &ctx));
  CHECK(i8gemm_context_isa(ctx) == def);
  CHECK(i8gemm_context_last_used_isa(ctx) == I8GEMM_ISA_SCALAR);
  CHECK(i8gemm_context_num_threads(ctx) == 1);
  CHECK_OK(i8gemm_context_set_isa(ctx, I8GEMM_ISA_SCALAR));
  CHECK(i8gemm_context_isa(ctx) == I8GEMM_ISA_SCALAR);
  i8gemm_context_destroy(ctx);
  i8gemm_context_destroy(NULL);
  i8gemm_packed_b_destroy(NULL);
  CHECK(i8gemm_context_isa(NULL) == I8GEMM_ISA_DEFAULT);
  CHECK(i8gemm_context_num_threads(NULL) == 0);
  CHECK(i8gemm_packed_b_size_bytes(NULL) == 0 && i8gemm_packed_b_column_sums(NULL) == NULL);
}

static void test_quantize(void) {
  const double ms[] = {0.0, 3e-7, 0.00037, 0.5, 0.99999, 1.0, 1.7, 1234.5};
  for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); ++i) {
    i8gemm_quantized_multiplier q = {-1, -1};
    CHECK_OK(i8gemm_quantize_multiplier(ms[i], &q));
    const i8gemm_quantized_multiplier e = expected_quantize_multiplier(ms[i]);
    CHECK(q.m0 == e.m0 && q.shift == e.shift);
  }
  float x[100];
  for (int i = 0; i < 100; ++i) x[i] = 0.37f * (float)random_in(-1000, 1000) / 7.0f;
  for (int type = 0; type < 2; ++type) {
    const i8gemm_type t = type == 0 ? I8GEMM_INT8 : I8GEMM_UINT8;
    for (int bits = 2; bits <= 8; ++bits) {
      for (int symmetric = 0; symmetric < 2 - type; ++symmetric) {
        i8gemm_quant_params p;
        CHECK_OK(i8gemm_choose_quant_params(-20.0f, 31.5f, bits, type == 0, symmetric, &p));
        const i8gemm_quant_params e =
            expected_choose_quant_params(-20.0f, 31.5f, bits, type == 0, symmetric);
        CHECK(memcmp(&p, &e, sizeof(p)) == 0);
        unsigned char q[100], eq[100];
        CHECK_OK(i8gemm_quantize(x, 100, &p, t, q));
        expected_quantize(x, 100, &e, t, eq);
        CHECK(memcmp(q, eq, sizeof(q)) == 0);
        float r[100];
        CHECK_OK(i8gemm_dequantize(q, 100, &p, t, r));
        for (int i = 0; i < 100; ++i) {
          const int32_t v = t == I8GEMM_INT8 ? ((const int8_t*)q)[i] : q[i];
          const float want = p.scale * (float)(v - p.zero_point);
          CHECK(memcmp(&r[i], &want, sizeof(float)) == 0);
        }
      }
    }
  }
  i8gemm_quant_params p = {0.1f, 0, -128, 127};
  unsigned char q[4];
  float r[4] = {0};
  EXPECT_ERROR(i8gemm_choose_quant_params(1.0f, 2.0f, 33, 1, 0, &p), I8GEMM_INVALID_ARGUMENT,
               "bits");
  EXPECT_ERROR(i8gemm_choose_quant_params(1.0f, 2.0f, 8, 1, 0, NULL), I8GEMM_INVALID_ARGUMENT,
               "params");
  EXPECT_ERROR(i8gemm_quantize(NULL, 4, &p, I8GEMM_INT8, q), I8GEMM_INVALID_ARGUMENT, "x: null");
  EXPECT_ERROR(i8gemm_quantize(r, 4, NULL, I8GEMM_INT8, q), I8GEMM_INVALID_ARGUMENT, "params");
  EXPECT_ERROR(i8gemm_quantize(r, 4, &p, I8GEMM_UINT8, q), I8GEMM_INVALID_ARGUMENT, "qmin");
  EXPECT_ERROR(i8gemm_quantize(r, 4, &p, (i8gemm_type)9, q), I8GEMM_INVALID_ARGUMENT, "type");
  EXPECT_ERROR(i8gemm_dequantize(q, 4, &p, I8GEMM_INT8, NULL), I8GEMM_INVALID_ARGUMENT, "x: null");
  p.scale = -1.0f;
  EXPECT_ERROR(i8gemm_dequantize(q, 4, &p, I8GEMM_INT8, r), I8GEMM_INVALID_ARGUMENT, "scale");
}

/* Issue 16: wider storage, per row / per column, the full symmetric range, the int32 bias. */
static void test_quantize_more(void) {
  enum { R = 5, C = 19, LDX = 23, LDQ = 21 };
  static float x[R * LDX], back[R * LDX], want_back[R * LDX];
  for (int i = 0; i < R * LDX; ++i) x[i] = 0.013f * (float)random_in(-3000, 5000);
  const i8gemm_type types[] = {I8GEMM_INT8, I8GEMM_UINT8, I8GEMM_INT16, I8GEMM_UINT16,
                               I8GEMM_INT32};
  const int bits_of[] = {8, 8, 16, 16, 32};
  const int signed_of[] = {1, 0, 1, 0, 1};
  const size_t size_of[] = {1, 1, 2, 2, 4};
  for (int t = 0; t < 5; ++t) {
    for (int symmetric = 0; symmetric <= (signed_of[t] ? 2 : 0); ++symmetric) {
      for (int by_rows = 0; by_rows < 2; ++by_rows) {
        const int count = by_rows ? R : C;
        i8gemm_quant_params params[C];
        static int32_t q[R * LDQ], want_q[R * LDQ];
        memset(q, 0x5a, sizeof(q));
        memset(want_q, 0x5a, sizeof(want_q));
        if (by_rows) {
          CHECK_OK(i8gemm_choose_quant_params_rows(x, R, C, LDX, bits_of[t], signed_of[t],
                                                   symmetric, params));
          CHECK_OK(i8gemm_quantize_rows(x, R, C, LDX, params, types[t], q, LDQ));
        } else {
          CHECK_OK(i8gemm_choose_quant_params_columns(x, R, C, LDX, bits_of[t], signed_of[t],
                                                      symmetric, params));
          CHECK_OK(i8gemm_quantize_columns(x, R, C, LDX, params, types[t], q, LDQ));
        }
        /* Each row / column: its own min and max through the per-tensor functions. */
        for (int i = 0; i < count; ++i) {
          float lo = 0.0f, hi = 0.0f;
          for (int k = 0; k < (by_rows ? C : R); ++k) {
            const float v = by_rows ? x[i * LDX + k] : x[k * LDX + i];
            lo = k == 0 || v < lo ? v : lo;
            hi = k == 0 || v > hi ? v : hi;
          }
          const i8gemm_quant_params e =
              expected_choose_quant_params(lo, hi, bits_of[t], signed_of[t], symmetric);
          CHECK(memcmp(&params[i], &e, sizeof(e)) == 0);
          if (symmetric == I8GEMM_SYMMETRIC_FULL) CHECK(e.qmin == -e.qmax - 1);
          for (int k = 0; k < (by_rows ? C : R); ++k) {
            const int row = by_rows ? i : k, col = by_rows ? k : i;
            expected_quantize(&x[row * LDX + col], 1, &e, types[t],
                              (char*)want_q + (size_t)(row * LDQ + col) * size_of[t]);
          }
        }
        CHECK(memcmp(q, want_q, (size_t)(R * LDQ) * size_of[t]) == 0);
        /* Back to float: each value scale * (q - zero_point), via the per-tensor call. */
        if (by_rows) {
          CHECK_OK(i8gemm_dequantize_rows(q, R, C, LDQ, params, types[t], back, LDX));
        } else {
          CHECK_OK(i8gemm_dequantize_columns(q, R, C, LDQ, params, types[t], back, LDX));
        }
        for (int row = 0; row < R; ++row) {
          for (int col = 0; col < C; ++col) {
            CHECK_OK(i8gemm_dequantize((const char*)q + (size_t)(row * LDQ + col) * size_of[t], 1,
                                       &params[by_rows ? row : col], types[t],
                                       &want_back[row * LDX + col]));
          }
          CHECK(memcmp(&back[row * LDX], &want_back[row * LDX], C * sizeof(float)) == 0);
        }
        /* MSE: the round trip through int32, summed in double in row-major order. */
        double mse = -1.0, sum = 0.0;
        if (by_rows) {
          CHECK_OK(i8gemm_quantization_mse_rows(x, R, C, LDX, params, &mse));
        } else {
          CHECK_OK(i8gemm_quantization_mse_columns(x, R, C, LDX, params, &mse));
        }
        for (int row = 0; row < R; ++row) {
          for (int col = 0; col < C; ++col) {
            const i8gemm_quant_params* p = &params[by_rows ? row : col];
            int32_t q32;
            float r;
            CHECK_OK(i8gemm_quantize(&x[row * LDX + col], 1, p, I8GEMM_INT32, &q32));
            CHECK_OK(i8gemm_dequantize(&q32, 1, p, I8GEMM_INT32, &r));
            const double e = (double)r - (double)x[row * LDX + col];
            sum += e * e;
          }
        }
        CHECK(mse == sum / (R * C));
      }
    }
  }
  /* Per tensor at 17, 24 and 32 bits into int32; 31 bits unsigned. */
  const int wide[] = {17, 24, 32};
  for (int w = 0; w < 3; ++w) {
    i8gemm_quant_params p;
    CHECK_OK(i8gemm_choose_quant_params(-39.0f, 65.0f, wide[w], 1, I8GEMM_ASYMMETRIC, &p));
    CHECK(p.qmin == (int32_t) - ((int64_t)1 << (wide[w] - 1)));
    int32_t q32[R * LDX], want32[R * LDX];
    CHECK_OK(i8gemm_quantize(x, R * LDX, &p, I8GEMM_INT32, q32));
    expected_quantize(x, R * LDX, &p, I8GEMM_INT32, want32);
    CHECK(memcmp(q32, want32, sizeof(q32)) == 0);
    double mse = -1.0;
    CHECK_OK(i8gemm_quantization_mse(x, R * LDX, &p, &mse));
    CHECK(mse >= 0.0 && mse < 1e-6);
  }
  i8gemm_quant_params p;
  CHECK_OK(i8gemm_choose_quant_params(-4.0f, 9.0f, 31, 0, I8GEMM_ASYMMETRIC, &p));
  CHECK(p.qmin == 0 && p.qmax == INT32_MAX);
  CHECK_OK(i8gemm_choose_quant_params_range(-5.0f, 10.0f, -30, 50, &p));
  CHECK(p.scale == 0.1875f && p.zero_point == -3);
  const i8gemm_status bad = I8GEMM_INVALID_ARGUMENT;
  EXPECT_ERROR(i8gemm_choose_quant_params(-1.0f, 1.0f, 32, 0, 0, &p), bad, "spec.bits = 32");
  EXPECT_ERROR(i8gemm_choose_quant_params(-1.0f, 1.0f, 8, 1, 3, &p), bad, "symmetric: 3");
  EXPECT_ERROR(i8gemm_choose_quant_params_range(0.0f, 1.0f, 5, 5, &p), bad, "qmin");
  i8gemm_quant_params rows[R];
  EXPECT_ERROR(i8gemm_choose_quant_params_rows(x, R, C, C - 1, 8, 1, 0, rows), bad, "ld_x");
  EXPECT_ERROR(i8gemm_choose_quant_params_rows(x, R, C, LDX, 8, 1, 0, NULL), bad, "params");
  EXPECT_ERROR(i8gemm_choose_quant_params_columns(x, -1, C, LDX, 8, 1, 0, rows), bad, "rows: -1");
  CHECK_OK(i8gemm_choose_quant_params_rows(x, R, C, LDX, 8, 1, 0, rows));
  int8_t q8[R * LDX];
  EXPECT_ERROR(i8gemm_quantize_rows(x, R, C, LDX, NULL, I8GEMM_INT8, q8, LDX), bad, "params");
  EXPECT_ERROR(i8gemm_quantize_rows(x, R, C, LDX, rows, (i8gemm_type)7, q8, LDX), bad, "type: 7");
  EXPECT_ERROR(i8gemm_quantize_rows(x, R, C, LDX, rows, I8GEMM_INT8, q8, C - 1), bad, "ld_q");
  EXPECT_ERROR(i8gemm_dequantize_columns(q8, R, -3, LDX, rows, I8GEMM_INT8, back, LDX), bad,
               "cols: -3");
  EXPECT_ERROR(i8gemm_quantization_mse(x, 4, &p, NULL), bad, "mse");
  rows[2].scale = 0.0f;
  EXPECT_ERROR(i8gemm_dequantize_rows(q8, R, C, LDX, rows, I8GEMM_INT8, back, LDX), bad,
               "params[2].scale");
  /* An empty matrix reads no parameters. */
  CHECK_OK(i8gemm_quantize_columns(x, 0, C, LDX, NULL, I8GEMM_INT8, q8, LDX));

  /* The bias at sX * sW[j]: half to even, saturating. */
  const float bias[] = {1.0f, 0.0625f, 0.1875f, -0.3125f, 1e10f};
  const float weight_scales[] = {0.25f, 0.25f, 0.5f, 0.25f, 0.25f};
  int32_t bias_q[5];
  CHECK_OK(i8gemm_quantize_bias(bias, 5, 0.5f, NULL, 0.25f, bias_q));
  CHECK(bias_q[0] == 8 && bias_q[1] == 0 && bias_q[2] == 2 && bias_q[3] == -2 &&
        bias_q[4] == INT32_MAX);
  CHECK_OK(i8gemm_quantize_bias(bias, 5, 0.5f, weight_scales, 0.0f, bias_q));
  CHECK(bias_q[0] == 8 && bias_q[2] == 1 && bias_q[4] == INT32_MAX);
  EXPECT_ERROR(i8gemm_quantize_bias(bias, 5, -0.5f, NULL, 0.25f, bias_q), bad, "input_scale");
  EXPECT_ERROR(i8gemm_quantize_bias(bias, 5, 0.5f, NULL, 0.0f, bias_q), bad, "weight_scale = 0");
  EXPECT_ERROR(i8gemm_quantize_bias(NULL, 5, 0.5f, NULL, 0.25f, bias_q), bad, "bias is null");
}

/* Issue 16: an unset fixed-point multiplier is refused; the explicit zero is not; bad multipliers
 * are refused with the value printed readably. */
static void test_multiplier_traps(void) {
  i8gemm_context* ctx = NULL;
  CHECK_OK(i8gemm_context_create(I8GEMM_ISA_DEFAULT, 1, &ctx));
  static int8_t a[M * K], b[K * N], c[M * N];
  memset(a, 3, sizeof(a));
  memset(b, 1, sizeof(b));
  memset(c, 42, sizeof(c));
  const i8gemm_zero_point z0 = {0, NULL};
  const i8gemm_status bad = I8GEMM_INVALID_ARGUMENT;
  i8gemm_output_fixed_point fp = i8gemm_output_fixed_point_defaults(I8GEMM_INT8);
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, K, z0, b, N, I8GEMM_B_KN, z0,
                                       &fp, I8GEMM_INT8, c, N),
               bad, "multiplier.m0: 0 (shift 0) is not set");
  i8gemm_quantized_multiplier per_channel[N];
  for (int j = 0; j < N; ++j) CHECK_OK(i8gemm_quantize_multiplier(0.01, &per_channel[j]));
  per_channel[N - 1].m0 = 0;
  fp.per_channel = per_channel;
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, K, z0, b, N, I8GEMM_B_KN, z0,
                                       &fp, I8GEMM_INT8, c, N),
               bad, "per_channel[36].m0: 0");
  for (size_t i = 0; i < sizeof(c); ++i) CHECK(c[i] == 42);
  /* The explicit zero multiplier: every output is the zero point. */
  i8gemm_quantized_multiplier zero = {7, 7};
  CHECK_OK(i8gemm_quantize_multiplier(0.0, &zero));
  CHECK(zero.m0 == 0 && zero.shift == I8GEMM_ZERO_MULTIPLIER_SHIFT);
  fp.per_channel = NULL;
  fp.multiplier = zero;
  fp.zero_point = -9;
  CHECK_OK(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, K, z0, b, N, I8GEMM_B_KN, z0, &fp,
                                   I8GEMM_INT8, c, N));
  for (size_t i = 0; i < sizeof(c); ++i) CHECK(c[i] == -9);

  i8gemm_quantized_multiplier q;
  EXPECT_ERROR(i8gemm_quantize_multiplier(-1e-40, &q), bad, "multiplier: -1e-40 is negative");
  EXPECT_ERROR(i8gemm_quantize_multiplier(1e-12, &q), bad, "multiplier: 1e-12 is below 2^-32");
  EXPECT_ERROR(i8gemm_quantize_multiplier(2e9, &q), bad, "multiplier: 2e+09 is at least 2^30");
  i8gemm_context_destroy(ctx);
}

static void test_errors(void) {
  i8gemm_context* ctx = NULL;
  CHECK_OK(i8gemm_context_create(I8GEMM_ISA_SCALAR, 1, &ctx));
  static int8_t a[M * LDA], b[LDB * LDB];
  _Alignas(64) static int8_t c[4 * M * LDC]; /* room for 4-byte outputs too */
  memset(c, 42, sizeof(c));
  const i8gemm_zero_point z0 = {0, NULL};
  i8gemm_output_fixed_point fp = i8gemm_output_fixed_point_defaults(I8GEMM_INT8);
  CHECK_OK(i8gemm_quantize_multiplier(0.01, &fp.multiplier));
  i8gemm_packed_b* packed = NULL;
  CHECK_OK(i8gemm_packed_b_create(ctx, K, N, b, LDB, I8GEMM_B_KN, z0, &packed));

  const i8gemm_status bad = I8GEMM_INVALID_ARGUMENT;
  EXPECT_ERROR(i8gemm_gemm_fixed_point(NULL, M, N, K, I8GEMM_INT8, a, LDA, z0, b, LDB, I8GEMM_B_KN,
                                       z0, &fp, I8GEMM_INT8, c, LDC),
               bad, "ctx: null");
  /* The message starts with the function's name. */
  CHECK(strncmp(i8gemm_last_error(), "i8gemm_gemm_fixed_point: ", 25) == 0);
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, K - 1, z0, b, LDB, I8GEMM_B_KN,
                                       z0, &fp, I8GEMM_INT8, c, LDC),
               bad, "lda");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, b, N - 1, I8GEMM_B_KN,
                                       z0, &fp, I8GEMM_INT8, c, LDC),
               bad, "ldb");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, b, K - 1, I8GEMM_B_NK,
                                       z0, &fp, I8GEMM_INT8, c, LDC),
               bad, "ldb");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, b, LDB, I8GEMM_B_KN,
                                       z0, &fp, I8GEMM_INT8, c, N - 1),
               bad, "ldc");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, -1, N, K, I8GEMM_INT8, a, LDA, z0, b, LDB, I8GEMM_B_KN,
                                       z0, &fp, I8GEMM_INT8, c, LDC),
               bad, "m: -1");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, NULL, LDA, z0, b, LDB,
                                       I8GEMM_B_KN, z0, &fp, I8GEMM_INT8, c, LDC),
               bad, "a.data");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, NULL, LDB,
                                       I8GEMM_B_KN, z0, &fp, I8GEMM_INT8, c, LDC),
               bad, "b.data");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, b, LDB, I8GEMM_B_KN,
                                       z0, &fp, I8GEMM_INT8, NULL, LDC),
               bad, "c.data");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, b, LDB, I8GEMM_B_KN,
                                       z0, NULL, I8GEMM_INT8, c, LDC),
               bad, "stage");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, (i8gemm_type)2, a, LDA, z0, b, LDB,
                                       I8GEMM_B_KN, z0, &fp, I8GEMM_INT8, c, LDC),
               bad, "a_type");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, b, LDB, I8GEMM_B_KN,
                                       z0, &fp, (i8gemm_type)2, c, LDC),
               bad, "c_type");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, b, LDB,
                                       (i8gemm_b_layout)5, z0, &fp, I8GEMM_INT8, c, LDC),
               bad, "b_layout");
  const i8gemm_zero_point z300 = {300, NULL};
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z300, b, LDB, I8GEMM_B_KN,
                                       z0, &fp, I8GEMM_INT8, c, LDC),
               bad, "a_zero_point");
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, b, LDB, I8GEMM_B_KN,
                                       z300, &fp, I8GEMM_INT8, c, LDC),
               bad, "b_zero_point");
  i8gemm_output_fixed_point bad_fp = fp;
  bad_fp.min = 100;
  bad_fp.max = 50;
  EXPECT_ERROR(i8gemm_gemm_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, b, LDB, I8GEMM_B_KN,
                                       z0, &bad_fp, I8GEMM_INT8, c, LDC),
               bad, "min");
  bad_fp = fp;
  bad_fp.multiplier.m0 = 5;
  EXPECT_ERROR(i8gemm_gemm_packed_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, packed,
                                              &bad_fp, I8GEMM_INT8, c, LDC),
               bad, "multiplier");
  EXPECT_ERROR(i8gemm_gemm_packed_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, NULL, &fp,
                                              I8GEMM_INT8, c, LDC),
               bad, "b: null");
  EXPECT_ERROR(i8gemm_gemm_packed_fixed_point(ctx, M, N, K + 1, I8GEMM_INT8, a, LDA, z0, packed,
                                              &fp, I8GEMM_INT8, c, LDC),
               bad, "k: 71");
  EXPECT_ERROR(i8gemm_gemm_packed_int32(ctx, M, N - 1, K, I8GEMM_INT8, a, LDA, z0, packed, NULL,
                                        (int32_t*)(void*)c, LDC),
               bad, "n: 36");
  i8gemm_output_float_scale fs = i8gemm_output_float_scale_defaults(I8GEMM_UINT8);
  fs.scale = 0.0f;
  EXPECT_ERROR(i8gemm_gemm_packed_float_scale(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, packed, &fs,
                                              I8GEMM_UINT8, c, LDC),
               bad, "scale");
  i8gemm_output_float f = i8gemm_output_float_defaults();
  f.a_scale = -1.0f;
  EXPECT_ERROR(i8gemm_gemm_float(ctx, M, N, K, I8GEMM_UINT8, a, LDA, z0, b, LDB, I8GEMM_B_KN, z0,
                                 &f, (float*)(void*)c, LDC),
               bad, "a_scale");
  EXPECT_ERROR(i8gemm_gemm_packed_float(ctx, M, N, K, I8GEMM_UINT8, a, LDA, z0, packed, NULL,
                                        (float*)(void*)c, LDC),
               bad, "stage");
  /* Nothing was written by any failing call. */
  for (size_t i = 0; i < sizeof(c); ++i) CHECK(c[i] == 42);

  /* Packing. */
  i8gemm_packed_b* p2 = (i8gemm_packed_b*)&p2;
  EXPECT_ERROR(i8gemm_packed_b_create(NULL, K, N, b, LDB, I8GEMM_B_KN, z0, &p2), bad, "ctx");
  CHECK(p2 == NULL);
  EXPECT_ERROR(i8gemm_packed_b_create(ctx, K, N, b, LDB, I8GEMM_B_KN, z0, NULL), bad, "packed");
  EXPECT_ERROR(i8gemm_packed_b_create(ctx, K, N, b, N - 1, I8GEMM_B_KN, z0, &p2), bad, "ldb");
  EXPECT_ERROR(i8gemm_packed_b_create(ctx, K, -2, b, LDB, I8GEMM_B_KN, z0, &p2), bad, "n: -2");
  EXPECT_ERROR(i8gemm_packed_b_create(ctx, K, N, NULL, LDB, I8GEMM_B_KN, z0, &p2), bad, "b.data");
  EXPECT_ERROR(i8gemm_packed_b_create(ctx, K, N, b, LDB, (i8gemm_b_layout)2, z0, &p2), bad,
               "layout");
  /* 2^50 bytes of panels: refused by the allocator before B is read. */
  const int64_t big = (int64_t)1 << 25;
  EXPECT_ERROR(i8gemm_packed_b_create(ctx, big, big, b, big, I8GEMM_B_KN, z0, &p2),
               I8GEMM_OUT_OF_MEMORY, "out of memory");
  /* 2^62 bytes: more than an address space holds. */
  const int64_t huge = (int64_t)1 << 31;
  EXPECT_ERROR(i8gemm_packed_b_create(ctx, huge, huge, b, huge, I8GEMM_B_KN, z0, &p2), bad,
               "k: 2147483648 (with n = 2147483648)");

  /* Contexts and paths. */
  i8gemm_context* c2 = (i8gemm_context*)&c2;
  EXPECT_ERROR(i8gemm_context_create(I8GEMM_ISA_SCALAR, 0, &c2), bad, "threads");
  CHECK(c2 == NULL);
  EXPECT_ERROR(i8gemm_context_create(I8GEMM_ISA_SCALAR, 1, NULL), bad, "ctx");
  EXPECT_ERROR(i8gemm_context_create((i8gemm_isa)3, 1, &c2), bad, "isa");
  EXPECT_ERROR(i8gemm_context_set_isa(ctx, (i8gemm_isa)(1 << 12)), bad, "isa");
  EXPECT_ERROR(i8gemm_context_set_isa(NULL, I8GEMM_ISA_SCALAR), bad, "ctx");
  EXPECT_ERROR(i8gemm_context_set_num_threads(ctx, 0), bad, "threads");
  EXPECT_ERROR(i8gemm_context_set_parallel_for(ctx, NULL, NULL, 0), bad, "threads");
  const uint32_t missing = ~i8gemm_available_isas() & (2u * I8GEMM_ISA_NEON_I8MM - 1u);
  CHECK(missing != 0);
  for (uint32_t bit = 1; bit != 0; bit <<= 1) {
    if ((missing & bit) == 0) continue;
    EXPECT_ERROR(i8gemm_context_create((i8gemm_isa)bit, 1, &c2), I8GEMM_UNAVAILABLE,
                 i8gemm_isa_name((i8gemm_isa)bit));
    EXPECT_ERROR(i8gemm_context_set_isa(ctx, (i8gemm_isa)bit), I8GEMM_UNAVAILABLE,
                 i8gemm_isa_name((i8gemm_isa)bit));
    CHECK(i8gemm_context_isa(ctx) == I8GEMM_ISA_SCALAR);
  }
  /* B packed for another path than the context's. */
  const uint32_t available = i8gemm_available_isas();
  for (uint32_t bit = 2; bit <= I8GEMM_ISA_NEON_I8MM; bit <<= 1) {
    if ((available & bit) == 0) continue;
    CHECK_OK(i8gemm_context_set_isa(ctx, (i8gemm_isa)bit));
    EXPECT_ERROR(i8gemm_gemm_packed_fixed_point(ctx, M, N, K, I8GEMM_INT8, a, LDA, z0, packed, &fp,
                                                I8GEMM_INT8, c, LDC),
                 bad, "packed for path scalar");
    CHECK_OK(i8gemm_context_set_isa(ctx, I8GEMM_ISA_SCALAR));
    break;
  }

  /* Prepared GEMMs: creation checks B, A's zero point and the stage; a run, A and C. */
  i8gemm_prepared_gemm* prep = (i8gemm_prepared_gemm*)&prep;
  EXPECT_ERROR(i8gemm_prepare_fixed_point(ctx, I8GEMM_INT8, 0, NULL, &fp, I8GEMM_INT8, &prep), bad,
               "b: null");
  CHECK(prep == NULL);
  EXPECT_ERROR(i8gemm_prepare_fixed_point(NULL, I8GEMM_INT8, 0, packed, &fp, I8GEMM_INT8, &prep),
               bad, "ctx: null");
  EXPECT_ERROR(i8gemm_prepare_fixed_point(ctx, I8GEMM_INT8, 300, packed, &fp, I8GEMM_INT8, &prep),
               bad, "a_zero_point: 300");
  EXPECT_ERROR(i8gemm_prepare_fixed_point(ctx, (i8gemm_type)2, 0, packed, &fp, I8GEMM_INT8, &prep),
               bad, "a_type");
  EXPECT_ERROR(i8gemm_prepare_fixed_point(ctx, I8GEMM_INT8, 0, packed, &fp, (i8gemm_type)2, &prep),
               bad, "c_type");
  i8gemm_output_fixed_point unset = i8gemm_output_fixed_point_defaults(I8GEMM_INT8);
  EXPECT_ERROR(i8gemm_prepare_fixed_point(ctx, I8GEMM_INT8, 0, packed, &unset, I8GEMM_INT8, &prep),
               bad, "multiplier.m0");
  EXPECT_ERROR(i8gemm_prepare_int32(ctx, I8GEMM_INT8, 0, packed, NULL, NULL), bad,
               "prepared: null");
  EXPECT_ERROR(i8gemm_prepare_int32(ctx, I8GEMM_INT8, 0, NULL, NULL, &prep), bad, "b: null");
  EXPECT_ERROR(i8gemm_prepare_fixed_point(ctx, I8GEMM_INT8, 0, packed, NULL, I8GEMM_INT8, &prep),
               bad, "stage: null");
  EXPECT_ERROR(i8gemm_prepare_float_scale(ctx, I8GEMM_INT8, 0, packed, NULL, I8GEMM_INT8, &prep),
               bad, "stage: null");
  EXPECT_ERROR(i8gemm_prepare_float(ctx, I8GEMM_INT8, 0, packed, NULL, &prep), bad, "stage: null");
  static float a_scales[M];
  i8gemm_output_float per_row = i8gemm_output_float_defaults();
  per_row.a_scales = a_scales;
  EXPECT_ERROR(i8gemm_prepare_float(ctx, I8GEMM_INT8, 0, packed, &per_row, &prep), bad, "a_scales");
  CHECK_OK(i8gemm_prepare_fixed_point(ctx, I8GEMM_INT8, 0, packed, &fp, I8GEMM_INT8, &prep));
  EXPECT_ERROR(i8gemm_prepared_run(NULL, M, a, LDA, c, LDC), bad, "prepared: null");
  EXPECT_ERROR(i8gemm_prepared_run(prep, -1, a, LDA, c, LDC), bad, "m: -1");
  EXPECT_ERROR(i8gemm_prepared_run(prep, M, a, K - 1, c, LDC), bad, "lda: 69");
  EXPECT_ERROR(i8gemm_prepared_run(prep, M, a, LDA, c, N - 1), bad, "ldc: 36");
  EXPECT_ERROR(i8gemm_prepared_run(prep, M, NULL, LDA, c, LDC), bad, "a.data");
  EXPECT_ERROR(i8gemm_prepared_run(prep, M, a, LDA, a + 1, LDC), bad, "c: overlaps a");
  i8gemm_prepared_destroy(prep);
  i8gemm_prepared_destroy(NULL);

  i8gemm_isa parsed = I8GEMM_ISA_DEFAULT;
  EXPECT_ERROR(i8gemm_parse_isa("bogus", &parsed), bad, "bogus");
  EXPECT_ERROR(i8gemm_parse_isa(NULL, NULL), bad, "name");
  EXPECT_ERROR(i8gemm_default_isa(NULL), bad, "isa");
  i8gemm_quantized_multiplier q;
  EXPECT_ERROR(i8gemm_quantize_multiplier(-0.5, &q), bad, "multiplier");
  EXPECT_ERROR(i8gemm_quantize_multiplier(0.5, NULL), bad, "out");

  /* A successful call leaves the last message as it was. */
  CHECK_OK(i8gemm_quantize_multiplier(0.5, &q));
  CHECK(strstr(i8gemm_last_error(), "out") != NULL);

  i8gemm_packed_b_destroy(packed);
  i8gemm_context_destroy(ctx);
}

#ifndef __STDC_NO_THREADS__
static int fail_on_thread(void* message) {
  i8gemm_quantized_multiplier q;
  (void)i8gemm_quantize_multiplier(-1.0, &q);
  snprintf((char*)message, 256, "%s", i8gemm_last_error());
  return 0;
}
#endif

/* The last error is per thread. */
static void test_error_per_thread(void) {
#ifndef __STDC_NO_THREADS__
  EXPECT_ERROR(i8gemm_context_set_num_threads(NULL, 1), I8GEMM_INVALID_ARGUMENT, "ctx");
  char message[256] = "";
  thrd_t thread;
  CHECK(thrd_create(&thread, fail_on_thread, message) == thrd_success);
  CHECK(thrd_join(thread, NULL) == thrd_success);
  CHECK(strstr(message, "i8gemm_quantize_multiplier") != NULL);
  CHECK(strstr(i8gemm_last_error(), "i8gemm_context_set_num_threads: ctx") != NULL);
#endif
}

typedef struct pool_stats {
  int calls;
  size_t tasks;
} pool_stats;

/* An application's "pool": runs the tasks in reverse order (their order must not matter). */
static void reverse_parallel_for(void* user_data, size_t n, i8gemm_task_fn task, void* data) {
  pool_stats* stats = (pool_stats*)user_data;
  stats->calls++;
  stats->tasks += n;
  for (size_t i = n; i-- > 0;) task(data, i);
}

/* Threads and an application's parallel_for give the oracle's bits. */
static void test_threads(i8gemm_isa isa, const char* isa_name) {
  enum { BM = 300, BN = 520, BK = 96 };
  static int8_t a[BM * BK], b[BK * BN];
  static int32_t c[BM * BN], e[BM * BN];
  fill_bytes(a, sizeof(a));
  fill_bytes(b, sizeof(b));
  const c_api_case t = {BM, BN, BK, I8GEMM_INT8, a, BK, {3, NULL}, b, BN, I8GEMM_B_KN, {0, NULL}};
  CHECK(expected_int32(&t, NULL, e, BN) == 0);
  i8gemm_context* ctx = NULL;
  CHECK_OK(i8gemm_context_create(isa, 3, &ctx));
  if (ctx == NULL) return;
  CHECK(i8gemm_context_num_threads(ctx) == 3);
  CHECK_OK(i8gemm_gemm_int32(ctx, BM, BN, BK, I8GEMM_INT8, a, BK, t.a_zero_point, b, BN,
                             I8GEMM_B_KN, t.b_zero_point, NULL, c, BN));
  CHECK_SAME(c, e, sizeof(c), "int32, 3 threads");
  pool_stats stats = {0, 0};
  CHECK_OK(i8gemm_context_set_parallel_for(ctx, reverse_parallel_for, &stats, 4));
  CHECK(i8gemm_context_num_threads(ctx) == 4);
  memset(c, 0, sizeof(c));
  CHECK_OK(i8gemm_gemm_int32(ctx, BM, BN, BK, I8GEMM_INT8, a, BK, t.a_zero_point, b, BN,
                             I8GEMM_B_KN, t.b_zero_point, NULL, c, BN));
  CHECK_SAME(c, e, sizeof(c), "int32, application parallel_for");
  if (isa != I8GEMM_ISA_SCALAR) CHECK(stats.calls > 0 && stats.tasks > 1);
  CHECK_OK(i8gemm_context_set_parallel_for(ctx, NULL, NULL, 2));
  CHECK(i8gemm_context_num_threads(ctx) == 2);
  CHECK_OK(i8gemm_context_set_num_threads(ctx, 1));
  i8gemm_context_destroy(ctx);
}

/* Dynamic quantization: weights and the GEMM through C, against the C++ API on scalar. */
static void test_dynamic(i8gemm_context* ctx, const char* isa_name) {
  enum { DM = 6, DN = 7, DK = 37, DLDA = 40, DLDC = 9 };
  static float a[DM * DLDA], w[DN * DK], bias[DN], c[DM * DLDC], e[DM * DLDC];
  for (int i = 0; i < DM * DLDA; ++i) a[i] = (float)((int)(next_random() % 2001) - 900) / 128.0f;
  for (int i = 0; i < DN * DK; ++i) w[i] = (float)((int)(next_random() % 255) - 127) / 200.0f;
  for (int j = 0; j < DN; ++j) bias[j] = (float)j / 4.0f - 1.0f;
  i8gemm_quantized_weights* qw = NULL;
  CHECK_OK(i8gemm_quantized_weights_create(ctx, DK, DN, w, DK, I8GEMM_B_NK, &qw));
  if (qw == NULL) return;
  CHECK(i8gemm_packed_b_k(i8gemm_quantized_weights_packed(qw)) == DK);
  for (int variant = 0; variant < 4; ++variant) {
    i8gemm_quant_params got_params[DM], want_params[DM];
    i8gemm_dynamic_options o = i8gemm_dynamic_options_defaults();
    o.granularity = variant % 2 ? I8GEMM_PER_TENSOR : I8GEMM_PER_ROW;
    o.activation_type = variant >= 2 ? I8GEMM_UINT8 : I8GEMM_INT8;
    o.bias = variant == 1 ? bias : NULL;
    if (variant == 3) {
      o.min = 0.0f;
      o.max = 2.5f;
    }
    o.activation_params = got_params;
    for (int i = 0; i < DM * DLDC; ++i) c[i] = e[i] = 7.0f;
    CHECK_OK(i8gemm_gemm_dynamic(ctx, DM, DN, DK, a, DLDA, i8gemm_quantized_weights_packed(qw),
                                 i8gemm_quantized_weights_scales(qw), &o, c, DLDC));
    o.activation_params = want_params;
    CHECK(expected_dynamic(DM, DN, DK, a, DLDA, w, &o, e, DLDC) == 0);
    CHECK_SAME(c, e, sizeof(c), "gemm_dynamic");
    const int rows = variant % 2 ? 1 : DM;
    CHECK_SAME(got_params, want_params, rows * sizeof(got_params[0]), "activation parameters");
  }
  a[1 * DLDA + 2] = 1.0f / 0.0f;
  EXPECT_ERROR(i8gemm_gemm_dynamic(ctx, DM, DN, DK, a, DLDA, i8gemm_quantized_weights_packed(qw),
                                   i8gemm_quantized_weights_scales(qw), NULL, c, DLDC),
               I8GEMM_INVALID_ARGUMENT, "a[1][2]");
  i8gemm_dynamic_options bad = i8gemm_dynamic_options_defaults();
  bad.granularity = (i8gemm_activation_quant)7;
  EXPECT_ERROR(i8gemm_gemm_dynamic(ctx, DM, DN, DK, a, DLDA, i8gemm_quantized_weights_packed(qw),
                                   i8gemm_quantized_weights_scales(qw), &bad, c, DLDC),
               I8GEMM_INVALID_ARGUMENT, "granularity");
  EXPECT_ERROR(i8gemm_gemm_dynamic(ctx, DM, DN, DK, a, DLDA, NULL, NULL, NULL, c, DLDC),
               I8GEMM_INVALID_ARGUMENT, "b");
  i8gemm_quantized_weights_destroy(qw);
  i8gemm_quantized_weights_destroy(NULL);
}

int main(void) {
  test_isa_queries();
  test_quantize();
  test_quantize_more();
  test_multiplier_traps();
  test_errors();
  test_error_per_thread();
  const uint32_t available = i8gemm_available_isas();
  int paths = 0;
  for (uint32_t bit = 1; bit != 0; bit <<= 1) {
    if ((available & bit) == 0) continue;
    const char* isa_name = i8gemm_isa_name((i8gemm_isa)bit);
    i8gemm_context* ctx = NULL;
    CHECK_OK(i8gemm_context_create((i8gemm_isa)bit, 1, &ctx));
    if (ctx == NULL) continue;
    CHECK(i8gemm_context_isa(ctx) == (i8gemm_isa)bit);
    static problem p;
    for (int a_type = 0; a_type < 2; ++a_type) {
      for (int layout = 0; layout < 2; ++layout) {
        for (int per_channel = 0; per_channel < 2; ++per_channel) {
          make_problem(&p, (i8gemm_type)a_type, (i8gemm_b_layout)layout, per_channel);
          check_stages(ctx, &p, isa_name);
        }
      }
    }
    test_dynamic(ctx, isa_name);
    i8gemm_context_destroy(ctx);
    test_threads((i8gemm_isa)bit, isa_name);
    printf("%s: C API bit-exact with the C++ API on scalar\n", isa_name);
    ++paths;
  }
  if (failures != 0) {
    printf("test_c_api: %d failures\n", failures);
    return 1;
  }
  printf("test_c_api: all checks passed on %d paths\n", paths);
  return 0;
}
