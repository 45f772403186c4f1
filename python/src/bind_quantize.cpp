// The quantization half of the Python module: QuantParams and quantize.hpp on numpy arrays.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "i8gemm/quantize.hpp"
#include "numpy_args.hpp"

namespace i8gemm::python {
namespace {

using namespace pybind11::literals;

// Runs f, and renames the C++ arguments of its Error messages to the Python ones.
template <typename F>
auto python_named(F&& f) {
  try {
    return f();
  } catch (const Error& e) {
    std::string message = e.what();
    const std::pair<const char*, const char*> renames[] = {
        {"spec.is_signed", "signed"}, {"spec.", ""}, {"weight_scales", "weight_scale"}};
    for (const auto& [from, to] : renames) {
      for (std::size_t at = message.find(from); at != std::string::npos;
           at = message.find(from, at + std::string(to).size())) {
        message.replace(at, std::string(from).size(), to);
      }
    }
    throw Error(message);
  }
}

QuantSpec spec_of(int bits, bool is_signed, bool symmetric, const std::string& range) {
  QuantSpec spec{bits, is_signed, symmetric, SymmetricRange::restricted};
  if (range == "full") {
    spec.symmetric_range = SymmetricRange::full;
  } else if (range != "restricted") {
    argument_error("symmetric_range", "'" + range + "' is not 'restricted' or 'full'");
  }
  return spec;
}

// The storage types, by numpy name.
template <typename F>
void with_storage(const std::string& dtype, F&& f) {
  if (dtype == "int8") return f(std::int8_t{});
  if (dtype == "uint8") return f(std::uint8_t{});
  if (dtype == "int16") return f(std::int16_t{});
  if (dtype == "uint16") return f(std::uint16_t{});
  if (dtype == "int32") return f(std::int32_t{});
  argument_error("dtype", dtype + " is not a storage type (int8, uint8, int16, uint16, int32)");
}

// The smallest storage type that holds every [qmin, qmax].
std::string fitting_storage(const std::vector<QuantParams>& params) {
  std::int64_t lo = 0, hi = 0;
  for (const QuantParams& p : params) {
    lo = std::min<std::int64_t>(lo, p.qmin);
    hi = std::max<std::int64_t>(hi, p.qmax);
  }
  auto fits = [&](auto t) {
    using T = decltype(t);
    return lo >= std::numeric_limits<T>::min() && hi <= std::numeric_limits<T>::max();
  };
  if (fits(std::int8_t{})) return "int8";
  if (fits(std::uint8_t{})) return "uint8";
  if (fits(std::int16_t{})) return "int16";
  if (fits(std::uint16_t{})) return "uint16";
  return "int32";
}

std::string storage_of(py::handle dtype, const std::vector<QuantParams>& params) {
  if (dtype.is_none()) return fitting_storage(params);
  return py::str(numpy().attr("dtype")(dtype).attr("name"));
}

// The integer matrix `q` of a storage type, as an array (in place where the layout allows).
py::array storage_matrix(py::handle obj, std::string& dtype) {
  py::array a = numpy().attr("asarray")(obj);
  dtype = dtype_name(a);
  with_storage(dtype, [](auto) {});
  return a;
}

std::vector<QuantParams> param_list(const std::vector<QuantParams>& params, std::int64_t count,
                                    const char* what) {
  if (static_cast<std::int64_t>(params.size()) != count) {
    argument_error("params", std::to_string(params.size()) + " entries, expected " + what + " = " +
                                 std::to_string(count));
  }
  return params;
}

py::array quantize_tensor(py::handle x_obj, const QuantParams& p, py::handle dtype) {
  const py::array x = float32_array(x_obj, "x");
  py::array q;
  with_storage(storage_of(dtype, {p}), [&](auto t) {
    using Q = decltype(t);
    q = py::array_t<Q>(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
    const auto* in = static_cast<const float*>(x.data());
    auto* out = static_cast<Q*>(q.mutable_data());
    const auto n = static_cast<std::size_t>(x.size());
    python_named([&] {
      const py::gil_scoped_release release;
      quantize(in, n, p, out);
      return 0;
    });
  });
  return q;
}

py::array dequantize_tensor(py::handle q_obj, const QuantParams& p) {
  std::string dtype;
  const py::array q = numpy().attr("ascontiguousarray")(storage_matrix(q_obj, dtype));
  py::array_t<float> x(std::vector<py::ssize_t>(q.shape(), q.shape() + q.ndim()));
  with_storage(dtype, [&](auto t) {
    using Q = decltype(t);
    const auto* in = static_cast<const Q*>(q.data());
    float* out = x.mutable_data();
    const auto n = static_cast<std::size_t>(q.size());
    python_named([&] {
      const py::gil_scoped_release release;
      dequantize(in, n, p, out);
      return 0;
    });
  });
  return x;
}

// out = rows_fn(in) or columns_fn(in) (by_rows or not), a new matrix of Out, GIL released.
template <typename Out, typename In, typename RowsFn, typename ColumnsFn>
py::array per_line(const Matrix<In>& in, const std::vector<QuantParams>& p, bool by_rows,
                   RowsFn rows_fn, ColumnsFn columns_fn) {
  Matrix<Out> out = new_matrix<Out>(in.rows, in.cols);
  python_named([&] {
    const py::gil_scoped_release release;
    if (by_rows) {
      rows_fn(in.data, in.rows, in.cols, in.ld, p.data(), out.data, out.ld);
    } else {
      columns_fn(in.data, in.rows, in.cols, in.ld, p.data(), out.data, out.ld);
    }
    return 0;
  });
  return out.array;
}

// Per row (by_rows) or per column: q = quantize(x).
py::array quantize_matrix(py::handle x_obj, const std::vector<QuantParams>& params,
                          py::handle dtype, bool by_rows) {
  const Matrix<float> x = float_matrix(x_obj, "x");
  const std::vector<QuantParams> p =
      param_list(params, by_rows ? x.rows : x.cols, by_rows ? "rows of x" : "columns of x");
  py::array q;
  with_storage(storage_of(dtype, p), [&](auto t) {
    q = per_line<decltype(t)>(
        x, p, by_rows, [](auto... args) { quantize_rows(args...); },
        [](auto... args) { quantize_columns(args...); });
  });
  return q;
}

py::array dequantize_matrix(py::handle q_obj, const std::vector<QuantParams>& params,
                            bool by_rows) {
  std::string dtype;
  const py::array q_array = storage_matrix(q_obj, dtype);
  py::array x;
  with_storage(dtype, [&](auto t) {
    const Matrix<decltype(t)> q = input_matrix<decltype(t)>(q_array, "q");
    const std::vector<QuantParams> p =
        param_list(params, by_rows ? q.rows : q.cols, by_rows ? "rows of q" : "columns of q");
    x = per_line<float>(
        q, p, by_rows, [](auto... args) { dequantize_rows(args...); },
        [](auto... args) { dequantize_columns(args...); });
  });
  return x;
}

std::string repr(const QuantParams& p) {
  std::ostringstream s;
  s.precision(9);
  s << "QuantParams(scale=" << p.scale << ", zero_point=" << p.zero_point << ", qmin=" << p.qmin
    << ", qmax=" << p.qmax << ")";
  return s.str();
}

}  // namespace

void bind_quantize(py::module_& m) {
  py::class_<QuantParams>(m, "QuantParams",
                          "r ~= scale * (q - zero_point), q in [qmin, qmax] (docs/math.md 1).")
      .def(py::init([](float scale, std::int32_t zero_point, std::int32_t qmin, std::int32_t qmax) {
             return QuantParams{scale, zero_point, qmin, qmax};
           }),
           "scale"_a, "zero_point"_a, "qmin"_a, "qmax"_a)
      .def_readwrite("scale", &QuantParams::scale)
      .def_readwrite("zero_point", &QuantParams::zero_point)
      .def_readwrite("qmin", &QuantParams::qmin)
      .def_readwrite("qmax", &QuantParams::qmax)
      .def("__eq__",
           [](const QuantParams& a, const QuantParams& b) {
             return a.scale == b.scale && a.zero_point == b.zero_point && a.qmin == b.qmin &&
                    a.qmax == b.qmax;
           })
      .def("__repr__", &repr);

  m.def(
      "choose_quant_params",
      [](float min, float max, int bits, bool is_signed, bool symmetric,
         const std::string& symmetric_range) {
        const QuantSpec spec = spec_of(bits, is_signed, symmetric, symmetric_range);
        return python_named([&] { return choose_quant_params(min, max, spec); });
      },
      "min"_a, "max"_a, py::kw_only(), "bits"_a = 8, "signed"_a = true, "symmetric"_a = false,
      "symmetric_range"_a = "restricted",
      "Parameters for values observed in [min, max]: bits 2..32 (unsigned 2..31); symmetric "
      "(signed only) over the 'restricted' [-(2^(b-1)-1), 2^(b-1)-1] or 'full' [-2^(b-1), "
      "2^(b-1)-1] range.");
  m.def(
      "choose_quant_params_range",
      [](float min, float max, std::int32_t qmin, std::int32_t qmax) {
        return python_named([&] { return choose_quant_params_range(min, max, qmin, qmax); });
      },
      "min"_a, "max"_a, "qmin"_a, "qmax"_a, "Asymmetric parameters into [qmin, qmax].");
  for (const bool by_rows : {true, false}) {
    m.def(
        by_rows ? "choose_quant_params_rows" : "choose_quant_params_columns",
        [by_rows](py::handle x_obj, int bits, bool is_signed, bool symmetric,
                  const std::string& symmetric_range) {
          const QuantSpec spec = spec_of(bits, is_signed, symmetric, symmetric_range);
          const Matrix<float> x = float_matrix(x_obj, "x");
          return python_named([&] {
            return by_rows ? choose_quant_params_rows(x.data, x.rows, x.cols, x.ld, spec)
                           : choose_quant_params_columns(x.data, x.rows, x.cols, x.ld, spec);
          });
        },
        "x"_a, py::kw_only(), "bits"_a = 8, "signed"_a = true, "symmetric"_a = false,
        "symmetric_range"_a = "restricted",
        by_rows ? "One QuantParams per row of the 2-D x, from that row's min and max."
                : "One QuantParams per column of the 2-D x, from that column's min and max.");
    m.def(
        by_rows ? "quantize_rows" : "quantize_columns",
        [by_rows](py::handle x, const std::vector<QuantParams>& params, py::handle dtype) {
          return quantize_matrix(x, params, dtype, by_rows);
        },
        "x"_a, "params"_a, "dtype"_a = py::none(),
        "Quantizes the 2-D x with one QuantParams per row / column; dtype defaults to the "
        "smallest storage type holding every [qmin, qmax].");
    m.def(
        by_rows ? "dequantize_rows" : "dequantize_columns",
        [by_rows](py::handle q, const std::vector<QuantParams>& params) {
          return dequantize_matrix(q, params, by_rows);
        },
        "q"_a, "params"_a, "scale * (q - zero_point) per row / column, as float32.");
    m.def(
        by_rows ? "quantization_mse_rows" : "quantization_mse_columns",
        [by_rows](py::handle x_obj, const std::vector<QuantParams>& params) {
          const Matrix<float> x = float_matrix(x_obj, "x");
          const std::vector<QuantParams> p =
              param_list(params, by_rows ? x.rows : x.cols, by_rows ? "rows of x" : "columns of x");
          return python_named([&] {
            return by_rows ? quantization_mse_rows(x.data, x.rows, x.cols, x.ld, p.data())
                           : quantization_mse_columns(x.data, x.rows, x.cols, x.ld, p.data());
          });
        },
        "x"_a, "params"_a, "Mean squared error of the round trip, per row / column parameters.");
  }
  m.def("quantize", &quantize_tensor, "x"_a, "params"_a, "dtype"_a = py::none(),
        "q = clamp(round_half_even(x / scale + zero_point), qmin, qmax), any shape; dtype "
        "defaults to the smallest storage type holding [qmin, qmax].");
  m.def("dequantize", &dequantize_tensor, "q"_a, "params"_a,
        "scale * (q - zero_point) as float32, any shape.");
  m.def(
      "quantization_mse",
      [](py::handle x_obj, const QuantParams& p) {
        const py::array x = float32_array(x_obj, "x");
        return python_named([&] {
          return quantization_mse(static_cast<const float*>(x.data()),
                                  static_cast<std::size_t>(x.size()), p);
        });
      },
      "x"_a, "params"_a, "Mean squared error of dequantize(quantize(x)) - x, in double.");
  m.def(
      "quantize_bias",
      [](py::handle bias_obj, float input_scale, py::handle weight_scale) {
        const py::array_t<float> bias = float32_vector(bias_obj, "bias", -1, "");
        const auto n = static_cast<std::int64_t>(bias.size());
        py::array_t<std::int32_t> q(n);
        if (is_scalar(weight_scale)) {
          const float w = weight_scale.cast<float>();
          python_named([&] {
            quantize_bias(bias.data(), n, input_scale, w, q.mutable_data());
            return 0;
          });
        } else {
          const py::array_t<float> w =
              float32_vector(weight_scale, "weight_scale", n, "one per bias value");
          python_named([&] {
            quantize_bias(bias.data(), n, input_scale, w.data(), q.mutable_data());
            return 0;
          });
        }
        return q;
      },
      "bias"_a, "input_scale"_a, "weight_scale"_a,
      "The int32 bias at scale input_scale * weight_scale[j] (a float per tensor or one per "
      "output channel): round half to even in double, saturated to int32.");
}

}  // namespace i8gemm::python
