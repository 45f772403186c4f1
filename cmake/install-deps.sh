#!/usr/bin/env bash
# Installs the Debian packages i8gemm builds and tests with, and only those missing.
# Usage: cmake/install-deps.sh [--bench] [--arm]
#   --bench  adds the benchmark peers (oneDNN) and matplotlib for the charts
#   --fuzz   adds Clang and its libFuzzer/sanitizer runtimes (tests/fuzz)
#   --plots  adds matplotlib for bench/plot.py (tested on a sample)
#   --arm    adds the aarch64 cross build: cross compiler, qemu user-mode emulation and the
#            GoogleTest sources (cmake/toolchain-aarch64.cmake)
set -euo pipefail
pkgs=(cmake g++ pkg-config libgtest-dev libbenchmark-dev libxsimd-dev libgemmlowp-dev)
for arg in "$@"; do
  case "$arg" in
    --bench) pkgs+=(libdnnl-dev python3 python3-matplotlib) ;;
    --fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
    --plots) pkgs+=(python3 python3-matplotlib) ;;
    --arm) pkgs+=(g++-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user googletest) ;;
    *)
      echo "install-deps: unknown option '$arg' (options: --bench --fuzz --plots --arm)" >&2
      exit 2
      ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all of ${pkgs[*]} present"
fi
