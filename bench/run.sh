#!/usr/bin/env bash
# The main job: installs what is missing (oneDNN and matplotlib too, both optional), builds
# Release, prints what this CPU runs, runs the benchmark suite (every path, the scalar oracle and
# oneDNN), on CPUs with AMX runs oneDNN again restricted to AVX512_CORE_VNNI (there its default
# is AMX: this is the like-for-like peer of the AVX-512-VNNI path; elsewhere the restriction would
# change nothing), prints the comparison table and
# draws the charts. Without oneDNN the table has no oneDNN columns; without matplotlib there are
# no charts. I8GEMM_WITH_ONEDNN=OFF leaves oneDNN out even when it is installed.
# Extra arguments go to the benchmark binary, e.g. --benchmark_filter=1024x1024x1024.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake/install-deps.sh --bench
cmake --preset release -DI8GEMM_WITH_ONEDNN="${I8GEMM_WITH_ONEDNN:-ON}"
cmake --build --preset release
out=build/release
bench=$out/bench/i8gemm_bench
$out/bench/i8gemm info
$bench --benchmark_out=$out/bench.json --benchmark_out_format=json "$@"
rm -f $out/bench_onednn_vnni.json
restricted=()
if $out/bench/i8gemm info | grep -q '^cpu features:.*amx_int8' &&
  $bench --i8gemm_peers_only --benchmark_list_tests=true "$@" | grep -q onednn; then
  ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI $bench --i8gemm_peers_only \
    --benchmark_out=$out/bench_onednn_vnni.json --benchmark_out_format=json "$@" > /dev/null
  restricted=($out/bench_onednn_vnni.json AVX512_CORE_VNNI)
fi
python3 bench/compare_table.py $out/bench.json "${restricted[@]}" | tee $out/comparison.md
if python3 -c 'import matplotlib' 2> /dev/null || /usr/bin/python3 -c 'import matplotlib' 2> /dev/null; then
  python3 bench/plot.py $out/bench.json "${restricted[@]}"
else
  echo "bench/run.sh: charts skipped: matplotlib is not installed (Debian: python3-matplotlib)"
fi
