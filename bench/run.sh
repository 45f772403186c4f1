#!/usr/bin/env bash
# The main job: installs what is missing (oneDNN included, as the peer), builds Release,
# prints what this CPU runs, then runs the benchmark suite (every path, the oracle, oneDNN).
# Extra arguments go to the benchmark binary, e.g. --benchmark_filter=avx512vnni.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake/install-deps.sh --bench
cmake --preset release
cmake --build --preset release
build/release/bench/i8gemm info
build/release/bench/i8gemm_bench --benchmark_out=build/release/bench.json \
  --benchmark_out_format=json "$@"
