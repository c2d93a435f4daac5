#!/usr/bin/env bash
# Sweeps end to end: failures recorded, a sweep killed halfway and restarted, shards run
# through GNU parallel, merged tables equal; plots from the merged results.
#   tests/sweep_test.sh path/to/scbnn
set -uo pipefail
scbnn=$1
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# The SC network is read from a path the test controls (a FIFO in the interrupted run).
net="$work/sc8.scbnn"
cp "$src/stimuli/networks/fmnist_bnn_sc8.scbnn" "$net"
cat >"$work/spec.yaml" <<YAML
name: cli-test
set: {run.images: 30, accel.mram.error_mode: ideal}
sweep:
  - points:
      - {accel.input_mode: fixed}
      - {accel.input_mode: stochastic, network.path: $net}
      - {accel.input_mode: stochastic, network.path: missing.scbnn}
  - product: {accel.sc.stream_length: [1, 0, 4, 8]}
YAML

[ "$("$scbnn" sweep "$work/spec.yaml" --list | wc -l)" -eq 12 ] && ok || fail "--list shows 12 points"

# Uninterrupted run on 2 processes: 6 points done, 6 failed: 3 refused before running
# (N = 0), 3 failed when run (missing network, N = 1, 4, 8).
"$scbnn" sweep "$work/spec.yaml" -o "$work/a" -j 2 --progress 1 >"$work/a.out" 2>"$work/a.err"
[ $? -eq 1 ] && ok || fail "a sweep with failed points exits 1"
# The progress lines count the points run, as the summary does.
tail -1 "$work/a.err" | grep -q "points 9/9 " && ok || fail "last progress line: $(tail -1 "$work/a.err")"
grep -q "12 points: 0 already done, 3 refused (invalid configuration), 9 run (6 done, 3 failed)" "$work/a.out" && ok ||
  fail "summary counts: $(cat "$work/a.out")"
"$scbnn" merge "$work/a" >"$work/a.merge" || fail "merge a"
grep -q "12 points: 6 done, 6 failed, 0 missing" "$work/a.merge" && ok || fail "merge counts: $(cat "$work/a.merge")"
grep -q "missing.scbnn" "$work/a/results.csv" && ok || fail "run-time failure recorded with its message"
grep -q "accel.sc.stream_length = '0' is not valid" "$work/a/results.csv" && ok || fail "configuration failure recorded"
[ "$(ls "$work/a/points"/*.error.json | wc -l)" -eq 6 ] && ok || fail "one error record per failed point"

