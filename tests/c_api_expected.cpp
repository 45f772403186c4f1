// The C++ side of tests/test_c_api.c: every expected value comes from the C++ API with a
// Context on the scalar oracle, so the C API is checked against it on every path.
#include "c_api_expected.h"

#include <cstdio>
#include <exception>
#include <vector>

#include "i8gemm/dynamic.hpp"
#include "i8gemm/i8gemm.hpp"
#include "i8gemm/quantize.hpp"

namespace i8gemm {
namespace {

ZeroPoints zero_points(const i8gemm_zero_point& z) {
  return z.per_channel != nullptr ? ZeroPoints::channel(z.per_channel) : ZeroPoints(z.value);
}

template <typename TA, typename Stage>
void run_typed(const c_api_case& t, const Stage& stage, void* c, std::int64_t ldc) {
  Context ctx(Isa::scalar);
  using TC = typename Stage::value_type;
  const bool kn = t.layout == I8GEMM_B_KN;
  gemm(ctx, MatrixView<const TA>(static_cast<const TA*>(t.a), t.m, t.k, t.lda),
       zero_points(t.a_zero_point),
       MatrixView<const std::int8_t>(t.b, kn ? t.k : t.n, kn ? t.n : t.k, t.ldb),
       kn ? BLayout::kn : BLayout::nk, zero_points(t.b_zero_point), stage,
       MatrixView<TC>(static_cast<TC*>(c), t.m, t.n, ldc));
}

template <typename Stage>
int run(const c_api_case& t, const Stage& stage, void* c, std::int64_t ldc) {
  try {
    if (t.a_type == I8GEMM_INT8) {
      run_typed<std::int8_t>(t, stage, c, ldc);
    } else {
      run_typed<std::uint8_t>(t, stage, c, ldc);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "expected value: C++ API threw: %s\n", e.what());
    return 1;
  }
}

std::vector<QuantizedMultiplier> multipliers(const i8gemm_quantized_multiplier* m, std::int64_t n) {
  std::vector<QuantizedMultiplier> out;
  if (m == nullptr) return out;
  for (std::int64_t j = 0; j < n; ++j) out.push_back({m[j].m0, m[j].shift});
  return out;
}

template <typename T>
int fixed_point(const c_api_case& t, const i8gemm_output_fixed_point& s, void* c,
                std::int64_t ldc) {
  const std::vector<QuantizedMultiplier> per_channel = multipliers(s.per_channel, t.n);
  OutputFixedPoint<T> stage;
  stage.multiplier = {s.multiplier.m0, s.multiplier.shift};
  stage.per_channel = s.per_channel != nullptr ? per_channel.data() : nullptr;
  stage.bias = s.bias;
  stage.zero_point = s.zero_point;
  stage.min = s.min;
  stage.max = s.max;
  return run(t, stage, c, ldc);
}

template <typename T>
int float_scale(const c_api_case& t, const i8gemm_output_float_scale& s, void* c,
                std::int64_t ldc) {
  OutputFloatScale<T> stage;
  stage.scale = s.scale;
  stage.per_channel = s.per_channel;
  stage.bias = s.bias;
  stage.zero_point = s.zero_point;
  stage.min = s.min;
  stage.max = s.max;
  return run(t, stage, c, ldc);
}

std::uint32_t mask(const std::vector<Isa>& isas) {
  std::uint32_t m = 0;
  for (Isa isa : isas) m |= static_cast<std::uint32_t>(isa);
  return m;
}

}  // namespace
}  // namespace i8gemm

using namespace i8gemm;

extern "C" {

int expected_int32(const c_api_case* t, const i8gemm_output_int32* s, int32_t* c, int64_t ldc) {
  OutputInt32 stage;
  stage.bias = s != nullptr ? s->bias : nullptr;
  return run(*t, stage, c, ldc);
}

int expected_fixed_point(const c_api_case* t, const i8gemm_output_fixed_point* s,
                         i8gemm_type c_type, void* c, int64_t ldc) {
  return c_type == I8GEMM_INT8 ? fixed_point<std::int8_t>(*t, *s, c, ldc)
                               : fixed_point<std::uint8_t>(*t, *s, c, ldc);
}

int expected_float_scale(const c_api_case* t, const i8gemm_output_float_scale* s,
                         i8gemm_type c_type, void* c, int64_t ldc) {
  return c_type == I8GEMM_INT8 ? float_scale<std::int8_t>(*t, *s, c, ldc)
                               : float_scale<std::uint8_t>(*t, *s, c, ldc);
}

int expected_float(const c_api_case* t, const i8gemm_output_float* s, float* c, int64_t ldc) {
  OutputFloat stage;
  stage.a_scale = s->a_scale;
  stage.a_scales = s->a_scales;
  stage.b_scale = s->b_scale;
  stage.b_scales = s->b_scales;
  stage.bias = s->bias;
  stage.min = s->min;
  stage.max = s->max;
  return run(*t, stage, c, ldc);
}

int expected_dynamic(int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* w,
                     const i8gemm_dynamic_options* o, float* c, int64_t ldc) {
  try {
    Context ctx(Isa::scalar);
    const QuantizedWeights weights(ctx, MatrixView<const float>(w, n, k), BLayout::nk);
    DynamicOptions d;
    d.granularity =
        o->granularity == I8GEMM_PER_ROW ? ActivationQuant::per_row : ActivationQuant::per_tensor;
    d.unsigned_activations = o->activation_type == I8GEMM_UINT8;
    d.bias = o->bias;
    d.min = o->min;
    d.max = o->max;
    d.activation_params = reinterpret_cast<QuantParams*>(o->activation_params);
    gemm_dynamic(ctx, MatrixView<const float>(a, m, k, lda), weights,
                 MatrixView<float>(c, m, n, ldc), d);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "expected_dynamic: %s\n", e.what());
    return 1;
  }
}

i8gemm_quantized_multiplier expected_quantize_multiplier(double multiplier) {
  const QuantizedMultiplier q = quantize_multiplier(multiplier);
  return {q.m0, q.shift};
}

uint32_t expected_built_isas(void) {
  return mask(built_isas());
}

uint32_t expected_available_isas(void) {
  return mask(available_isas());
}

uint32_t expected_default_isa(void) {
  return static_cast<std::uint32_t>(default_isa());
}

i8gemm_quant_params expected_choose_quant_params(float min, float max, int bits, int is_signed,
                                                 int symmetric) {
  const QuantParams p = choose_quant_params(
      min, max,
      {bits, is_signed != 0, symmetric != 0,
       symmetric == I8GEMM_SYMMETRIC_FULL ? SymmetricRange::full : SymmetricRange::restricted});
  return {p.scale, p.zero_point, p.qmin, p.qmax};
}

void expected_quantize(const float* x, size_t n, const i8gemm_quant_params* p, i8gemm_type type,
                       void* q) {
  const QuantParams params{p->scale, p->zero_point, p->qmin, p->qmax};
  switch (type) {
    case I8GEMM_INT8:
      return quantize(x, n, params, static_cast<std::int8_t*>(q));
    case I8GEMM_UINT8:
      return quantize(x, n, params, static_cast<std::uint8_t*>(q));
    case I8GEMM_INT16:
      return quantize(x, n, params, static_cast<std::int16_t*>(q));
    case I8GEMM_UINT16:
      return quantize(x, n, params, static_cast<std::uint16_t*>(q));
    default:
      return quantize(x, n, params, static_cast<std::int32_t*>(q));
  }
}

}  // extern "C"
