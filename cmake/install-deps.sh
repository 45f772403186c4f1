#!/usr/bin/env bash
# Installs the Debian packages i8gemm builds and tests with, and only those missing.
# Usage: cmake/install-deps.sh [--bench] [--fuzz] [--plots] [--python] [--arm] [--riscv]
#   (always)  the build, the tests and the benchmark suite; gemmlowp, optional, for the tests
#             that compare the fixed-point stage with it
#   --bench   adds the benchmark peer (oneDNN) and matplotlib for the charts, both optional
#   --python  adds the Python module's build and tests (optional): pybind11, numpy and pytest
#             for the system interpreter /usr/bin/python3, and its headers
#   --fuzz    adds Clang and its libFuzzer/sanitizer runtimes (tests/fuzz)
#   --plots   adds matplotlib for bench/plot.py (optional)
#   --arm     adds the aarch64 cross build: cross compiler, qemu user-mode emulation and the
#             GoogleTest sources (cmake/toolchain-aarch64.cmake)
#   --riscv   adds the riscv64 cross build likewise (cmake/toolchain-riscv64.cmake)
# A required package that cannot be installed is an error; an optional one is a warning, and
# the build leaves out what needs it (configure says what).
set -euo pipefail
required=(cmake g++ make pkg-config python3 libgtest-dev libbenchmark-dev libxsimd-dev)
optional=(libgemmlowp-dev)
for arg in "$@"; do
  case "$arg" in
    --bench) optional+=(libdnnl-dev python3-matplotlib) ;;
    --fuzz) required+=(clang libclang-rt-14-dev) ;;
    --plots) optional+=(python3-matplotlib) ;;
    --python) optional+=(pybind11-dev python3-numpy python3-pytest python3-dev) ;;
    --arm) required+=(g++-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user googletest) ;;
    --riscv) required+=(g++-riscv64-linux-gnu binutils-riscv64-linux-gnu qemu-user googletest) ;;
    *)
      echo "install-deps: unknown option '$arg' (options: --bench --fuzz --plots --python --arm" \
        "--riscv)" >&2
      exit 2
      ;;
  esac
done

missing() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done | sort -u
}
mapfile -t need < <(missing "${required[@]}")
mapfile -t want < <(missing "${optional[@]}")
if ((${#need[@]} + ${#want[@]} == 0)); then
  echo "install-deps: all of ${required[*]} ${optional[*]} present"
  exit 0
fi

sudo_cmd=()
[[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
apt_install() {
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@"
}
echo "install-deps: installing ${need[*]} ${want[*]}"
"${sudo_cmd[@]}" apt-get update -qq || echo "install-deps: apt-get update failed; trying the cached lists" >&2
if ((${#need[@]})); then
  apt_install "${need[@]}"
fi
for p in "${want[@]}"; do
  apt_install "$p" || echo "install-deps: warning: optional package $p could not be installed;" \
    "what needs it is skipped" >&2
done
