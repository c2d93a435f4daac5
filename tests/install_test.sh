#!/usr/bin/env bash
# Installs the built package into a temporary prefix and builds and runs a consumer
# project that finds it with find_package(scbnn) and binds the accelerator to its bus.
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/tests/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/consumer" -j2 >/dev/null
SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 "$work/consumer/consumer_vp"
