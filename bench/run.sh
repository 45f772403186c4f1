#!/usr/bin/env bash
# The main job: installs what is missing (oneDNN included, as the peer), builds Release, prints
# what this CPU runs, runs the benchmark suite (every path, the scalar oracle, oneDNN), runs
# oneDNN again restricted to AVX512_CORE_VNNI (on CPUs with AMX its default is AMX, which no
# i8gemm path uses: this is the like-for-like peer of avx512vnni), and prints the comparison.
# Extra arguments go to the benchmark binary, e.g. --benchmark_filter=avx512vnni.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake/install-deps.sh --bench
cmake --preset release
cmake --build --preset release
out=build/release
$out/bench/i8gemm info
$out/bench/i8gemm_bench --benchmark_out=$out/bench.json --benchmark_out_format=json "$@"
ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI $out/bench/i8gemm_bench --benchmark_filter='onednn' \
  --benchmark_out=$out/bench_onednn_vnni.json --benchmark_out_format=json > /dev/null
python3 bench/compare_table.py $out/bench.json $out/bench_onednn_vnni.json AVX512_CORE_VNNI \
  | tee $out/comparison.md
python3 bench/plot.py $out/bench.json $out/bench_onednn_vnni.json AVX512_CORE_VNNI
