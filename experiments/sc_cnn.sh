#!/usr/bin/env bash
# Experiment (issue 16, target T7): the bitstream SC-CNN PE array against the binary MAC PE
# array at equal precision on the quantised Fashion-MNIST CNNs (4, 6 and 8 bits). (1) Cost,
# throughput, latency and accuracy over precisions and bit-parallel widths k
# (experiments/specs/sc_cnn_cost.yaml); (2) accuracy versus injected bit flips in the
# streams, product words and accumulators at equal rates per bit
# (experiments/specs/sc_cnn_faults.yaml), on the first min(N, 1000) test images: every flip
# is drawn, and at a rate of 0.1 the 8-bit SC-CNN flips about 10 million stream bits per
# inference (about 1 s of host time each). Writes sc_cnn_cost.csv, sc_cnn_faults.csv,
# sc_cnn_tables.md and plots/ into the output directory (options: experiments/common.sh).
#   experiments/sc_cnn.sh [--scbnn PATH] [--images N] [-j N] [-o DIR | --commit-results]
set -euo pipefail
source "$(dirname "$0")/common.sh"
experiment_setup sc_cnn "$@"

base=$work
work=${base}_cost
run_experiment_sweep experiments/specs/sc_cnn_cost.yaml
cost_images=$images
images=$((images < 1000 ? images : 1000))
work=$out/raw/${experiment}_faults_$images
run_experiment_sweep experiments/specs/sc_cnn_faults.yaml

python3 experiments/sc_cnn_tables.py "${base}_cost" "$work" "$out" "$cost_images" "$images"
"$scbnn" plot "${base}_cost/results.json" --kind line --x accel.mac.stream_bits_per_cycle --logx --logy \
  --y cycles_per_inference --series accel.mac.weight_bits --where accel.mac.early_termination=true \
  --baseline accel.mac.pe=binary_mac --baseline-title "binary MAC PE" -o "$out/plots/sc_cnn_cycles" >/dev/null
# The fault-free points (no fault key set) are each curve's baseline.
"$scbnn" plot "$work/results.json" --kind line --x accel.mac.fault.stream_ber --logx --series network.path \
  --baseline accel.mac.pe=sc_cnn --baseline 'accel.mac.fault.accumulator_ber!=*' --baseline-title "no faults" \
  -o "$out/plots/sc_cnn_stream_ber" >/dev/null
"$scbnn" plot "$work/results.json" --kind line --x accel.mac.fault.product_ber --logx --series network.path \
  --baseline accel.mac.pe=binary_mac --baseline 'accel.mac.fault.accumulator_ber!=*' --baseline-title "no faults" \
  -o "$out/plots/sc_cnn_product_ber" >/dev/null
"$scbnn" plot "$work/results.json" --kind line --x accel.mac.fault.accumulator_ber --logx \
  --series accel.mac.pe --where network.path=fmnist_qcnn_w8a8.scbnn --baseline 'accel.mac.fault.stream_ber!=*' \
  --baseline 'accel.mac.fault.product_ber!=*' --baseline-title "no faults" -o "$out/plots/sc_cnn_accumulator_ber_w8a8" >/dev/null
echo "wrote $wrote/sc_cnn_cost.csv, $wrote/sc_cnn_faults.csv, $wrote/sc_cnn_tables.md and $wrote/plots/sc_cnn_*.{png,svg}"
