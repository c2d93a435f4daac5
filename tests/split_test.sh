#!/usr/bin/env bash
# A run split by image range gives the same per-image predictions and scores as one run
# (docs/stochastic-input.md, "Stream positions"): for every SNG source and sharing, both
# combine modes, and the memory error draws made per read and per inference.
set -u
scbnn=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
configs=(
  "lfsr sum:-p accel.input_mode=stochastic"
  "lfsr vote:-p accel.input_mode=stochastic -p accel.sc.combine=vote -p accel.sc.stream_length=4"
  "lfsr shared_offset:-p accel.input_mode=stochastic -p accel.sng.sharing=shared_offset -p accel.sng.shared_sources=7"
  "lfsr shared_rotate:-p accel.input_mode=stochastic -p accel.sng.sharing=shared_rotate -p accel.sng.shared_sources=7"
  "sobol shared_offset:-p accel.input_mode=stochastic -p accel.sng.source=sobol -p accel.sng.sharing=shared_offset -p accel.sng.shared_sources=5 -p accel.sc.stream_length=8"
  "ideal sum:-p accel.input_mode=stochastic -p accel.sng.source=ideal -p accel.sc.stream_length=4"
  "smtj vote:-p accel.input_mode=stochastic -p accel.sng.source=smtj -p accel.sc.combine=vote -p accel.sc.stream_length=3"
  "per_inference flips:-p accel.mram.error_mode=per_inference -p accel.mram.ber=0.05"
  "read decision errors:-p accel.mram.cell=1T1R -p accel.sa.offset_sigma_ohm=2500"
)
for entry in "${configs[@]}"; do
  name=${entry%%:*}
  read -r -a opts <<<"${entry#*:}"
  "$scbnn" run -q "${opts[@]}" -p run.first_image=30 -p run.images=16 --predictions "$work/whole.csv" >/dev/null 2>"$work/err" &&
    "$scbnn" run -q "${opts[@]}" -p run.first_image=30 -p run.images=7 --predictions "$work/a.csv" >/dev/null 2>>"$work/err" &&
    "$scbnn" run -q "${opts[@]}" -p run.first_image=37 -p run.images=9 --predictions "$work/b.csv" >/dev/null 2>>"$work/err"
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL $name: a run failed (rc=$rc)"; cat "$work/err"; failed=$((failed + 1)); continue
  fi
  if ! diff <(cat "$work/a.csv"; tail -n +2 "$work/b.csv") "$work/whole.csv" >"$work/diff"; then
    echo "FAIL $name: the two halves differ from the whole run"; head -5 "$work/diff"; failed=$((failed + 1))
  else
    echo "ok   $name"
  fi
done
[ $failed -eq 0 ] || { echo "$failed configuration(s) failed"; exit 1; }
