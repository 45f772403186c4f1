#include "numpy_args.hpp"

#include <Python.h>

#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

namespace i8gemm::python {
namespace {

template <typename T>
const char* type_name() {
  if constexpr (std::is_same_v<T, std::int8_t>) return "int8";
  if constexpr (std::is_same_v<T, std::uint8_t>) return "uint8";
  if constexpr (std::is_same_v<T, std::int16_t>) return "int16";
  if constexpr (std::is_same_v<T, std::uint16_t>) return "uint16";
  if constexpr (std::is_same_v<T, std::int32_t>) return "int32";
  return "float32";
}

std::string shape_of(const py::array& a) {
  std::ostringstream s;
  s << "(";
  for (py::ssize_t d = 0; d < a.ndim(); ++d) s << (d ? ", " : "") << a.shape(d);
  s << (a.ndim() == 1 ? ",)" : ")");
  return s.str();
}

bool has_flag(const py::array& a, int flag) {
  return (a.flags() & flag) != 0;
}

// The leading dimension (in elements) at which i8gemm reads `a` in place, or -1 when its layout
// does not allow that: each row contiguous, rows evenly strided forward, elements aligned.
template <typename T>
std::int64_t in_place_ld(const py::array& a) {
  const std::int64_t rows = a.shape(0), cols = a.shape(1);
  const std::int64_t size = static_cast<std::int64_t>(sizeof(T));
  if (rows == 0 || cols == 0) return cols;  // nothing is read (numpy gives such arrays 0 strides)
  if (!has_flag(a, py::detail::npy_api::NPY_ARRAY_ALIGNED_)) return -1;
  if (cols > 1 && a.strides(1) != size) return -1;
  if (rows == 1) return cols;
  const std::int64_t row_stride = a.strides(0);
  if (row_stride <= 0 || row_stride % size != 0 || row_stride / size < cols) return -1;
  return row_stride / size;
}

template <typename T>
py::array checked_dtype(py::handle obj, const std::string& name, const char* wanted) {
  if (obj.is_none())
    argument_error(name, std::string("is None; expected a 2-D array of ") + wanted);
  py::array a = py::array::ensure(obj);
  if (!a) argument_error(name, "is not an array (" + std::string(py::str(obj.get_type())) + ")");
  if (!a.dtype().equal(py::dtype::of<T>())) {
    argument_error(name, "dtype " + dtype_name(a) + " is not " + wanted +
                             " (convert it with .astype(...) once its values fit)");
  }
  if (a.ndim() != 2) argument_error(name, "expected a 2-D array, got shape " + shape_of(a));
  return a;
}

}  // namespace

void argument_error(const std::string& name, const std::string& message) {
  throw py::value_error(name + ": " + message);
}

py::module_& numpy() {
  static auto* np = new py::module_(py::module_::import("numpy"));
  return *np;
}

std::string dtype_name(const py::array& a) {
  return py::str(a.dtype().attr("name"));
}

template <typename T>
Matrix<T> input_matrix(py::handle obj, const std::string& name) {
  Matrix<T> m;
  m.array = checked_dtype<T>(obj, name, type_name<T>());
  std::int64_t ld = in_place_ld<T>(m.array);
  if (ld < 0) {
    m.array = numpy().attr("ascontiguousarray")(m.array);
    m.copied = true;
    ld = in_place_ld<T>(m.array);
  }
  m.rows = m.array.shape(0);
  m.cols = m.array.shape(1);
  m.ld = ld;
  // Read only, though the view type is mutable: a read-only array is as good an input.
  m.data = static_cast<T*>(const_cast<void*>(m.array.data()));
  return m;
}

template <typename T>
Matrix<T> output_matrix(py::handle obj, const std::string& name, std::int64_t rows,
                        std::int64_t cols) {
  if (!py::isinstance<py::array>(obj)) {
    argument_error(name, "is not a numpy array (" + std::string(py::str(obj.get_type())) + ")");
  }
  Matrix<T> m;
  m.array = py::reinterpret_borrow<py::array>(obj);
  if (!m.array.dtype().equal(py::dtype::of<T>())) {
    argument_error(name, "dtype " + dtype_name(m.array) + " is not " + type_name<T>() +
                             ", the output stage's type");
  }
  if (m.array.ndim() != 2 || m.array.shape(0) != rows || m.array.shape(1) != cols) {
    argument_error(name, "shape " + shape_of(m.array) + " is not (M, N) = (" +
                             std::to_string(rows) + ", " + std::to_string(cols) + ")");
  }
  if (!m.array.writeable()) argument_error(name, "is read-only");
  m.ld = in_place_ld<T>(m.array);
  if (m.ld < 0) {
    argument_error(name,
                   "cannot be written in place: rows must be evenly strided and each row "
                   "contiguous and aligned (C order, or a slice of rows / leading columns)");
  }
  m.rows = rows;
  m.cols = cols;
  m.data = static_cast<T*>(m.array.mutable_data());
  return m;
}

template <typename T>
Matrix<T> new_matrix(std::int64_t rows, std::int64_t cols) {
  Matrix<T> m;
  m.array = py::array_t<T>({rows, cols});
  m.rows = rows;
  m.cols = cols;
  m.ld = cols;
  m.data = static_cast<T*>(m.array.mutable_data());
  return m;
}

Matrix<float> float_matrix(py::handle obj, const std::string& name) {
  py::array a = numpy().attr("asarray")(obj);
  if (a.dtype().kind() != 'f') {
    argument_error(name, "dtype " + dtype_name(a) + " is not a floating-point type");
  }
  if (!a.dtype().equal(py::dtype::of<float>())) a = a.attr("astype")("float32");
  return input_matrix<float>(a, name);
}

bool is_scalar(py::handle obj) {
  return numpy().attr("ndim")(obj).cast<int>() == 0;
}

std::int32_t int32_scalar(py::handle obj, const std::string& name) {
  py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(obj.ptr()));
  if (!index) {
    PyErr_Clear();
    argument_error(name, std::string(py::repr(obj)) + " is not an integer");
  }
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow != 0 || v < std::numeric_limits<std::int32_t>::min() ||
      v > std::numeric_limits<std::int32_t>::max()) {
    argument_error(name, std::string(py::repr(index)) + " does not fit int32");
  }
  return static_cast<std::int32_t>(v);
}

