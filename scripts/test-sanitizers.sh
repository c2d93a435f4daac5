#!/usr/bin/env bash
# Builds the simulator and its test suite with AddressSanitizer and UndefinedBehaviorSanitizer
# and runs the suite; any finding fails (UBSan does not recover). The trainer is left out:
# Debian's libtorch is not built with ASan. Called by .ci/run after scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --sweeps --tests
flags="-O1 -g1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" -DSCBNN_BUILD_TRAINER=OFF -DSCBNN_BUILD_BENCH=OFF \
  -DSCBNN_WERROR=ON >/dev/null
cmake --build build-asan -j"$(nproc)"
cd build-asan
# SystemC switches thread stacks itself; ASan is told so it does not misread them.
export ASAN_OPTIONS=detect_stack_use_after_return=0:detect_leaks=1:abort_on_error=1
# At exit ASan still takes the main thread's stack to be the last SystemC coroutine stack it
# ran on, which SystemC has freed by then: LeakSanitizer's tracer then faults reading it, now
# and then ("Tracer caught signal 11 ... LeakSanitizer has encountered a fatal error"). Leaks
# are still found through globals, thread-local storage, registers and the heap.
export LSAN_OPTIONS=use_stacks=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest -j"$(nproc)" --output-on-failure
