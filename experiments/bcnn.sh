#!/usr/bin/env bash
# Experiment (issue 14): the Fashion-MNIST binarized CNN. (1) Accuracy versus stochastic
# stream length N for the standard and the SC-trained BCNN beside the fixed-point first
# layer, with energy and area of both first-layer designs (experiments/specs/bcnn_sc.yaml);
# (2) accuracy versus the weight memory's bit error rate, standard versus error-aware
# training (experiments/specs/bcnn_ber.yaml). Writes bcnn_sc.csv, bcnn_ber.csv,
# bcnn_tables.md and plots/ into the output directory (options: experiments/common.sh).
#   experiments/bcnn.sh [--scbnn PATH] [--images N] [-j N] [-o DIR | --commit-results]
set -euo pipefail
source "$(dirname "$0")/common.sh"
experiment_setup bcnn "$@"

base=$work
work=${base}_sc
run_experiment_sweep experiments/specs/bcnn_sc.yaml
work=${base}_ber
run_experiment_sweep experiments/specs/bcnn_ber.yaml

python3 experiments/bcnn_tables.py "${base}_sc" "${base}_ber" "$out" "$images"
"$scbnn" plot "${base}_sc/results.json" --kind line --x accel.sc.stream_length --logx --series network.path \
  --where accel.sng.source=lfsr --baseline accel.input_mode=fixed --baseline-title "fixed-point input" \
  -o "$out/plots/bcnn_sc_accuracy_lfsr" >/dev/null
"$scbnn" plot "${base}_ber/results.json" --kind line --x accel.mram.ber --logx --series network.path \
  -o "$out/plots/bcnn_ber" >/dev/null
echo "wrote $wrote/bcnn_sc.csv, $wrote/bcnn_ber.csv, $wrote/bcnn_tables.md and $wrote/plots/bcnn_*.{png,svg}"
