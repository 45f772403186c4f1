// NumPy arguments of the Python module: matrices seen in place where their layout allows (rows
// at any stride, elements contiguous within a row), small parameter arrays converted with their
// range checked. Every refusal is a ValueError naming the Python argument.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <vector>

namespace i8gemm::python {

namespace py = pybind11;

// A ValueError whose message starts with the argument's name.
[[noreturn]] void argument_error(const std::string& name, const std::string& message);

// The numpy module (imported once, never released: module globals must outlive the interpreter's
// teardown order).
py::module_& numpy();

// "int8", "float32", ... of an array's dtype.
std::string dtype_name(const py::array& a);

// A row-major matrix as i8gemm reads it: element (r, c) at data[r * ld + c].
template <typename T>
struct Matrix {
  py::array array;  // keeps the memory alive (the caller's array, or a copy of it)
  T* data = nullptr;
  std::int64_t rows = 0, cols = 0, ld = 0;
  bool copied = false;
};

// `obj` as a 2-D matrix of T, read in place when its rows are evenly strided and each row is
// contiguous (C order, a slice of rows or of leading columns, ...), else copied to C order.
// A dtype other than T is an error (no silent narrowing).
template <typename T>
Matrix<T> input_matrix(py::handle obj, const std::string& name);

// `obj` as a writable 2-D output of T with the given shape, written in place: it must be
// row-strided as above, aligned and writeable (an output is never copied).
template <typename T>
Matrix<T> output_matrix(py::handle obj, const std::string& name, std::int64_t rows,
                        std::int64_t cols);

// A new C-contiguous rows x cols array of T.
template <typename T>
Matrix<T> new_matrix(std::int64_t rows, std::int64_t cols);

// A 2-D float matrix: float32 read in place where the layout allows, other float types converted
// to float32 (a copy); integers are refused.
Matrix<float> float_matrix(py::handle obj, const std::string& name);

// True if obj is a Python / numpy scalar (0-D), not an array or sequence.
bool is_scalar(py::handle obj);

// An integer argument that must fit int32 (ValueError naming it otherwise).
std::int32_t int32_scalar(py::handle obj, const std::string& name);

// Small parameter arrays (bias, zero points, scales): a 1-D array-like of `count` values (count
// < 0: any length), converted to a C-contiguous array of int32 / float32. Integers must fit
// int32 exactly; float32 accepts any real number (rounded to the nearest float).
py::array_t<std::int32_t> int32_vector(py::handle obj, const std::string& name, std::int64_t count,
                                       const std::string& what);
py::array_t<float> float32_vector(py::handle obj, const std::string& name, std::int64_t count,
                                  const std::string& what);

// A real array of any shape as C-contiguous float32 (a copy unless it is one already).
py::array float32_array(py::handle obj, const std::string& name);

}  // namespace i8gemm::python
