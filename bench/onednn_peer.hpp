// oneDNN as the peer to beat: its int8 matmul primitive and its dnnl_gemm_u8s8s32 BLAS-like
// call, on the same inputs as ours. Built only when oneDNN is found (I8GEMM_HAVE_ONEDNN).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

namespace i8gemm::bench {

// One GEMM and the rotated copies of A and C it runs over (copy i of A goes with copy i of C).
struct PeerProblem {
  std::int64_t m = 0, n = 0, k = 0;
  const std::int8_t* a = nullptr;      // `copies` copies of M x K, row-major, dense
  const std::int8_t* b = nullptr;      // K x N, row-major
  const std::int32_t* bias = nullptr;  // N values
  const float* scales = nullptr;       // N values: the real requantization multipliers
  std::int32_t a_zero_point = 0;
  std::int32_t c_zero_point = 0;
  void* c = nullptr;  // `copies` copies of M x N, row-major, dense (int8 or int32)
  std::size_t copies = 1;
  int threads = 1;  // oneDNN's OpenMP threads for this problem
};

// Restricts oneDNN to one thread. Call at the start of main, before any other oneDNN call.
void onednn_init();
// Version, ISA and thread count of oneDNN, as (key, value) pairs for the benchmark context.
std::vector<std::pair<std::string, std::string>> onednn_context();

// s8 A with a runtime zero point, s8 weights reordered once to the primitive's format,
// per-column output scales fixed at creation, s32 bias, s8 C with a runtime zero point.
void run_onednn_matmul(benchmark::State& state, const PeerProblem& p);
// dnnl_gemm_u8s8s32 (row-major, no transposes, all offsets zero): A's bytes read as u8,
// C is int32. B is not prepacked: this call packs it on every call.
void run_onednn_gemm_u8s8s32(benchmark::State& state, const PeerProblem& p);

// The float layer a dynamically quantized one replaces: f32 A (`copies` copies of M x K), f32
// weights K x N reordered once to the primitive's format, f32 bias, f32 C.
struct PeerF32Problem {
  std::int64_t m = 0, n = 0, k = 0;
  const float* a = nullptr;
  const float* b = nullptr;
  const float* bias = nullptr;
  float* c = nullptr;
  std::size_t copies = 1;
};
void run_onednn_f32_matmul(benchmark::State& state, const PeerF32Problem& p);

}  // namespace i8gemm::bench
