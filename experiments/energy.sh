#!/usr/bin/env bash
# Experiment (issue 5): energy, area and accuracy of the published comparisons, on the full
# Fashion-MNIST test set, priced with the default technology preset (power/presets/).
#  T1/T2: conventional BNN (8-bit pixels) against the SC-BNN (LFSR comparator SNGs,
#         samples summed) at several stream lengths N, for each conventional first layer
#         (accel.fixed.organisation: bit-serial, bit-parallel, adder tree) as the baseline;
#         ideal weight memory so that only the input path varies (the default strong pulse
#         gives WER 3e-7).
#  T4:    strong against weak MRAM programming (physical error model): programming energy,
#         inference energy and accuracy per pulse, and the system energy per inference when
#         the weights are reprogrammed every K inferences.
# Writes energy.csv, energy_tables.md and plots/ into the output directory (options and
# defaults: experiments/common.sh; --commit-results regenerates experiments/results/).
#   experiments/energy.sh [--scbnn PATH] [--images N] [-j N] [-o DIR | --commit-results]
set -euo pipefail
source "$(dirname "$0")/common.sh"
experiment_setup energy "$@"

# The points are a sweep (experiments/specs/energy.yaml).
run_experiment_sweep experiments/specs/energy.yaml

python3 experiments/energy_tables.py "$work" "$out" "$images"
"$scbnn" plot "$work/results.json" --kind pareto --where accel.mram.error_mode=ideal -o "$out/plots/energy_pareto" >/dev/null
"$scbnn" plot "$work/results.json" --kind energy --where network.path=fmnist_bnn_sc8.scbnn --where accel.sng.source=lfsr \
  --where accel.sng.sharing!=shared_rotate -o "$out/plots/energy_breakdown_sc8_lfsr" >/dev/null
"$scbnn" plot "$work/results.json" --kind area --where accel.sc.stream_length=4 -o "$out/plots/area_breakdown_n4" >/dev/null
"$scbnn" plot "$work/results.json" --kind line --x accel.mram.pulse_ns --y programming_uj -o "$out/plots/programming_energy_pulse" >/dev/null
echo "wrote $wrote/energy.csv, $wrote/energy_tables.md and $wrote/plots/{energy_*,area_*,programming_*}.{png,svg}"
