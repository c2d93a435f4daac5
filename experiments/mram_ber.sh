#!/usr/bin/env bash
# Experiment (issue 3): Fashion-MNIST accuracy on the full test set versus MRAM bit error
# rate, for the standard and the error-aware network, with static write errors (physical
# mode, MTJ write error rate set directly) and per-inference sign flips; then accuracy
# versus programming pulse duration with the default MTJ. Writes
# experiments/results/mram_ber.csv, mram_pulse.csv and docs/experiments/mram-ber.md.
#   experiments/mram_ber.sh [build/platforms/scbnn] [images]
set -euo pipefail
cd "$(dirname "$0")/.."
scbnn=${1:-build/platforms/scbnn}
images=${2:-10000}
jobs=$(nproc)
out=experiments/results
work=$out/raw/mram_ber  # one JSON report per point (not committed)
mkdir -p "$out" "$work"

networks=(fmnist_bnn_fixed.scbnn fmnist_bnn_fixed_ea3e-2.scbnn)
bers=(0 1e-6 1e-5 1e-4 1e-3 1e-2 3e-2 1e-1)
pulses=(3 4 5 6 7 8 10 12)

{
  for net in "${networks[@]}"; do
    for ber in "${bers[@]}"; do
      echo "ber $net physical $ber -p network.path=$net -p accel.mram.write_errors=ber -p accel.mram.ber=$ber"
      echo "ber $net per_inference $ber -p network.path=$net -p accel.mram.error_mode=per_inference -p accel.mram.ber=$ber"
    done
  done
  for pulse in "${pulses[@]}"; do
    echo "pulse fmnist_bnn_fixed.scbnn physical $pulse -p accel.mram.pulse_ns=$pulse"
  done
} >"$work/points"

# One process per point (SystemC elaborates once per process), $jobs at a time.
# A point whose report exists is kept (reports are written atomically): reruns resume.
run_point() {
  local kind=$1 net=$2 mode=$3 x=$4
  shift 4
  [ -f "$work/$kind~$net~$mode~$x.json" ] && return 0
  "$scbnn" run -q -p run.images="$images" "$@" --report "$work/$kind~$net~$mode~$x.json"
}
export -f run_point
export scbnn images work
xargs -P "$jobs" -L 1 bash -c 'run_point "$@"' _ <"$work/points"

python3 - "$work" "$out" "$images" <<'PY'
import json, glob, os, sys
work, out, images = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = []
for f in sorted(glob.glob(os.path.join(work, "*~*.json"))):
    kind, net, mode, x = os.path.basename(f)[:-5].split("~")
    r = json.load(open(f))
    inj = r["errors_injected"]
    src = inj["per_source"]
    rows.append(dict(kind=kind, network=net, mode=mode, x=float(x), accuracy=r["accuracy"]["accuracy"],
                     images=r["accuracy"]["images"],
                     mtj_wer=r["memory"].get("mtj_write_error_probability", ""),
                     realised_write=src.get("write", {}).get("realised_rate", ""),
                     realised_flip=src.get("inference_flip", {}).get("realised_rate", ""),
                     weight_error_rate=inj["weight_error_rate_at_end"]))
def write_csv(path, rs, keys):
    with open(path, "w") as fh:
        fh.write(",".join(keys) + "\n")
        for r in rs:
            fh.write(",".join(str(r[k]) for k in keys) + "\n")
ber = sorted([r for r in rows if r["kind"] == "ber"], key=lambda r: (r["network"], r["mode"], r["x"]))
pulse = sorted([r for r in rows if r["kind"] == "pulse"], key=lambda r: r["x"])
write_csv(os.path.join(out, "mram_ber.csv"), ber,
          ["network", "mode", "x", "accuracy", "realised_write", "realised_flip", "weight_error_rate", "images"])
write_csv(os.path.join(out, "mram_pulse.csv"), pulse, ["x", "mtj_wer", "accuracy", "weight_error_rate", "images"])

def acc(net, mode, x):
    for r in ber:
        if r["network"] == net and r["mode"] == mode and r["x"] == x:
            return "%.2f" % (100 * r["accuracy"])
    return "n/a"
bers = sorted({r["x"] for r in ber})
nets = [("fmnist_bnn_fixed.scbnn", "standard"), ("fmnist_bnn_fixed_ea3e-2.scbnn", "error-aware (3e-2)")]
lines = ["| BER | " + " | ".join(f"{label}, {mode}" for _, label in nets for mode in ("physical", "per-inference")) + " |",
         "|---|" + "---|" * 4]
for x in bers:
    lines.append(f"| {x:g} | " + " | ".join(acc(n, m, x) for n, _ in nets for m in ("physical", "per_inference")) + " |")
ptable = ["| pulse (ns) | MTJ WER (model) | weights wrong | accuracy (%) |", "|---|---|---|---|"]
for r in pulse:
    ptable.append(f"| {r['x']:g} | {r['mtj_wer']:.3g} | {r['weight_error_rate']:.3g} | {100 * r['accuracy']:.2f} |")
open(os.path.join(out, "mram_tables.md"), "w").write(
    f"Images per point: {images}.\n\n### Accuracy (%) versus bit error rate\n\n" + "\n".join(lines) +
    "\n\n### Accuracy versus programming pulse (default MTJ, 100 uA)\n\n" + "\n".join(ptable) + "\n")
PY
echo "wrote $out/mram_ber.csv, $out/mram_pulse.csv, $out/mram_tables.md"
