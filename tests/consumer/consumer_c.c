/* Uses the installed i8gemm from C: the product of consumer.cpp through the C API. */
#include <stdio.h>

#include <i8gemm/i8gemm.h>

int main(void) {
  const int8_t a[] = {1, 2, 3, -4, 5, -6};
  const int8_t b[] = {1, -1, 0, 2, 3, 1};
  const int32_t bias[] = {10, -10};
  const int32_t expected[] = {16, -6, -16, -4};
  int32_t c[4] = {0, 0, 0, 0};
  i8gemm_context* ctx = NULL;
  const i8gemm_zero_point za = {1, NULL};
  const i8gemm_zero_point zb = {0, NULL};
  i8gemm_output_int32 stage = i8gemm_output_int32_defaults();
  stage.bias = bias;
  if (i8gemm_context_create(I8GEMM_ISA_DEFAULT, 1, &ctx) != I8GEMM_OK ||
      i8gemm_gemm_int32(ctx, 2, 2, 3, I8GEMM_INT8, a, 3, za, b, 2, I8GEMM_B_KN, zb, &stage, c, 2) !=
          I8GEMM_OK) {
    printf("consumer_c: %s\n", i8gemm_last_error());
    return 1;
  }
  for (int i = 0; i < 4; ++i) {
    if (c[i] != expected[i]) {
      printf("consumer_c: c[%d] = %d, expected %d\n", i, (int)c[i], (int)expected[i]);
      return 1;
    }
  }
  printf("consumer_c: exact on %s\n", i8gemm_isa_name(i8gemm_context_last_used_isa(ctx)));
  i8gemm_context_destroy(ctx);
  return 0;
}
