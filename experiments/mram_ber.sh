#!/usr/bin/env bash
# Experiment (issue 3): Fashion-MNIST accuracy on the full test set versus MRAM bit error
# rate, for the standard and the error-aware network, with static write errors (physical
# mode, MTJ write error rate set directly) and per-inference sign flips; then accuracy
# versus programming pulse duration with the default MTJ. Writes mram_ber.csv,
# mram_pulse.csv, mram_tables.md and plots/ into the output directory (options and
# defaults: experiments/common.sh; --commit-results regenerates experiments/results/).
#   experiments/mram_ber.sh [--scbnn PATH] [--images N] [-j N] [-o DIR | --commit-results]
set -euo pipefail
source "$(dirname "$0")/common.sh"
experiment_setup mram_ber "$@"

# The points are a sweep (experiments/specs/mram_ber.yaml).
run_experiment_sweep experiments/specs/mram_ber.yaml

python3 - "$work" "$out" "$images" <<'PY'
import json, glob, os, sys
work, out, images = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = []
for row in json.load(open(os.path.join(work, "results.json")))["rows"]:
    if row["status"] != "done":
        sys.exit("point %d failed or missing: %s" % (row["index"], row.get("error", "")))
    p = row["point"]
    r = json.load(open(os.path.join(work, "points", row["hash"] + ".json")))
    inj = r["errors_injected"]
    src = inj["per_source"]
    pulse = "accel.mram.pulse_ns" in p
    rows.append(dict(kind="pulse" if pulse else "ber",
                     network=p.get("network.path", "fmnist_bnn_fixed.scbnn"),
                     mode=p.get("accel.mram.error_mode", "physical"),
                     x=float(p["accel.mram.pulse_ns"] if pulse else p["accel.mram.ber"]),
                     accuracy=r["accuracy"]["accuracy"], images=r["accuracy"]["images"],
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
for mode in physical per_inference; do
  "$scbnn" plot "$work/results.json" --kind line --x accel.mram.ber --logx --series network.path \
    --where accel.mram.error_mode="$mode" -o "$out/plots/mram_ber_$mode" >/dev/null
done
"$scbnn" plot "$work/results.json" --kind line --x accel.mram.pulse_ns -o "$out/plots/mram_pulse" >/dev/null
echo "wrote $wrote/mram_ber.csv, $wrote/mram_pulse.csv, $wrote/mram_tables.md and $wrote/plots/mram_ber_*.{png,svg}"
