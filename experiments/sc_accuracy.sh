#!/usr/bin/env bash
# Experiment (issue 4): Fashion-MNIST accuracy on the full test set versus stochastic
# stream length N, for the standard and the SC-trained network, three random sources and
# both ways of combining samples, beside the fixed-point-input baseline. The weight memory
# is ideal here so that only the input path varies. Writes sc_accuracy.csv, sc_tables.md
# and plots/ into the output directory (options and defaults: experiments/common.sh;
# --commit-results regenerates experiments/results/).
#   experiments/sc_accuracy.sh [--scbnn PATH] [--images N] [-j N] [-o DIR | --commit-results]
set -euo pipefail
source "$(dirname "$0")/common.sh"
experiment_setup sc_accuracy "$@"

# The points are a sweep (experiments/specs/sc_accuracy.yaml).
run_experiment_sweep experiments/specs/sc_accuracy.yaml

python3 - "$work" "$out" "$images" <<'PY'
import json, glob, os, sys
work, out, images = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = {}
for r in json.load(open(os.path.join(work, "results.json")))["rows"]:
    if r["status"] != "done":
        sys.exit("point %d failed or missing: %s" % (r["index"], r.get("error", "")))
    p = r["point"]
    if p["accel.input_mode"] == "fixed":
        key = (p["network.path"], "fixed", "none", 0)
    else:
        key = (p["network.path"], p["accel.sng.source"], p["accel.sc.combine"], int(p["accel.sc.stream_length"]))
    rows[key] = (r["accuracy"], r["cycles_per_inference"])
with open(os.path.join(out, "sc_accuracy.csv"), "w") as fh:
    fh.write("network,source,combine,stream_length,accuracy,cycles_per_inference\n")
    for k in sorted(rows):
        fh.write("%s,%s,%s,%d,%.4f,%.0f\n" % (*k, *rows[k]))
nets = [("fmnist_bnn_fixed.scbnn", "standard"), ("fmnist_bnn_sc1.scbnn", "SC-trained (N=1)"),
        ("fmnist_bnn_sc8.scbnn", "SC-trained (N=8)")]
ns = [1, 2, 4, 8, 16, 32, 64]
md = [f"Images per point: {images}. Weight memory ideal.\n"]
for net, label in nets:
    base = rows.get((net, "fixed", "none", 0), (float("nan"), 0))
    md.append(f"### {label} network: fixed-point-input baseline {100 * base[0]:.2f} %\n")
    md.append("| source, combine | " + " | ".join(f"N={n}" for n in ns) + " |")
    md.append("|---|" + "---|" * len(ns))
    for source in ("lfsr", "sobol", "ideal"):
        for combine in ("sum", "vote"):
            cells = ["%.2f" % (100 * rows[(net, source, combine, n)][0]) if (net, source, combine, n) in rows else "n/a" for n in ns]
            md.append(f"| {source}, {combine} | " + " | ".join(cells) + " |")
    md.append("")
md.append("### Accelerator cycles per inference (sum mode)\n")
md.append("| N | " + " | ".join(str(n) for n in ns) + " |")
md.append("|---|" + "---|" * len(ns))
md.append("| cycles | " + " | ".join("%.0f" % rows[("fmnist_bnn_fixed.scbnn", "lfsr", "sum", n)][1]
                                      if ("fmnist_bnn_fixed.scbnn", "lfsr", "sum", n) in rows else "n/a" for n in ns) + " |")
base_cycles = rows.get(("fmnist_bnn_fixed.scbnn", "fixed", "none", 0), (0, 0))[1]
md.append(f"\nFixed-point input: {base_cycles:.0f} cycles per inference.\n")
open(os.path.join(out, "sc_tables.md"), "w").write("\n".join(md))
PY
for source in lfsr sobol; do
  "$scbnn" plot "$work/results.json" --kind line --x accel.sc.stream_length --logx --series network.path \
    --where accel.sng.source="$source" --where accel.sc.combine=sum \
    --baseline accel.input_mode=fixed --baseline-title "fixed-point input" -o "$out/plots/sc_accuracy_${source}_sum" >/dev/null
done
echo "wrote $wrote/sc_accuracy.csv, $wrote/sc_tables.md and $wrote/plots/sc_accuracy_*.{png,svg}"
