// Dynamic quantization (i8gemm/dynamic.hpp, docs/math.md section 4) in Python: float weights
// prepared once (QuantizedWeights), float activations quantized per row or per tensor inside the
// call, float output (gemm_dynamic).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "i8gemm/dynamic.hpp"
#include "numpy_args.hpp"
#include "objects.hpp"

namespace i8gemm::python {
namespace {

using namespace pybind11::literals;

struct PyQuantizedWeights {
  QuantizedWeights weights;
};

std::unique_ptr<PyQuantizedWeights> make_weights(py::handle w, const std::string& layout,
                                                 PyContext* ctx) {
  const Matrix<float> wm = float_matrix(w, "w");
  const BLayout l = layout_of(layout, "layout");
  std::unique_ptr<PyContext> own;
  PyContext& c = context_or_default(ctx, own);
  const Lease lease(c);
  const py::gil_scoped_release release;
  return std::make_unique<PyQuantizedWeights>(PyQuantizedWeights{
      QuantizedWeights(c.ctx, MatrixView<const float>(wm.data, wm.rows, wm.cols, wm.ld), l)});
}

ActivationQuant granularity_of(const std::string& granularity) {
  if (granularity == "per_row") return ActivationQuant::per_row;
  if (granularity == "per_tensor") return ActivationQuant::per_tensor;
  argument_error("granularity", "'" + granularity + "' is not 'per_row' or 'per_tensor'");
}

bool unsigned_activations(py::handle dtype) {
  const std::string name = py::str(numpy().attr("dtype")(dtype).attr("name"));
  if (name == "int8") return false;
  if (name == "uint8") return true;
  argument_error("activation_dtype", name + " is not int8 or uint8");
}

py::object gemm_dynamic_call(PyContext& ctx, py::handle a_obj, py::handle w_obj,
                             py::handle b_scales, const std::string& granularity,
                             py::handle activation_dtype, py::handle bias, std::optional<float> min,
                             std::optional<float> max, py::handle out, bool return_params) {
  const Matrix<float> a = float_matrix(a_obj, "a");
  const PackedB* packed = nullptr;
  const float* scales = nullptr;
  py::array_t<float> scales_array;
  if (py::isinstance<PyQuantizedWeights>(w_obj)) {
    const QuantizedWeights& w = w_obj.cast<const PyQuantizedWeights&>().weights;
    if (!b_scales.is_none()) {
      argument_error("b_scales", "w is a QuantizedWeights, which holds its scales");
    }
    packed = &w.packed();
    scales = w.scales().data();
  } else if (py::isinstance<PyPackedB>(w_obj)) {
    packed = &w_obj.cast<const PyPackedB&>().packed;
    if (b_scales.is_none()) argument_error("b_scales", "needed with a PackedB (N scales)");
    scales_array = float32_vector(b_scales, "b_scales", packed->n(), "one per column of B");
    scales = scales_array.data();
  } else {
    argument_error("w", std::string(py::repr(w_obj)) + " is not a QuantizedWeights or PackedB");
  }
  if (a.cols != packed->k()) {
    argument_error("a", "has K = " + std::to_string(a.cols) +
                            " columns, but w has K = " + std::to_string(packed->k()));
  }
  const std::int64_t m = a.rows, n = packed->n();
  DynamicOptions options;
  options.granularity = granularity_of(granularity);
  options.unsigned_activations = unsigned_activations(activation_dtype);
  py::array_t<float> bias_array;
  if (!bias.is_none()) {
    bias_array = float32_vector(bias, "bias", n, "one per column of B");
    options.bias = bias_array.data();
  }
  if (min) options.min = *min;
  if (max) options.max = *max;
  std::vector<QuantParams> params(options.granularity == ActivationQuant::per_row ? m : 1);
  if (return_params) options.activation_params = params.data();
  Matrix<float> c =
      out.is_none() ? new_matrix<float>(m, n) : output_matrix<float>(out, "out", m, n);
  {
    const Lease lease(ctx);
    const py::gil_scoped_release release;
    gemm_dynamic(ctx.ctx, MatrixView<const float>(a.data, a.rows, a.cols, a.ld), *packed, scales,
                 MatrixView<float>(c.data, c.rows, c.cols, c.ld), options);
  }
  if (return_params) return py::make_tuple(c.array, params);
  return c.array;
}

}  // namespace

void bind_dynamic(py::module_& m) {
  py::class_<PyQuantizedWeights>(
      m, "QuantizedWeights",
      "Float weights quantized once, symmetric int8 per output channel over [-127, 127], and "
      "packed for the context's path. w is N x K (layout 'nk', as nn.Linear stores it) or "
      "K x N ('kn').")
      .def(py::init(&make_weights), "w"_a, "layout"_a = "nk", "ctx"_a = py::none())
      .def_property_readonly("k", [](const PyQuantizedWeights& w) { return w.weights.k(); })
      .def_property_readonly("n", [](const PyQuantizedWeights& w) { return w.weights.n(); })
      .def_property_readonly("isa",
                             [](const PyQuantizedWeights& w) {
                               return std::string(isa_name(w.weights.packed().isa()));
                             })
      .def_property_readonly(
          "scales",
          [](const PyQuantizedWeights& w) {
            const std::vector<float>& s = w.weights.scales();
            py::array_t<float> out(static_cast<py::ssize_t>(s.size()));
            std::copy(s.begin(), s.end(), out.mutable_data());
            return out;
          },
          "The N per-channel scales (a copy).")
      .def("__repr__", [](const PyQuantizedWeights& w) {
        return "QuantizedWeights(k=" + std::to_string(w.weights.k()) +
               ", n=" + std::to_string(w.weights.n()) + ", isa='" +
               isa_name(w.weights.packed().isa()) + "')";
      });

  const char* doc =
      "C = clamp(dequantize(quantize(a) x w) + bias, min, max): a float M x K quantized per row "
      "(or per tensor) to int8 / uint8 inside the call, w a QuantizedWeights (or a PackedB with "
      "its N b_scales), C float32 M x N. return_params=True also returns the activations' "
      "QuantParams (M, or 1 per tensor).";
  auto bind = [&](auto&& def, auto&&... context_arg) {
    def("gemm_dynamic", "a"_a, "w"_a, py::kw_only(), "b_scales"_a = py::none(),
        "granularity"_a = "per_row", "activation_dtype"_a = "int8", "bias"_a = py::none(),
        "min"_a = py::none(), "max"_a = py::none(), "out"_a = py::none(), "return_params"_a = false,
        context_arg..., doc);
  };
  bind(
      [&](const char* name, auto&&... extra) {
        m.def(
            name,
            [](py::handle a, py::handle w, py::handle b_scales, const std::string& granularity,
               py::handle activation_dtype, py::handle bias, std::optional<float> min,
               std::optional<float> max, py::handle out, bool return_params, PyContext* ctx) {
              std::unique_ptr<PyContext> own;
              return gemm_dynamic_call(context_or_default(ctx, own), a, w, b_scales, granularity,
                                       activation_dtype, bias, min, max, out, return_params);
            },
            extra...);
      },
      "ctx"_a = py::none());
  py::class_<PyContext> context = py::reinterpret_borrow<py::class_<PyContext>>(m.attr("Context"));
  bind([&](const char* name, auto&&... extra) {
    context.def(
        name,
        [](PyContext& ctx, py::handle a, py::handle w, py::handle b_scales,
           const std::string& granularity, py::handle activation_dtype, py::handle bias,
           std::optional<float> min, std::optional<float> max, py::handle out, bool return_params) {
          return gemm_dynamic_call(ctx, a, w, b_scales, granularity, activation_dtype, bias, min,
                                   max, out, return_params);
        },
        extra...);
  });
}

}  // namespace i8gemm::python
