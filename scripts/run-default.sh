#!/usr/bin/env bash
# Builds scbnn and runs the default job: the Fashion-MNIST test set (10 000 images) through
# the default platform with the shipped network; prints the report. Extra arguments go to
# `scbnn run` (e.g. --report report.json --predictions predictions.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target scbnn -j"$(nproc)"
exec build/tools/scbnn run "$@"
