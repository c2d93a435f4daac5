#!/usr/bin/env bash
# Experiment (issue 5): energy, area and accuracy of the published comparisons, on the full
# Fashion-MNIST test set, priced with the default technology preset (power/presets/).
#  T1/T2: conventional BNN (8-bit pixels, shift-add datapath) against the SC-BNN (LFSR
#         comparator SNGs, samples summed) at several stream lengths N; ideal weight memory
#         so that only the input path varies (the default strong pulse gives WER 3e-7).
#  T4:    strong against weak MRAM programming (physical error model): programming energy,
#         inference energy and accuracy per pulse, and the system energy per inference when
#         the weights are reprogrammed every K inferences.
# Writes experiments/results/energy.csv and experiments/results/energy_tables.md.
#   experiments/energy.sh [build/platforms/scbnn] [images]
set -euo pipefail
cd "$(dirname "$0")/.."
scbnn=${1:-build/platforms/scbnn}
images=${2:-10000}
out=experiments/results
work=$out/raw/energy  # one JSON report per point (not committed)
mkdir -p "$work"

{
  echo "t12~conventional~fixed~0 -p network.path=fmnist_bnn_fixed.scbnn -p accel.mram.error_mode=ideal"
  for n in 1 2 3 4 6 8 16; do
    echo "t12~sc8~lfsr~$n -p network.path=fmnist_bnn_sc8.scbnn -p accel.mram.error_mode=ideal -p accel.input_mode=stochastic -p accel.sc.stream_length=$n"
  done
  for n in 1 2 3 4; do
    echo "t12~sc1~lfsr~$n -p network.path=fmnist_bnn_sc1.scbnn -p accel.mram.error_mode=ideal -p accel.input_mode=stochastic -p accel.sc.stream_length=$n"
  done
  # Deterministic van der Corput (Sobol) sources: exact counts at N = 2^k.
  for n in 2 3 4; do
    echo "t12~standard~sobol~$n -p network.path=fmnist_bnn_fixed.scbnn -p accel.mram.error_mode=ideal -p accel.input_mode=stochastic -p accel.sng.source=sobol -p accel.sc.stream_length=$n"
    echo "t12~sc8~sobol~$n -p network.path=fmnist_bnn_sc8.scbnn -p accel.mram.error_mode=ideal -p accel.input_mode=stochastic -p accel.sng.source=sobol -p accel.sc.stream_length=$n"
  done
  # SNG area sensitivity: 64 shared sources with rotated wiring instead of one per input.
  echo "t12~sc8~lfsr_shared64~4 -p network.path=fmnist_bnn_sc8.scbnn -p accel.mram.error_mode=ideal -p accel.input_mode=stochastic -p accel.sc.stream_length=4 -p accel.sng.sharing=shared_rotate -p accel.sng.shared_sources=64"
  # Pulses at 100 uA for MTJ WER ~1e-9, 3e-7 (default), 1e-3 and 1e-2 (precessional law, default MTJ).
  for pulse in 12.86 10 5.95 4.8; do
    echo "t4~conventional~pulse~$pulse -p network.path=fmnist_bnn_fixed.scbnn -p accel.mram.pulse_ns=$pulse"
  done
} >"$work/points"

# A point whose report exists is kept (reports are written atomically): reruns resume.
run_point() {
  local key=$1
  shift
  [ -f "$work/$key.json" ] && return 0
  "$scbnn" run -q -p run.images="$images" "$@" --report "$work/$key.json"
}
export -f run_point
export scbnn images work
xargs -P "$(nproc)" -L 1 bash -c 'run_point "$@"' _ <"$work/points"

python3 experiments/energy_tables.py "$work" "$out" "$images"
