/* i8gemm C API (C99 and later, usable from C++): the C++ API of i8gemm.hpp behind opaque handles
 * and status codes. The numbers are those of the C++ API (docs/math.md), bit for bit.
 *
 * Every function that can fail returns an i8gemm_status; on failure no matrix is written (a
 * create function sets its handle to NULL) and i8gemm_last_error() holds a message that names
 * the offending argument. No C++ exception ever crosses this interface.
 *
 * C must not share memory with A or B (from the first to the last element of each, gaps between
 * rows included): such calls are refused. Results do not depend on the caller's floating-point
 * environment (rounding mode, flush-to-zero, denormals-are-zero), which every call restores.
 * After fork(), the child may use, change and destroy the contexts it inherited.
 *
 * Matrices are row-major with a leading dimension: element (r, c) of A is a[r * lda + c].
 * A is M x K (int8 or uint8), B is K x N (I8GEMM_B_KN, ldb >= N) or N x K (I8GEMM_B_NK,
 * ldb >= K, "weights as rows"), C is M x N (ldc >= N). */
#ifndef I8GEMM_I8GEMM_H_
#define I8GEMM_I8GEMM_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum i8gemm_status {
  I8GEMM_OK = 0,
  I8GEMM_INVALID_ARGUMENT = 1, /* a null pointer, a bad dimension, zero point, scale, ... */
  I8GEMM_UNAVAILABLE = 2,      /* the ISA path is not built in or this CPU cannot run it */
  I8GEMM_OUT_OF_MEMORY = 3,
  I8GEMM_INTERNAL = 4 /* a bug: please report the message */
} i8gemm_status;

/* The message of the last failed call on this thread ("" if none). A successful call leaves it
 * unchanged. Valid until the next failing call on this thread. */
const char* i8gemm_last_error(void);
/* "I8GEMM_OK", "I8GEMM_INVALID_ARGUMENT", ... ("unknown" for other values). */
const char* i8gemm_status_name(i8gemm_status status);

/* ---------------------------------------------------------------------------------------------
 * ISA paths: one bit each, so that sets of paths are masks (same values as i8gemm::Isa):
 * I8GEMM_ISA_SCALAR, I8GEMM_ISA_AVX2, ... as listed in i8gemm/paths.inc.
 * ------------------------------------------------------------------------------------------- */
typedef enum i8gemm_isa {
  I8GEMM_ISA_DEFAULT = 0, /* for i8gemm_context_create: i8gemm_default_isa() */
#define I8GEMM_PATH(name, NAME, bit, rank) I8GEMM_ISA_##NAME = 1 << (bit),
#include "i8gemm/paths.inc"
  I8GEMM_ISA_RANGE_MIN_ = -0x7fffffff - 1, /* not values: see i8gemm_type below */
  I8GEMM_ISA_RANGE_MAX_ = 0x7fffffff
} i8gemm_isa;

/* "scalar", "avx2", ...; NULL if `isa` is not exactly one known path. */
const char* i8gemm_isa_name(i8gemm_isa isa);
/* The path named `name` (as i8gemm_isa_name spells it). */
i8gemm_status i8gemm_parse_isa(const char* name, i8gemm_isa* isa);
/* Masks of i8gemm_isa bits: compiled into the library / built and runnable on this CPU. */
uint32_t i8gemm_built_isas(void);
uint32_t i8gemm_available_isas(void);
/* The path used when none is forced: the environment variable I8GEMM_ISA if set (fails if that
 * name is unknown or cannot run here), else the fastest available path. */
i8gemm_status i8gemm_default_isa(i8gemm_isa* isa);

/* ---------------------------------------------------------------------------------------------
 * Context: the path, the threads and the scratch memory of GEMM calls. Not to be used by two
 * threads at once (give each thread its own): a call made while another runs on the same
 * context fails with "context: used by two threads at once".
 * ------------------------------------------------------------------------------------------- */
typedef struct i8gemm_context i8gemm_context;

/* `isa`: a path or I8GEMM_ISA_DEFAULT (I8GEMM_UNAVAILABLE if I8GEMM_ISA names a path this host
 * cannot run); threads in [1, 1024] (threads - 1 pooled workers; I8GEMM_INVALID_ARGUMENT naming
 * `threads` also when the system refuses to start them). set_num_threads starts the new pool
 * before stopping the old one and leaves the context unchanged when it fails. */