namespace {

// obj as a 1-D array of `count` values (count < 0: any), of a dtype kind in `kinds`.
py::array vector_of(py::handle obj, const std::string& name, std::int64_t count,
                    const std::string& what, const char* kinds, const char* kinds_name) {
  py::array a = numpy().attr("asarray")(obj);
  if (a.ndim() != 1) {
    argument_error(name, "expected a number or a 1-D array" +
                             (count >= 0 ? " of " + std::to_string(count) + " values" : "") +
                             ", got shape " + shape_of(a));
  }
  if (std::string(kinds).find(a.dtype().kind()) == std::string::npos) {
    argument_error(name, "dtype " + dtype_name(a) + " is not " + kinds_name);
  }
  if (count >= 0 && a.shape(0) != count) {
    argument_error(name, std::to_string(a.shape(0)) + " values, expected " + std::to_string(count) +
                             " (" + what + ")");
  }
  return a;
}

}  // namespace

py::array_t<std::int32_t> int32_vector(py::handle obj, const std::string& name, std::int64_t count,
                                       const std::string& what) {
  py::array a = vector_of(obj, name, count, what, "iub", "an integer type");
  if (a.size() > 0) {
    const py::int_ lo(a.attr("min")()), hi(a.attr("max")());
    if (lo < py::int_(std::numeric_limits<std::int32_t>::min()) ||
        hi > py::int_(std::numeric_limits<std::int32_t>::max())) {
      argument_error(name, "values in [" + std::string(py::str(py::handle(lo))) + ", " +
                               std::string(py::str(py::handle(hi))) + "] do not fit int32");
    }
  }
  return numpy().attr("ascontiguousarray")(a, "int32");
}

py::array_t<float> float32_vector(py::handle obj, const std::string& name, std::int64_t count,
                                  const std::string& what) {
  py::array a = vector_of(obj, name, count, what, "fiu", "a real number type");
  return numpy().attr("ascontiguousarray")(a, "float32");
}

py::array float32_array(py::handle obj, const std::string& name) {
  py::array a = numpy().attr("asarray")(obj);
  if (a.dtype().kind() != 'f') {
    argument_error(name, "dtype " + dtype_name(a) + " is not a floating-point type");
  }
  return numpy().attr("ascontiguousarray")(a, "float32");
}

#define I8GEMM_PYTHON_MATRIX(T)                                                                    \
  template Matrix<T> input_matrix<T>(py::handle, const std::string&);                              \
  template Matrix<T> output_matrix<T>(py::handle, const std::string&, std::int64_t, std::int64_t); \
  template Matrix<T> new_matrix<T>(std::int64_t, std::int64_t);
I8GEMM_PYTHON_MATRIX(std::int8_t)
I8GEMM_PYTHON_MATRIX(std::uint8_t)
I8GEMM_PYTHON_MATRIX(std::int16_t)
I8GEMM_PYTHON_MATRIX(std::uint16_t)
I8GEMM_PYTHON_MATRIX(std::int32_t)
I8GEMM_PYTHON_MATRIX(float)
#undef I8GEMM_PYTHON_MATRIX

}  // namespace i8gemm::python
