// The public quantization API: validate, then run the quantization kernels of the default path
// (or of a given path, for the tests).
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "framework/fp_env.hpp"
#include "framework/path_config.hpp"
#include "i8gemm/quantize.hpp"
#include "quantize/quantize_dispatch.hpp"
#include "reference/quantize_reference.hpp"

namespace i8gemm {
namespace detail {
namespace {

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

std::string str(float v) {
  std::ostringstream out;
  out.precision(std::numeric_limits<float>::max_digits10);
  out << v;
  return out.str();
}

std::string str(std::int32_t v) {
  return std::to_string(v);
}
std::string str(std::int64_t v) {
  return std::to_string(v);
}

[[noreturn]] void fail(const std::string& message) {
  throw Error(message);
}

template <typename Q>
const char* storage_name() {
  if constexpr (std::is_same_v<Q, std::int8_t>) return "int8_t";
  if constexpr (std::is_same_v<Q, std::uint8_t>) return "uint8_t";
  if constexpr (std::is_same_v<Q, std::int16_t>) return "int16_t";
  if constexpr (std::is_same_v<Q, std::uint16_t>) return "uint16_t";
  return "int32_t";
}

// `name()` is how the caller spelled the argument, e.g. "params" or "params[3]": it and the
// storage's range are spelled out only for a message, since quantize and friends check their
// parameters on every call (before, building them took a third of a 1,024-float quantize).
template <typename Q, typename Name>
void check_params(const QuantParams& p, Name&& name) {
  if (!(std::isfinite(p.scale) && p.scale > 0.0f)) {
    fail(name() + ".scale = " + str(p.scale) + " must be finite and > 0");
  }
  if (!std::isfinite(1.0f / p.scale)) {
    fail(name() + ".scale = " + str(p.scale) + " is too small: 1 / scale overflows float");
  }
  if (p.qmin > p.qmax) {
    fail(name() + ".qmin = " + str(p.qmin) + " is greater than " + name() +
         ".qmax = " + str(p.qmax));
  }
  constexpr std::int64_t kLow = std::numeric_limits<Q>::min();
  constexpr std::int64_t kHigh = std::numeric_limits<Q>::max();
  const auto range = [] {
    return std::string(storage_name<Q>()) + " [" + str(kLow) + ", " + str(kHigh) + "]";
  };
  if (p.qmin < kLow) {
    fail(name() + ".qmin = " + str(p.qmin) + " does not fit the storage " + range());
  }
  if (p.qmax > kHigh) {
    fail(name() + ".qmax = " + str(p.qmax) + " does not fit the storage " + range());
  }
  if (p.zero_point < p.qmin || p.zero_point > p.qmax) {
    fail(name() + ".zero_point = " + str(p.zero_point) + " is outside [qmin, qmax] = [" +
         str(p.qmin) + ", " + str(p.qmax) + "]");
  }
}

template <typename Q>
void check_params(const QuantParams& p) {
  check_params<Q>(p, [] { return std::string("params"); });
}

template <typename Q>
void check_param_array(const QuantParams* params, std::int64_t count) {
  if (params == nullptr) fail("params is null (" + str(count) + " entries expected)");
  for (std::int64_t i = 0; i < count; ++i) {
    check_params<Q>(params[i], [i] { return "params[" + str(i) + "]"; });
  }
}

void check_pointer(const void* data, const char* name, std::size_t n) {
  if (data == nullptr && n > 0)
    fail(std::string(name) + " is null (n = " + str(std::int64_t(n)) + ")");
}

// Checks the shape; returns false when the matrix is empty (nothing else to check or do).
bool check_shape(std::int64_t rows, std::int64_t cols) {
  if (rows < 0) fail("rows = " + str(rows) + " must be >= 0");
  if (cols < 0) fail("cols = " + str(cols) + " must be >= 0");
  return rows > 0 && cols > 0;
}

void check_matrix(const void* data, const char* name, std::int64_t cols, std::int64_t ld,
                  const char* ld_name) {
  if (data == nullptr) fail(std::string(name) + " is null");
  if (ld < cols) fail(std::string(ld_name) + " = " + str(ld) + " must be >= cols = " + str(cols));
}

void check_range(float min, float max) {
  if (!std::isfinite(min)) fail("min = " + str(min) + " is not finite");
  if (!std::isfinite(max)) fail("max = " + str(max) + " is not finite");
  if (min > max) fail("min = " + str(min) + " is greater than max = " + str(max));
}

QuantParams check_chosen(const QuantParams& p, float min, float max) {
  if (!std::isfinite(p.scale)) {
    fail("min = " + str(min) + ", max = " + str(max) + ": max - min overflows float");
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Kernel sets
// ---------------------------------------------------------------------------------------------

// The path's table; throws Error naming the path if it cannot run here.
const QuantKernelTable& table_for(Isa path) {
  require_available(path, "path");
  return *find_path_config(path)->quant;
}

// The table of the path GEMM calls use by default (I8GEMM_ISA honoured). default_isa() returns
// only a path that runs here (it checks I8GEMM_ISA's), so this is not asked again: the question
// builds strings, on every call of quantize and friends.
const QuantKernelTable& default_table() {
  return *find_path_config(default_isa())->quant;
}

template <typename Q>
const QuantKernels<Q>& kernels_of(const QuantKernelTable& t) {
  if constexpr (std::is_same_v<Q, std::int8_t>) return t.s8;
  if constexpr (std::is_same_v<Q, std::uint8_t>) return t.u8;
  if constexpr (std::is_same_v<Q, std::int16_t>) return t.s16;
  if constexpr (std::is_same_v<Q, std::uint16_t>) return t.u16;
  if constexpr (std::is_same_v<Q, std::int32_t>) return t.s32;
}

// ---------------------------------------------------------------------------------------------
// Implementations over a table
// ---------------------------------------------------------------------------------------------

// Per-column parameters as the arrays the column kernels read.
class ColumnArrays {
 public:
  ColumnArrays(const QuantParams* params, std::int64_t cols) {
    for (std::int64_t j = 0; j < cols; ++j) {
      scale_.push_back(params[j].scale);
      inv_scale_.push_back(1.0f / params[j].scale);
      zero_point_.push_back(params[j].zero_point);
      qmin_.push_back(params[j].qmin);
      qmax_.push_back(params[j].qmax);
    }
  }
  // The parameters of columns first, first + 1, ...
  QuantColumnParams from(std::size_t first) const {
    return QuantColumnParams{scale_.data() + first, inv_scale_.data() + first,
                             zero_point_.data() + first, qmin_.data() + first,
                             qmax_.data() + first};
  }

 private:
  std::vector<float> scale_, inv_scale_;
  std::vector<std::int32_t> zero_point_, qmin_, qmax_;
};

template <typename Q>
void quantize_with(const QuantKernelTable& t, const float* x, std::size_t n, const QuantParams& p,
                   Q* q) {
  const FpEnvGuard default_fp_environment;
  check_pointer(x, "x", n);
  check_pointer(q, "q", n);
  check_params<Q>(p);
  if (n > 0) kernels_of<Q>(t).quantize(x, n, p, q);
}

template <typename Q>
void dequantize_with(const QuantKernelTable& t, const Q* q, std::size_t n, const QuantParams& p,
                     float* x) {
  const FpEnvGuard default_fp_environment;
  check_pointer(q, "q", n);
  check_pointer(x, "x", n);
  check_params<Q>(p);
  if (n > 0) kernels_of<Q>(t).dequantize(q, n, p, x);
}

template <typename Q>
void quantize_rows_with(const QuantKernelTable& t, const float* x, std::int64_t rows,
                        std::int64_t cols, std::int64_t ld_x, const QuantParams* params, Q* q,
                        std::int64_t ld_q) {
  const FpEnvGuard default_fp_environment;
  if (!check_shape(rows, cols)) return;
  check_matrix(x, "x", cols, ld_x, "ld_x");
  check_matrix(q, "q", cols, ld_q, "ld_q");
  check_param_array<Q>(params, rows);
  const auto quantize = kernels_of<Q>(t).quantize;
  for (std::int64_t i = 0; i < rows; ++i) {
    quantize(x + i * ld_x, static_cast<std::size_t>(cols), params[i], q + i * ld_q);
  }
}

template <typename Q>
void quantize_columns_with(const QuantKernelTable& t, const float* x, std::int64_t rows,
                           std::int64_t cols, std::int64_t ld_x, const QuantParams* params, Q* q,
                           std::int64_t ld_q) {
  const FpEnvGuard default_fp_environment;
  if (!check_shape(rows, cols)) return;
  check_matrix(x, "x", cols, ld_x, "ld_x");
  check_matrix(q, "q", cols, ld_q, "ld_q");
  check_param_array<Q>(params, cols);
  const ColumnArrays arrays(params, cols);
  const QuantColumnParams columns = arrays.from(0);
  const auto quantize = kernels_of<Q>(t).quantize_columns;
  for (std::int64_t i = 0; i < rows; ++i) {
    quantize(x + i * ld_x, static_cast<std::size_t>(cols), columns, q + i * ld_q);
  }
}

template <typename Q>
void dequantize_rows_with(const QuantKernelTable& t, const Q* q, std::int64_t rows,
                          std::int64_t cols, std::int64_t ld_q, const QuantParams* params, float* x,
                          std::int64_t ld_x) {
  const FpEnvGuard default_fp_environment;
  if (!check_shape(rows, cols)) return;
  check_matrix(q, "q", cols, ld_q, "ld_q");
  check_matrix(x, "x", cols, ld_x, "ld_x");
  check_param_array<Q>(params, rows);
  const auto dequantize = kernels_of<Q>(t).dequantize;
  for (std::int64_t i = 0; i < rows; ++i) {
    dequantize(q + i * ld_q, static_cast<std::size_t>(cols), params[i], x + i * ld_x);
  }
}

template <typename Q>
void dequantize_columns_with(const QuantKernelTable& t, const Q* q, std::int64_t rows,
                             std::int64_t cols, std::int64_t ld_q, const QuantParams* params,
                             float* x, std::int64_t ld_x) {
  const FpEnvGuard default_fp_environment;
  if (!check_shape(rows, cols)) return;
  check_matrix(q, "q", cols, ld_q, "ld_q");
  check_matrix(x, "x", cols, ld_x, "ld_x");
  check_param_array<Q>(params, cols);
  const ColumnArrays arrays(params, cols);
  const QuantColumnParams columns = arrays.from(0);
  const auto dequantize = kernels_of<Q>(t).dequantize_columns;
  for (std::int64_t i = 0; i < rows; ++i) {
    dequantize(q + i * ld_q, static_cast<std::size_t>(cols), columns, x + i * ld_x);
  }
}

// Adds the squared errors of the round trip through int32, in chunks, to `sum`. They are added
// in index order into one sum, as the reference does, so the result is the reference's bits.
constexpr std::size_t kMseChunk = 256;

template <typename Quantize, typename Dequantize>
void add_roundtrip_squared_error(const float* x, std::size_t n, Quantize quantize,
                                 Dequantize dequantize, double& sum) {
  std::array<std::int32_t, kMseChunk> q;
  std::array<float, kMseChunk> r;
  for (std::size_t i = 0; i < n; i += kMseChunk) {
    const std::size_t m = std::min(kMseChunk, n - i);
    quantize(i, m, q.data());
    dequantize(i, m, q.data(), r.data());
    for (std::size_t k = 0; k < m; ++k) {
      const double e = static_cast<double>(r[k]) - static_cast<double>(x[i + k]);
      sum += e * e;
    }
  }
}

double mse_with(const QuantKernelTable& t, const float* x, std::size_t n, const QuantParams& p) {
  const FpEnvGuard default_fp_environment;
  check_pointer(x, "x", n);
  check_params<std::int32_t>(p);
  if (n == 0) return 0.0;
  double sum = 0.0;
  add_roundtrip_squared_error(
      x, n, [&](std::size_t i, std::size_t m, std::int32_t* q) { t.s32.quantize(x + i, m, p, q); },
      [&](std::size_t, std::size_t m, const std::int32_t* q, float* r) {
        t.s32.dequantize(q, m, p, r);
      },
      sum);
  return sum / static_cast<double>(n);
}

double mse_rows_with(const QuantKernelTable& t, const float* x, std::int64_t rows,
                     std::int64_t cols, std::int64_t ld_x, const QuantParams* params) {
  const FpEnvGuard default_fp_environment;
  if (!check_shape(rows, cols)) return 0.0;
  check_matrix(x, "x", cols, ld_x, "ld_x");
  check_param_array<std::int32_t>(params, rows);
  double sum = 0.0;
  for (std::int64_t i = 0; i < rows; ++i) {
    const float* row = x + i * ld_x;
    const QuantParams& p = params[i];
    add_roundtrip_squared_error(
        row, static_cast<std::size_t>(cols),
        [&](std::size_t j, std::size_t m, std::int32_t* q) { t.s32.quantize(row + j, m, p, q); },
        [&](std::size_t, std::size_t m, const std::int32_t* q, float* r) {
          t.s32.dequantize(q, m, p, r);
        },
        sum);
  }
  return sum / (static_cast<double>(rows) * static_cast<double>(cols));
}

double mse_columns_with(const QuantKernelTable& t, const float* x, std::int64_t rows,
                        std::int64_t cols, std::int64_t ld_x, const QuantParams* params) {
  const FpEnvGuard default_fp_environment;
  if (!check_shape(rows, cols)) return 0.0;
  check_matrix(x, "x", cols, ld_x, "ld_x");
  check_param_array<std::int32_t>(params, cols);
  const ColumnArrays arrays(params, cols);
  double sum = 0.0;
  for (std::int64_t i = 0; i < rows; ++i) {
    const float* row = x + i * ld_x;
    add_roundtrip_squared_error(
        row, static_cast<std::size_t>(cols),
        [&](std::size_t j, std::size_t m, std::int32_t* q) {
          t.s32.quantize_columns(row + j, m, arrays.from(j), q);
        },
        [&](std::size_t j, std::size_t m, const std::int32_t* q, float* r) {
          t.s32.dequantize_columns(q, m, arrays.from(j), r);
        },
        sum);
  }
  return sum / (static_cast<double>(rows) * static_cast<double>(cols));
}

// The [qmin, qmax] of a spec: 2..32 bits signed, 2..31 unsigned (qmax is an int32).
std::pair<std::int32_t, std::int32_t> spec_range(const QuantSpec& spec) {
  if (spec.bits < 2 || spec.bits > 32) fail("spec.bits = " + str(spec.bits) + " is outside 2..32");
  if (!spec.is_signed && spec.bits > 31) {
    fail("spec.bits = " + str(spec.bits) +
         " with spec.is_signed = false: [0, 2^32 - 1] does not fit QuantParams' int32 qmax "
         "(unsigned goes up to 31 bits; 32 bits are signed)");
  }
  if (spec.symmetric && !spec.is_signed) {
    fail("spec.symmetric = true requires spec.is_signed = true");
  }
  if (spec.symmetric_range != SymmetricRange::restricted &&
      spec.symmetric_range != SymmetricRange::full) {
    fail("spec.symmetric_range = " + str(static_cast<std::int32_t>(spec.symmetric_range)) +
         " is not SymmetricRange::restricted or SymmetricRange::full");
  }
  const std::int64_t half = std::int64_t{1} << (spec.bits - 1);
  const bool restricted = spec.symmetric && spec.symmetric_range == SymmetricRange::restricted;
  if (restricted)
    return {static_cast<std::int32_t>(-(half - 1)), static_cast<std::int32_t>(half - 1)};
  if (spec.is_signed)
    return {static_cast<std::int32_t>(-half), static_cast<std::int32_t>(half - 1)};
  return {0, static_cast<std::int32_t>(2 * half - 1)};
}

QuantParams choose_checked(float min, float max, const QuantSpec& spec) {
  const FpEnvGuard default_fp_environment;
  const auto [qmin, qmax] = spec_range(spec);
  check_range(min, max);
  if (!spec.symmetric) {
    return check_chosen(reference::choose_quant_params(min, max, qmin, qmax), min, max);
  }
  if (spec.symmetric_range == SymmetricRange::full) {
    return check_chosen(reference::choose_quant_params_symmetric_full(min, max, qmin, qmax), min,
                        max);
  }
  return check_chosen(reference::choose_quant_params_symmetric(min, max, qmax), min, max);
}

[[noreturn]] void not_finite(const float* x, std::int64_t at, std::int64_t ld_x) {
  fail("x[" + str(at / ld_x) + ", " + str(at % ld_x) + "] = " + str(x[at]) + " is not finite");
}

// min and max of x[first + k * stride], k < count (0 and 0 for none); every value must be finite.
std::pair<float, float> finite_min_max(const float* x, std::int64_t first, std::int64_t count,
                                       std::int64_t stride, std::int64_t ld_x) {
  float lo = 0.0f;
  float hi = 0.0f;
  for (std::int64_t k = 0; k < count; ++k) {
    const std::int64_t at = first + k * stride;
    const float v = x[at];
    if (!std::isfinite(v)) not_finite(x, at, ld_x);
    lo = k == 0 ? v : std::min(lo, v);
    hi = k == 0 ? v : std::max(hi, v);
  }
  return {lo, hi};
}

// The same for row i, contiguous, on a path's min/max kernel (the one the dynamically quantized
// GEMM ranges its rows with; min and max are exact, so the pair is the same up to the sign of a
// zero, which no parameter formula sees): the loop above, with a branch per value, does not
// vectorize, and took 6.6 us for a row of 4,096 floats.
std::pair<float, float> finite_min_max_of_row(const QuantKernelTable& t, const float* x,
                                              std::int64_t i, std::int64_t cols,
                                              std::int64_t ld_x) {
  float lo = 0.0f;
  float hi = 0.0f;
  if (cols == 0) return {lo, hi};
  const auto n = static_cast<std::size_t>(cols);
  const std::size_t bad = t.min_max(x + i * ld_x, n, &lo, &hi);
  if (bad != n) not_finite(x, i * ld_x + static_cast<std::int64_t>(bad), ld_x);
  return {lo, hi};
}

// Every column's min and max in one pass over the rows, in x's own order, where a scan per column
// reads a cache line per value (4096 x 4096: 165 ms): branch-free, so that the loop vectorizes.
// A NaN or infinity sets the flag, and the column scan then names the first, as it did alone.
void column_ranges(const float* x, std::int64_t rows, std::int64_t cols, std::int64_t ld_x,
                   std::vector<float>& lo, std::vector<float>& hi) {
  lo.assign(x, x + cols);  // rows >= 1: the caller answers a matrix of no rows itself
  hi.assign(x, x + cols);
  float* l = lo.data();
  float* h = hi.data();
  int bad = 0;
  for (std::int64_t i = 0; i < rows; ++i) {
    const float* row = x + i * ld_x;
    for (std::int64_t j = 0; j < cols; ++j) {
      const float v = row[j];
      bad |= static_cast<int>(!(std::fabs(v) <= std::numeric_limits<float>::max()));
      l[j] = v < l[j] ? v : l[j];
      h[j] = v > h[j] ? v : h[j];
    }
  }
  if (bad != 0) {
    for (std::int64_t j = 0; j < cols; ++j) finite_min_max(x, j, rows, ld_x, ld_x);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// detail: entry points on a given path
// ---------------------------------------------------------------------------------------------

template <typename Q>
void quantize(Isa path, const float* x, std::size_t n, const QuantParams& p, Q* q) {
  quantize_with(table_for(path), x, n, p, q);
}
template <typename Q>
void dequantize(Isa path, const Q* q, std::size_t n, const QuantParams& p, float* x) {
  dequantize_with(table_for(path), q, n, p, x);
}
template <typename Q>
void quantize_rows(Isa path, const float* x, std::int64_t rows, std::int64_t cols,
                   std::int64_t ld_x, const QuantParams* params, Q* q, std::int64_t ld_q) {
  quantize_rows_with(table_for(path), x, rows, cols, ld_x, params, q, ld_q);
}
template <typename Q>
void quantize_columns(Isa path, const float* x, std::int64_t rows, std::int64_t cols,
                      std::int64_t ld_x, const QuantParams* params, Q* q, std::int64_t ld_q) {
  quantize_columns_with(table_for(path), x, rows, cols, ld_x, params, q, ld_q);
}
template <typename Q>
void dequantize_rows(Isa path, const Q* q, std::int64_t rows, std::int64_t cols, std::int64_t ld_q,
                     const QuantParams* params, float* x, std::int64_t ld_x) {
  dequantize_rows_with(table_for(path), q, rows, cols, ld_q, params, x, ld_x);
}
template <typename Q>
void dequantize_columns(Isa path, const Q* q, std::int64_t rows, std::int64_t cols,
                        std::int64_t ld_q, const QuantParams* params, float* x, std::int64_t ld_x) {
  dequantize_columns_with(table_for(path), q, rows, cols, ld_q, params, x, ld_x);
}
std::vector<QuantParams> choose_and_quantize_rows_s8(const float* x, std::int64_t rows,
                                                     std::int64_t cols, std::int64_t ld_x,
                                                     QuantSpec spec, std::int8_t* q,
                                                     std::int64_t ld_q) {
  const FpEnvGuard default_fp_environment;
  const auto [qmin, qmax] = spec_range(spec);
  if (qmin < -128 || qmax > 127) throw Error("spec: its range does not fit int8_t");
  if (check_shape(rows, cols)) {
    check_matrix(x, "x", cols, ld_x, "ld_x");
    check_matrix(q, "q", cols, ld_q, "ld_q");
  }
  const QuantKernelTable& table = default_table();
  std::vector<QuantParams> params;
  params.reserve(static_cast<std::size_t>(std::max<std::int64_t>(rows, 0)));
  for (std::int64_t i = 0; i < rows; ++i) {
    const auto [lo, hi] = finite_min_max_of_row(table, x, i, cols, ld_x);
    params.push_back(choose_checked(lo, hi, spec));
    if (cols > 0) {
      table.s8.quantize(x + i * ld_x, static_cast<std::size_t>(cols), params.back(), q + i * ld_q);
    }
  }
  return params;
}

double quantization_mse(Isa path, const float* x, std::size_t n, const QuantParams& p) {
  return mse_with(table_for(path), x, n, p);
}
double quantization_mse_rows(Isa path, const float* x, std::int64_t rows, std::int64_t cols,
                             std::int64_t ld_x, const QuantParams* params) {
  return mse_rows_with(table_for(path), x, rows, cols, ld_x, params);
}
double quantization_mse_columns(Isa path, const float* x, std::int64_t rows, std::int64_t cols,
                                std::int64_t ld_x, const QuantParams* params) {
  return mse_columns_with(table_for(path), x, rows, cols, ld_x, params);
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

QuantParams choose_quant_params(float min, float max, QuantSpec spec) {
  return detail::choose_checked(min, max, spec);
}

QuantParams choose_quant_params_range(float min, float max, std::int32_t qmin, std::int32_t qmax) {
  const detail::FpEnvGuard default_fp_environment;
  if (qmin >= qmax) {
    detail::fail("qmin = " + detail::str(qmin) + " must be less than qmax = " + detail::str(qmax));
  }
  detail::check_range(min, max);
  return detail::check_chosen(reference::choose_quant_params(min, max, qmin, qmax), min, max);
}

std::vector<QuantParams> choose_quant_params_rows(const float* x, std::int64_t rows,
                                                  std::int64_t cols, std::int64_t ld_x,
                                                  QuantSpec spec) {
  const detail::FpEnvGuard default_fp_environment;
  detail::spec_range(spec);
  std::vector<QuantParams> params;
  if (detail::check_shape(rows, cols)) detail::check_matrix(x, "x", cols, ld_x, "ld_x");
  const detail::QuantKernelTable& table = detail::default_table();
  for (std::int64_t i = 0; i < rows; ++i) {
    const auto [lo, hi] = detail::finite_min_max_of_row(table, x, i, cols, ld_x);
    params.push_back(detail::choose_checked(lo, hi, spec));
  }
  return params;
}

std::vector<QuantParams> choose_quant_params_columns(const float* x, std::int64_t rows,
                                                     std::int64_t cols, std::int64_t ld_x,
                                                     QuantSpec spec) {
  const detail::FpEnvGuard default_fp_environment;
  detail::spec_range(spec);
  std::vector<QuantParams> params;
  if (!detail::check_shape(rows, cols)) {
    // (Columns of no rows: each one's range is [0, 0].)
    params.assign(static_cast<std::size_t>(std::max<std::int64_t>(cols, 0)),
                  detail::choose_checked(0.0f, 0.0f, spec));
    return params;
  }
  detail::check_matrix(x, "x", cols, ld_x, "ld_x");
  std::vector<float> lo, hi;
  detail::column_ranges(x, rows, cols, ld_x, lo, hi);
  for (std::int64_t j = 0; j < cols; ++j)
    params.push_back(detail::choose_checked(lo[j], hi[j], spec));
  return params;
}

template <typename Q>
void quantize(const float* x, std::size_t n, const QuantParams& p, Q* q) {
  detail::quantize_with(detail::default_table(), x, n, p, q);
}
template <typename Q>
void dequantize(const Q* q, std::size_t n, const QuantParams& p, float* x) {
  detail::dequantize_with(detail::default_table(), q, n, p, x);
}
template <typename Q>
void quantize_rows(const float* x, std::int64_t rows, std::int64_t cols, std::int64_t ld_x,
                   const QuantParams* params, Q* q, std::int64_t ld_q) {
  detail::quantize_rows_with(detail::default_table(), x, rows, cols, ld_x, params, q, ld_q);
}
template <typename Q>
void quantize_columns(const float* x, std::int64_t rows, std::int64_t cols, std::int64_t ld_x,
                      const QuantParams* params, Q* q, std::int64_t ld_q) {
  detail::quantize_columns_with(detail::default_table(), x, rows, cols, ld_x, params, q, ld_q);
}
template <typename Q>
void dequantize_rows(const Q* q, std::int64_t rows, std::int64_t cols, std::int64_t ld_q,
                     const QuantParams* params, float* x, std::int64_t ld_x) {
  detail::dequantize_rows_with(detail::default_table(), q, rows, cols, ld_q, params, x, ld_x);
}
template <typename Q>
void dequantize_columns(const Q* q, std::int64_t rows, std::int64_t cols, std::int64_t ld_q,
                        const QuantParams* params, float* x, std::int64_t ld_x) {
  detail::dequantize_columns_with(detail::default_table(), q, rows, cols, ld_q, params, x, ld_x);
}

double quantization_mse(const float* x, std::size_t n, const QuantParams& p) {
  return detail::mse_with(detail::default_table(), x, n, p);
}
double quantization_mse_rows(const float* x, std::int64_t rows, std::int64_t cols,
                             std::int64_t ld_x, const QuantParams* params) {
  return detail::mse_rows_with(detail::default_table(), x, rows, cols, ld_x, params);
}
double quantization_mse_columns(const float* x, std::int64_t rows, std::int64_t cols,
                                std::int64_t ld_x, const QuantParams* params) {
  return detail::mse_columns_with(detail::default_table(), x, rows, cols, ld_x, params);
}

#define I8GEMM_QUANTIZE_INSTANTIATE(Q)                                                           \
  template void quantize<Q>(const float*, std::size_t, const QuantParams&, Q*);                  \
  template void dequantize<Q>(const Q*, std::size_t, const QuantParams&, float*);                \
  template void quantize_rows<Q>(const float*, std::int64_t, std::int64_t, std::int64_t,         \
                                 const QuantParams*, Q*, std::int64_t);                          \
  template void quantize_columns<Q>(const float*, std::int64_t, std::int64_t, std::int64_t,      \
                                    const QuantParams*, Q*, std::int64_t);                       \
  template void dequantize_rows<Q>(const Q*, std::int64_t, std::int64_t, std::int64_t,           \
                                   const QuantParams*, float*, std::int64_t);                    \
  template void dequantize_columns<Q>(const Q*, std::int64_t, std::int64_t, std::int64_t,        \
                                      const QuantParams*, float*, std::int64_t);                 \
  namespace detail {                                                                             \
  template void quantize<Q>(Isa, const float*, std::size_t, const QuantParams&, Q*);             \
  template void dequantize<Q>(Isa, const Q*, std::size_t, const QuantParams&, float*);           \
  template void quantize_rows<Q>(Isa, const float*, std::int64_t, std::int64_t, std::int64_t,    \
                                 const QuantParams*, Q*, std::int64_t);                          \
  template void quantize_columns<Q>(Isa, const float*, std::int64_t, std::int64_t, std::int64_t, \
                                    const QuantParams*, Q*, std::int64_t);                       \
  template void dequantize_rows<Q>(Isa, const Q*, std::int64_t, std::int64_t, std::int64_t,      \
                                   const QuantParams*, float*, std::int64_t);                    \
  template void dequantize_columns<Q>(Isa, const Q*, std::int64_t, std::int64_t, std::int64_t,   \
                                      const QuantParams*, float*, std::int64_t);                 \
  }
I8GEMM_QUANTIZE_INSTANTIATE(std::int8_t)
I8GEMM_QUANTIZE_INSTANTIATE(std::uint8_t)
I8GEMM_QUANTIZE_INSTANTIATE(std::int16_t)
I8GEMM_QUANTIZE_INSTANTIATE(std::uint16_t)
I8GEMM_QUANTIZE_INSTANTIATE(std::int32_t)
#undef I8GEMM_QUANTIZE_INSTANTIATE

}  // namespace i8gemm
