#!/usr/bin/env bash
# Every instruction-set path of the row kernels (SCBNN_ISA, docs/performance.md) gives the
# same predictions as the scalar one through the whole platform (the seeding chains of the
# error streams and the LFSR steps follow the same choice): fixed-point and stochastic dense
# networks, a binarized CNN, weight flips drawn per inference, 1T1R arrays; a path this CPU lacks is refused
# with a message naming it (and skipped here); an unknown name is refused.
set -u
scbnn=$1
nets=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
configs=(
  "fixed mlp:"
  "sc8 mlp:-p accel.input_mode=stochastic -p accel.sc.stream_length=8 -p network.path=$nets/fmnist_bnn_sc8.scbnn"
  "bcnn:-p network.path=$nets/fmnist_bcnn_fixed.scbnn -p accel.buffer.activation_bits=8192"
  "per-inference flips:-p accel.mram.error_mode=per_inference -p accel.mram.ber=0.05"
  "1T1R 128 columns:-p accel.mram.cell=1T1R -p accel.array.columns=128 -p accel.array.rows=128 -p accel.array.count=128"
)
for entry in "${configs[@]}"; do
  name=${entry%%:*}
  read -r -a opts <<<"${entry#*:}"
  if ! SCBNN_ISA=scalar "$scbnn" run -q "${opts[@]}" -p run.images=40 --predictions "$work/scalar.csv" >/dev/null 2>"$work/err"; then
    echo "FAIL $name: the scalar run failed"; cat "$work/err"; failed=$((failed + 1)); continue
  fi
  for isa in avx2 avx512; do
    if ! SCBNN_ISA=$isa "$scbnn" run -q "${opts[@]}" -p run.images=40 --predictions "$work/$isa.csv" >/dev/null 2>"$work/err"; then
      if grep -q "SCBNN_ISA=$isa: this CPU does not support it" "$work/err"; then
        echo "skip $name $isa: not on this CPU"; continue
      fi
      echo "FAIL $name $isa: the run failed"; cat "$work/err"; failed=$((failed + 1)); continue
    fi
    if ! cmp -s "$work/$isa.csv" "$work/scalar.csv"; then
      echo "FAIL $name: $isa differs from scalar"; diff "$work/$isa.csv" "$work/scalar.csv" | head -4; failed=$((failed + 1))
    else
      echo "ok   $name $isa"
    fi
  done
done
if SCBNN_ISA=sse9 "$scbnn" run -q -p run.images=1 >/dev/null 2>"$work/err" ||
  ! grep -q "SCBNN_ISA=sse9: unknown instruction set (expected scalar, avx2 or avx512)" "$work/err"; then
  echo "FAIL an unknown SCBNN_ISA was not refused by name:"; cat "$work/err"; failed=$((failed + 1))
fi
[ $failed -eq 0 ] || { echo "$failed check(s) failed"; exit 1; }
