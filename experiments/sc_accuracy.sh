#!/usr/bin/env bash
# Experiment (issue 4): Fashion-MNIST accuracy on the full test set versus stochastic
# stream length N, for the standard and the SC-trained network, three random sources and
# both ways of combining samples, beside the fixed-point-input baseline. The weight memory
# is ideal here so that only the input path varies. Writes experiments/results/sc_accuracy.csv
# and experiments/results/sc_tables.md.
#   experiments/sc_accuracy.sh [build/platforms/scbnn] [images]
set -euo pipefail
cd "$(dirname "$0")/.."
scbnn=${1:-build/platforms/scbnn}
images=${2:-10000}
out=experiments/results
work=$out/raw/sc_accuracy  # one JSON report per point (not committed)
mkdir -p "$work"

networks=(fmnist_bnn_fixed.scbnn fmnist_bnn_sc1.scbnn fmnist_bnn_sc8.scbnn)
{
  for net in "${networks[@]}"; do
    echo "$net fixed none 0 -p network.path=$net"
    for source in lfsr sobol ideal; do
      for combine in sum vote; do
        for n in 1 2 4 8 16 32 64; do
          echo "$net $source $combine $n -p network.path=$net -p accel.input_mode=stochastic -p accel.sng.source=$source -p accel.sc.combine=$combine -p accel.sc.stream_length=$n"
        done
      done
    done
  done
} | sort -t' ' -k4 -n -r >"$work/points"  # longest runs first

# A point whose report exists is kept (reports are written atomically): reruns resume.
run_point() {
  local net=$1 source=$2 combine=$3 n=$4
  shift 4
  [ -f "$work/$net~$source~$combine~$n.json" ] && return 0
  "$scbnn" run -q -p run.images="$images" -p accel.mram.error_mode=ideal "$@" --report "$work/$net~$source~$combine~$n.json"
}
export -f run_point
export scbnn images work
xargs -P "$(nproc)" -L 1 bash -c 'run_point "$@"' _ <"$work/points"

python3 - "$work" "$out" "$images" <<'PY'
import json, glob, os, sys
work, out, images = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = {}
for f in glob.glob(os.path.join(work, "*~*.json")):
    net, source, combine, n = os.path.basename(f)[:-5].split("~")
    r = json.load(open(f))
    rows[(net, source, combine, int(n))] = (r["accuracy"]["accuracy"], r["cycles"]["per_inference"])
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
echo "wrote $out/sc_accuracy.csv and $out/sc_tables.md"
