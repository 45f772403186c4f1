#!/usr/bin/env bash
# Installs what is missing, builds and runs the whole test suite (what CI runs):
#   1. the native build and its suite (every path this CPU runs; the others skip, saying why),
#      with the Python module's pytest suite and walkthrough (python3-pytest, numpy, pybind11),
#   2. the same suite under AddressSanitizer + UBSan,
#   3. the threading tests under TSan, in a build without the optional peers (oneDNN, gemmlowp,
#      pybind11): there the benchmark suite, the CLI and the tests still build warning-free, the
#      main job's table prints without oneDNN, and the Python tests skip saying what is missing,
#   4. side by side, since each takes one core for a fixed time: the differential fuzzer
#      (libFuzzer, Clang) for I8GEMM_FUZZ_SECONDS (default 60), and `i8gemm verify` on every
#      available path for I8GEMM_VERIFY_SECONDS (default 60) in total, with a new seed each run
#      (I8GEMM_VERIFY_SEED to repeat one; it is printed),
#   5. on an x86-64 host, the aarch64 cross build with its suite under qemu (neon,
#      neon_dotprod and neon_i8mm; dispatch on three emulated CPUs), and the riscv64 one (the
#      portable scalar and generic paths).
set -euo pipefail
cd "$(dirname "$0")/.."
cross=0
[[ "$(uname -m)" == "x86_64" ]] && cross=1
# What the native build needs is installed first; the rest (the fuzzer's Clang, matplotlib for
# bench.plot, the cross toolchains and qemu: over a minute on a fresh machine, most of it
# matplotlib) while the native suite builds, before its tests run.
cmake/install-deps.sh --python
later_deps=(--fuzz --plots)
((cross)) && later_deps+=(--arm --riscv)
deps_log=build/install-deps.log
mkdir -p build
cmake/install-deps.sh "${later_deps[@]}" >"$deps_log" 2>&1 &
deps=$!
step() {
  local name=$1 status=0
  shift
  SECONDS=0
  "$@" || status=$?
  if ((status == 0)); then
    echo "tests/run.sh: ${name} done in ${SECONDS} s"
  else
    echo "tests/run.sh: ${name} FAILED (exit ${status}) after ${SECONDS} s"
  fi
  return "$status"
}
wait_for_deps() {
  local status=0
  wait "$deps" || status=$?
  cat "$deps_log"
  return "$status"
}
native_suite() {
  local status=0
  { cmake --preset release && cmake --build --preset release; } || status=$?
  wait_for_deps || return $?
  ((status == 0)) || return "$status"
  ctest --preset release
}
step "native suite" native_suite
step "ASan+UBSan suite" cmake --workflow --preset test-asan
step "TSan threading suite, no optional peers" cmake --workflow --preset test-tsan
# Step 4: the fuzzer is built first, on both cores; then the soak and the fuzzer run side by
# side, and the soak's output is printed after the fuzzer's.
step "fuzzer build" tests/fuzz/run_fuzz.sh --build
soak_log=build/differential-soak.log
step "differential soak" build/release/bench/i8gemm verify \
  --seconds "${I8GEMM_VERIFY_SECONDS:-60}" --seed "${I8GEMM_VERIFY_SEED:-$(date +%s)}" \
  >"$soak_log" 2>&1 &
soak=$!
fuzz_status=0
step "fuzzing" tests/fuzz/run_fuzz.sh "${I8GEMM_FUZZ_SECONDS:-60}" || fuzz_status=$?
soak_status=0
wait "$soak" || soak_status=$?
cat "$soak_log"
((fuzz_status == 0 && soak_status == 0)) || exit 1
if ((cross)); then
  step "aarch64 suite (qemu)" cmake --workflow --preset test-aarch64
  step "riscv64 suite (qemu)" cmake --workflow --preset test-riscv64
fi
