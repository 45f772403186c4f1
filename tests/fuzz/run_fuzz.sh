#!/usr/bin/env bash
# Builds the libFuzzer target with Clang (AddressSanitizer + UBSan, library instrumented) in
# build/fuzz and fuzzes for DURATION seconds (default 60) on a copy of the seed corpus.
# New inputs go to build/fuzz/corpus; a failing input is saved as build/fuzz/crash-*.
# With --build it only builds (tests/run.sh builds first, so that the build has both cores).
#   tests/fuzz/run_fuzz.sh 600
set -euo pipefail
build_only=0
if [[ ${1:-} == --build ]]; then
  build_only=1
  shift
fi
duration=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/fuzz
# Line tables only (-g1): a report still names functions, files and lines, and the instrumented
# build is faster than with full debug information (GCC's ASan build of pack.cpp: 11.9 s, 19.5 s).
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DI8GEMM_FUZZ=ON -DI8GEMM_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target i8gemm_fuzz -j"$(nproc)"
((build_only)) && exit 0
mkdir -p "$build/corpus"
cp -n "$root"/tests/fuzz/corpus/* "$build/corpus/"
cd "$build"
log=$build/fuzz.log
set +e
./tests/fuzz/i8gemm_fuzz -max_total_time="$duration" -max_len=8192 -print_final_stats=1 \
  -artifact_prefix="$build/" corpus 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
echo "executions: ${runs:-unknown} in ${duration} s (log: $log)"
exit "$status"
