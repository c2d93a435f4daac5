#!/usr/bin/env bash
# scbnn plot on merged rows written here (values chosen to exercise each feature): axis titles
# from the configuration schema (as `scbnn config` prints it), the BER = 0 points kept and
# marked on a logarithmic axis, base-2 axes for powers of two, Wilson intervals recomputed
# here, baselines and reference lines, Pareto labels, stacked bars with one colour per class
# and totals, nothing from gnuplot on stderr, and bad input refused leaving no file.
#   tests/plot_test.sh path/to/scbnn
set -uo pipefail
scbnn=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() {  # check NAME -- command...: passes when the command succeeds
  local name=$1
  shift 2
  if "$@" >"$work/check.out" 2>&1; then ok; else fail "$name: $(head -c 2000 "$work/check.out")"; fi
}

# Merged rows: two networks over accel.mram.ber (0 included) in the physical error mode; SC
# stream lengths (powers of two) with each network's fixed-input point; 32 priced points
# with 24 component classes (one zero everywhere) for the stacked bars.
python3 - <<'PY'
import json, random
random.seed(7)
rows = []
def row(point, correct, images=1000, **extra):
    r = {"index": len(rows), "hash": "%016x" % len(rows), "point": point, "status": "done",
         "accuracy": correct / images, "correct": correct, "images": images}
    r.update(extra)
    rows.append(r)
