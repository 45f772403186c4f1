#!/usr/bin/env bash
# Installs what is missing, builds and runs the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake/install-deps.sh
cmake --workflow --preset test
