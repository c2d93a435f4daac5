#!/usr/bin/env bash
# Experiment (issue 15, item 8): HfO2 RRAM weight memory (accel.memory.technology=rram).
# (1) Fashion-MNIST accuracy versus the weight bit error rate (per-inference sign flips, the
# published methodology) for the standard and the error-aware trained MLPs and BCNNs, and
# each network's tolerance (largest BER losing at most 1 point; experiments/rram_tables.py);
# (2) the programming-current law in the platform: the standard MLP programmed at currents
# from 2 to 200 uA in physical mode (static errors from the resistance distributions, read
# errors per read), 2T2R and 1T1R; (3) every network programmed at the currents the law gives
# for BER 1e-4 and for its tolerance, and the programming energies there against the
# published /30 (Hirtzlin et al., AICAS 2019). Writes rram_ber.csv, rram_current.csv,
# rram_tolerance.csv, rram_tables.md and plots/ into the output directory.
#   experiments/rram.sh [--mlp-networks A,B,..] [--bcnn-networks C,D,..] [common options]
# --mlp-networks / --bcnn-networks replace the network lists of experiments/specs/rram_ber_mlp.yaml
# and rram_ber_bcnn.yaml (shipped network names or paths).
# The options common to every experiment script follow (experiments/common.sh).
set -euo pipefail
mlp_networks="" bcnn_networks="" rest=()
while [ $# -gt 0 ]; do
  case $1 in
    --mlp-networks) [ $# -ge 2 ] || { echo "experiments/rram.sh: --mlp-networks needs a list" >&2; exit 2; }
      mlp_networks=$2; shift 2 ;;
    --bcnn-networks) [ $# -ge 2 ] || { echo "experiments/rram.sh: --bcnn-networks needs a list" >&2; exit 2; }
      bcnn_networks=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; echo; rest+=("$1"); shift ;;
    *) rest+=("$1"); shift ;;
  esac
done
source "$(dirname "$0")/common.sh"
experiment_setup rram ${rest[@]+"${rest[@]}"}

# spec_with_networks SPEC LIST OUT: SPEC with its network.path list replaced by LIST (comma-
# separated; unchanged when LIST is empty) and its base configuration made absolute, as OUT.
spec_with_networks() {
  python3 - "$1" "$2" "$3" <<'PY'
import os, re, sys
spec, networks, out = sys.argv[1:]
text = open(spec).read()
if networks:
    names = ", ".join(n.strip() for n in networks.split(",") if n.strip())
    text, n = re.subn(r"network\.path: \[[^\]]*\]", "network.path: [%s]" % names, text)
    assert n == 1, spec + ": expected one network.path list"
text = re.sub(r"^config: (.*)$", lambda m: "config: " + os.path.abspath(os.path.join(os.path.dirname(spec), m.group(1))),
              text, flags=re.M)
open(out, "w").write(text)
PY
}

base=$work
mkdir -p "$base"
ber_works=""
for kind in mlp bcnn; do
  list=$mlp_networks
  [ $kind = bcnn ] && list=$bcnn_networks
  spec_with_networks "experiments/specs/rram_ber_$kind.yaml" "$list" "$base/rram_ber_$kind.yaml"
  work=${base}_ber_$kind
  run_experiment_sweep "$base/rram_ber_$kind.yaml"
  ber_works=${ber_works:+$ber_works,}$work
done
work=${base}_current
run_experiment_sweep experiments/specs/rram_current.yaml

# The tolerance points depend on the measured tolerances: planned from the results above.
python3 experiments/rram_tables.py plan "$ber_works" "${base}_current" "$base/rram_tolerance.yaml" "$images"
work=${base}_tolerance
run_experiment_sweep "$base/rram_tolerance.yaml"

python3 experiments/rram_tables.py tables "$ber_works" "${base}_current" "${base}_tolerance" "$out" "$images"
for kind in mlp bcnn; do
  "$scbnn" plot "${base}_ber_$kind/results.json" --kind line --x accel.rram.ber --logx --series network.path \
    -o "$out/plots/rram_ber_$kind" >/dev/null
done
"$scbnn" plot "${base}_current/results.json" --kind line --x accel.mram.pulse_ua --logx --series accel.rram.cell \
  -o "$out/plots/rram_current" >/dev/null
echo "wrote $wrote/rram_ber.csv, $wrote/rram_current.csv, $wrote/rram_tolerance.csv, $wrote/rram_tables.md" \
  "and $wrote/plots/rram_*.{png,svg}"
