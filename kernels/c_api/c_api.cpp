// The C API (include/i8gemm/i8gemm.h): argument checks with the C names, then the C++ API.
// Every entry point catches everything: no exception crosses the C boundary.
#include "i8gemm/dynamic.hpp"
#include "i8gemm/i8gemm.h"

#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "i8gemm/i8gemm.hpp"
#include "i8gemm/quantize.hpp"

struct i8gemm_context {
  i8gemm::Context ctx;
};

struct i8gemm_packed_b {
  i8gemm::PackedB packed;
};

// A PreparedGemm of any A type and stage (K and N its B's): run(m, a, lda, c, ldc).
struct i8gemm_prepared_gemm {
  std::int64_t k = 0, n = 0;
  std::function<void(std::int64_t, const void*, std::int64_t, void*, std::int64_t)> run;
};

// The packed weights are an i8gemm_packed_b of their own, so that every packed-B call takes
// them; the scales stay beside them.
struct i8gemm_quantized_weights {
  std::vector<float> scales;
  i8gemm_packed_b packed;
};

// i8gemm_quant_params is QuantParams, field for field (activation parameters are written
// through it).
static_assert(sizeof(i8gemm_quant_params) == sizeof(i8gemm::QuantParams) &&
                  offsetof(i8gemm_quant_params, zero_point) ==
                      offsetof(i8gemm::QuantParams, zero_point) &&
                  offsetof(i8gemm_quant_params, qmax) == offsetof(i8gemm::QuantParams, qmax),
              "i8gemm_quant_params and i8gemm::QuantParams must have the same layout");

