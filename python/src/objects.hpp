// The Python module's objects shared by its parts: a Context with its one-call-at-a-time guard,
// packed B.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "i8gemm/i8gemm.hpp"
#include "numpy_args.hpp"

namespace i8gemm::python {

// A Context and a guard: the library's Context serves one call at a time, and with the GIL
// released during a call two Python threads could otherwise enter the same one.
struct PyContext {
  Context ctx;
  std::atomic<bool> busy{false};
  explicit PyContext(Context c) : ctx(std::move(c)) {}
};

class Lease {
 public:
  explicit Lease(PyContext& c) : c_(c) {
    if (c_.busy.exchange(true)) {
      throw std::runtime_error(
          "ctx: this Context is running a call in another thread; give each thread its own "
          "Context (PackedB objects may be shared)");
    }
  }
  ~Lease() { c_.busy.store(false); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

 private:
  PyContext& c_;
};

inline Isa isa_of(py::handle obj) {
  if (!py::isinstance<py::str>(obj)) {
    argument_error("isa", std::string(py::repr(obj)) + " is not a path name (a str)");
  }
  return parse_isa(obj.cast<std::string>());  // Error "isa: unknown path ..." names it
}

inline std::unique_ptr<PyContext> make_context(py::handle isa, int threads) {
  if (isa.is_none()) return std::make_unique<PyContext>(Context(default_isa(), threads));
  return std::make_unique<PyContext>(Context(isa_of(isa), threads));
}

inline BLayout layout_of(const std::string& layout, const char* name) {
  if (layout == "kn") return BLayout::kn;
  if (layout == "nk") return BLayout::nk;
  argument_error(name, "'" + layout + "' is not 'kn' (B is K x N) or 'nk' (B is N x K)");
}

// B packed once (the library's PackedB, move-only, held by the Python object).
struct PyPackedB {
  PackedB packed;
};

// The context a call runs on: `ctx`, or a fresh default one kept in `own` (None given).
inline PyContext& context_or_default(PyContext* ctx, std::unique_ptr<PyContext>& own) {
  if (ctx != nullptr) return *ctx;
  own = make_context(py::none(), 1);
  return *own;
}

}  // namespace i8gemm::python