i8gemm_status i8gemm_context_create(i8gemm_isa isa, int threads, i8gemm_context** ctx);
void i8gemm_context_destroy(i8gemm_context* ctx); /* NULL is allowed */
i8gemm_status i8gemm_context_set_isa(i8gemm_context* ctx, i8gemm_isa isa);
/* The context's path / the path that ran its last GEMM or packing call (scalar before any);
 * I8GEMM_ISA_DEFAULT (0) if ctx is NULL. */
i8gemm_isa i8gemm_context_isa(const i8gemm_context* ctx);
i8gemm_isa i8gemm_context_last_used_isa(const i8gemm_context* ctx);
i8gemm_status i8gemm_context_set_num_threads(i8gemm_context* ctx, int threads);
int i8gemm_context_num_threads(const i8gemm_context* ctx); /* 0 if ctx is NULL */

/* The application's own thread pool: `parallel_for(user_data, n, task, task_data)` must call
 * task(task_data, i) once for each i in [0, n), possibly concurrently, and return when all are
 * done; `threads` is how many it runs at once. parallel_for == NULL restores the library's pool
 * with `threads` threads. */
typedef void (*i8gemm_task_fn)(void* task_data, size_t i);
typedef void (*i8gemm_parallel_for_fn)(void* user_data, size_t n, i8gemm_task_fn task,
                                       void* task_data);
i8gemm_status i8gemm_context_set_parallel_for(i8gemm_context* ctx,
                                              i8gemm_parallel_for_fn parallel_for, void* user_data,
                                              int threads);

/* ---------------------------------------------------------------------------------------------
 * Operands
 * ------------------------------------------------------------------------------------------- */
/* The _RANGE_ enumerators are not values to use: they give each enum the whole int range, so
   that a wrong value passed from C is refused with a message rather than being undefined in the
   C++ implementation. */
typedef enum i8gemm_type {
  I8GEMM_INT8 = 0,
  I8GEMM_UINT8 = 1,
  /* Storage of the quantization functions only (GEMM operands are int8 / uint8): */
  I8GEMM_INT32 = 2,
  I8GEMM_INT16 = 3,
  I8GEMM_UINT16 = 4,
  I8GEMM_TYPE_RANGE_MIN_ = -0x7fffffff - 1,
  I8GEMM_TYPE_RANGE_MAX_ = 0x7fffffff
} i8gemm_type;
typedef enum i8gemm_b_layout {
  I8GEMM_B_KN = 0,
  I8GEMM_B_NK = 1,
  I8GEMM_B_LAYOUT_RANGE_MIN_ = -0x7fffffff - 1,
  I8GEMM_B_LAYOUT_RANGE_MAX_ = 0x7fffffff
} i8gemm_b_layout;

/* A zero point per tensor (`value`), or per row of A (M values) / per column of B (N values)
 * when `per_channel` is not NULL. Zero-initialized: per tensor, 0. */
typedef struct i8gemm_zero_point {
  int32_t value;
  const int32_t* per_channel;
} i8gemm_zero_point;

/* ---------------------------------------------------------------------------------------------
 * Packed B: B packed once for the context's path (the weights of a layer). Read-only once
 * created: may be shared between threads and contexts of the same path.
 * ------------------------------------------------------------------------------------------- */
typedef struct i8gemm_packed_b i8gemm_packed_b;

i8gemm_status i8gemm_packed_b_create(i8gemm_context* ctx, int64_t k, int64_t n, const int8_t* b,
                                     int64_t ldb, i8gemm_b_layout layout,
                                     i8gemm_zero_point zero_point, i8gemm_packed_b** packed);
void i8gemm_packed_b_destroy(i8gemm_packed_b* packed); /* NULL is allowed */
/* Bytes owned; K; N; the path it was packed for; sum over k of B[k, j] (N values). 0 / NULL
 * if packed is NULL. */
size_t i8gemm_packed_b_size_bytes(const i8gemm_packed_b* packed);
int64_t i8gemm_packed_b_k(const i8gemm_packed_b* packed);
int64_t i8gemm_packed_b_n(const i8gemm_packed_b* packed);
i8gemm_isa i8gemm_packed_b_isa(const i8gemm_packed_b* packed);
const int32_t* i8gemm_packed_b_column_sums(const i8gemm_packed_b* packed);

/* ---------------------------------------------------------------------------------------------
 * Output stages (docs/math.md section 3). Start from i8gemm_output_*_defaults() and set fields.
 * ------------------------------------------------------------------------------------------- */

