#!/usr/bin/env bash
# Benchmark (issue 6): what one sweep point costs besides its inferences, and the speed-up
# of local parallelism. Prints figures; asserts nothing (timings belong here, not in tests).
#   bench/sweep_overhead.sh [build/tools/scbnn] [points]
set -euo pipefail
scbnn=$(realpath "${1:-build/tools/scbnn}")
points=${2:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
per() { python3 -c "import sys; print('%.3f' % ((float(sys.argv[2]) - float(sys.argv[1])) / float(sys.argv[3])))" "$@"; }

reps=10
t0=$(now); for _ in $(seq $reps); do "$scbnn" --help >/dev/null; done; t1=$(now)
start=$(per "$t0" "$t1" $reps)
t0=$(now); for _ in $(seq $reps); do "$scbnn" run -q -p run.images=1 --report "$work/one.json" >/dev/null; done; t1=$(now)
point=$(per "$t0" "$t1" $reps)
read -r programming_us elaboration <<<"$(python3 -c "
import json; r = json.load(open('$work/one.json'))
print('%.1f' % (r['latency']['programming_ns'] / 1e3), '%.3f' % r['simulation']['host_seconds'])")"
echo "process start (scbnn --help):                      $start s"
echo "one point of 1 image (start, configuration, network and"
echo "  data set load, elaboration, programming, report):  $point s"
echo "  of which elaboration + simulation (host):         $elaboration s (programming is $programming_us us simulated)"

cat >"$work/spec.yaml" <<YAML
set: {run.images: 1000}
sweep:
  - product: {seed: [$(seq -s, 1 "$points")]}
YAML
t0=$(now); "$scbnn" sweep "$work/spec.yaml" -o "$work/j1" -j 1 >/dev/null; t1=$(now)
j1=$(python3 -c "print('%.2f' % ($t1 - $t0))")
t0=$(now); "$scbnn" sweep "$work/spec.yaml" -o "$work/j2" -j 2 >/dev/null; t1=$(now)
j2=$(python3 -c "print('%.2f' % ($t1 - $t0))")
echo "sweep of $points points x 1000 images: -j 1 $j1 s, -j 2 $j2 s, speed-up $(python3 -c "print('%.2f' % ($j1 / $j2))") on $(nproc) cores"