namespace i8gemm {
namespace {

#define I8GEMM_PATH(name, NAME, bit, rank)                                  \
  static_assert(static_cast<std::uint32_t>(Isa::name) == I8GEMM_ISA_##NAME, \
                "i8gemm_isa and i8gemm::Isa must have the same bits");
#include "i8gemm/paths.inc"

// A fixed buffer: recording an error must not allocate (it may be reporting bad_alloc).
thread_local char last_error[1024] = "";

i8gemm_status set_error(i8gemm_status status, const char* function, const char* message) {
  std::snprintf(last_error, sizeof(last_error), "%s: %s", function, message);
  return status;
}

// An error with its own status, raised by the checks of this file.
struct CError {
  i8gemm_status status;
  char message[512];
};

[[noreturn]] __attribute__((format(printf, 2, 3))) void fail_with(i8gemm_status status,
                                                                  const char* format, ...) {
  CError e{status, ""};
  va_list args;
  va_start(args, format);
  std::vsnprintf(e.message, sizeof(e.message), format, args);
  va_end(args);
  throw e;
}

#define I8GEMM_FAIL(...) fail_with(I8GEMM_INVALID_ARGUMENT, __VA_ARGS__)

template <typename F>
i8gemm_status guarded(const char* function, F&& body) noexcept {
  try {
    body();
    return I8GEMM_OK;
  } catch (const CError& e) {
    return set_error(e.status, function, e.message);
  } catch (const Error& e) {
    return set_error(I8GEMM_INVALID_ARGUMENT, function, e.what());
  } catch (const std::bad_alloc&) {
    return set_error(I8GEMM_OUT_OF_MEMORY, function, "out of memory");
  } catch (const std::exception& e) {
    return set_error(I8GEMM_INTERNAL, function, e.what());
  } catch (...) {
    return set_error(I8GEMM_INTERNAL, function, "unknown exception");
  }
}

template <typename T>
void require_pointer(const T* p, const char* name) {
  if (p == nullptr) I8GEMM_FAIL("%s: null", name);
}

bool is_isa(std::uint32_t bits) {
  for (Isa isa : all_isas()) {
    if (static_cast<std::uint32_t>(isa) == bits) return true;
  }
  return false;
}

// A path this host runs; I8GEMM_UNAVAILABLE with the reason if it does not.
Isa runnable_isa(i8gemm_isa isa) {
  const auto bits = static_cast<std::uint32_t>(isa);
  if (!is_isa(bits)) I8GEMM_FAIL("isa: 0x%x is not one i8gemm_isa path", bits);
  const Isa path = static_cast<Isa>(bits);
  if (!is_available(path)) {
    fail_with(I8GEMM_UNAVAILABLE, "isa: %s cannot run here: %s", isa_name(path),
              unavailable_reason(path).c_str());
  }
  return path;
}

// default_isa(), with I8GEMM_UNAVAILABLE when I8GEMM_ISA names a path this host cannot run
// (INVALID_ARGUMENT stays for a name that is no path).
Isa default_path() {
  try {
    return default_isa();
  } catch (const Error& e) {
    const char* env = std::getenv("I8GEMM_ISA");
    for (Isa isa : all_isas()) {
      if (env != nullptr && std::strcmp(env, isa_name(isa)) == 0) {
        fail_with(I8GEMM_UNAVAILABLE, "%s", e.what());
      }
    }
    throw;
  }
}

std::uint32_t mask_of(const std::vector<Isa>& isas) {
  std::uint32_t mask = 0;
  for (Isa isa : isas) mask |= static_cast<std::uint32_t>(isa);
  return mask;
}

void check_type(i8gemm_type t, const char* name) {
  if (t != I8GEMM_INT8 && t != I8GEMM_UINT8) {
    I8GEMM_FAIL("%s: %d is not I8GEMM_INT8 or I8GEMM_UINT8", name, static_cast<int>(t));
  }
}

ZeroPoints zero_points(const i8gemm_zero_point& z) {
  return z.per_channel != nullptr ? ZeroPoints::channel(z.per_channel) : ZeroPoints(z.value);
}

// Everything one GEMM call takes but its output stage. `packed` set: B is packed, else b/ldb.
struct GemmArgs {
  i8gemm_context* ctx;
  std::int64_t m, n, k;
  i8gemm_type a_type;
  const void* a;
  std::int64_t lda;
  i8gemm_zero_point a_zero_point;
  const i8gemm_packed_b* packed;
  const std::int8_t* b;
  std::int64_t ldb;
  i8gemm_b_layout b_layout;
  i8gemm_zero_point b_zero_point;
  void* c;
  std::int64_t ldc;
};

void check_gemm(const GemmArgs& g) {
  require_pointer(g.ctx, "ctx");
  if (g.m < 0) I8GEMM_FAIL("m: %" PRId64 " is negative", g.m);
  if (g.n < 0) I8GEMM_FAIL("n: %" PRId64 " is negative", g.n);
  if (g.k < 0) I8GEMM_FAIL("k: %" PRId64 " is negative", g.k);
  check_type(g.a_type, "a_type");
  if (g.lda < g.k) I8GEMM_FAIL("lda: %" PRId64 " is smaller than k = %" PRId64, g.lda, g.k);
  if (g.ldc < g.n) I8GEMM_FAIL("ldc: %" PRId64 " is smaller than n = %" PRId64, g.ldc, g.n);
  if (g.packed != nullptr) {
    const PackedB& p = g.packed->packed;
    if (g.k != p.k()) I8GEMM_FAIL("k: %" PRId64 " does not match K = %" PRId64 " of b", g.k, p.k());
    if (g.n != p.n()) I8GEMM_FAIL("n: %" PRId64 " does not match N = %" PRId64 " of b", g.n, p.n());
    return;
  }
  if (g.b_layout != I8GEMM_B_KN && g.b_layout != I8GEMM_B_NK) {
    I8GEMM_FAIL("b_layout: %d is not I8GEMM_B_KN or I8GEMM_B_NK", static_cast<int>(g.b_layout));
  }
  const std::int64_t b_cols = g.b_layout == I8GEMM_B_KN ? g.n : g.k;
  if (g.ldb < b_cols) {
    I8GEMM_FAIL("ldb: %" PRId64 " is smaller than %s = %" PRId64, g.ldb,
                g.b_layout == I8GEMM_B_KN ? "n (layout I8GEMM_B_KN)" : "k (layout I8GEMM_B_NK)",
                b_cols);
  }
}

template <typename TA, typename Stage>
void run_typed(const GemmArgs& g, const Stage& stage) {
  using TC = typename Stage::value_type;
  const MatrixView<const TA> a(static_cast<const TA*>(g.a), g.m, g.k, g.lda);
  const MatrixView<TC> c(static_cast<TC*>(g.c), g.m, g.n, g.ldc);
  if (g.packed != nullptr) {
    gemm(g.ctx->ctx, a, zero_points(g.a_zero_point), g.packed->packed, stage, c);
    return;
  }
  const bool kn = g.b_layout == I8GEMM_B_KN;
  const MatrixView<const std::int8_t> b(g.b, kn ? g.k : g.n, kn ? g.n : g.k, g.ldb);
  gemm(g.ctx->ctx, a, zero_points(g.a_zero_point), b, kn ? BLayout::kn : BLayout::nk,
       zero_points(g.b_zero_point), stage, c);
}

template <typename Stage>
void run(const GemmArgs& g, const Stage& stage) {
  if (g.a_type == I8GEMM_INT8) {
    run_typed<std::int8_t>(g, stage);
  } else {
    run_typed<std::uint8_t>(g, stage);
  }
}

// Each C stage as i8gemm's typed stage, handed to use(stage) (a GEMM call, or a PreparedGemm's
// creation), after the checks the C structs need beyond i8gemm's own.
template <typename F>
void with_int32_stage(const i8gemm_output_int32* stage, F&& use) {
  OutputInt32 s;
  if (stage != nullptr) s.bias = stage->bias;
  use(s);
}

void run_int32(const GemmArgs& g, const i8gemm_output_int32* stage) {
  check_gemm(g);
  with_int32_stage(stage, [&](const auto& s) { run(g, s); });
}

// The per-channel multipliers copied into i8gemm's own type (no aliasing between the two
// structs); the buffer is per thread and only grows, so a warm call does not allocate.
const QuantizedMultiplier* copy_multipliers(const i8gemm_quantized_multiplier* m, std::int64_t n) {
  if (m == nullptr) return nullptr;
  thread_local std::vector<QuantizedMultiplier> copy;
  if (copy.size() < static_cast<std::size_t>(n)) copy.resize(static_cast<std::size_t>(n));
  for (std::int64_t j = 0; j < n; ++j) copy[j] = QuantizedMultiplier{m[j].m0, m[j].shift};
  return copy.data();
}

template <typename T, typename F>
void with_fixed_point_stage_typed(const i8gemm_output_fixed_point& stage, std::int64_t n, F&& use) {
  OutputFixedPoint<T> s;
  s.multiplier = QuantizedMultiplier{stage.multiplier.m0, stage.multiplier.shift};
  s.per_channel = copy_multipliers(stage.per_channel, n);
  s.bias = stage.bias;
  s.zero_point = stage.zero_point;
  s.min = stage.min;
  s.max = stage.max;
  use(s);
}

// What i8gemm_output_*_defaults return for an invalid c_type: a range no GEMM accepts.
constexpr std::int32_t kPoisonMin = INT32_MAX, kPoisonMax = INT32_MIN;

constexpr i8gemm_output_fixed_point kFixedPointDefaults{{0, 0}, nullptr, nullptr, 0, 0, 0};
constexpr i8gemm_output_float_scale kFloatScaleDefaults{1.0f, nullptr, nullptr, 0, 0, 0};

template <typename Stage>
Stage poisoned(Stage stage) {
  stage.min = kPoisonMin;
  stage.max = kPoisonMax;
  return stage;
}

// `defaults` with the full range of c_type as [min, max].
template <typename Stage>
i8gemm_status stage_defaults(const char* function, i8gemm_type c_type, const Stage& defaults,
                             Stage* stage) {
  return guarded(function, [&] {
    require_pointer(stage, "stage");
    check_type(c_type, "c_type");
    *stage = defaults;
    stage->min = c_type == I8GEMM_UINT8 ? 0 : -128;
    stage->max = c_type == I8GEMM_UINT8 ? 255 : 127;
  });
}

template <typename Stage>
void check_stage_range(const Stage& stage, const char* defaults) {
  if (stage.min == kPoisonMin && stage.max == kPoisonMax) {
    I8GEMM_FAIL("stage: made by %s() from an invalid c_type (min = INT32_MAX, max = INT32_MIN)",
                defaults);
  }
}

template <typename F>
void with_fixed_point_stage(const i8gemm_output_fixed_point* stage, i8gemm_type c_type,
                            std::int64_t n, F&& use) {
  require_pointer(stage, "stage");
  check_type(c_type, "c_type");
  check_stage_range(*stage, "i8gemm_output_fixed_point_defaults");
  if (c_type == I8GEMM_INT8) {
    with_fixed_point_stage_typed<std::int8_t>(*stage, n, use);
  } else {
    with_fixed_point_stage_typed<std::uint8_t>(*stage, n, use);
  }
}

void run_fixed_point(const GemmArgs& g, const i8gemm_output_fixed_point* stage,
                     i8gemm_type c_type) {
  check_gemm(g);
  with_fixed_point_stage(stage, c_type, g.n, [&](const auto& s) { run(g, s); });
}

template <typename T, typename F>
void with_float_scale_stage_typed(const i8gemm_output_float_scale& stage, F&& use) {
  OutputFloatScale<T> s;
  s.scale = stage.scale;
  s.per_channel = stage.per_channel;
  s.bias = stage.bias;
  s.zero_point = stage.zero_point;
  s.min = stage.min;
  s.max = stage.max;
  use(s);
}

template <typename F>
void with_float_scale_stage(const i8gemm_output_float_scale* stage, i8gemm_type c_type, F&& use) {
  require_pointer(stage, "stage");
  check_type(c_type, "c_type");
  check_stage_range(*stage, "i8gemm_output_float_scale_defaults");
  if (c_type == I8GEMM_INT8) {
    with_float_scale_stage_typed<std::int8_t>(*stage, use);
  } else {
    with_float_scale_stage_typed<std::uint8_t>(*stage, use);
  }
}

void run_float_scale(const GemmArgs& g, const i8gemm_output_float_scale* stage,
                     i8gemm_type c_type) {
  check_gemm(g);
  with_float_scale_stage(stage, c_type, [&](const auto& s) { run(g, s); });
}

template <typename F>
void with_float_stage(const i8gemm_output_float* stage, F&& use) {
  require_pointer(stage, "stage");
  OutputFloat s;
  s.a_scale = stage->a_scale;
  s.a_scales = stage->a_scales;
  s.b_scale = stage->b_scale;
  s.b_scales = stage->b_scales;
  s.bias = stage->bias;
  s.min = stage->min;
  s.max = stage->max;
  use(s);
}

void run_float(const GemmArgs& g, const i8gemm_output_float* stage) {
  check_gemm(g);
  with_float_stage(stage, [&](const auto& s) { run(g, s); });
}

// A PreparedGemm of A's type (int8 or uint8) and `stage`, behind one run function.
template <typename Stage>
i8gemm_prepared_gemm* prepare(i8gemm_context* ctx, i8gemm_type a_type, std::int32_t a_zero_point,
                              const i8gemm_packed_b* b, const Stage& stage) {
  require_pointer(ctx, "ctx");
  require_pointer(b, "b");
  check_type(a_type, "a_type");
  using TC = typename Stage::value_type;
  auto made = std::make_unique<i8gemm_prepared_gemm>();
  made->k = b->packed.k();
  made->n = b->packed.n();
  auto bind = [&](auto a_tag) {
    using TA = decltype(a_tag);
    const PreparedGemm<TA, Stage> p(ctx->ctx, a_zero_point, b->packed, stage);
    made->run = [p, k = made->k, n = made->n](std::int64_t m, const void* a, std::int64_t lda,
                                              void* c, std::int64_t ldc) {
      p.run(MatrixView<const TA>(static_cast<const TA*>(a), m, k, lda),
            MatrixView<TC>(static_cast<TC*>(c), m, n, ldc));
    };
  };
  if (a_type == I8GEMM_INT8) {
    bind(std::int8_t{});
  } else {
    bind(std::uint8_t{});
  }
  return made.release();
}

template <typename F>
i8gemm_status prepare_with(const char* function, i8gemm_prepared_gemm** prepared, F&& make) {
  return guarded(function, [&] {
    require_pointer(prepared, "prepared");
    *prepared = nullptr;
    make();
  });
}

// Runs the tasks i8gemm hands to an application's parallel_for; an exception inside a task is
// kept and rethrown once the C code has returned, never thrown through it.
struct TaskCall {
  const std::function<void(std::size_t)>* task;
  std::mutex mutex;
  std::exception_ptr error;
};

void call_task(void* data, std::size_t i) {
  auto* call = static_cast<TaskCall*>(data);
  try {
    (*call->task)(i);
  } catch (...) {
    const std::lock_guard<std::mutex> lock(call->mutex);
    if (!call->error) call->error = std::current_exception();
  }
}

QuantParams quant_params(const i8gemm_quant_params* p) {
  require_pointer(p, "params");
  return QuantParams{p->scale, p->zero_point, p->qmin, p->qmax};
}

// ---------------------------------------------------------------------------------------------
// Quantization: storage types, specs, parameter arrays
// ---------------------------------------------------------------------------------------------

static_assert(I8GEMM_ZERO_MULTIPLIER_SHIFT == QuantizedMultiplier::kZeroMultiplierShift,
              "the C and C++ explicit zero multipliers must be the same");

// Calls f with a null pointer of the storage type `type` names.
template <typename F>
void with_storage(i8gemm_type type, const char* name, F&& f) {
  switch (type) {
    case I8GEMM_INT8:
      return f(static_cast<std::int8_t*>(nullptr));
    case I8GEMM_UINT8:
      return f(static_cast<std::uint8_t*>(nullptr));
    case I8GEMM_INT16:
      return f(static_cast<std::int16_t*>(nullptr));
    case I8GEMM_UINT16:
      return f(static_cast<std::uint16_t*>(nullptr));
    case I8GEMM_INT32:
      return f(static_cast<std::int32_t*>(nullptr));
    default:
      I8GEMM_FAIL(
          "%s: %d is not a storage type (I8GEMM_INT8, I8GEMM_UINT8, I8GEMM_INT16, "
          "I8GEMM_UINT16, I8GEMM_INT32)",
          name, static_cast<int>(type));
  }
}

QuantSpec quant_spec(int bits, int is_signed, int symmetric) {
  if (symmetric != I8GEMM_ASYMMETRIC && symmetric != I8GEMM_SYMMETRIC &&
      symmetric != I8GEMM_SYMMETRIC_FULL) {
    I8GEMM_FAIL(
        "symmetric: %d is not I8GEMM_ASYMMETRIC (0), I8GEMM_SYMMETRIC (1) or "
        "I8GEMM_SYMMETRIC_FULL (2)",
        symmetric);
  }
  return QuantSpec{
      bits, is_signed != 0, symmetric != I8GEMM_ASYMMETRIC,
      symmetric == I8GEMM_SYMMETRIC_FULL ? SymmetricRange::full : SymmetricRange::restricted};
}

i8gemm_quant_params c_params(const QuantParams& p) {
  return i8gemm_quant_params{p.scale, p.zero_point, p.qmin, p.qmax};
}

// The parameters of a rows x cols matrix, one per row (by_rows) or per column, as the C++ type
// (a per-thread copy: the C struct is not the C++ one); null for an empty matrix, which reads
// none. Negative sizes are refused here, the rest by quantize.hpp.
const QuantParams* params_array(const i8gemm_quant_params* params, std::int64_t rows,
                                std::int64_t cols, bool by_rows) {
  if (rows < 0) I8GEMM_FAIL("rows: %" PRId64 " is negative", rows);
  if (cols < 0) I8GEMM_FAIL("cols: %" PRId64 " is negative", cols);
  if (rows == 0 || cols == 0) return nullptr;
  require_pointer(params, "params");
  thread_local std::vector<QuantParams> copy;
  copy.clear();
  const std::int64_t count = by_rows ? rows : cols;
  for (std::int64_t i = 0; i < count; ++i) copy.push_back(quant_params(params + i));
  return copy.data();
}

// x quantized per row (by_rows) or per column into q of the storage type `type`.
i8gemm_status quantize_each(const char* function, bool by_rows, const float* x, int64_t rows,
                            int64_t cols, int64_t ldx, const i8gemm_quant_params* params,
                            i8gemm_type type, void* q, int64_t ldq) {
  return guarded(function, [&] {
    const QuantParams* p = params_array(params, rows, cols, by_rows);
    with_storage(type, "type", [&](auto* t) {
      auto* out = static_cast<decltype(t)>(q);
      if (by_rows) {
        quantize_rows(x, rows, cols, ldx, p, out, ldq);
      } else {
        quantize_columns(x, rows, cols, ldx, p, out, ldq);
      }
    });
  });
}

// q (of the storage type `type`) dequantized per row (by_rows) or per column into x.
i8gemm_status dequantize_each(const char* function, bool by_rows, const void* q, int64_t rows,
                              int64_t cols, int64_t ldq, const i8gemm_quant_params* params,
                              i8gemm_type type, float* x, int64_t ldx) {
  return guarded(function, [&] {
    const QuantParams* p = params_array(params, rows, cols, by_rows);
    with_storage(type, "type", [&](auto* t) {
      const auto* in = static_cast<const std::remove_pointer_t<decltype(t)>*>(q);
      if (by_rows) {
        dequantize_rows(in, rows, cols, ldq, p, x, ldx);
      } else {
        dequantize_columns(in, rows, cols, ldq, p, x, ldx);
      }
    });
  });
}

// Each row's (by_rows) or column's parameters into params.
i8gemm_status choose_each(const char* function, bool by_rows, const float* x, int64_t rows,
                          int64_t cols, int64_t ldx, int bits, int is_signed, int symmetric,
                          i8gemm_quant_params* params) {
  return guarded(function, [&] {
    if (rows < 0) I8GEMM_FAIL("rows: %" PRId64 " is negative", rows);
    if (cols < 0) I8GEMM_FAIL("cols: %" PRId64 " is negative", cols);
    const QuantSpec spec = quant_spec(bits, is_signed, symmetric);
    if (by_rows ? rows > 0 : cols > 0) require_pointer(params, "params");
    const std::vector<QuantParams> chosen =
        by_rows ? choose_quant_params_rows(x, rows, cols, ldx, spec)
                : choose_quant_params_columns(x, rows, cols, ldx, spec);
    for (std::size_t i = 0; i < chosen.size(); ++i) params[i] = c_params(chosen[i]);
  });
}

}  // namespace
}  // namespace i8gemm

