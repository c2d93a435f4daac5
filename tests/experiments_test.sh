#!/usr/bin/env bash
# Experiment scripts never overwrite the committed results unless asked to: on a copy of
# experiments/ (so that a failure cannot touch the real results), a quick trial of
# energy.sh writes its tables and plots into the scratch default build/experiments/energy,
# -o DIR (relative to the caller's directory) into DIR, and the committed
# experiments/results/ stays byte for byte as it was; old-style positional arguments and
# bad options are refused before anything runs.
#   experiments_test.sh SCBNN SOURCE_DIR
set -euo pipefail
scbnn=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir "$work/repo"
cp -r "$src/experiments" "$work/repo/experiments"
rm -rf "$work/repo/experiments/results/raw"
cp -r "$work/repo/experiments/results" "$work/committed"
script=$work/repo/experiments/energy.sh
unchanged() { diff -r "$work/committed" "$work/repo/experiments/results" >/dev/null || fail "$1 changed experiments/results"; }

mkdir "$work/caller"
cd "$work/caller"
"$script" --scbnn "$scbnn" --images 2 -j 2 >"$work/default.log" 2>&1 || { cat "$work/default.log"; fail "energy.sh trial"; }
unchanged "a trial with the default output"
scratch=$work/repo/build/experiments/energy
for f in energy.csv energy_tables.md plots/energy_pareto.svg plots/area_breakdown_n4.png; do
  [ -s "$scratch/$f" ] || fail "the trial did not write $scratch/$f"
done
grep -qF "$scratch" "$work/default.log" || fail "the trial does not say where it wrote"
grep -q "Images per point: 2\|2 images" "$scratch/energy_tables.md" || fail "the trial's table is not of 2 images"

# -o relative to the caller's directory.
"$script" --scbnn "$scbnn" --images 2 -j 2 -o trial >/dev/null 2>&1 || fail "energy.sh -o trial"
unchanged "a trial with -o"
[ -s "$work/caller/trial/energy.csv" ] || fail "-o trial did not write into the caller's ./trial"

# Refused before anything runs, results untouched.
for args in "$scbnn 2" "--images 0" "-j -1" "-o x --commit-results" "--scbnn /no/such/scbnn"; do
  # shellcheck disable=SC2086
  if "$script" $args >"$work/bad.log" 2>&1; then fail "energy.sh $args was accepted"; fi
  grep -q "usage:" "$work/bad.log" || fail "energy.sh $args: no usage message: $(cat "$work/bad.log")"
done
unchanged "a refused invocation"
# peers.sh: its trial writes its tables into its scratch directory (the NeuroSim side fixed).
"$work/repo/experiments/peers.sh" --scbnn "$scbnn" --images 2 -j 2 >"$work/peers.log" 2>&1 ||
  { cat "$work/peers.log"; fail "peers.sh trial"; }
unchanged "a peers.sh trial"
grep -q "NeuroSim V1.4 run" "$work/repo/build/experiments/peers/peers_tables.md" || fail "peers.sh wrote no table"
[ -s "$work/repo/build/experiments/peers/peers.csv" ] || fail "peers.sh wrote no peers.csv"
for s in mram_ber sc_accuracy bcnn rram peers sc_cnn; do
  if "$work/repo/experiments/$s.sh" --images 0 >/dev/null 2>&1; then fail "$s.sh --images 0 accepted"; fi
  "$work/repo/experiments/$s.sh" --help | grep -q -- "--commit-results" || fail "$s.sh --help"
done
echo PASS
