#!/usr/bin/env bash
# The main job's comparison table from a short run of the benchmark suite: it must print a row,
# with the oneDNN columns (its matmul and its gemm_u8s8s32) exactly when oneDNN is built in
# (ctest bench.table).
# usage: bench_table.sh BENCH_BINARY SOURCE_DIR WORK_DIR HAVE_ONEDNN(0|1)
set -euo pipefail
bench=$1 src=$2 work=$3 have_onednn=$4
mkdir -p "$work"
"$bench" --benchmark_filter='^gemm/[^/]+/int(8|8_fp32|32)/16x16x16(/threads:2/real_time)?$' \
  --benchmark_min_time=0.01 --benchmark_repetitions=2 \
  --benchmark_out="$work/bench.json" --benchmark_out_format=json > /dev/null
table=$(python3 "$src/bench/compare_table.py" "$work/bench.json")
echo "$table"
grep -q '^| 16×16×16 | [0-9]' <<< "$table"
if [[ $have_onednn == 1 ]]; then
  grep -q 'oneDNN matmul' <<< "$table"
  grep -q 'oneDNN gemm_u8s8s32' <<< "$table"
else
  ! grep -q 'oneDNN' <<< "$table"
fi
echo "bench_table: table printed ($([[ $have_onednn == 1 ]] && echo with || echo without) oneDNN)"