/* A real multiplier m as m0 * 2^(shift - 31), m0 in [2^30, 2^31), shift in [-31, 30]: m in
 * [2^-32, 2^30). m0 = 0 is refused by the GEMM calls (a zero-initialized multiplier would make
 * every output the zero point) except as the explicit zero multiplier
 * {0, I8GEMM_ZERO_MULTIPLIER_SHIFT}, what i8gemm_quantize_multiplier(0.0, ...) gives. */
typedef struct i8gemm_quantized_multiplier {
  int32_t m0;
  int32_t shift;
} i8gemm_quantized_multiplier;
#define I8GEMM_ZERO_MULTIPLIER_SHIFT (-31)
/* TensorFlow Lite's QuantizeMultiplier (0.0 gives the explicit zero multiplier). Fails, with the
 * value in the message (%g), if `multiplier` is negative, NaN or infinite, below 2^-32 (where
 * TensorFlow Lite silently returns 0) or at least 2^30 (beyond a 30-bit left shift). */
i8gemm_status i8gemm_quantize_multiplier(double multiplier, i8gemm_quantized_multiplier* out);

/* C = acc + bias[j]. May be passed as NULL: no bias. */
typedef struct i8gemm_output_int32 {
  const int32_t* bias; /* N values or NULL */
} i8gemm_output_int32;

/* C = clamp(zero_point + MultiplyByQuantizedMultiplier(acc + bias[j], multiplier[j]), min, max) */
typedef struct i8gemm_output_fixed_point {
  i8gemm_quantized_multiplier multiplier;         /* per tensor; must be set (m0 = 0: see above) */
  const i8gemm_quantized_multiplier* per_channel; /* N values; overrides `multiplier` */
  const int32_t* bias;                            /* N values or NULL */
  int32_t zero_point;
  int32_t min, max; /* within the output type's range; min = zero_point fuses a ReLU */
} i8gemm_output_fixed_point;

/* C = clamp(zero_point + round_half_even(float(acc + bias[j]) * scale[j]), min, max), fp32. */
typedef struct i8gemm_output_float_scale {
  float scale;              /* per tensor */
  const float* per_channel; /* N values; overrides `scale` */
  const int32_t* bias;      /* N values or NULL */
  int32_t zero_point;
  int32_t min, max;
} i8gemm_output_float_scale;

/* C = clamp((a_scale[i] * b_scale[j]) * float(acc) + bias[j], min, max), fp32. */
typedef struct i8gemm_output_float {
  float a_scale;
  const float* a_scales; /* M values (per row of A); overrides `a_scale` */
  float b_scale;
  const float* b_scales; /* N values (per column of B); overrides `b_scale` */
  const float* bias;     /* N values or NULL */
  float min, max;        /* the defaults are -infinity and +infinity */
} i8gemm_output_float;

/* No bias, zero point 0, the full range of `c_type` (min/max), scales 1; the fixed-point
 * multiplier is left unset ({0, 0}): a GEMM call refuses it until it is set.
 * A c_type that is not I8GEMM_INT8 or I8GEMM_UINT8 cannot be reported by the return value:
 * _defaults then set i8gemm_last_error() and return min = INT32_MAX, max = INT32_MIN, which
 * every GEMM call refuses, naming the cause; the _init forms return I8GEMM_INVALID_ARGUMENT
 * (and leave *stage unchanged). */
i8gemm_output_int32 i8gemm_output_int32_defaults(void);
i8gemm_output_fixed_point i8gemm_output_fixed_point_defaults(i8gemm_type c_type);
i8gemm_output_float_scale i8gemm_output_float_scale_defaults(i8gemm_type c_type);
i8gemm_output_float i8gemm_output_float_defaults(void);
i8gemm_status i8gemm_output_fixed_point_init(i8gemm_type c_type, i8gemm_output_fixed_point* stage);
i8gemm_status i8gemm_output_float_scale_init(i8gemm_type c_type, i8gemm_output_float_scale* stage);

/* ---------------------------------------------------------------------------------------------
 * GEMM: C[M x N] = stage(sum_k (A[i, k] - za_i) * (B[k, j] - zb_j)). `a` points to int8_t or
 * uint8_t as a_type says; `c` to int8_t or uint8_t as c_type says. The stage pointer may be NULL
 * for the int32 stage only. With packed B, k and n must match the packing.
 * ------------------------------------------------------------------------------------------- */
i8gemm_status i8gemm_gemm_packed_int32(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                       i8gemm_type a_type, const void* a, int64_t lda,
                                       i8gemm_zero_point a_zero_point, const i8gemm_packed_b* b,
                                       const i8gemm_output_int32* stage, int32_t* c, int64_t ldc);
