#!/usr/bin/env bash
# Experiment (issue 15, item 10): scbnn's default job (784-1024-1024-10 on 2T2R ST-MRAM,
# 28 nm-class preset) beside DNN+NeuroSim V1.4's figures for a digital 1-bit SRAM
# compute-in-memory design at 22 nm, with the differences in numbers (rows sensed per read,
# sense-amplifier sharing, interconnect, partial sums, node). The scbnn side comes from the
# runs of experiments/specs/peers.yaml; the NeuroSim side is fixed and cited in
# experiments/peers_tables.py. Writes peers.csv and peers_tables.md into the output directory
# (options: experiments/common.sh); with --commit-results it also refreshes the generated
# table of docs/experiments/peers.md, so that page follows the default energy and area.
#   experiments/peers.sh [--scbnn PATH] [--images N] [-j N] [-o DIR | --commit-results]
set -euo pipefail
source "$(dirname "$0")/common.sh"
experiment_setup peers "$@"

run_experiment_sweep experiments/specs/peers.yaml

python3 experiments/peers_tables.py "$work" "$out" "$images"
if [ "$out" = experiments/results ]; then
  python3 experiments/peers_tables.py --fill docs/experiments/peers.md "$out/peers_tables.md"
fi
echo "wrote $wrote/peers.csv and $wrote/peers_tables.md"
