#!/usr/bin/env bash
# Draws docs/images/trace_run.png: one short run of the default job traced with
# `scbnn run --trace --timeline` (docs/traces.md). Needs gnuplot (scripts/deps.sh --sweeps).
#   scripts/trace-picture.sh [SCBNN]
set -euo pipefail
cd "$(dirname "$0")/.."
scbnn=${1:-build/tools/scbnn}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Three images after the network is programmed; 100 ns windows.
"$scbnn" run -q -p run.images=3 --trace "$work/run.vcd" --timeline "$work/timeline.csv" --timeline-window 100 >/dev/null
python3 - "$work/run.vcd" "$work" <<'PY'
import sys
path, out = sys.argv[1], sys.argv[2]
names, scopes, changes, now, last = {}, [], {}, 0, {}
tokens = open(path).read().split()
i = 0
while i < len(tokens):
    t = tokens[i]
    if t in ("$comment", "$date", "$version", "$timescale"):
        while tokens[i] != "$end": i += 1
    elif t == "$scope": scopes.append(tokens[i + 2]); i += 2
    elif t == "$upscope": scopes.pop()
    elif t == "$var":
        names[tokens[i + 3]] = ".".join(scopes[1:] + [tokens[i + 4]]); i += 4
    elif t.startswith("#"): now = int(t[1:])
    elif t.startswith("b"):
        v = int(t[1:], 2); v = v - (1 << 32) if len(t) == 33 and t[1] == "1" else v
        changes.setdefault(names[tokens[i + 1]], []).append((now, v)); i += 1
    elif t[0] in "01" and t[1:] in names: changes.setdefault(names[t[1:]], []).append((now, int(t[0])))
    i += 1
for signal in ("accel.busy", "accel.layer", "accel.irq"):
    with open(f"{out}/{signal}.dat", "w") as f:
        for time, value in changes[signal]: f.write(f"{time / 1000.0} {value}\n")
PY
# The inferences begin once the network is programmed: the first rise of busy.
first=$(awk 'NR == 2 { print $1 }' "$work/accel.busy.dat")
gnuplot <<GP
set terminal pngcairo size 900,560 font ",10"
set output "docs/images/trace_run.png"
set multiplot layout 3,1 title "scbnn run -p run.images=3 --trace --timeline (default job, 3 inferences after programming)"
set xrange [$first - 0.5:*]
set lmargin 12
set format x ""
set ylabel "busy, irq"
set yrange [-0.2:2.4]
set ytics ("0" 0, "1" 1)
plot "$work/accel.busy.dat" using 1:2 with steps lw 2 title "accel.busy", \
     "$work/accel.irq.dat" using 1:(\$2 + 1.2) with steps lw 2 title "accel.irq (offset)"
set ylabel "layer"
set yrange [-1.5:2.5]
set ytics 1
plot "$work/accel.layer.dat" using 1:2 with steps lw 2 title "accel.layer (-1: outside the layers)"
set format x "%g"
set xlabel "simulated time (us)"
set ylabel "power (mW)"
set yrange [0:*]
set ytics auto
set datafile separator ","
plot "$work/timeline.csv" using (\$1 / 1000.0):6 every ::1 with steps lw 2 title "--timeline power per 100 ns window"
unset multiplot
GP
echo "wrote docs/images/trace_run.png"
