// The epilogue of the plain C++ paths (scalar, generic): the zero-point terms of
// framework/epilogue_args.hpp, then the oracle's own per-value output stages
// (reference/output_stage_reference.hpp, compiled here in this path's namespace), one element at
// a time. The compiler may vectorize what it can; the bits are the oracle's by construction.
#pragma once

#include <cstdint>

#include "epilogue/column_terms.hpp"
#include "framework/epilogue_args.hpp"
#include "framework/isa_namespace.hpp"
#include "reference/output_stage_reference.hpp"

namespace i8gemm::I8GEMM_ISA_NS::epilogue {

struct PlainEpilogue {
  // acc = S + col_term[j] - za_i * col_sum[j] - zb_j * row_term[i], modulo 2^32.
  static std::int32_t accumulator(const detail::EpilogueArgs& a, std::int32_t s, std::int64_t i,
                                  std::int64_t j) {
    std::uint32_t acc = static_cast<std::uint32_t>(s) + static_cast<std::uint32_t>(a.col_terms[j]);
    if (a.a_zero_points != nullptr) {
      acc -= static_cast<std::uint32_t>(a.a_zero_points[i - a.a_zero_points_row0]) *
             static_cast<std::uint32_t>(a.col_sums[j]);
    }
    if (a.row_terms != nullptr) {
      const std::int32_t zb = a.b_zero_points != nullptr ? a.b_zero_points[j] : a.b_zero_point;
      acc -= static_cast<std::uint32_t>(zb) *
             static_cast<std::uint32_t>(a.row_terms[i - a.row_terms_row0]);
    }
    return static_cast<std::int32_t>(acc);
  }

  template <typename T, typename Stage>
  static void rows(const detail::EpilogueArgs& a, const std::int32_t* tile, int tile_ld, int m,
                   int n, std::int64_t row0, std::int64_t col0, Stage stage) {
    const detail::OutDesc& out = *a.out;
    for (int r = 0; r < m; ++r) {
      const std::int64_t i = row0 + r;
      T* dst = static_cast<T*>(out.data) + i * out.ld + col0;
      for (int c = 0; c < n; ++c) {
        dst[c] =
            static_cast<T>(stage(accumulator(a, tile[r * tile_ld + c], i, col0 + c), i, col0 + c));
      }
    }
  }

  template <typename T>
  static void narrow(const detail::EpilogueArgs& a, const std::int32_t* tile, int tile_ld, int m,
                     int n, std::int64_t row0, std::int64_t col0) {
    const detail::OutDesc& out = *a.out;
    if (out.kind == detail::OutKind::fixed_point) {
      rows<T>(a, tile, tile_ld, m, n, row0, col0,
              [&out](std::int32_t v, std::int64_t, std::int64_t j) {
                const QuantizedMultiplier q =
                    out.multipliers != nullptr ? out.multipliers[j] : out.multiplier;
                return reference::requantize_fixed_point(v, q, out.zero_point, out.min, out.max);
              });
    } else {
      rows<T>(a, tile, tile_ld, m, n, row0, col0,
              [&out](std::int32_t v, std::int64_t, std::int64_t j) {
                const float scale = out.scales != nullptr ? out.scales[j] : out.scale;
                return reference::requantize_float(v, scale, out.zero_point, out.min, out.max);
              });
    }
  }

  static void run(const detail::EpilogueArgs& a, const std::int32_t* tile, int tile_ld, int m,
                  int n, std::int64_t row0, std::int64_t col0) {
    const detail::OutDesc& out = *a.out;
    switch (out.kind) {
      case detail::OutKind::int32:
        rows<std::int32_t>(a, tile, tile_ld, m, n, row0, col0,
                           [](std::int32_t v, std::int64_t, std::int64_t) { return v; });
        return;
      case detail::OutKind::fixed_point:
      case detail::OutKind::float_scale:
        if (out.type == detail::OutType::s8) {
          narrow<std::int8_t>(a, tile, tile_ld, m, n, row0, col0);
        } else {
          narrow<std::uint8_t>(a, tile, tile_ld, m, n, row0, col0);
        }
        return;
      case detail::OutKind::float32:
        rows<float>(a, tile, tile_ld, m, n, row0, col0,
                    [&a, &out](std::int32_t v, std::int64_t i, std::int64_t j) {
                      const float a_scale =
                          a.a_scales != nullptr ? a.a_scales[i - a.a_scales_row0] : out.a_scale;
                      const float b_scale = out.scales != nullptr ? out.scales[j] : out.scale;
                      const float bias = out.bias_f != nullptr ? out.bias_f[j] : 0.0f;
                      return reference::dequantize_output(v, a_scale, b_scale, bias, out.min_f,
                                                          out.max_f);
                    });
        return;
    }
  }
};

}  // namespace i8gemm::I8GEMM_ISA_NS::epilogue

// Defines i8gemm_epilogue__<isa> (path_config.hpp, EpilogueKernels) for one plain C++ path's
// object library.
#define I8GEMM_DEFINE_PLAIN_EPILOGUE(isa)                                                          \
  namespace i8gemm::detail::I8GEMM_ISA_NS {                                                        \
  void i8gemm_epilogue_run__##isa(const EpilogueArgs& args, const std::int32_t* tile, int tile_ld, \
                                  int m, int n, std::int64_t row0, std::int64_t col0) {            \
    ::i8gemm::I8GEMM_ISA_NS::epilogue::PlainEpilogue::run(args, tile, tile_ld, m, n, row0, col0);  \
  }                                                                                                \
  I8GEMM_EPILOGUE_KERNELS(isa)                                                                     \
  }
