#!/usr/bin/env bash
# Style checks of CI (.ci/run) over every C++ source (base models tlm power platforms tools
# stimuli bench tests): the formatting of .clang-format, and clang-tidy's naming and
# bug-prone checks of .clang-tidy with the compile commands of a configured (unbuilt) tree.
# Any finding fails the script.
#   scripts/lint.sh            both
#   scripts/lint.sh --format   formatting only (fix: clang-format -i FILE...)
#   scripts/lint.sh --tidy     clang-tidy only
set -euo pipefail
cd "$(dirname "$0")/.."
what=all
case "${1:-}" in
  "") ;;
  --format) what=format ;;
  --tidy) what=tidy ;;
  *) echo "scripts/lint.sh: unknown option $1 (expected --format or --tidy)" >&2; exit 2 ;;
esac
scripts/deps.sh --lint
folders=(base models tlm power platforms tools stimuli bench tests)
mapfile -t sources < <(find "${folders[@]}" \( -name '*.cpp' -o -name '*.h' \) | sort)
status=0

if [ "$what" != tidy ]; then
  if clang-format --dry-run --Werror "${sources[@]}"; then
    echo "format: ${#sources[@]} files match .clang-format"
  else
    echo "FAIL: the files above differ from .clang-format (clang-format -i FILE... fixes them)"
    status=1
  fi
fi

if [ "$what" != format ]; then
  # The trainer (libtorch) is left out: parsing libtorch's headers would take most of the time.
  cmake -S . -B build-lint -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DSCBNN_BUILD_TRAINER=OFF -DSCBNN_BUILD_FUZZERS=OFF \
    >/dev/null
  regex="$PWD/($(IFS='|'; echo "${folders[*]}"))/"
  # -Wno-unknown-warning-option: the compile commands hold GCC-only warning flags.
  if run-clang-tidy -p build-lint -j "$(nproc)" -quiet -extra-arg=-Wno-unknown-warning-option "$regex" \
      >build-lint/clang-tidy.log 2>&1; then
    echo "tidy: no findings"
  else
    sed "s/\x1b\[[0-9;]*m//g" build-lint/clang-tidy.log | grep -E "(warning|error): " | sort -u  # colours off
    echo "FAIL: clang-tidy findings above (.clang-tidy; whole log in build-lint/clang-tidy.log)"
    status=1
  fi
fi
exit $status
