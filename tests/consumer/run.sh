#!/usr/bin/env bash
# Installs i8gemm (Release, tests and benchmarks off: the library and the `i8gemm` tool) into a
# temporary prefix, static and then shared, runs the installed `bin/i8gemm info`, and builds and
# runs tests/consumer against each installation: through find_package(i8gemm CONFIG), then
# through pkg-config with a bare compiler command. The shared variant must carry a versioned
# SONAME. ctest runs this as consumer.install.
# Usage: tests/consumer/run.sh [--reuse BUILD_DIR] [work dir, default a fresh temporary
# directory, removed at exit]
# --reuse installs the variant of an existing Release build (ctest passes its own) from it
# instead of building that variant again; the other variant is still built with tests and
# benchmarks off.
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
consumer="$src/tests/consumer"
reuse=""
reuse_variant=""
if [[ ${1:-} == --reuse ]]; then
  reuse="$2"
  shift 2
  reuse_variant=static
  grep -q "^BUILD_SHARED_LIBS:BOOL=ON$" "$reuse/CMakeCache.txt" && reuse_variant=shared
fi
if (($# > 0)); then
  work="$1"
  mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/i8gemm-consumer.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi
jobs="$(nproc 2>/dev/null || echo 2)"
version="$(sed -n 's/^project(i8gemm VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")"
major="${version%%.*}"

step() { echo "consumer: $*"; }

for variant in static shared; do
  shared=OFF
  [[ $variant == shared ]] && shared=ON
  build="$work/$variant/build"
  prefix="$work/$variant/prefix"
  if [[ $variant == "$reuse_variant" ]]; then
    build="$reuse"
    step "$variant: install the build in $build into $prefix"
    : > "$work/$variant.configure.log"
  else
    step "$variant: configure, build and install i8gemm into $prefix"
    # At -O0: this variant is here for its packaging (files, SONAME, RPATH, find_package,
    # pkg-config), and its code is the one the suites test optimized; -O0 builds it in 45 s
    # of wall time on two cores instead of 75 s.
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=$shared \
      "-DCMAKE_CXX_FLAGS_RELEASE=-O0 -DNDEBUG" -DI8GEMM_TEST_CODE_FLAGS=-O0 \
      -DI8GEMM_BUILD_TESTS=OFF -DI8GEMM_BUILD_BENCH=OFF > "$work/$variant.configure.log"
    cmake --build "$build" -j "$jobs" > "$work/$variant.build.log" ||
      { cat "$work/$variant.build.log"; exit 1; }
  fi
  cmake --install "$build" --prefix "$prefix" > "$work/$variant.install.log"

  libdir="$(dirname "$(find "$prefix" -name i8gemm.pc -path '*/pkgconfig/*' | head -n 1)")/.."
  libdir="$(cd "$libdir" && pwd)"
  test -f "$prefix/include/i8gemm/i8gemm.hpp" -a -f "$prefix/include/i8gemm/i8gemm.h" \
    -a -f "$prefix/include/i8gemm/quantize.hpp"
  test -f "$libdir/cmake/i8gemm/i8gemmConfig.cmake" \
    -a -f "$libdir/cmake/i8gemm/i8gemmConfigVersion.cmake"
  if [[ $variant == shared ]]; then
    soname="$(readelf -d "$libdir/libi8gemm.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
    step "shared: SONAME $soname"
    [[ $soname == "libi8gemm.so.$major" ]] || { echo "expected SONAME libi8gemm.so.$major"; exit 1; }
    test -f "$libdir/libi8gemm.so.$version" -a -L "$libdir/libi8gemm.so.$major"
  else
    test -f "$libdir/libi8gemm.a"
  fi

  step "$variant: $prefix/bin/i8gemm info"
  info="$(env -u LD_LIBRARY_PATH "$prefix/bin/i8gemm" info)"
  grep -q "^default: [a-z0-9_]*$" <<< "$info" || { echo "$info"; exit 1; }
  grep "^default:" <<< "$info"

  # The Python package, when the build made it (I8GEMM_BUILD_PYTHON=AUTO found its deps).
  python="$(sed -n 's/^I8GEMM_PYTHON:FILEPATH=//p' "$build/CMakeCache.txt")"
  init="$(find "$prefix" -path '*/i8gemm/__init__.py' | head -n 1)"
  if [[ -n $init ]]; then
    site="$(dirname "$(dirname "$init")")"
    step "$variant: import i8gemm with PYTHONPATH=$site"
    (cd "$work" && env -u LD_LIBRARY_PATH PYTHONPATH="$site" PYTHONDONTWRITEBYTECODE=1 "$python" -c \
      'import i8gemm, numpy as np; a = np.ones((2, 3), np.int8); print("i8gemm", i8gemm.__version__, i8gemm.default_path(), i8gemm.gemm(a, a.T).tolist())')
  else
    step "$variant: no Python package installed ($(grep -o 'Python module left out: .*' "$work/$variant.configure.log" || echo 'not built'))"
  fi

  step "$variant: find_package(i8gemm CONFIG) with CMAKE_PREFIX_PATH=$prefix"
  cmake -S "$consumer" -B "$work/$variant/consumer" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$prefix" > "$work/$variant.consumer.log"
  cmake --build "$work/$variant/consumer" -j "$jobs" >> "$work/$variant.consumer.log" ||
    { cat "$work/$variant.consumer.log"; exit 1; }
  "$work/$variant/consumer/consumer"
  "$work/$variant/consumer/consumer_c"

  step "$variant: pkg-config (PKG_CONFIG_PATH=$libdir/pkgconfig)"
  export PKG_CONFIG_PATH="$libdir/pkgconfig"
  [[ "$(pkg-config --modversion i8gemm)" == "$version" ]]
  # shellcheck disable=SC2046
  ${CXX:-c++} -std=c++17 -o "$work/$variant/consumer_pc" "$consumer/consumer.cpp" \
    $(pkg-config --cflags --libs i8gemm)
  # shellcheck disable=SC2046
  ${CC:-cc} -std=c99 -o "$work/$variant/consumer_c_pc" "$consumer/consumer_c.c" \
    $(pkg-config --cflags --libs --static i8gemm)
  run_env=()
  [[ $variant == shared ]] && run_env=(env "LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
  "${run_env[@]}" "$work/$variant/consumer_pc"
  "${run_env[@]}" "$work/$variant/consumer_c_pc"
  unset PKG_CONFIG_PATH
done
step "install, find_package and pkg-config work, static and shared"
