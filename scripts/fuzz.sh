#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and fuzzes every parser of outside
# input for SECONDS each (default 60): configuration, network file, IDX, CIFAR-10, technology preset,
# sweep specification, architecture description, program image (the C++ reader and the C
# driver). Seeds come from tests/fuzz/corpus/<target>; new inputs go to a scratch directory.
# A crash, leak, timeout or undefined behaviour fails the script and leaves the input in
# build-fuzz/artifacts/ (add it to tests/fuzz/regressions/<target>/).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(config network idx cifar10 preset sweep arch image)
scripts/deps.sh --fuzz
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" \
  -DSCBNN_BUILD_FUZZERS=ON -DSCBNN_BUILD_TESTS=OFF -DSCBNN_BUILD_TRAINER=OFF -DSCBNN_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}")
mkdir -p build-fuzz/artifacts
export ASAN_OPTIONS=detect_stack_use_after_return=0:detect_leaks=1
status=0
for t in "${targets[@]}"; do
  scratch=build-fuzz/corpus/$t
  mkdir -p "$scratch"
  echo "fuzzing $t for $seconds s"
  if ! build-fuzz/tests/fuzz/fuzz_"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix=build-fuzz/artifacts/"$t"- "$scratch" tests/fuzz/corpus/"$t" \
      >build-fuzz/"$t".log 2>&1; then
    echo "FAIL: fuzz_$t found a problem (build-fuzz/$t.log, build-fuzz/artifacts/$t-*)"
    grep -E "ERROR|SUMMARY|Test unit written" build-fuzz/"$t".log | head -5
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" build-fuzz/"$t".log | tr '\n' ' '
  echo
done
exit $status
