#!/usr/bin/env bash
# Builds everything (warnings are errors) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --trainer --sweeps --tests
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSCBNN_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest -j"$(nproc)" --output-on-failure