i8gemm_status i8gemm_gemm_packed_fixed_point(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                             i8gemm_type a_type, const void* a, int64_t lda,
                                             i8gemm_zero_point a_zero_point,
                                             const i8gemm_packed_b* b,
                                             const i8gemm_output_fixed_point* stage,
                                             i8gemm_type c_type, void* c, int64_t ldc);
i8gemm_status i8gemm_gemm_packed_float_scale(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                             i8gemm_type a_type, const void* a, int64_t lda,
                                             i8gemm_zero_point a_zero_point,
                                             const i8gemm_packed_b* b,
                                             const i8gemm_output_float_scale* stage,
                                             i8gemm_type c_type, void* c, int64_t ldc);
i8gemm_status i8gemm_gemm_packed_float(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                       i8gemm_type a_type, const void* a, int64_t lda,
                                       i8gemm_zero_point a_zero_point, const i8gemm_packed_b* b,
                                       const i8gemm_output_float* stage, float* c, int64_t ldc);

/* The same with B unpacked: B is packed into the context's scratch on the way. */
i8gemm_status i8gemm_gemm_int32(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                i8gemm_type a_type, const void* a, int64_t lda,
                                i8gemm_zero_point a_zero_point, const int8_t* b, int64_t ldb,
                                i8gemm_b_layout b_layout, i8gemm_zero_point b_zero_point,
                                const i8gemm_output_int32* stage, int32_t* c, int64_t ldc);
i8gemm_status i8gemm_gemm_fixed_point(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                      i8gemm_type a_type, const void* a, int64_t lda,
                                      i8gemm_zero_point a_zero_point, const int8_t* b, int64_t ldb,
                                      i8gemm_b_layout b_layout, i8gemm_zero_point b_zero_point,
                                      const i8gemm_output_fixed_point* stage, i8gemm_type c_type,
                                      void* c, int64_t ldc);
i8gemm_status i8gemm_gemm_float_scale(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                      i8gemm_type a_type, const void* a, int64_t lda,
                                      i8gemm_zero_point a_zero_point, const int8_t* b, int64_t ldb,
                                      i8gemm_b_layout b_layout, i8gemm_zero_point b_zero_point,
                                      const i8gemm_output_float_scale* stage, i8gemm_type c_type,
                                      void* c, int64_t ldc);
i8gemm_status i8gemm_gemm_float(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                i8gemm_type a_type, const void* a, int64_t lda,
                                i8gemm_zero_point a_zero_point, const int8_t* b, int64_t ldb,
                                i8gemm_b_layout b_layout, i8gemm_zero_point b_zero_point,
                                const i8gemm_output_float* stage, float* c, int64_t ldc);

/* ---------------------------------------------------------------------------------------------
 * Prepared GEMM (C++ PreparedGemm): a packed-B GEMM whose every argument but A and C is fixed --
 * the context, b, a_type, A's zero point (per tensor) and the stage -- checked and prepared once
 * (the stage's arrays are copied: the caller's may change or be freed afterwards), then run on
 * A and C of any number of rows m with the bits of the i8gemm_gemm_packed_* call. Not for
 * per-row zero points of A or the float stage's per-row a_scales (use the GEMM calls). ctx and b
 * must outlive it; a run uses ctx as a GEMM call does (one call at a time, on b's path).
 * ------------------------------------------------------------------------------------------- */
typedef struct i8gemm_prepared_gemm i8gemm_prepared_gemm;

i8gemm_status i8gemm_prepare_int32(i8gemm_context* ctx, i8gemm_type a_type, int32_t a_zero_point,
                                   const i8gemm_packed_b* b, const i8gemm_output_int32* stage,
                                   i8gemm_prepared_gemm** prepared);
i8gemm_status i8gemm_prepare_fixed_point(i8gemm_context* ctx, i8gemm_type a_type,
                                         int32_t a_zero_point, const i8gemm_packed_b* b,
                                         const i8gemm_output_fixed_point* stage, i8gemm_type c_type,
                                         i8gemm_prepared_gemm** prepared);
i8gemm_status i8gemm_prepare_float_scale(i8gemm_context* ctx, i8gemm_type a_type,
                                         int32_t a_zero_point, const i8gemm_packed_b* b,
                                         const i8gemm_output_float_scale* stage, i8gemm_type c_type,
                                         i8gemm_prepared_gemm** prepared);
