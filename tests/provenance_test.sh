#!/usr/bin/env bash
# Reports and merged tables carry their provenance and accuracy intervals, validate against
# the JSON Schemas in docs/schemas/, keep swept numbers as numbers, merge over seeds, and
# key sweep points by their input files' contents.
#   tests/provenance_test.sh path/to/scbnn SOURCE_DIR
set -uo pipefail
scbnn=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Debian's python3 has python3-jsonschema (scripts/deps.sh --tests), whatever python3 is first on PATH.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# Runs: the default BNN, a stochastic one, the MAC datapath.
"$scbnn" run -q -p run.images=40 --report "$work/fixed.json" >/dev/null || fail "fixed run"
"$scbnn" run -q -p run.images=20 -p accel.input_mode=stochastic -p accel.sc.stream_length=4 \
  -p network.path=fmnist_bnn_sc8.scbnn --report "$work/sc.json" >/dev/null || fail "stochastic run"
"$scbnn" run -q -c "$src/configs/fmnist_qcnn_binary.yaml" -p run.images=3 --report "$work/mac.json" >/dev/null ||
  fail "MAC run"
"$scbnn" run -p run.images=20 -p accel.input_mode=stochastic -p accel.sc.stream_length=4 \
  -p network.path=fmnist_bnn_sc8.scbnn >"$work/sc.txt" || fail "stochastic text report"

# The SNG line names the configured N only; the provenance line is there.
grep -q "SNG streams  N = 4: RMS value error" "$work/sc.txt" && ok || fail "SNG line: $(grep SNG "$work/sc.txt")"
[ "$(grep -c "N = 16" "$work/sc.txt")" -eq 0 ] && ok || fail "the SNG line lists other stream lengths"
grep -Eq "^  provenance   scbnn [0-9.]+ at ([0-9a-f]{12}|unknown)" "$work/sc.txt" && ok ||
  fail "provenance line: $(grep provenance "$work/sc.txt")"
grep -Eq "^  accuracy .*95 % interval [0-9.]+ to [0-9.]+ %, Wilson" "$work/sc.txt" && ok ||
  fail "accuracy line: $(grep accuracy "$work/sc.txt")"

# A sweep over a numeric key and two seeds, with a preset copy whose contents the test changes.
cp "$src/power/presets/st-mram-28nm.yaml" "$work/preset.yaml"
cat >"$work/spec.yaml" <<YAML
name: provenance
set: {run.images: 25, accel.mram.write_errors: ber, power.preset: $work/preset.yaml}
sweep:
  - product: {accel.mram.ber: [0, 1e-2]}
seeds: [1, 2]
YAML
"$scbnn" sweep "$work/spec.yaml" -o "$work/s" -j 2 >/dev/null || fail "sweep"
"$scbnn" merge "$work/s" >/dev/null || fail "merge"
before=$("$scbnn" sweep "$work/spec.yaml" --list)
echo "# a changed comment changes the file's contents" >>"$work/preset.yaml"
after=$("$scbnn" sweep "$work/spec.yaml" --list)
[ "$before" != "$after" ] && ok || fail "changing a preset file's contents keeps the point hashes"
cat >"$work/bad_seeds.yaml" <<YAML
sweep:
  - product: {seed: [1, 2]}
seeds: 2
YAML
"$scbnn" sweep "$work/bad_seeds.yaml" --list >/dev/null 2>"$work/bad.err"
[ $? -ne 0 ] && grep -q "seed is already swept" "$work/bad.err" && ok || fail "seeds with seed swept: $(cat "$work/bad.err")"

"$py" - "$src/docs/schemas" "$work" <<'PY' || failed=$((failed + 1))
import csv, json, math, os, statistics, sys
import jsonschema

schemas, work = sys.argv[1], sys.argv[2]
store = {}
for name in ("report", "results", "sweep"):
    s = json.load(open(os.path.join(schemas, name + ".schema.json")))
    jsonschema.Draft202012Validator.check_schema(s)
    store[s["$id"]] = s
def validator(name):
    s = store["https://scbnn.invalid/schemas/%s.schema.json" % name]
    return jsonschema.Draft202012Validator(s, resolver=jsonschema.RefResolver(s["$id"], s, store=store))
errors = []
def check(name, doc, what):
    for e in validator(name).iter_errors(doc):
        errors.append("%s: %s at %s" % (what, e.message, list(e.absolute_path)))

def wilson(x, n, z=1.959963984540054):  # written here from Wilson (1927), independently of the tool
    p = x / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (0.0 if x == 0 else c - h, 1.0 if x == n else c + h)

