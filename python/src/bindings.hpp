// The parts of the Python module i8gemm (module.cpp puts them together).
#pragma once

#include <pybind11/pybind11.h>

namespace i8gemm::python {

// Paths, Context, PackedB, QuantizedMultiplier, the output stages and gemm (bind_gemm.cpp).
void bind_gemm(pybind11::module_& m);
// QuantizedWeights and gemm_dynamic of dynamic.hpp, also as a Context method (bind_dynamic.cpp;
// after bind_gemm).
void bind_dynamic(pybind11::module_& m);
// QuantParams and the quantization utilities of quantize.hpp (bind_quantize.cpp).
void bind_quantize(pybind11::module_& m);

}  // namespace i8gemm::python
