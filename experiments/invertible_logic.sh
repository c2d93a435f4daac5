#!/usr/bin/env bash
# Experiment (issue 17): training the binarized 2-layer CNN (conv8k3,pool2,dense10 on 14 x 14
# Fashion-MNIST) with the p-bit engine in invertible-logic learning mode (scbnn train-il) against
# backpropagation on this machine's CPU (scbnn train, libtorch): accuracy on the platform, time
# and energy of the engine (cycles at il.clock_mhz, actions priced by the preset) and of the CPU
# (measured wall time x a CPU power figure), published (Shin et al., IEEE Access 2020) beside
# measured. Writes invertible_logic.md and invertible_logic.csv into the output directory, the
# trained networks and run reports into its raw/ folder (options: experiments/common.sh; -j is
# not used, --images limits the platform runs' test images).
#   experiments/invertible_logic.sh [--scbnn PATH] [--images N] [-o DIR | --commit-results]
set -euo pipefail
source "$(dirname "$0")/common.sh"
experiment_setup invertible_logic "$@"

trainer=$(dirname "$scbnn")/scbnn-train
[ -x "$trainer" ] || experiment_fail "no libtorch trainer at $trainer (scripts/deps.sh --trainer, then rebuild)"
mkdir -p "$work"
data14=$work/fmnist14
"$scbnn" train-il --write-downsampled "$data14" >/dev/null

now() { date +%s.%N; }
# timed NAME COMMAND...: runs COMMAND with its output in $work/NAME.log, wall time in $work/NAME.wall.
timed() {
  local name=$1 t0 t1
  shift
  t0=$(now)
  "$@" >"$work/$name.log"
  t1=$(now)
  python3 -c "print(f'{$t1 - $t0:.3f}')" >"$work/$name.wall"
  tail -n 3 "$work/$name.log"
}

# train_il NAME ARGS...: one invertible-logic training with its report and test predictions.
train_il() {
  local name=$1
  shift
  timed "$name" "$scbnn" train-il -o "$work/$name.scbnn" --report "$work/$name.json" \
    --predictions "$work/$name.predictions.csv" "$@"
}

train_il il_seed1 -p seed=1
train_il il_seed2 -p seed=2
train_il il_seed3 -p seed=3
train_il il_seed1_45nm -p seed=1 -p power.preset=st-mram-45nm
train_il il_rounds -p seed=1 -p il_train.rounds=2 -p il_train.validation_images=10000
train_il il_bpconv -p seed=1 --conv stimuli/networks/fmnist_cnn2_il.scbnn
timed backprop "$trainer" -o "$work/backprop.scbnn" --arch conv8k3,pool2,dense10 --downsample 2 --epochs 30 \
  --seed 1 --threads 2

for name in il_seed1 il_bpconv backprop; do
  "$scbnn" run -p network.path="$work/$name.scbnn" -p dataset.path="$data14" -p run.images="$images" \
    --report "$work/run_$name.json" -q
done

python3 experiments/invertible_logic_tables.py "$work" "$out" "$images"
echo "wrote $wrote/invertible_logic.md and $wrote/invertible_logic.csv; the trained network is $work/il_seed1.scbnn"
