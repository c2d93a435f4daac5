#!/usr/bin/env bash
# Sweeps end to end: failures recorded, a sweep killed halfway and restarted, shards run
# through GNU parallel, merged tables equal; plots from the merged results.
#   tests/sweep_test.sh path/to/scbnn
set -uo pipefail
scbnn=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

cat >"$work/spec.yaml" <<'YAML'
name: cli-test
set: {run.images: 30, accel.mram.error_mode: ideal}
sweep:
  - points:
      - {accel.input_mode: fixed}
      - {accel.input_mode: stochastic, network.path: fmnist_bnn_sc8.scbnn}
      - {accel.input_mode: stochastic, network.path: missing.scbnn}
  - product: {accel.sc.stream_length: [1, 0, 4, 8]}
YAML

[ "$("$scbnn" sweep "$work/spec.yaml" --list | wc -l)" -eq 12 ] && ok || fail "--list shows 12 points"

# Uninterrupted run on 2 processes: 6 points done, 6 failed (3 x N = 0, 4 x missing network).
"$scbnn" sweep "$work/spec.yaml" -o "$work/a" -j 2 >"$work/a.out" 2>&1
[ $? -eq 1 ] && ok || fail "a sweep with failed points exits 1"
"$scbnn" merge "$work/a" >"$work/a.merge" || fail "merge a"
grep -q "12 points: 6 done, 6 failed, 0 missing" "$work/a.merge" && ok || fail "merge counts: $(cat "$work/a.merge")"
grep -q "missing.scbnn" "$work/a/results.csv" && ok || fail "run-time failure recorded with its message"
grep -q "accel.sc.stream_length = '0' is not valid" "$work/a/results.csv" && ok || fail "configuration failure recorded"
[ "$(ls "$work/a/points"/*.error.json | wc -l)" -eq 6 ] && ok || fail "one error record per failed point"

# Killed halfway (the sweep and its running points), then restarted: one result per point
# and the same merged table.
setsid "$scbnn" sweep "$work/spec.yaml" -o "$work/b" -j 1 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do
  [ "$(ls "$work/b/points" 2>/dev/null | grep -c '^[0-9a-f]*\.json$')" -ge 2 ] && break
  sleep 0.05
done
kill -9 -- -"$pid" 2>/dev/null
wait "$pid" 2>/dev/null
reports=$(ls "$work/b/points" | grep -c '^[0-9a-f]*\.json$')
[ "$reports" -ge 1 ] && [ "$reports" -lt 6 ] && ok || fail "the kill landed halfway ($reports reports)"
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

# Plots from the merged results (gnuplot).
for kind in line pareto energy area; do
  extra=()
  [ "$kind" = line ] && extra=(--x accel.sc.stream_length --series accel.input_mode)
  "$scbnn" plot "$work/a/results.json" --kind "$kind" "${extra[@]}" -o "$work/plot_$kind" >/dev/null 2>&1
  [ -s "$work/plot_$kind.png" ] && [ -s "$work/plot_$kind.svg" ] && ok || fail "plot $kind"
done

echo "sweep: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