i8gemm_status i8gemm_prepare_float(i8gemm_context* ctx, i8gemm_type a_type, int32_t a_zero_point,
                                   const i8gemm_packed_b* b, const i8gemm_output_float* stage,
                                   i8gemm_prepared_gemm** prepared);
/* C[m x n] = stage(A[m x k] * B): `a` of the prepared a_type, `c` of its output type. */
i8gemm_status i8gemm_prepared_run(const i8gemm_prepared_gemm* prepared, int64_t m, const void* a,
                                  int64_t lda, void* c, int64_t ldc);
void i8gemm_prepared_destroy(i8gemm_prepared_gemm* prepared); /* NULL is allowed */

/* ---------------------------------------------------------------------------------------------
 * Quantization per tensor (per row / per column below): r ~= scale * (q - zero_point), q in
 * [qmin, qmax]. Storage types: I8GEMM_INT8, _UINT8, _INT16, _UINT16, _INT32.
 * ------------------------------------------------------------------------------------------- */
typedef struct i8gemm_quant_params {
  float scale;
  int32_t zero_point;
  int32_t qmin;
  int32_t qmax;
} i8gemm_quant_params;

/* `symmetric` (signed only, zero point 0): I8GEMM_ASYMMETRIC, I8GEMM_SYMMETRIC (the restricted
 * range [-(2^(bits-1) - 1), 2^(bits-1) - 1]) or I8GEMM_SYMMETRIC_FULL ([-2^(bits-1),
 * 2^(bits-1) - 1], scale = max(|min|, |max|) / (2^(bits-1) - 0.5), as PyTorch). */
enum { I8GEMM_ASYMMETRIC = 0, I8GEMM_SYMMETRIC = 1, I8GEMM_SYMMETRIC_FULL = 2 };
/* Parameters for values observed in [min, max] into `bits` bits (2..32 signed, 2..31 unsigned),
 * signed or unsigned. The storage must hold the range: 8-bit types up to 8 bits, 16-bit types
 * up to 16, I8GEMM_INT32 beyond (fp32 arithmetic: above 24 bits not every level is resolved). */
i8gemm_status i8gemm_choose_quant_params(float min, float max, int bits, int is_signed,
                                         int symmetric, i8gemm_quant_params* params);
/* q[i] = clamp(round_half_even(x[i] / scale + zero_point), qmin, qmax); q has the storage type
 * `type` (int8_t, uint8_t, int16_t, uint16_t or int32_t), which must hold [qmin, qmax]. */
i8gemm_status i8gemm_quantize(const float* x, size_t n, const i8gemm_quant_params* params,
                              i8gemm_type type, void* q);
/* x[i] = scale * (q[i] - zero_point). */
i8gemm_status i8gemm_dequantize(const void* q, size_t n, const i8gemm_quant_params* params,
                                i8gemm_type type, float* x);

/* ---------------------------------------------------------------------------------------------
 * Dynamic quantization (docs/math.md section 4; C++: i8gemm/dynamic.hpp): float activations
 * quantized per row or per tensor inside the GEMM, int8 weights prepared once, float output.
 * ------------------------------------------------------------------------------------------- */
typedef enum i8gemm_activation_quant {
  I8GEMM_PER_ROW = 0,
  I8GEMM_PER_TENSOR = 1,
  I8GEMM_ACTIVATION_QUANT_RANGE_MIN_ = -0x7fffffff - 1,
  I8GEMM_ACTIVATION_QUANT_RANGE_MAX_ = 0x7fffffff
} i8gemm_activation_quant;

/* Float weights W (N x K with I8GEMM_B_NK, "weights as rows"; K x N with I8GEMM_B_KN; every
 * value finite) quantized symmetric int8 per output channel over [-127, 127] and packed for the
 * context's path. */
typedef struct i8gemm_quantized_weights i8gemm_quantized_weights;
i8gemm_status i8gemm_quantized_weights_create(i8gemm_context* ctx, int64_t k, int64_t n,
                                              const float* w, int64_t ldw, i8gemm_b_layout layout,
                                              i8gemm_quantized_weights** weights);
void i8gemm_quantized_weights_destroy(i8gemm_quantized_weights* weights); /* NULL is allowed */
/* The packed int8 weights and their N per-channel scales; NULL if weights is NULL. */
const i8gemm_packed_b* i8gemm_quantized_weights_packed(const i8gemm_quantized_weights* weights);
const float* i8gemm_quantized_weights_scales(const i8gemm_quantized_weights* weights);