for run in ("fixed", "sc", "mac"):
    r = json.load(open(os.path.join(work, run + ".json")))
    check("report", r, run + ".json")
    a = r["accuracy"]
    lo, hi = wilson(a["correct"], a["images"])
    if abs(a["ci95_low"] - lo) > 1e-12 or abs(a["ci95_high"] - hi) > 1e-12:
        errors.append("%s: interval %s..%s, expected %s..%s" % (run, a["ci95_low"], a["ci95_high"], lo, hi))
    net = r["provenance"]["files"]["network"]
    import hashlib
    if hashlib.sha256(open(net["path"], "rb").read()).hexdigest() != net["sha256"]:
        errors.append(run + ": the network's SHA-256 differs from hashlib's")
    for f in r["provenance"]["files"]["dataset"]:
        if hashlib.sha256(open(f["path"], "rb").read()).hexdigest() != f["sha256"]:
            errors.append(run + ": " + f["path"] + "'s SHA-256 differs from hashlib's")

# A schema that cannot fail is no test: broken copies must be refused.
r = json.load(open(os.path.join(work, "fixed.json")))
for broken, what in ((dict(r, accuracy=dict(r["accuracy"], accuracy="0.9")), "accuracy as text"),
                     ({k: v for k, v in r.items() if k != "provenance"}, "no provenance"),
                     (dict(r, tool=dict(r["tool"], revision="main")), "a revision that is no commit")):
    if validator("report").is_valid(broken):
        errors.append("the report schema accepts " + what)

res = json.load(open(os.path.join(work, "s", "results.json")))
man = json.load(open(os.path.join(work, "s", "sweep.json")))
check("results", res, "results.json")
check("sweep", man, "sweep.json")
broken = dict(res, rows=[dict(res["rows"][0], status="finished")])
if validator("results").is_valid(broken):
    errors.append("the results schema accepts an unknown status")
rows = res["rows"]
if len(rows) != 4 or any(r["status"] != "done" for r in rows):
    errors.append("expected 4 finished rows, got %s" % [r["status"] for r in rows])
for r in rows:
    if not isinstance(r["point"]["accel.mram.ber"], (int, float)) or not isinstance(r["point"]["seed"], int):
        errors.append("swept numbers are not numbers: %s" % r["point"])
    if r["network_sha256"] != r["provenance"]["run"]["files"]["network"]["sha256"]:
        errors.append("row hash columns differ from the row's provenance")
if [(r["point"]["accel.mram.ber"], r["point"]["seed"]) for r in rows] != [(0, 1), (0, 2), (0.01, 1), (0.01, 2)]:
    errors.append("seeds are not the innermost group: %s" % [r["point"] for r in rows])
if rows[0]["correct"] == rows[1]["correct"] and rows[2]["correct"] == rows[3]["correct"] and \
        rows[2]["weight_error_rate"] == rows[3]["weight_error_rate"]:
    errors.append("two seeds gave identical results at BER 1e-2: the seed does not reach the run")
means = res.get("seed_means", [])
if len(means) != 2:
    errors.append("expected 2 seed means, got %d" % len(means))
for m, pair in zip(means, (rows[0:2], rows[2:4])):
    acc = [r["accuracy"] for r in pair]
    want = dict(accuracy_mean=statistics.mean(acc), accuracy_std=statistics.stdev(acc), accuracy_min=min(acc),
                accuracy_max=max(acc),
                energy_nj_per_inference_mean=statistics.mean(r["energy_nj_per_inference"] for r in pair))
    for k, v in want.items():
        if abs(m[k] - v) > 1e-12 * max(1, abs(v)):
            errors.append("seed mean %s = %s, expected %s" % (k, m[k], v))
    lo, hi = wilson(sum(r["correct"] for r in pair), sum(r["images"] for r in pair))
    if abs(m["accuracy_pooled_ci95_low"] - lo) > 1e-12 or abs(m["accuracy_pooled_ci95_high"] - hi) > 1e-12:
        errors.append("pooled interval differs")
    if m["seeds"] != 2 or "seed" in m["point"]:
        errors.append("seed mean row: %s" % m["point"])
with open(os.path.join(work, "s", "results_seeds.csv")) as fh:
    table = list(csv.DictReader(fh))
if len(table) != 2 or abs(float(table[1]["accuracy_mean"]) - means[1]["accuracy_mean"]) > 1e-12:
    errors.append("results_seeds.csv does not match results.json's seed_means")
with open(os.path.join(work, "s", "results.csv")) as fh:
    table = list(csv.DictReader(fh))
if any(len(t["network_sha256"]) != 64 or t["accuracy_ci95_low"] == "" for t in table):
    errors.append("results.csv lacks the provenance or interval columns")
for e in errors:
    print("FAIL:", e)
print("schema and statistics checks: %d problems" % len(errors))
sys.exit(1 if errors else 0)
PY
[ $? -eq 0 ] && ok
echo "provenance_test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