using namespace i8gemm;

extern "C" {

const char* i8gemm_last_error(void) {
  return last_error;
}

const char* i8gemm_status_name(i8gemm_status status) {
  switch (status) {
    case I8GEMM_OK:
      return "I8GEMM_OK";
    case I8GEMM_INVALID_ARGUMENT:
      return "I8GEMM_INVALID_ARGUMENT";
    case I8GEMM_UNAVAILABLE:
      return "I8GEMM_UNAVAILABLE";
    case I8GEMM_OUT_OF_MEMORY:
      return "I8GEMM_OUT_OF_MEMORY";
    case I8GEMM_INTERNAL:
      return "I8GEMM_INTERNAL";
  }
  return "unknown";
}

const char* i8gemm_isa_name(i8gemm_isa isa) {
  const auto bits = static_cast<std::uint32_t>(isa);
  return is_isa(bits) ? i8gemm::isa_name(static_cast<Isa>(bits)) : nullptr;
}

i8gemm_status i8gemm_parse_isa(const char* name, i8gemm_isa* isa) {
  return guarded(__func__, [&] {
    require_pointer(name, "name");
    require_pointer(isa, "isa");
    *isa = static_cast<i8gemm_isa>(parse_isa(name));
  });
}

uint32_t i8gemm_built_isas(void) {
  try {
    return mask_of(built_isas());
  } catch (...) {
    return I8GEMM_ISA_SCALAR;
  }
}

uint32_t i8gemm_available_isas(void) {
  try {
    return mask_of(available_isas());
  } catch (...) {
    return I8GEMM_ISA_SCALAR;
  }
}

i8gemm_status i8gemm_default_isa(i8gemm_isa* isa) {
  return guarded(__func__, [&] {
    require_pointer(isa, "isa");
    *isa = static_cast<i8gemm_isa>(default_path());
  });
}

i8gemm_status i8gemm_context_create(i8gemm_isa isa, int threads, i8gemm_context** ctx) {
  return guarded(__func__, [&] {
    require_pointer(ctx, "ctx");
    *ctx = nullptr;
    if (threads < 1) I8GEMM_FAIL("threads: %d is less than 1", threads);
    const Isa path = isa == I8GEMM_ISA_DEFAULT ? default_path() : runnable_isa(isa);
    *ctx = new i8gemm_context{Context(path, threads)};
  });
}

void i8gemm_context_destroy(i8gemm_context* ctx) {
  delete ctx;
}

i8gemm_status i8gemm_context_set_isa(i8gemm_context* ctx, i8gemm_isa isa) {
  return guarded(__func__, [&] {
    require_pointer(ctx, "ctx");
    ctx->ctx.set_isa(runnable_isa(isa));
  });
}

i8gemm_isa i8gemm_context_isa(const i8gemm_context* ctx) {
  return ctx == nullptr ? I8GEMM_ISA_DEFAULT : static_cast<i8gemm_isa>(ctx->ctx.isa());
}

i8gemm_isa i8gemm_context_last_used_isa(const i8gemm_context* ctx) {
  return ctx == nullptr ? I8GEMM_ISA_DEFAULT : static_cast<i8gemm_isa>(ctx->ctx.last_used_isa());
}

i8gemm_status i8gemm_context_set_num_threads(i8gemm_context* ctx, int threads) {
  return guarded(__func__, [&] {
    require_pointer(ctx, "ctx");
    ctx->ctx.set_num_threads(threads);
  });
}

int i8gemm_context_num_threads(const i8gemm_context* ctx) {
  return ctx == nullptr ? 0 : ctx->ctx.num_threads();
}

i8gemm_status i8gemm_context_set_parallel_for(i8gemm_context* ctx,
                                              i8gemm_parallel_for_fn parallel_for, void* user_data,
                                              int threads) {
  return guarded(__func__, [&] {
    require_pointer(ctx, "ctx");
    if (threads < 1) I8GEMM_FAIL("threads: %d is less than 1", threads);
    if (parallel_for == nullptr) {
      ctx->ctx.set_parallel_for(nullptr, threads);
      return;
    }
    ctx->ctx.set_parallel_for(
        [parallel_for, user_data](std::size_t n, const std::function<void(std::size_t)>& task) {
          TaskCall call;
          call.task = &task;
          parallel_for(user_data, n, call_task, &call);
          if (call.error) std::rethrow_exception(call.error);
        },
        threads);
  });
}

i8gemm_status i8gemm_packed_b_create(i8gemm_context* ctx, int64_t k, int64_t n, const int8_t* b,
                                     int64_t ldb, i8gemm_b_layout layout,
                                     i8gemm_zero_point zero_point, i8gemm_packed_b** packed) {
  return guarded(__func__, [&] {
    require_pointer(packed, "packed");
    *packed = nullptr;
    require_pointer(ctx, "ctx");
    if (k < 0) I8GEMM_FAIL("k: %" PRId64 " is negative", k);
    if (n < 0) I8GEMM_FAIL("n: %" PRId64 " is negative", n);
    if (layout != I8GEMM_B_KN && layout != I8GEMM_B_NK) {
      I8GEMM_FAIL("layout: %d is not I8GEMM_B_KN or I8GEMM_B_NK", static_cast<int>(layout));
    }
    const bool kn = layout == I8GEMM_B_KN;
    const std::int64_t cols = kn ? n : k;
    if (ldb < cols) {
      I8GEMM_FAIL("ldb: %" PRId64 " is smaller than %s = %" PRId64, ldb,
                  kn ? "n (layout I8GEMM_B_KN)" : "k (layout I8GEMM_B_NK)", cols);
    }
    const MatrixView<const std::int8_t> view(b, kn ? k : n, cols, ldb);
    *packed = new i8gemm_packed_b{
        PackedB(ctx->ctx, view, kn ? BLayout::kn : BLayout::nk, zero_points(zero_point))};
  });
}

void i8gemm_packed_b_destroy(i8gemm_packed_b* packed) {
  delete packed;
}

size_t i8gemm_packed_b_size_bytes(const i8gemm_packed_b* packed) {
  return packed == nullptr ? 0 : packed->packed.size_bytes();
}

int64_t i8gemm_packed_b_k(const i8gemm_packed_b* packed) {
  return packed == nullptr ? 0 : packed->packed.k();
}

int64_t i8gemm_packed_b_n(const i8gemm_packed_b* packed) {
  return packed == nullptr ? 0 : packed->packed.n();
}

i8gemm_isa i8gemm_packed_b_isa(const i8gemm_packed_b* packed) {
  return packed == nullptr ? I8GEMM_ISA_DEFAULT : static_cast<i8gemm_isa>(packed->packed.isa());
}

const int32_t* i8gemm_packed_b_column_sums(const i8gemm_packed_b* packed) {
  return packed == nullptr ? nullptr : packed->packed.column_sums();
}

i8gemm_status i8gemm_quantize_multiplier(double multiplier, i8gemm_quantized_multiplier* out) {
  return guarded(__func__, [&] {
    require_pointer(out, "out");
    const QuantizedMultiplier q = quantize_multiplier(multiplier);
    *out = i8gemm_quantized_multiplier{q.m0, q.shift};
  });
}

i8gemm_output_int32 i8gemm_output_int32_defaults(void) {
  return i8gemm_output_int32{nullptr};
}

i8gemm_status i8gemm_output_fixed_point_init(i8gemm_type c_type, i8gemm_output_fixed_point* stage) {
  return stage_defaults(__func__, c_type, kFixedPointDefaults, stage);
}

i8gemm_status i8gemm_output_float_scale_init(i8gemm_type c_type, i8gemm_output_float_scale* stage) {
  return stage_defaults(__func__, c_type, kFloatScaleDefaults, stage);
}

i8gemm_output_fixed_point i8gemm_output_fixed_point_defaults(i8gemm_type c_type) {
  i8gemm_output_fixed_point stage = poisoned(kFixedPointDefaults);
  (void)stage_defaults(__func__, c_type, kFixedPointDefaults, &stage);
  return stage;
}

i8gemm_output_float_scale i8gemm_output_float_scale_defaults(i8gemm_type c_type) {
  i8gemm_output_float_scale stage = poisoned(kFloatScaleDefaults);
  (void)stage_defaults(__func__, c_type, kFloatScaleDefaults, &stage);
  return stage;
}

i8gemm_output_float i8gemm_output_float_defaults(void) {
  return i8gemm_output_float{1.0f, nullptr, 1.0f, nullptr, nullptr, -HUGE_VALF, HUGE_VALF};
}

i8gemm_status i8gemm_gemm_packed_int32(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                       i8gemm_type a_type, const void* a, int64_t lda,
                                       i8gemm_zero_point a_zero_point, const i8gemm_packed_b* b,
                                       const i8gemm_output_int32* stage, int32_t* c, int64_t ldc) {
  return guarded(__func__, [&] {
    require_pointer(b, "b");
    run_int32({ctx, m, n, k, a_type, a, lda, a_zero_point, b, nullptr, 0, I8GEMM_B_KN, {}, c, ldc},
              stage);
  });
}

i8gemm_status i8gemm_gemm_packed_fixed_point(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                             i8gemm_type a_type, const void* a, int64_t lda,
                                             i8gemm_zero_point a_zero_point,
                                             const i8gemm_packed_b* b,
                                             const i8gemm_output_fixed_point* stage,
                                             i8gemm_type c_type, void* c, int64_t ldc) {
  return guarded(__func__, [&] {
    require_pointer(b, "b");
    run_fixed_point(
        {ctx, m, n, k, a_type, a, lda, a_zero_point, b, nullptr, 0, I8GEMM_B_KN, {}, c, ldc}, stage,
        c_type);
  });
}

i8gemm_status i8gemm_gemm_packed_float_scale(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                             i8gemm_type a_type, const void* a, int64_t lda,
                                             i8gemm_zero_point a_zero_point,
                                             const i8gemm_packed_b* b,
                                             const i8gemm_output_float_scale* stage,
                                             i8gemm_type c_type, void* c, int64_t ldc) {
  return guarded(__func__, [&] {
    require_pointer(b, "b");
    run_float_scale(
        {ctx, m, n, k, a_type, a, lda, a_zero_point, b, nullptr, 0, I8GEMM_B_KN, {}, c, ldc}, stage,
        c_type);
  });
}

i8gemm_status i8gemm_gemm_packed_float(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                       i8gemm_type a_type, const void* a, int64_t lda,
                                       i8gemm_zero_point a_zero_point, const i8gemm_packed_b* b,
                                       const i8gemm_output_float* stage, float* c, int64_t ldc) {
  return guarded(__func__, [&] {
    require_pointer(b, "b");
    run_float({ctx, m, n, k, a_type, a, lda, a_zero_point, b, nullptr, 0, I8GEMM_B_KN, {}, c, ldc},
              stage);
  });
}

i8gemm_status i8gemm_gemm_int32(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                i8gemm_type a_type, const void* a, int64_t lda,
                                i8gemm_zero_point a_zero_point, const int8_t* b, int64_t ldb,
                                i8gemm_b_layout b_layout, i8gemm_zero_point b_zero_point,
                                const i8gemm_output_int32* stage, int32_t* c, int64_t ldc) {
  return guarded(__func__, [&] {
    run_int32({ctx, m, n, k, a_type, a, lda, a_zero_point, nullptr, b, ldb, b_layout, b_zero_point,
               c, ldc},
              stage);
  });
}

i8gemm_status i8gemm_gemm_fixed_point(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                      i8gemm_type a_type, const void* a, int64_t lda,
                                      i8gemm_zero_point a_zero_point, const int8_t* b, int64_t ldb,
                                      i8gemm_b_layout b_layout, i8gemm_zero_point b_zero_point,
                                      const i8gemm_output_fixed_point* stage, i8gemm_type c_type,
                                      void* c, int64_t ldc) {
  return guarded(__func__, [&] {
    run_fixed_point({ctx, m, n, k, a_type, a, lda, a_zero_point, nullptr, b, ldb, b_layout,
                     b_zero_point, c, ldc},
                    stage, c_type);
  });
}

i8gemm_status i8gemm_gemm_float_scale(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                      i8gemm_type a_type, const void* a, int64_t lda,
                                      i8gemm_zero_point a_zero_point, const int8_t* b, int64_t ldb,
                                      i8gemm_b_layout b_layout, i8gemm_zero_point b_zero_point,
                                      const i8gemm_output_float_scale* stage, i8gemm_type c_type,
                                      void* c, int64_t ldc) {
  return guarded(__func__, [&] {
    run_float_scale({ctx, m, n, k, a_type, a, lda, a_zero_point, nullptr, b, ldb, b_layout,
                     b_zero_point, c, ldc},
                    stage, c_type);
  });
}

i8gemm_status i8gemm_gemm_float(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                i8gemm_type a_type, const void* a, int64_t lda,
                                i8gemm_zero_point a_zero_point, const int8_t* b, int64_t ldb,
                                i8gemm_b_layout b_layout, i8gemm_zero_point b_zero_point,
                                const i8gemm_output_float* stage, float* c, int64_t ldc) {
  return guarded(__func__, [&] {
    run_float({ctx, m, n, k, a_type, a, lda, a_zero_point, nullptr, b, ldb, b_layout, b_zero_point,
               c, ldc},
              stage);
  });
}

i8gemm_status i8gemm_prepare_int32(i8gemm_context* ctx, i8gemm_type a_type, int32_t a_zero_point,
                                   const i8gemm_packed_b* b, const i8gemm_output_int32* stage,
                                   i8gemm_prepared_gemm** prepared) {
  return prepare_with(__func__, prepared, [&] {
    with_int32_stage(stage,
                     [&](const auto& s) { *prepared = prepare(ctx, a_type, a_zero_point, b, s); });
  });
}

i8gemm_status i8gemm_prepare_fixed_point(i8gemm_context* ctx, i8gemm_type a_type,
                                         int32_t a_zero_point, const i8gemm_packed_b* b,
                                         const i8gemm_output_fixed_point* stage, i8gemm_type c_type,
                                         i8gemm_prepared_gemm** prepared) {
  return prepare_with(__func__, prepared, [&] {
    require_pointer(b, "b");
    with_fixed_point_stage(stage, c_type, b->packed.n(), [&](const auto& s) {
      *prepared = prepare(ctx, a_type, a_zero_point, b, s);
    });
  });
}

i8gemm_status i8gemm_prepare_float_scale(i8gemm_context* ctx, i8gemm_type a_type,
                                         int32_t a_zero_point, const i8gemm_packed_b* b,
                                         const i8gemm_output_float_scale* stage, i8gemm_type c_type,
                                         i8gemm_prepared_gemm** prepared) {
  return prepare_with(__func__, prepared, [&] {
    with_float_scale_stage(stage, c_type, [&](const auto& s) {
      *prepared = prepare(ctx, a_type, a_zero_point, b, s);
    });
  });
}

i8gemm_status i8gemm_prepare_float(i8gemm_context* ctx, i8gemm_type a_type, int32_t a_zero_point,
                                   const i8gemm_packed_b* b, const i8gemm_output_float* stage,
                                   i8gemm_prepared_gemm** prepared) {
  return prepare_with(__func__, prepared, [&] {
    with_float_stage(stage,
                     [&](const auto& s) { *prepared = prepare(ctx, a_type, a_zero_point, b, s); });
  });
}

i8gemm_status i8gemm_prepared_run(const i8gemm_prepared_gemm* prepared, int64_t m, const void* a,
                                  int64_t lda, void* c, int64_t ldc) {
  return guarded(__func__, [&] {
    require_pointer(prepared, "prepared");
    if (m < 0) I8GEMM_FAIL("m: %" PRId64 " is negative", m);
    if (lda < prepared->k) {
      I8GEMM_FAIL("lda: %" PRId64 " is smaller than k = %" PRId64, lda, prepared->k);
    }
    if (ldc < prepared->n) {
      I8GEMM_FAIL("ldc: %" PRId64 " is smaller than n = %" PRId64, ldc, prepared->n);
    }
    prepared->run(m, a, lda, c, ldc);
  });
}

void i8gemm_prepared_destroy(i8gemm_prepared_gemm* prepared) {
  delete prepared;
}

i8gemm_status i8gemm_choose_quant_params(float min, float max, int bits, int is_signed,
                                         int symmetric, i8gemm_quant_params* params) {
  return guarded(__func__, [&] {
    require_pointer(params, "params");
    *params = c_params(choose_quant_params(min, max, quant_spec(bits, is_signed, symmetric)));
  });
}

i8gemm_status i8gemm_quantize(const float* x, size_t n, const i8gemm_quant_params* params,
                              i8gemm_type type, void* q) {
  return guarded(__func__, [&] {
    const QuantParams p = quant_params(params);
    if (n > 0) {
      require_pointer(x, "x");
      require_pointer(q, "q");
    }
    with_storage(type, "type", [&](auto* t) { quantize(x, n, p, static_cast<decltype(t)>(q)); });
  });
}

i8gemm_status i8gemm_dequantize(const void* q, size_t n, const i8gemm_quant_params* params,
                                i8gemm_type type, float* x) {
  return guarded(__func__, [&] {
    const QuantParams p = quant_params(params);
    if (n > 0) {
      require_pointer(q, "q");
      require_pointer(x, "x");
    }
    with_storage(type, "type", [&](auto* t) {
      using Q = std::remove_pointer_t<decltype(t)>;
      dequantize(static_cast<const Q*>(q), n, p, x);
    });
  });
}

// Per row / per column quantization and the int32 bias.

i8gemm_status i8gemm_choose_quant_params_range(float min, float max, int32_t qmin, int32_t qmax,
                                               i8gemm_quant_params* params) {
  return guarded(__func__, [&] {
    require_pointer(params, "params");
    *params = c_params(choose_quant_params_range(min, max, qmin, qmax));
  });
}

i8gemm_status i8gemm_choose_quant_params_rows(const float* x, int64_t rows, int64_t cols,
                                              int64_t ldx, int bits, int is_signed, int symmetric,
                                              i8gemm_quant_params* params) {
  return choose_each(__func__, true, x, rows, cols, ldx, bits, is_signed, symmetric, params);
}

i8gemm_status i8gemm_choose_quant_params_columns(const float* x, int64_t rows, int64_t cols,
                                                 int64_t ldx, int bits, int is_signed,
                                                 int symmetric, i8gemm_quant_params* params) {
  return choose_each(__func__, false, x, rows, cols, ldx, bits, is_signed, symmetric, params);
}

i8gemm_status i8gemm_quantize_rows(const float* x, int64_t rows, int64_t cols, int64_t ldx,
                                   const i8gemm_quant_params* params, i8gemm_type type, void* q,
                                   int64_t ldq) {
  return quantize_each(__func__, true, x, rows, cols, ldx, params, type, q, ldq);
}

i8gemm_status i8gemm_quantize_columns(const float* x, int64_t rows, int64_t cols, int64_t ldx,
                                      const i8gemm_quant_params* params, i8gemm_type type, void* q,
                                      int64_t ldq) {
  return quantize_each(__func__, false, x, rows, cols, ldx, params, type, q, ldq);
}

i8gemm_status i8gemm_dequantize_rows(const void* q, int64_t rows, int64_t cols, int64_t ldq,
                                     const i8gemm_quant_params* params, i8gemm_type type, float* x,
                                     int64_t ldx) {
  return dequantize_each(__func__, true, q, rows, cols, ldq, params, type, x, ldx);
}

i8gemm_status i8gemm_dequantize_columns(const void* q, int64_t rows, int64_t cols, int64_t ldq,
                                        const i8gemm_quant_params* params, i8gemm_type type,
                                        float* x, int64_t ldx) {
  return dequantize_each(__func__, false, q, rows, cols, ldq, params, type, x, ldx);
}

i8gemm_status i8gemm_quantization_mse(const float* x, size_t n, const i8gemm_quant_params* params,
                                      double* mse) {
  return guarded(__func__, [&] {
    require_pointer(mse, "mse");
    *mse = quantization_mse(x, n, quant_params(params));
  });
}

i8gemm_status i8gemm_quantization_mse_rows(const float* x, int64_t rows, int64_t cols, int64_t ldx,
                                           const i8gemm_quant_params* params, double* mse) {
  return guarded(__func__, [&] {
    require_pointer(mse, "mse");
    *mse = quantization_mse_rows(x, rows, cols, ldx, params_array(params, rows, cols, true));
  });
}

i8gemm_status i8gemm_quantization_mse_columns(const float* x, int64_t rows, int64_t cols,
                                              int64_t ldx, const i8gemm_quant_params* params,
                                              double* mse) {
  return guarded(__func__, [&] {
    require_pointer(mse, "mse");
    *mse = quantization_mse_columns(x, rows, cols, ldx, params_array(params, rows, cols, false));
  });
}

i8gemm_status i8gemm_quantize_bias(const float* bias, int64_t n, float input_scale,
                                   const float* weight_scales, float weight_scale,
                                   int32_t* bias_q) {
  return guarded(__func__, [&] {
    if (weight_scales != nullptr) {
      quantize_bias(bias, n, input_scale, weight_scales, bias_q);
    } else {
      quantize_bias(bias, n, input_scale, weight_scale, bias_q);
    }
  });
}

i8gemm_status i8gemm_quantized_weights_create(i8gemm_context* ctx, int64_t k, int64_t n,
                                              const float* w, int64_t ldw, i8gemm_b_layout layout,
                                              i8gemm_quantized_weights** weights) {
  if (weights != nullptr) *weights = nullptr;
  return guarded(__func__, [&] {
    require_pointer(ctx, "ctx");
    require_pointer(weights, "weights");
    if (layout != I8GEMM_B_KN && layout != I8GEMM_B_NK) {
      I8GEMM_FAIL("layout: %d is not I8GEMM_B_KN or I8GEMM_B_NK", static_cast<int>(layout));
    }
    if (k < 0 || n < 0)
      I8GEMM_FAIL("k, n: %lld, %lld", static_cast<long long>(k), static_cast<long long>(n));
    if (k > 0 && n > 0) require_pointer(w, "w");
    const bool nk = layout == I8GEMM_B_NK;
    QuantizedWeights q(ctx->ctx, MatrixView<const float>(w, nk ? n : k, nk ? k : n, ldw),
                       nk ? BLayout::nk : BLayout::kn);
    std::vector<float> scales = q.scales();
    *weights = new i8gemm_quantized_weights{std::move(scales), {std::move(q).packed()}};
  });
}

void i8gemm_quantized_weights_destroy(i8gemm_quantized_weights* weights) {
  delete weights;
}

const i8gemm_packed_b* i8gemm_quantized_weights_packed(const i8gemm_quantized_weights* weights) {
  return weights != nullptr ? &weights->packed : nullptr;
}

const float* i8gemm_quantized_weights_scales(const i8gemm_quantized_weights* weights) {
  return weights != nullptr ? weights->scales.data() : nullptr;
}

i8gemm_dynamic_options i8gemm_dynamic_options_defaults(void) {
  return i8gemm_dynamic_options{I8GEMM_PER_ROW, I8GEMM_INT8, nullptr,
                                -HUGE_VALF,     HUGE_VALF,   nullptr};
}

i8gemm_status i8gemm_gemm_dynamic(i8gemm_context* ctx, int64_t m, int64_t n, int64_t k,
                                  const float* a, int64_t lda, const i8gemm_packed_b* b,
                                  const float* b_scales, const i8gemm_dynamic_options* options,
                                  float* c, int64_t ldc) {
  return guarded(__func__, [&] {
    require_pointer(ctx, "ctx");
    require_pointer(b, "b");
    const i8gemm_dynamic_options o = options ? *options : i8gemm_dynamic_options_defaults();
    if (o.granularity != I8GEMM_PER_ROW && o.granularity != I8GEMM_PER_TENSOR) {
      I8GEMM_FAIL("options.granularity: %d is not I8GEMM_PER_ROW or I8GEMM_PER_TENSOR",
                  static_cast<int>(o.granularity));
    }
    check_type(o.activation_type, "options.activation_type");
    if (b->packed.k() != k || b->packed.n() != n) {
      I8GEMM_FAIL("k, n: %lld, %lld do not match b's %lld x %lld", static_cast<long long>(k),
                  static_cast<long long>(n), static_cast<long long>(b->packed.k()),
                  static_cast<long long>(b->packed.n()));
    }
    DynamicOptions d;
    d.granularity =
        o.granularity == I8GEMM_PER_ROW ? ActivationQuant::per_row : ActivationQuant::per_tensor;
    d.unsigned_activations = o.activation_type == I8GEMM_UINT8;
    d.bias = o.bias;
    d.min = o.min;
    d.max = o.max;
    d.activation_params = reinterpret_cast<QuantParams*>(o.activation_params);
    gemm_dynamic(ctx->ctx, MatrixView<const float>(a, m, k, lda), b->packed, b_scales,
                 MatrixView<float>(c, m, n, ldc), d);
  });
}

}  // extern "C"
