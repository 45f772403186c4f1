/* Expected results for tests/test_c_api.c, computed through the C++ API on the scalar oracle
 * (tests/c_api_expected.cpp). */
#ifndef I8GEMM_TESTS_C_API_EXPECTED_H_
#define I8GEMM_TESTS_C_API_EXPECTED_H_

#include "i8gemm/i8gemm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One GEMM problem: A (a_type) M x K, B unpacked in `layout`, zero points. */
typedef struct c_api_case {
  int64_t m, n, k;
  i8gemm_type a_type;
  const void* a;
  int64_t lda;
  i8gemm_zero_point a_zero_point;
  const int8_t* b;
  int64_t ldb;
  i8gemm_b_layout layout;
  i8gemm_zero_point b_zero_point;
} c_api_case;

/* Each returns 0 on success, nonzero (after printing the C++ exception) on failure. */
int expected_int32(const c_api_case* t, const i8gemm_output_int32* stage, int32_t* c, int64_t ldc);
int expected_fixed_point(const c_api_case* t, const i8gemm_output_fixed_point* stage,
                         i8gemm_type c_type, void* c, int64_t ldc);
int expected_float_scale(const c_api_case* t, const i8gemm_output_float_scale* stage,
                         i8gemm_type c_type, void* c, int64_t ldc);
int expected_float(const c_api_case* t, const i8gemm_output_float* stage, float* c, int64_t ldc);

/* The dynamically quantized GEMM through the C++ API on the scalar path: float A (M x K), float
 * weights W (N x K rows), `options` (activation_params written when set). */
int expected_dynamic(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* w,
                     const i8gemm_dynamic_options* options, float* c, int64_t ldc);

i8gemm_quantized_multiplier expected_quantize_multiplier(double multiplier);
/* Masks of i8gemm::built_isas() / available_isas(); i8gemm::default_isa(). */
uint32_t expected_built_isas(void);
uint32_t expected_available_isas(void);
uint32_t expected_default_isa(void);
/* choose_quant_params (symmetric: I8GEMM_ASYMMETRIC / _SYMMETRIC / _SYMMETRIC_FULL) + quantize
 * (any storage type) through the C++ API. */
i8gemm_quant_params expected_choose_quant_params(float min, float max, int bits, int is_signed,
                                                 int symmetric);
void expected_quantize(const float* x, size_t n, const i8gemm_quant_params* p, i8gemm_type type,
                       void* q);

#ifdef __cplusplus
}
#endif

#endif /* I8GEMM_TESTS_C_API_EXPECTED_H_ */
