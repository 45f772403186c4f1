#!/usr/bin/env bash
# Installs what is missing, builds and runs the whole test suite (what CI runs): the native
# build, and on an x86-64 host also the aarch64 cross build with its suite under qemu
# (neon, neon_dotprod and neon_i8mm; dispatch on three emulated CPUs).
set -euo pipefail
cd "$(dirname "$0")/.."
cross_arm=0
[[ "$(uname -m)" == "x86_64" ]] && cross_arm=1
if ((cross_arm)); then cmake/install-deps.sh --arm; else cmake/install-deps.sh; fi
SECONDS=0
cmake --workflow --preset test
echo "tests/run.sh: native suite done in ${SECONDS} s"
if ((cross_arm)); then
  SECONDS=0
  cmake --workflow --preset test-aarch64
  echo "tests/run.sh: aarch64 suite (qemu) done in ${SECONDS} s"
fi
