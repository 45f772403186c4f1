// The GEMM half of the Python module: paths, Context, PackedB, the output stages and gemm().
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "i8gemm/i8gemm.hpp"
#include "numpy_args.hpp"
#include "objects.hpp"

namespace i8gemm::python {
namespace {

using namespace pybind11::literals;

std::vector<std::string> names_of(const std::vector<Isa>& isas) {
  std::vector<std::string> names;
  for (Isa isa : isas) names.emplace_back(isa_name(isa));
  return names;
}

// ---------------------------------------------------------------------------------------------
// Context and PackedB
// ---------------------------------------------------------------------------------------------

// A zero point per tensor (an integer) or per channel (`count` values), and its storage.
struct ZeroPointArg {
  ZeroPoints zero_points;
  py::object keep;  // the per-channel array
};

ZeroPointArg zero_point_of(py::handle obj, const std::string& name, std::int64_t count,
                           const std::string& what) {
  if (obj.is_none()) return {};
  if (is_scalar(obj)) return {ZeroPoints(int32_scalar(obj, name)), py::none()};
  py::array_t<std::int32_t> values = int32_vector(obj, name, count, what);
  return {ZeroPoints::channel(values.data()), values};
}

std::unique_ptr<PyPackedB> make_packed_b(py::handle b, const std::string& layout,
                                         py::handle zero_point, PyContext* ctx) {
  const Matrix<std::int8_t> bm = input_matrix<std::int8_t>(b, "b");
  const BLayout l = layout_of(layout, "layout");
  const std::int64_t n = l == BLayout::kn ? bm.cols : bm.rows;
  const ZeroPointArg zp = zero_point_of(zero_point, "zero_point", n, "one per column of B");
  std::unique_ptr<PyContext> own;
  PyContext& c = context_or_default(ctx, own);
  const Lease lease(c);
  const py::gil_scoped_release release;
  return std::make_unique<PyPackedB>(PyPackedB{PackedB(
      c.ctx, MatrixView<const std::int8_t>(bm.data, bm.rows, bm.cols, bm.ld), l, zp.zero_points)});
}

// ---------------------------------------------------------------------------------------------
// Output stages: their arguments converted and checked when built; their lengths against N
// (or M) when a call knows them.
// ---------------------------------------------------------------------------------------------

enum class OutDtype { s8, u8 };

OutDtype out_dtype_of(py::handle dtype) {
  const std::string name = py::str(numpy().attr("dtype")(dtype).attr("name"));
  if (name == "int8") return OutDtype::s8;
  if (name == "uint8") return OutDtype::u8;
  argument_error("dtype", name + " is not int8 or uint8");
}

// None, or an int32 vector of any length (checked against N by the call).
py::object optional_int32(py::handle obj, const char* name) {
  if (obj.is_none()) return py::none();
  return int32_vector(obj, name, -1, "");
}

std::int64_t length_of(const py::object& vector) {
  return vector.is_none() ? -1 : static_cast<std::int64_t>(py::len(vector));
}

// A float per tensor, or a float32 vector; every value finite and > 0.
py::object positive_scales(py::handle obj, const char* name) {
  if (is_scalar(obj)) {
    const double v = obj.cast<double>();
    if (!(std::isfinite(v) && v > 0.0 && std::isfinite(static_cast<float>(v)) &&
          static_cast<float>(v) > 0.0f)) {
      argument_error(name, std::string(py::repr(obj)) + " is not a finite positive float32");
    }
    return py::float_(v);
  }
  py::array_t<float> values = float32_vector(obj, name, -1, "");
  for (py::ssize_t i = 0; i < values.size(); ++i) {
    const float v = values.at(i);
    if (!(std::isfinite(v) && v > 0.0f)) {
      argument_error(std::string(name) + "[" + std::to_string(i) + "]",
                     std::string(py::repr(py::float_(v))) + " is not a finite positive number");
    }
  }
  return values;
}

struct PyOutputInt32 {
  py::object bias = py::none();
};

// The int8 / uint8 stages' common part.
struct PyNarrowStage {
  OutDtype dtype = OutDtype::s8;
  py::object bias = py::none();
  std::int32_t zero_point = 0;
  std::optional<std::int32_t> min, max;
};

struct PyOutputFixedPoint : PyNarrowStage {
  std::vector<QuantizedMultiplier> multipliers;  // one: per tensor
  bool per_channel = false;
};

struct PyOutputFloatScale : PyNarrowStage {
  py::object scale;  // float or float32 array
};

void parse_narrow(PyNarrowStage& s, py::handle dtype, py::handle bias, py::handle zero_point,
                  py::handle min, py::handle max);

struct PyOutputFloat {
  py::object a_scale, b_scale;  // float or float32 array
  py::object bias = py::none();
  std::optional<float> min, max;  // the clamp (the library's defaults: -inf, +inf)
};

// "multiplier: ..." messages of quantize_multiplier, renamed for the j-th value.
QuantizedMultiplier quantize_multiplier_named(double m, const std::string& name) {
  try {
    return quantize_multiplier(m);
  } catch (const Error& e) {
    std::string message = e.what();
    const std::string prefix = "multiplier: ";
    if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
    argument_error(name, message);
  }
}

double real_of(py::handle obj, const std::string& name) {
  const double v = PyFloat_AsDouble(obj.ptr());
  if (v == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    argument_error(name, std::string(py::repr(obj)) + " is not a real number");
  }
  return v;
}

PyOutputFixedPoint make_fixed_point(py::handle multiplier, py::handle dtype, py::handle bias,
                                    py::handle zero_point, py::handle min, py::handle max) {
  PyOutputFixedPoint s;
  if (py::isinstance<QuantizedMultiplier>(multiplier)) {
    s.multipliers.push_back(multiplier.cast<QuantizedMultiplier>());
  } else if (is_scalar(multiplier)) {
    s.multipliers.push_back(
        quantize_multiplier_named(real_of(multiplier, "multiplier"), "multiplier"));
  } else {
    s.per_channel = true;
    std::size_t j = 0;
    for (py::handle m : multiplier) {
      const std::string name = "multiplier[" + std::to_string(j++) + "]";
      s.multipliers.push_back(py::isinstance<QuantizedMultiplier>(m)
                                  ? m.cast<QuantizedMultiplier>()
                                  : quantize_multiplier_named(real_of(m, name), name));
    }
  }
  parse_narrow(s, dtype, bias, zero_point, min, max);
  return s;
}

void parse_narrow(PyNarrowStage& s, py::handle dtype, py::handle bias, py::handle zero_point,
                  py::handle min, py::handle max) {
  s.dtype = out_dtype_of(dtype);
  s.bias = optional_int32(bias, "bias");
  s.zero_point = int32_scalar(zero_point, "zero_point");
  if (!min.is_none()) s.min = int32_scalar(min, "min");
  if (!max.is_none()) s.max = int32_scalar(max, "max");
}

// ---------------------------------------------------------------------------------------------
// gemm
// ---------------------------------------------------------------------------------------------

// B as given: packed, or a matrix with its layout and zero points.
struct BArg {
  const PyPackedB* packed = nullptr;
  Matrix<std::int8_t> matrix;
  BLayout layout = BLayout::kn;
  ZeroPointArg zero_point;
  std::int64_t k = 0, n = 0;
};

BArg b_of(py::handle b, py::handle b_layout, py::handle b_zero_point) {
  BArg arg;
  if (py::isinstance<PyPackedB>(b)) {
    arg.packed = &b.cast<const PyPackedB&>();
    if (!b_layout.is_none())
      argument_error("b_layout", "b is a PackedB: its layout was given to it");
    if (!b_zero_point.is_none()) {
      argument_error("b_zero_point",
                     "b is a PackedB, which holds its zero points (give them to "
                     "PackedB)");
    }
    arg.k = arg.packed->packed.k();
    arg.n = arg.packed->packed.n();
    return arg;
  }
  arg.matrix = input_matrix<std::int8_t>(b, "b");
  arg.layout =
      b_layout.is_none() ? BLayout::kn : layout_of(b_layout.cast<std::string>(), "b_layout");
  arg.k = arg.layout == BLayout::kn ? arg.matrix.rows : arg.matrix.cols;
  arg.n = arg.layout == BLayout::kn ? arg.matrix.cols : arg.matrix.rows;
  arg.zero_point = zero_point_of(b_zero_point, "b_zero_point", arg.n, "one per column of B");
  return arg;
}

// C++ argument names in the library's messages, as the Python caller spelled them.
std::string python_names(std::string message, const char* per_channel_name) {
  const std::pair<const char*, const char*> renames[] = {
      {"per_channel[", per_channel_name}, {"c.", "out."},    {"a_scales[", "a_scale["},
      {"b_scales[", "b_scale["},          {"c_type", "out"}, {"a.cols", "a"}};
  for (const auto& [from, to] : renames) {
    if (message.rfind(from, 0) == 0) return to + message.substr(std::string(from).size());
  }
  return message;
}

// f(), with the library's messages in the Python caller's names.
template <typename F>
void renamed(const char* per_channel_name, F&& f) {
  try {
    f();
  } catch (const Error& e) {
    throw Error(python_names(e.what(), per_channel_name));
  }
}

// A multiply: f() on ctx (held against other threads) with the GIL released.
template <typename F>
void multiply(PyContext& ctx, const char* per_channel_name, F&& f) {
  const Lease lease(ctx);
  const py::gil_scoped_release release;
  renamed(per_channel_name, f);
}

template <typename TA, typename Stage>
void run(PyContext& ctx, const Matrix<TA>& a, const ZeroPoints& za, const BArg& b,
         const Stage& stage, Matrix<typename Stage::value_type>& c, const char* per_channel_name) {
  multiply(ctx, per_channel_name, [&] {
    const MatrixView<const TA> av(a.data, a.rows, a.cols, a.ld);
    const MatrixView<typename Stage::value_type> cv(c.data, c.rows, c.cols, c.ld);
    if (b.packed != nullptr) {
      gemm(ctx.ctx, av, za, b.packed->packed, stage, cv);
    } else {
      const Matrix<std::int8_t>& bm = b.matrix;
      gemm(ctx.ctx, av, za, MatrixView<const std::int8_t>(bm.data, bm.rows, bm.cols, bm.ld),
           b.layout, b.zero_point.zero_points, stage, cv);
    }
  });
}

template <typename T>
Matrix<T> out_of(py::handle out, std::int64_t m, std::int64_t n) {
  return out.is_none() ? new_matrix<T>(m, n) : output_matrix<T>(out, "out", m, n);
}

const std::int32_t* int32_data(const py::object& v, std::int64_t n, const char* name) {
  if (v.is_none()) return nullptr;
  if (length_of(v) != n) {
    argument_error(name, std::to_string(length_of(v)) + " values, expected N = " +
                             std::to_string(n) + " (one per column of B)");
  }
  return v.cast<py::array_t<std::int32_t>>().data();
}

// A per-tensor float or a vector of `count` floats (`what` names the count).
struct FloatArg {
  float value = 1.0f;
  const float* values = nullptr;
};
FloatArg float_arg(const py::object& v, std::int64_t count, const char* name, const char* what) {
  if (py::isinstance<py::float_>(v)) return {static_cast<float>(v.cast<double>()), nullptr};
  if (length_of(v) != count) {
    argument_error(name, std::to_string(length_of(v)) + " values, expected " + what + " = " +
                             std::to_string(count));
  }
  return {1.0f, v.cast<py::array_t<float>>().data()};
}

// An int8 / uint8 stage: `set_scale` sets its multipliers or scales, the rest is common.
template <template <typename> class StageT, typename SetScale, typename Use>
auto narrow_stage(const PyNarrowStage& p, std::int64_t n, const char* per_channel_name,
                  SetScale&& set_scale, Use&& use) {
  auto go = [&](auto s) {
    using T = typename decltype(s)::value_type;
    set_scale(s);
    s.bias = int32_data(p.bias, n, "bias");
    s.zero_point = p.zero_point;
    s.min = p.min.value_or(std::numeric_limits<T>::min());
    s.max = p.max.value_or(std::numeric_limits<T>::max());
    return use(s, per_channel_name);
  };
  if (p.dtype == OutDtype::s8) return go(StageT<std::int8_t>{});
  return go(StageT<std::uint8_t>{});
}

// The library's stage of `stage_obj` for N columns and M rows, handed to use(stage, the name of
// its per-column values in messages). m < 0: M is not known (a PreparedGemm), and the float32
// stage's a_scale must be one per tensor.
template <typename Use>
auto with_stage(py::handle stage_obj, std::int64_t m, std::int64_t n, Use&& use) {
  if (stage_obj.is_none() || py::isinstance<PyOutputInt32>(stage_obj)) {
    OutputInt32 s;
    if (!stage_obj.is_none()) {
      s.bias = int32_data(stage_obj.cast<const PyOutputInt32&>().bias, n, "bias");
    }
    return use(s, "bias[");
  }
  if (py::isinstance<PyOutputFixedPoint>(stage_obj)) {
    const auto& p = stage_obj.cast<const PyOutputFixedPoint&>();
    if (p.per_channel && static_cast<std::int64_t>(p.multipliers.size()) != n) {
      argument_error("multiplier", std::to_string(p.multipliers.size()) + " values, expected N = " +
                                       std::to_string(n) + " (one per column of B)");
    }
    return narrow_stage<OutputFixedPoint>(
        p, n, "multiplier[",
        [&](auto& s) {
          s.multiplier = p.multipliers.empty() ? QuantizedMultiplier::zero() : p.multipliers[0];
          s.per_channel = p.per_channel ? p.multipliers.data() : nullptr;
        },
        use);
  }
  if (py::isinstance<PyOutputFloatScale>(stage_obj)) {
    const auto& p = stage_obj.cast<const PyOutputFloatScale&>();
    const FloatArg scale = float_arg(p.scale, n, "scale", "N (one per column of B)");
    return narrow_stage<OutputFloatScale>(
        p, n, "scale[",
        [&](auto& s) {
          s.scale = scale.value;
          s.per_channel = scale.values;
        },
        use);
  }
  if (py::isinstance<PyOutputFloat>(stage_obj)) {
    const auto& p = stage_obj.cast<const PyOutputFloat&>();
    OutputFloat s;
    if (m < 0 && !py::isinstance<py::float_>(p.a_scale)) {
      argument_error("a_scale", "one per row of A is one call's; a PreparedGemm takes a float");
    }
    const FloatArg a_scale = float_arg(p.a_scale, m, "a_scale", "M (one per row of A)");
    const FloatArg b_scale = float_arg(p.b_scale, n, "b_scale", "N (one per column of B)");
    s.a_scale = a_scale.value;
    s.a_scales = a_scale.values;
    s.b_scale = b_scale.value;
    s.b_scales = b_scale.values;
    if (!p.bias.is_none()) {
      s.bias = float_arg(p.bias, n, "bias", "N (one per column of B)").values;
    }
    if (p.min) s.min = *p.min;
    if (p.max) s.max = *p.max;
    return use(s, "bias[");
  }
  argument_error("stage", std::string(py::repr(stage_obj)) +
                              " is not an output stage (OutputInt32, OutputFixedPoint, "
                              "OutputFloatScale, OutputFloat or None)");
}

template <typename TA>
Matrix<TA> a_of(py::handle a_obj, std::int64_t k) {
  Matrix<TA> a = input_matrix<TA>(a_obj, "a");
  if (a.cols != k) {
    argument_error("a", "shape (" + std::to_string(a.rows) + ", " + std::to_string(a.cols) +
                            ") has K = " + std::to_string(a.cols) +
                            " columns, but b has K = " + std::to_string(k));
  }
  return a;
}

template <typename TA>
py::array gemm_typed(PyContext& ctx, py::handle a_obj, py::handle za_obj, const BArg& b,
                     py::handle stage_obj, py::handle out) {
  const Matrix<TA> a = a_of<TA>(a_obj, b.k);
  const std::int64_t m = a.rows, n = b.n;
  const ZeroPointArg za = zero_point_of(za_obj, "a_zero_point", m, "one per row of A");
  return with_stage(stage_obj, m, n, [&](const auto& s, const char* per_channel_name) {
    using T = typename std::decay_t<decltype(s)>::value_type;
    Matrix<T> c = out_of<T>(out, m, n);
    run(ctx, a, za.zero_points, b, s, c, per_channel_name);
    return py::array(c.array);
  });
}

// A PreparedGemm (i8gemm.hpp) of any A type and stage; holds its Context and PackedB alive.
struct PyPreparedGemm {
  py::object ctx_ref, b_ref;       // the Python objects (ctx_ref None: `own`)
  std::unique_ptr<PyContext> own;  // a default context when none was given
  PyContext* ctx = nullptr;
  std::int64_t k = 0, n = 0;
  std::string a_dtype;
  std::function<py::array(py::handle a, py::handle out)> run;
};

std::unique_ptr<PyPreparedGemm> make_prepared(py::handle b, py::handle stage,
                                              const std::string& a_dtype, py::handle a_zero_point,
                                              py::handle ctx) {
  if (!py::isinstance<PyPackedB>(b)) {
    argument_error(
        "b", std::string(py::repr(b)) + " is not a PackedB (a PreparedGemm runs packed weights)");
  }
  if (a_dtype != "int8" && a_dtype != "uint8") {
    argument_error("a_dtype", "'" + a_dtype + "' is not 'int8' or 'uint8'");
  }
  if (!is_scalar(a_zero_point)) {
    argument_error("a_zero_point",
                   "one per row of A is one call's; a PreparedGemm takes one per tensor (an int)");
  }
  const std::int32_t za = int32_scalar(a_zero_point, "a_zero_point");
  auto p = std::make_unique<PyPreparedGemm>();
  p->b_ref = py::reinterpret_borrow<py::object>(b);
  p->ctx_ref = py::reinterpret_borrow<py::object>(ctx);
  p->ctx = ctx.is_none() ? &context_or_default(nullptr, p->own) : &ctx.cast<PyContext&>();
  const PackedB& packed = b.cast<const PyPackedB&>().packed;
  p->k = packed.k();
  p->n = packed.n();
  p->a_dtype = a_dtype;
  const std::int64_t k = p->k, n = p->n;
  auto prepare = [&](auto a_tag) {
    using TA = decltype(a_tag);
    with_stage(stage, -1, n, [&](const auto& s, const char* per_channel_name) {
      using Stage = std::decay_t<decltype(s)>;
      using TC = typename Stage::value_type;
      const Lease lease(*p->ctx);
      renamed(per_channel_name, [&] {
        const PreparedGemm<TA, Stage> prepared(p->ctx->ctx, za, packed, s);
        p->run = [prepared, per_channel_name, ctx = p->ctx, k, n](py::handle a_obj,
                                                                  py::handle out) {
          const Matrix<TA> a = a_of<TA>(a_obj, k);
          Matrix<TC> cm = out_of<TC>(out, a.rows, n);
          multiply(*ctx, per_channel_name, [&] {
            prepared.run(MatrixView<const TA>(a.data, a.rows, a.cols, a.ld),
                         MatrixView<TC>(cm.data, cm.rows, cm.cols, cm.ld));
          });
          return py::array(cm.array);
        };
      });
    });
  };
  if (a_dtype == "int8") {
    prepare(std::int8_t{});
  } else {
    prepare(std::uint8_t{});
  }
  return p;
}

py::array gemm_call(PyContext& ctx, py::handle a, py::handle b, py::handle stage,
                    py::handle a_zero_point, py::handle b_zero_point, py::handle b_layout,
                    py::handle out) {
  const BArg barg = b_of(b, b_layout, b_zero_point);
  py::array a_array = py::array::ensure(a);
  if (a_array && a_array.dtype().equal(py::dtype::of<std::uint8_t>())) {
    return gemm_typed<std::uint8_t>(ctx, a, a_zero_point, barg, stage, out);
  }
  if (a_array && !a_array.dtype().equal(py::dtype::of<std::int8_t>())) {
    argument_error("a", "dtype " + dtype_name(a_array) + " is not int8 or uint8");
  }
  return gemm_typed<std::int8_t>(ctx, a, a_zero_point, barg, stage, out);
}

std::string repr_scales(const py::object& v) {
  return std::string(py::repr(py::isinstance<py::float_>(v) ? v : v.attr("tolist")()));
}

const char* dtype_str(OutDtype d) {
  return d == OutDtype::s8 ? "int8" : "uint8";
}

}  // namespace

void bind_gemm(py::module_& m) {
  m.def(
      "all_paths", [] { return names_of(all_isas()); },
      "Every registered path, worst first (include/i8gemm/paths.inc).");
  m.def(
      "built_paths", [] { return names_of(built_isas()); },
      "The paths compiled into this library.");
  m.def(
      "available_paths", [] { return names_of(available_isas()); },
      "The paths built and runnable on this CPU, worst first.");
  m.def(
      "default_path", [] { return std::string(isa_name(default_isa())); },
      "The path used when none is forced: I8GEMM_ISA if set, else the best available.");
  m.def(
      "unavailable_reason", [](py::handle isa) { return unavailable_reason(isa_of(isa)); }, "isa"_a,
      "What this CPU or build lacks to run the path ('' when it runs).");
  m.def("cpu_features", &cpu_features_string, "The CPU features detected at run time.");

  py::class_<QuantizedMultiplier>(m, "QuantizedMultiplier",
                                  "A real multiplier as m0 * 2^(shift - 31) (docs/math.md 3).")
      .def(py::init([](std::int32_t m0, std::int32_t shift) {
             return QuantizedMultiplier{m0, shift};
           }),
           "m0"_a, "shift"_a)
      .def_readwrite("m0", &QuantizedMultiplier::m0)
      .def_readwrite("shift", &QuantizedMultiplier::shift)
      .def_static("zero", &QuantizedMultiplier::zero,
                  "The explicit zero multiplier (every output the zero point).")
      .def_property_readonly("is_zero", &QuantizedMultiplier::is_zero)
      .def_property_readonly(
          "value",
          [](const QuantizedMultiplier& q) {
            return std::ldexp(static_cast<double>(q.m0), q.shift - 31);
          },
          "The real multiplier the pair stands for.")
      .def("__eq__",
           [](const QuantizedMultiplier& x, const QuantizedMultiplier& y) {
             return x.m0 == y.m0 && x.shift == y.shift;
           })
      .def("__repr__", [](const QuantizedMultiplier& q) {
        return "QuantizedMultiplier(m0=" + std::to_string(q.m0) +
               ", shift=" + std::to_string(q.shift) + ")";
      });
  m.def("quantize_multiplier", &quantize_multiplier, "multiplier"_a,
        "TensorFlow Lite's QuantizeMultiplier: (m0, shift) for a real multiplier in [2^-32, 2^30), "
        "or QuantizedMultiplier.zero() for 0.0; anything else raises ValueError.");

  py::class_<PyContext>(m, "Context",
                        "The path, the threads and the scratch memory of GEMM calls. One call at "
                        "a time: give each thread its own.")
      .def(py::init(&make_context), "isa"_a = py::none(), "threads"_a = 1)
      .def_property(
          "isa", [](const PyContext& c) { return std::string(isa_name(c.ctx.isa())); },
          [](PyContext& c, py::handle isa) {
            const Lease lease(c);
            c.ctx.set_isa(isa_of(isa));
          },
          "The path of this context's calls (forcing one: ctx.isa = 'avx2').")
      .def_property_readonly(
          "last_used_path",
          [](const PyContext& c) { return std::string(isa_name(c.ctx.last_used_isa())); },
          "The path that ran the last call (scalar before any).")
      .def_property(
          "threads", [](const PyContext& c) { return c.ctx.num_threads(); },
          [](PyContext& c, int threads) {
            const Lease lease(c);
            c.ctx.set_num_threads(threads);
          })
      .def(
          "gemm",
          [](PyContext& c, py::handle a, py::handle b, py::handle stage, py::handle a_zero_point,
             py::handle b_zero_point, py::handle b_layout, py::handle out) {
            return gemm_call(c, a, b, stage, a_zero_point, b_zero_point, b_layout, out);
          },
          "a"_a, "b"_a, "stage"_a = py::none(), py::kw_only(), "a_zero_point"_a = 0,
          "b_zero_point"_a = py::none(), "b_layout"_a = py::none(), "out"_a = py::none())
      .def("__repr__", [](const PyContext& c) {
        return "Context(isa='" + std::string(isa_name(c.ctx.isa())) +
               "', threads=" + std::to_string(c.ctx.num_threads()) + ")";
      });

  m.def(
      "gemm",
      [](py::handle a, py::handle b, py::handle stage, py::handle a_zero_point,
         py::handle b_zero_point, py::handle b_layout, py::handle out, PyContext* ctx) {
        std::unique_ptr<PyContext> own;
        return gemm_call(context_or_default(ctx, own), a, b, stage, a_zero_point, b_zero_point,
                         b_layout, out);
      },
      "a"_a, "b"_a, "stage"_a = py::none(), py::kw_only(), "a_zero_point"_a = 0,
      "b_zero_point"_a = py::none(), "b_layout"_a = py::none(), "out"_a = py::none(),
      "ctx"_a = py::none());

  py::class_<PyPackedB>(m, "PackedB", "B (int8 weights) packed once for a context's path.")
      .def(py::init(&make_packed_b), "b"_a, "layout"_a = "kn", "zero_point"_a = 0,
           "ctx"_a = py::none())
      .def_property_readonly("k", [](const PyPackedB& p) { return p.packed.k(); })
      .def_property_readonly("n", [](const PyPackedB& p) { return p.packed.n(); })
      .def_property_readonly(
          "isa", [](const PyPackedB& p) { return std::string(isa_name(p.packed.isa())); })
      .def_property_readonly("size_bytes", [](const PyPackedB& p) { return p.packed.size_bytes(); })
      .def_property_readonly(
          "column_sums",
          [](const PyPackedB& p) {
            py::array_t<std::int32_t> sums(p.packed.n());
            std::copy_n(p.packed.column_sums(), p.packed.n(), sums.mutable_data());
            return sums;
          },
          "sum over k of B[k, j] (a copy, N values).")
      .def("__repr__", [](const PyPackedB& p) {
        return "PackedB(k=" + std::to_string(p.packed.k()) + ", n=" + std::to_string(p.packed.n()) +
               ", isa='" + isa_name(p.packed.isa()) + "')";
      });

  py::class_<PyPreparedGemm>(
      m, "PreparedGemm",
      "A gemm with packed B whose every argument but A and C is fixed -- the context, b, A's "
      "dtype, A's zero point (one per tensor) and the stage -- checked and set up once, then "
      "run(a, out=None) on any number of rows, with the bits of ctx.gemm(a, b, stage, "
      "a_zero_point=...). Not for per-row zero points of A or per-row a_scale (use gemm).")
      .def(py::init(&make_prepared), "b"_a, "stage"_a = py::none(), py::kw_only(),
           "a_dtype"_a = "int8", "a_zero_point"_a = 0, "ctx"_a = py::none())
      .def(
          "run",
          [](const PyPreparedGemm& p, py::handle a, py::handle out) { return p.run(a, out); },
          "a"_a, py::kw_only(), "out"_a = py::none())
      .def_property_readonly("k", [](const PyPreparedGemm& p) { return p.k; })
      .def_property_readonly("n", [](const PyPreparedGemm& p) { return p.n; })
      .def("__repr__", [](const PyPreparedGemm& p) {
        return "PreparedGemm(k=" + std::to_string(p.k) + ", n=" + std::to_string(p.n) +
               ", a_dtype='" + p.a_dtype + "')";
      });

  py::class_<PyOutputInt32>(m, "OutputInt32", "C = acc + bias[j] (int32).")
      .def(py::init([](py::handle bias) { return PyOutputInt32{optional_int32(bias, "bias")}; }),
           "bias"_a = py::none())
      .def_readonly("bias", &PyOutputInt32::bias)
      .def("__repr__", [](const PyOutputInt32& s) {
        return "OutputInt32(bias=" + std::string(py::repr(s.bias)) + ")";
      });

  py::class_<PyOutputFixedPoint>(
      m, "OutputFixedPoint",
      "C = clamp(zero_point + MultiplyByQuantizedMultiplier(acc + bias[j], multiplier[j]), min, "
      "max): int8 / uint8 requantized as gemmlowp and TensorFlow Lite do.")
      .def(py::init(&make_fixed_point), "multiplier"_a, py::kw_only(), "dtype"_a = "int8",
           "bias"_a = py::none(), "zero_point"_a = 0, "min"_a = py::none(), "max"_a = py::none())
      .def_property_readonly("dtype",
                             [](const PyOutputFixedPoint& s) { return dtype_str(s.dtype); })
      .def_property_readonly("multiplier",
                             [](const PyOutputFixedPoint& s) -> py::object {
                               if (s.per_channel) return py::cast(s.multipliers);
                               return py::cast(s.multipliers.at(0));
                             })
      .def_readonly("bias", &PyOutputFixedPoint::bias)
      .def_readonly("zero_point", &PyOutputFixedPoint::zero_point)
      .def_readonly("min", &PyOutputFixedPoint::min)
      .def_readonly("max", &PyOutputFixedPoint::max)
      .def("__repr__", [](const PyOutputFixedPoint& s) {
        std::ostringstream r;
        r << "OutputFixedPoint(dtype=" << dtype_str(s.dtype);
        if (s.per_channel) {
          r << ", " << s.multipliers.size() << " multipliers";
        } else {
          r << ", multiplier="
            << std::ldexp(double(s.multipliers[0].m0), s.multipliers[0].shift - 31);
        }
        r << ", zero_point=" << s.zero_point << ")";
        return r.str();
      });

  py::class_<PyOutputFloatScale>(
      m, "OutputFloatScale",
      "C = clamp(zero_point + round_half_even(float(acc + bias[j]) * scale[j]), min, max), fp32.")
      .def(py::init([](py::handle scale, py::handle dtype, py::handle bias, py::handle zero_point,
                       py::handle min, py::handle max) {
             PyOutputFloatScale s;
             s.scale = positive_scales(scale, "scale");
             parse_narrow(s, dtype, bias, zero_point, min, max);
             return s;
           }),
           "scale"_a, py::kw_only(), "dtype"_a = "int8", "bias"_a = py::none(), "zero_point"_a = 0,
           "min"_a = py::none(), "max"_a = py::none())
      .def_property_readonly("dtype",
                             [](const PyOutputFloatScale& s) { return dtype_str(s.dtype); })
      .def_readonly("scale", &PyOutputFloatScale::scale)
      .def_readonly("bias", &PyOutputFloatScale::bias)
      .def_readonly("zero_point", &PyOutputFloatScale::zero_point)
      .def_readonly("min", &PyOutputFloatScale::min)
      .def_readonly("max", &PyOutputFloatScale::max)
      .def("__repr__", [](const PyOutputFloatScale& s) {
        return std::string("OutputFloatScale(dtype=") + dtype_str(s.dtype) +
               ", scale=" + repr_scales(s.scale) + ", zero_point=" + std::to_string(s.zero_point) +
               ")";
      });

  py::class_<PyOutputFloat>(
      m, "OutputFloat",
      "C = clamp((a_scale[i] * b_scale[j]) * float(acc) + bias[j], min, max) (float32).")
      .def(py::init([](py::handle a_scale, py::handle b_scale, py::handle bias,
                       std::optional<float> min, std::optional<float> max) {
             PyOutputFloat s;
             s.min = min;
             s.max = max;
             s.a_scale = positive_scales(a_scale, "a_scale");
             s.b_scale = positive_scales(b_scale, "b_scale");
             if (!bias.is_none()) {
               py::array_t<float> b = float32_vector(bias, "bias", -1, "");
               for (py::ssize_t j = 0; j < b.size(); ++j) {
                 if (!std::isfinite(b.at(j))) {
                   argument_error("bias[" + std::to_string(j) + "]",
                                  std::string(py::repr(py::float_(b.at(j)))) + " is not finite");
                 }
               }
               s.bias = b;
             }
             return s;
           }),
           "a_scale"_a = 1.0, "b_scale"_a = 1.0, "bias"_a = py::none(), "min"_a = py::none(),
           "max"_a = py::none())
      .def_readonly("a_scale", &PyOutputFloat::a_scale)
      .def_readonly("min", &PyOutputFloat::min)
      .def_readonly("max", &PyOutputFloat::max)
      .def_readonly("b_scale", &PyOutputFloat::b_scale)
      .def_readonly("bias", &PyOutputFloat::bias)
      .def("__repr__", [](const PyOutputFloat& s) {
        return "OutputFloat(a_scale=" + repr_scales(s.a_scale) +
               ", b_scale=" + repr_scales(s.b_scale) + ")";
      });

  // For the tests: how gemm would read `obj` as matrix `a` of int8 / uint8 (address, leading
  // dimension, whether it had to be copied), to show that row-strided arrays are not copied.
  m.def("_input_view", [](py::handle obj, const std::string& dtype) {
    auto info = [](const auto& mat) {
      return py::make_tuple(reinterpret_cast<std::uintptr_t>(mat.data), mat.ld, mat.copied);
    };
    if (dtype == "uint8") return info(input_matrix<std::uint8_t>(obj, "a"));
    if (dtype == "float32") return info(input_matrix<float>(obj, "a"));
    return info(input_matrix<std::int8_t>(obj, "a"));
  });
}

}  // namespace i8gemm::python
