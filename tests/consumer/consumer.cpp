// Uses the installed i8gemm: one small GEMM whose exact result is worked out by hand.
#include <cstdint>
#include <cstdio>

#include <i8gemm/i8gemm.hpp>

int main() {
  using namespace i8gemm;
  // A = [[1, 2, 3], [-4, 5, -6]] with zero point 1; B (3 x 2) = [[1, -1], [0, 2], [3, 1]].
  // (A - 1) = [[0, 1, 2], [-5, 4, -7]]; (A - 1) * B = [[6, 4], [-26, 6]]; + bias [10, -10]:
  const std::int8_t a[] = {1, 2, 3, -4, 5, -6};
  const std::int8_t b[] = {1, -1, 0, 2, 3, 1};
  const std::int32_t bias[] = {10, -10};
  const std::int32_t expected[] = {16, -6, -16, -4};
  std::int32_t c[4] = {};
  Context ctx;
  PackedB packed(ctx, MatrixView<const std::int8_t>(b, 3, 2), BLayout::kn, 0);
  OutputInt32 stage;
  stage.bias = bias;
  gemm(ctx, MatrixView<const std::int8_t>(a, 2, 3), ZeroPoints(1), packed, stage,
       MatrixView<std::int32_t>(c, 2, 2));
  for (int i = 0; i < 4; ++i) {
    if (c[i] != expected[i]) {
      std::printf("consumer: c[%d] = %d, expected %d\n", i, c[i], expected[i]);
      return 1;
    }
  }
  std::printf("consumer: exact on %s\n", isa_name(ctx.last_used_isa()));
  return 0;
}
