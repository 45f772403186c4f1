#!/usr/bin/env bash
# `cmake --install` of the component "python" into a temporary prefix, then `import i8gemm` from
# there (not from the build tree) and one multiply. ctest runs this as python.install.
# Usage: install_check.sh <cmake> <build dir> <python> <site dir relative to the prefix>
set -euo pipefail
cmake=$1 build=$2 python=$3 site=$4
work="$(mktemp -d "${TMPDIR:-/tmp}/i8gemm-python.XXXXXX")"
trap 'rm -rf "$work"' EXIT
"$cmake" --install "$build" --prefix "$work/prefix" --component python
test -f "$work/prefix/$site/i8gemm/__init__.py"
cd "$work"
env -u PYTHONPATH PYTHONPATH="$work/prefix/$site" PYTHONDONTWRITEBYTECODE=1 "$python" - <<PY
import numpy as np
import i8gemm
assert i8gemm.__file__.startswith("$work/prefix/"), i8gemm.__file__
a = np.arange(12, dtype=np.int8).reshape(3, 4)
b = np.ones((4, 2), dtype=np.int8)
assert (i8gemm.gemm(a, b, a_zero_point=1) == (a.astype(int) - 1) @ b).all()
print("python.install: import i8gemm from", i8gemm.__file__, "on", i8gemm.default_path())
PY