# Killed halfway (the sweep and its running points), then restarted: one result per point
# and the same merged table. The kill provably lands halfway: the SC network is a FIFO, so
# the fifth point (-j 1: after points 0, 2 and 3 finished; point 1 is refused) blocks
# reading it; opening the FIFO for writing returns once that point is reading, and the
# sweep's process group is killed right then.
rm "$net" && mkfifo "$net"
setsid "$scbnn" sweep "$work/spec.yaml" -o "$work/b" -j 1 >/dev/null 2>&1 &
pid=$!
python3 -c 'import os, signal, sys
signal.alarm(120)  # guards only against a sweep that never gets there
os.open(sys.argv[1], os.O_WRONLY)
os.killpg(int(sys.argv[2]), signal.SIGKILL)' "$net" "$pid" || fail "the sweep never reached the blocking point"
kill -9 -- -"$pid" 2>/dev/null
{ wait "$pid"; } 2>/dev/null
rm "$net" && cp "$src/stimuli/networks/fmnist_bnn_sc8.scbnn" "$net"
reports=$(ls "$work/b/points" | grep -c '^[0-9a-f]*\.json$')
[ "$reports" -eq 3 ] && ok || fail "the kill landed after the first three points ($reports reports)"
for f in "$work/b/points"/*.json; do
  python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$f" 2>/dev/null || fail "truncated result $f"
done
"$scbnn" sweep "$work/spec.yaml" -o "$work/b" -j 2 >"$work/b.out" 2>&1
grep -q "already done" "$work/b.out" && ok || fail "restart skips finished points"
[ "$(ls "$work/b/points" | grep -c '^[0-9a-f]*\.json$')" -eq 6 ] && ok || fail "one report per finished point after restart"
"$scbnn" merge "$work/b" >/dev/null && cmp -s "$work/a/results.csv" "$work/b/results.csv" && ok ||
  fail "restarted sweep's table differs: $(diff "$work/a/results.csv" "$work/b/results.csv" | head -5)"

# Shards through GNU parallel (as over ssh login lists, here on this machine).
if command -v parallel >/dev/null; then
  parallel --will-cite -j 2 "$scbnn" sweep "$work/spec.yaml" -o "$work/c" --shard {}/3 ::: 0 1 2 >/dev/null 2>&1
  "$scbnn" merge "$work/c" >/dev/null && cmp -s "$work/a/results.csv" "$work/c/results.csv" && ok ||
    fail "GNU parallel shards' table differs from the local run's"
else
  fail "GNU parallel is not installed (scripts/deps.sh installs it)"
fi

# Bad input: a malformed spec names the key; another sweep into the same directory is refused.
printf 'sweep:\n  - product: {accel.array.rowz: [1]}\n' >"$work/bad.yaml"
"$scbnn" sweep "$work/bad.yaml" -o "$work/d" >"$work/bad.out" 2>&1
[ $? -eq 1 ] && grep -q "accel.array.rowz" "$work/bad.out" && [ ! -e "$work/d" ] && ok || fail "malformed spec"
printf 'sweep:\n  - product: {seed: [5]}\n' >"$work/other.yaml"
"$scbnn" sweep "$work/other.yaml" -o "$work/a" >"$work/other.out" 2>&1
[ $? -eq 1 ] && grep -q "another sweep" "$work/other.out" && ok || fail "a directory holding another sweep is refused"

# Bad options are refused before anything runs or is written, naming the option.
bad_option() {  # bad_option NAME PATTERN -- sweep arguments...
  local name=$1 pattern=$2
  shift 3
  rm -rf "$work/e"
  "$scbnn" sweep "$@" >"$work/e.out" 2>&1
  local rc=$?
  [ $rc -eq 1 ] && grep -q -- "$pattern" "$work/e.out" && ! grep -q "internal error" "$work/e.out" && [ ! -e "$work/e" ] &&
    ok || fail "$name (rc=$rc): $(cat "$work/e.out")"
}
bad_option "negative --jobs" "--jobs -1" -- "$work/spec.yaml" -o "$work/e" -j -1
bad_option "zero --jobs" "--jobs 0" -- "$work/spec.yaml" -o "$work/e" -j 0
bad_option "negative --progress" "--progress -2" -- "$work/spec.yaml" -o "$work/e" --progress -2
touch "$work/file"
bad_option "--out naming a regular file" "--out $work/file: is a file" -- "$work/spec.yaml" -o "$work/file"
bad_option "--out under a missing directory" "does not exist" -- "$work/spec.yaml" -o "$work/none/e"
bad_option "unknown key in -p" "-p bogus=1: unknown configuration key" -- "$work/spec.yaml" -o "$work/e" -p bogus=1
bad_option "bad value in -p" "accel.clock_mhz = '0' is not valid" -- "$work/spec.yaml" -o "$work/e" -p accel.clock_mhz=0
printf 'set: {accel.clock_mhz: 0}\nsweep:\n  - product: {seed: [1, 2]}\n' >"$work/bad_set.yaml"
bad_option "bad value in set:" "bad_set.yaml:1: accel.clock_mhz = '0' is not valid" -- "$work/bad_set.yaml" -o "$work/e"

# Plots from the merged results (gnuplot), with nothing on stderr (tests/plot_test.sh checks
# what they show).
for kind in line pareto energy area; do
  extra=()
  [ "$kind" = line ] && extra=(--x accel.sc.stream_length --series accel.input_mode)
  "$scbnn" plot "$work/a/results.json" --kind "$kind" "${extra[@]}" -o "$work/plot_$kind" >/dev/null 2>"$work/plot.err"
  [ -s "$work/plot_$kind.png" ] && [ -s "$work/plot_$kind.svg" ] && [ ! -s "$work/plot.err" ] && ok ||
    fail "plot $kind: $(cat "$work/plot.err")"
done
grep -q '^set xlabel "stochastic samples per pixel N (samples)"' "$work/plot_line.gp" && ok ||
  fail "line plot's x axis titled from the schema"
grep -qx 'set logscale x 2' "$work/plot_line.gp" && ok || fail "stream lengths 1, 4, 8 on a base-2 axis"

echo "sweep: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
