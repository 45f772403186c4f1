// The Python module i8gemm (its compiled part, i8gemm._i8gemm; python/i8gemm/__init__.py is the
// package). numpy arrays in and out, read and written in place where their layout allows; the
// GIL released during every multiply and quantization; i8gemm::Error raised as i8gemm.Error, a
// ValueError whose message names the argument.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "i8gemm/i8gemm.hpp"

PYBIND11_MODULE(_i8gemm, m) {
  m.doc() = "Exact int8 GEMM with fused output stages (the compiled part of the i8gemm package)";
  pybind11::register_exception<i8gemm::Error>(m, "Error", PyExc_ValueError);
  i8gemm::python::bind_gemm(m);
  i8gemm::python::bind_dynamic(m);
  i8gemm::python::bind_quantize(m);
  m.attr("__version__") = I8GEMM_VERSION;
}