for net, base in (("nets/a.scbnn", 900), ("b.scbnn", 880)):
    for ber, loss in (("0", 0), ("1e-4", 2), ("1e-3", 5), ("1e-2", 40), ("1e-1", 500)):
        row({"network.path": net, "accel.mram.error_mode": "physical", "accel.mram.write_errors": "ber",
             "accel.mram.ber": ber}, base - loss, energy_nj_per_inference=100.0)
    row({"network.path": net, "accel.input_mode": "fixed"}, base + 3, energy_nj_per_inference=150.0)
    for n in (1, 2, 4, 8, 16, 32):
        row({"network.path": net, "accel.input_mode": "stochastic", "accel.sc.stream_length": str(n)},
            base - 200 // n, energy_nj_per_inference=20.0 * n)
classes = ["class_%02d" % i for i in range(24)]
for n in (1, 2, 3, 4, 6, 8, 12, 16):
    for source in ("lfsr", "sobol", "ideal", "vdc"):
        energy = {c: (0.0 if c == "class_05" else round(random.uniform(0.1, 5), 3)) for c in classes}
        row({"network.path": "c.scbnn", "accel.sng.source": source, "accel.sc.stream_length": str(n),
             "accel.mram.error_mode": "ideal"}, 850, energy_nj_per_class=energy,
            area_mm2_per_class={c: v / 10 for c, v in energy.items()}, energy_nj_per_inference=sum(energy.values()))
json.dump({"sweep": "plot-test", "rows": rows}, open("results.json", "w"), indent=1)
PY

"$scbnn" config >config.txt
# plot STEM args...: runs scbnn plot; its stderr must stay empty
plot() {
  local stem=$1
  shift
  "$scbnn" plot results.json "$@" -o "$stem" >"$stem.out" 2>"$stem.err"
  local rc=$?
  [ $rc -eq 0 ] && [ ! -s "$stem.err" ] && [ -s "$stem.png" ] && [ -s "$stem.svg" ] && [ -s "$stem.dat" ] &&
    [ -s "$stem.gp" ] && ok || fail "plot $stem (rc=$rc): $(cat "$stem.err")"
}
plot ber --kind line --x accel.mram.ber --logx --series network.path --where accel.mram.error_mode=physical
plot stream --kind line --x accel.sc.stream_length --series network.path --where accel.input_mode=stochastic \
  --where network.path!=c.scbnn --baseline accel.input_mode=fixed --baseline-title "fixed input" --reference 88=target
plot stream_linear --kind line --x accel.sc.stream_length --linx --series network.path \
  --where accel.input_mode=stochastic --where network.path!=c.scbnn
plot flat --kind line --x accel.mram.ber --logx --y images --series network.path  # one y value: no empty range
plot energy_log --kind line --x accel.sc.stream_length --y energy_nj_per_inference --logy --series network.path \
  --where accel.input_mode=stochastic --where network.path!=c.scbnn
plot pareto --kind pareto --where network.path!=c.scbnn
plot bars --kind energy --where network.path=c.scbnn
plot area --kind area --where network.path=c.scbnn --where accel.sc.stream_length=4

# Axis titles: the key's name and unit as `scbnn config` describes it. accel.mram.ber reads
# "write_errors = ber: MTJ write error rate; error_mode = per_inference: ..." (the rows set
# write_errors = ber), accel.sc.stream_length "stochastic samples per pixel N (SC_LENGTH); ...".
python3 - >schema_titles.txt <<'PY'
import re
text = open("config.txt").read()
def entry(key):
    m = re.search(r"^%s = \S+ ?(.*)\n    (.*)$" % re.escape(key), text, re.M)
    return m.group(1), m.group(2)
unit, description = entry("accel.mram.ber")
name = re.search(r"write_errors = ber: ([^;]*)", description).group(1)
print('set xlabel "%s (%s)"' % (name, unit))
unit, description = entry("accel.sc.stream_length")
print('set xlabel "%s (%s)"' % (re.sub(r" \(.*", "", description.split("; ")[0]), unit))
PY
check "accel.mram.ber's title from the schema" -- grep -qF "$(sed -n 1p schema_titles.txt)" ber.gp
check "accel.sc.stream_length's title from the schema" -- grep -qF "$(sed -n 2p schema_titles.txt)" stream.gp
# A setting no point sweeps (error_mode = per_inference in the sweep's set:) is read from the
# points' run reports beside results.json: "error_mode = per_inference: weight sign-flip rate".
mkdir -p unswept/points
python3 - <<'PY'
import json
rows = [{"index": i, "hash": "h%d" % i, "point": {"accel.mram.ber": ber}, "status": "done", "accuracy": 0.9,
         "correct": 900, "images": 1000} for i, ber in enumerate(("0", "1e-3", "1e-2"))]
json.dump({"sweep": "unswept", "rows": rows}, open("unswept/results.json", "w"))
for r in rows:
    json.dump({"config": {"accel.mram.error_mode": {"value": "per_inference", "origin": "file", "unit": ""}}},
              open("unswept/points/%s.json" % r["hash"], "w"))
PY
"$scbnn" plot unswept/results.json --kind line --x accel.mram.ber --logx -o unswept/plot >/dev/null 2>&1 ||
  fail "plot unswept"
name=$(sed -n 's/^    .*error_mode = per_inference: \([^;]*\).*/\1/p' config.txt | head -1)
check "a setting from the run reports picks the description's clause" -- \
  grep -qF "set xlabel \"$name (probability)\"" unswept/plot.gp
check "a title" -- grep -q '^set title "Accuracy vs MTJ write error rate' ber.gp
check "y axis title with its unit" -- grep -qF 'set ylabel "accuracy (%)"' ber.gp
check "legend: network file stems" -- grep -q 'title "a"' ber.gp
check "legend: no raw key = value" -- bash -c '! grep -q "path = " ber.gp'
check "legend title: the series key's name" -- grep -q 'set key .*title "network file"' ber.gp

# BER = 0: in the data, drawn at zero_at with a tick "0", left of an axis break.
python3 - >zero.txt <<'PY'
import re
gp, dat = open("ber.gp").read(), open("ber.dat").read()
blocks = dat.split("\n\n\n")
zero_blocks = [b for b in blocks if "accel.mram.ber = 0" in b.splitlines()[0]]
assert len(zero_blocks) == 2, "one x = 0 block per network: %d" % len(zero_blocks)
for b in zero_blocks:
    lines = [l for l in b.splitlines() if not l.startswith("#")]
    assert len(lines) == 1 and lines[0].split()[0] == "0", lines
    assert float(lines[0].split()[1]) in (90.0, 88.0), lines  # 900 / 1000 and 880 / 1000 correct
zero_at = float(re.search(r"^zero_at = (\S+)", gp, re.M).group(1))
assert zero_at < 1e-4, zero_at  # left of the smallest positive BER
assert re.search(r'"0" %s\b' % re.escape(re.search(r"^zero_at = (\S+)", gp, re.M).group(1)), gp), "tick 0"
assert gp.count('"//"') == 2 and "set arrow 1" in gp, "axis break"
assert gp.count("using (zero_at):2:3:4 with yerrorbars") == 2, "zero points drawn"
ticks = re.findall(r'"([^"]*)" (\S+)(?: 1)?[,)]', re.search(r"^set xtics \((.*)\)$", gp, re.M).group(0))
brk = float(re.search(r"set arrow 1 from (\S+),", gp).group(1))
for label, at in ticks:
    assert label == "0" or float(at) > brk, "tick %s at %s left of the break" % (label, at)
print("ok")
PY
check "BER = 0 points kept and marked" -- grep -qx ok zero.txt

# Error bars: the Wilson score interval (z = 1.959963984540054) recomputed here from the
# rows' correct and images, for every accuracy point drawn.
python3 - ber stream pareto >wilson.txt <<'PY'
import json, math, sys
rows = json.load(open("results.json"))["rows"]
def wilson(x, n, z=1.959963984540054):
    p = x / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (0 if x == 0 else c - h), 100 * (1 if x == n else c + h)
by_accuracy = {}
for r in rows:
    by_accuracy.setdefault(round(100 * r["correct"] / r["images"], 9), set()).add(wilson(r["correct"], r["images"]))
checked = 0
for stem in sys.argv[1:]:
    for line in open(stem + ".dat"):
        f = line.split()
        if line.startswith("#") or len(f) < 4 or "\"" in line:  # label lines: x y "text"
            continue
        y, low, high = float(f[1]), float(f[2]), float(f[3])
        expected = by_accuracy[round(y, 9)]
        assert any(abs(low - a) < 1e-9 and abs(high - b) < 1e-9 for a, b in expected), (stem, line, expected)
        checked += 1
assert checked >= 30, checked
print("ok", checked)
PY
check "error bars are Wilson intervals" -- grep -q "^ok" wilson.txt
check "error bars drawn" -- grep -q "with yerrorlines" ber.gp

# Powers of two: a base-2 axis by default, ticks at the lengths; --linx keeps it linear.
check "base-2 axis" -- grep -qx "set logscale x 2" stream.gp
check "ticks at the powers of two" -- grep -q '^set xtics ("1" 1, "2" 2, "4" 4, "8" 8, "16" 16, "32" 32)' stream.gp
check "--linx: linear" -- bash -c '! grep -q "logscale" stream_linear.gp'
check "base-10 axis for BER" -- grep -qx "set logscale x 10" ber.gp
check "--logy: a logarithmic y axis, 20 to 640 nJ" -- grep -qx "set logscale y 10" energy_log.gp
check "--logy ticks" -- grep -q '^set ytics ("20" 20, "50" 50, "100" 100, "200" 200, "500" 500' energy_log.gp
check "y axis title of a metric" -- grep -qF 'set ylabel "energy per inference (nJ)"' energy_log.gp

# Baselines: each network's fixed-input point as a line at its accuracy, in the curve's colour.
python3 - >baseline.txt <<'PY'
import re
gp, dat = open("stream.gp").read(), open("stream.dat").read()
for net, y in (("a", 90.3), ("b", 88.3)):
    m = re.search(r"index (\d+) using 1:2 with lines dt 2 lw 2 lc rgb '(#\w+)' title \"%s: fixed input\"" % net, gp)
    assert m, "baseline of " + net
    block = dat.split("\n\n\n")[int(m.group(1))]
    ys = {float(l.split()[1]) for l in block.splitlines() if not l.startswith("#")}
    assert ys == {y}, (net, ys)
    curve = re.search(r"with yerrorlines lc rgb '(#\w+)' .* title \"%s\"" % net, gp)
    assert curve and curve.group(1) == m.group(2), "baseline colour = curve colour"
assert re.search(r'^.*88 with lines .* title "target"', gp, re.M), "reference line"
print("ok")
PY
check "baselines and reference line" -- grep -qx ok baseline.txt
check "constant y: a y range is set" -- grep -q "^set yrange" flat.gp

# Pareto: the front computed here; its points labelled with the keys that differ among the
# plotted points, and only those.
python3 - >pareto.txt <<'PY'
import json, re
rows = [r for r in json.load(open("results.json"))["rows"] if r["point"].get("network.path") != "c.scbnn"]
keys = []
for r in rows:
    for k in r["point"]:
        if k not in keys:
            keys.append(k)
differ = [k for k in keys if len({r["point"].get(k) for r in rows}) > 1]
front, best = [], -1
for r in sorted(rows, key=lambda r: (r["energy_nj_per_inference"], -r["accuracy"])):
    if r["accuracy"] > best:
        front.append(r)
        best = r["accuracy"]
def label(r):
    parts = []
    for k in differ:
        if k in r["point"]:
            v = r["point"][k]
            parts.append(v.split("/")[-1].rsplit(".", 1)[0] if k == "network.path" else k.split(".")[-1] + "=" + v)
    return ", ".join(parts)
labels = re.findall(r'^\S+ \S+ "(.*)"$', open("pareto.dat").read(), re.M)
assert sorted(labels) == sorted(label(r) for r in front), (labels, [label(r) for r in front])
print("ok", len(labels))
PY
check "Pareto front labelled" -- grep -q "^ok" pareto.txt

# Stacked bars: one colour per class, none shared; the all-zero class left out and named;
# totals; labels from the differing keys only, turned upright for 32 bars.
python3 - >bars.txt <<'PY'
import re
gp, dat = open("bars.gp").read(), open("bars.dat").read()
clauses = re.findall(r"data using (\d+) lc rgb '(#[0-9a-f]{6})' title \"(\w+)\"", gp)
classes = [c for _, _, c in clauses]
colours = [c for _, c, _ in clauses]
assert len(classes) == 23 and "class_05" not in classes, classes
assert len(set(colours)) == len(colours), "shared colours: %s" % colours
assert "left out: class_05" in gp
assert "with labels" in gp and "column(25)" in gp, "totals"
for line in dat.splitlines():
    if line.startswith("#"):
        continue
    values = [float(v) for v in line.rsplit('"', 1)[1].split()]
    assert abs(sum(values[:-1]) - values[-1]) < 1e-9, line
tics = re.search(r"^set xtics nomirror \((.*)\)( rotate by 90 right)?$", gp, re.M)
assert tics.group(2), "32 bars: upright labels"
labels = re.findall(r'"([^"]*)" \d+', tics.group(1))
assert len(labels) == 32 and labels[0] == "source=lfsr, stream_length=1", labels[:2]
assert all(re.fullmatch(r"source=\w+, stream_length=\d+", l) for l in labels), "only the keys that differ"
print("ok")
PY
check "stacked bars" -- grep -qx ok bars.txt
check "few bars: labels side by side, one key per line" -- grep -q '^set xtics nomirror ("source=lfsr" 0' area.gp

# The saved script redraws the plot, and gnuplot has nothing to say on stderr.
for stem in ber stream stream_linear flat energy_log pareto bars area; do
  gnuplot -e "png='$work/re.png'; svg='$work/re.svg'" "$stem.gp" >"$stem.gnuplot" 2>&1
  [ $? -eq 0 ] && [ ! -s "$stem.gnuplot" ] && [ -s re.png ] && ok || fail "gnuplot $stem.gp: $(cat "$stem.gnuplot")"
  rm -f re.png re.svg
done

# Bad input: refused with the reason, nothing written.
bad() {  # bad NAME PATTERN -- plot arguments...
  local name=$1 pattern=$2
  shift 3
  "$scbnn" plot "$@" -o bad >bad.out 2>&1
  local rc=$?
  [ $rc -eq 1 ] && grep -q -- "$pattern" bad.out && ! grep -q "internal error" bad.out &&
    [ -z "$(ls bad.* 2>/dev/null | grep -v bad.out)" ] && ok || fail "$name (rc=$rc): $(cat bad.out)"
}
bad "unknown x key" "accel.mram.berr: neither a configuration key.*did you mean accel.mram.ber" -- \
  results.json --kind line --x accel.mram.berr
bad "non-numeric x" "accel.sng.source is not a number in point" -- results.json --kind line --x accel.sng.source
bad "unknown option" "unrecognised option '--bogus'" -- results.json --kind line --x accel.mram.ber --bogus
bad "unknown --where key" "accel.sng.sorce is not a configuration key" -- \
  results.json --kind pareto --where accel.sng.sorce=lfsr
bad "unknown kind" "'histogram' is not line, pareto, energy or area" -- results.json --kind histogram
bad "two points at one x" "has two points at accel.sc.stream_length = 1" -- \
  results.json --kind line --x accel.sc.stream_length
bad "baseline matching nothing" "no point matches" -- results.json --kind line --x accel.mram.ber --logx \
  --series network.path --baseline accel.input_mode=vote
bad "only x = 0 on a log axis" "every accel.mram.ber is 0" -- results.json --kind line --x accel.mram.ber --logx \
  --series network.path --where accel.mram.ber=0
bad "--reference not a number" "expected Y or Y=LABEL" -- results.json --kind line --x accel.mram.ber \
  --series network.path --reference high=x
bad "--baseline with a bar chart" "applies to --kind line only" -- results.json --kind energy \
  --baseline accel.input_mode=fixed
# gnuplot failing: its messages in the error, no plot left behind.
mkdir fake && printf '#!/bin/sh\necho "line 3: something broke" >&2\nexit 1\n' >fake/gnuplot && chmod +x fake/gnuplot
PATH="$work/fake:$PATH" bad "gnuplot fails" "something broke" -- \
  results.json --kind pareto

echo "plot: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
