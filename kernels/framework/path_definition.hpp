// What a path's folder uses to define its descriptor (path__<name>.cpp): the declarations of
// its micro-kernels, epilogue, quantization table and peak loop, which the path's other files
// define in its namespace (isa_namespace.hpp), and I8GEMM_PATH_CONFIG, the registry entry. The
// descriptor is constexpr: it is data, so nothing of a path runs before dispatch chose it.
#pragma once

#include "framework/isa_namespace.hpp"
#include "framework/path_config.hpp"
#include "quantize/quantize_dispatch.hpp"

#define I8GEMM_DECLARE_UKERNEL(fn)                                                             \
  void fn(std::size_t k_units, const void* a_panel, const void* b_panel, std::int32_t* c_tile, \
          std::size_t ldc, bool accumulate);
#define I8GEMM_DECLARE_OVERLAPPED_UKERNEL(fn)                                                  \
  void fn(std::size_t k_units, const void* a_panel, const void* b_panel, std::int32_t* c_tile, \
          bool accumulate, const PendingEpilogue* earlier, PrefetchSpread prefetch);
#define I8GEMM_DECLARE_DIRECT_UKERNEL(fn)                                            \
  void fn(std::size_t k, const std::uint8_t* a, std::size_t lda, int rows, int cols, \
          const void* b_panel, std::int32_t* c_tile, std::size_t ldc);
#define I8GEMM_DECLARE_EPILOGUE(name) extern const EpilogueKernels name;

#define I8GEMM_DECLARE_PACK_A_BLOCK(fn)                                                        \
  bool fn(const std::uint8_t* a, std::int64_t lda, std::int64_t valid_rows, std::int64_t rows, \
          int mr, std::int64_t kc, std::int64_t kcpad, bool flip, std::uint8_t* out,           \
          std::int32_t* row_sums, bool signed_a);

// extern constexpr: external linkage, and a compile error unless constant-initialized.
#define I8GEMM_PATH_CONFIG(name) extern constexpr PathConfig i8gemm_path__##name