typedef struct i8gemm_dynamic_options {
  i8gemm_activation_quant granularity;    /* per row (default) or per tensor */
  i8gemm_type activation_type;            /* I8GEMM_INT8 (default) or I8GEMM_UINT8 */
  const float* bias;                      /* N values or NULL */
  float min, max;                         /* C's clamp; defaults -infinity, +infinity */
  i8gemm_quant_params* activation_params; /* receives M entries (per row) or 1, or NULL */
} i8gemm_dynamic_options;
i8gemm_dynamic_options i8gemm_dynamic_options_defaults(void);

/* C[M x N] = dequantize(quantize(A) x B), A float M x K; B int8 packed (zero point 0, or its
 * own zero points), b_scales its N per-channel scales. `options` NULL: the defaults. A NaN or
 * infinity in A fails naming its row and column (C's contents are then unspecified). */
i8gemm_status i8gemm_gemm_dynamic(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                  const float* a, int64_t lda, const i8gemm_packed_b* b,
                                  const float* b_scales, const i8gemm_dynamic_options* options,
                                  float* c, int64_t ldc);

/* ---------------------------------------------------------------------------------------------
 * Quantization per row / per column (rows x cols row-major matrices; x[i * ldx + j]): one
 * i8gemm_quant_params per row (`rows` entries) or per column (`cols` entries). Errors name the
 * argument (x, params, q, ldx, ldq, params[i].scale, ...); nothing is written on failure.
 * ------------------------------------------------------------------------------------------- */
/* Parameters into an arbitrary integer range qmin < qmax (asymmetric). */
i8gemm_status i8gemm_choose_quant_params_range(float min, float max, int32_t qmin, int32_t qmax,
                                               i8gemm_quant_params* params);
/* Each row's / column's parameters from its own min and max (every x must be finite). */
i8gemm_status i8gemm_choose_quant_params_rows(const float* x, int64_t rows, int64_t cols,
                                              int64_t ldx, int bits, int is_signed, int symmetric,
                                              i8gemm_quant_params* params);
i8gemm_status i8gemm_choose_quant_params_columns(const float* x, int64_t rows, int64_t cols,
                                                 int64_t ldx, int bits, int is_signed,
                                                 int symmetric, i8gemm_quant_params* params);
i8gemm_status i8gemm_quantize_rows(const float* x, int64_t rows, int64_t cols, int64_t ldx,
                                   const i8gemm_quant_params* params, i8gemm_type type, void* q,
                                   int64_t ldq);
i8gemm_status i8gemm_quantize_columns(const float* x, int64_t rows, int64_t cols, int64_t ldx,
                                      const i8gemm_quant_params* params, i8gemm_type type, void* q,
                                      int64_t ldq);
i8gemm_status i8gemm_dequantize_rows(const void* q, int64_t rows, int64_t cols, int64_t ldq,
                                     const i8gemm_quant_params* params, i8gemm_type type, float* x,
                                     int64_t ldx);
i8gemm_status i8gemm_dequantize_columns(const void* q, int64_t rows, int64_t cols, int64_t ldq,
                                        const i8gemm_quant_params* params, i8gemm_type type,
                                        float* x, int64_t ldx);
/* Mean squared error of the round trip dequantize(quantize(x)) (through int32), in double. */
i8gemm_status i8gemm_quantization_mse(const float* x, size_t n, const i8gemm_quant_params* params,
                                      double* mse);
i8gemm_status i8gemm_quantization_mse_rows(const float* x, int64_t rows, int64_t cols, int64_t ldx,
                                           const i8gemm_quant_params* params, double* mse);
i8gemm_status i8gemm_quantization_mse_columns(const float* x, int64_t rows, int64_t cols,
                                              int64_t ldx, const i8gemm_quant_params* params,
                                              double* mse);

/* A layer's bias as int32 at scale input_scale * weight_scale_j, zero point 0 (the bias of the
 * int32 and requantizing stages): bias_q[j] = round_half_even(bias[j] / (input_scale *
 * weight_scale_j)) in double, saturated to int32. weight_scale_j = weight_scales[j] when
 * weight_scales is not NULL (per output channel, n values), else weight_scale (per tensor).
 * Fails for a non-finite bias or a scale that is not finite and > 0. */
i8gemm_status i8gemm_quantize_bias(const float* bias, int64_t n, float input_scale,
                                   const float* weight_scales, float weight_scale, int32_t* bias_q);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* I8GEMM_I8GEMM_H_ */
