#!/usr/bin/env bash
# Command-line behaviour: help texts, bad input (clear message naming the key or file,
# non-zero exit, no result file written), and a small successful run with its outputs.
set -u
scbnn=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() {  # check NAME EXPECTED_RC PATTERN -- command...
  local name=$1 want_rc=$2 pattern=$3
  shift 4
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  local ok=1
  if [ "$want_rc" = "nonzero" ]; then [ $rc -ne 0 ] || ok=0; else [ $rc -eq "$want_rc" ] || ok=0; fi
  if [ -n "$pattern" ] && ! grep -q -- "$pattern" "$work/out" "$work/err"; then ok=0; fi
  if grep -q "internal error" "$work/err"; then ok=0; fi  # a user's mistake is never an internal error
  if [ $ok -eq 1 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name (rc=$rc, wanted $want_rc, pattern '$pattern')"
    sed 's/^/  | /' "$work/err" | head -5
  fi
}

no_file() {  # no_file NAME PATH
  if [ -e "$2" ] || compgen -G "$2.tmp.*" >/dev/null; then
    failed=$((failed + 1)); echo "FAIL: $1 left $2 behind"
  else
    passed=$((passed + 1))
  fi
}

check "top-level help" 0 "commands:" -- "$scbnn" --help
check "run help" 0 "--report" -- "$scbnn" run --help
if [ -x "$(dirname "$scbnn")/scbnn-train" ]; then
  check "train help" 0 "" -- "$scbnn" train --help
  # Quantised networks and the float baseline: refused before the data set is read.
  check "float baseline needs a json record" 1 "name a .json file" -- "$scbnn" train --weight-bits 0 -o "$work/f.scbnn"
  check "float baseline record missing" 1 "$work/none.json: cannot open float baseline record" -- \
    "$scbnn" train --weight-bits 8 --arch conv4k3,dense10 -o "$work/q.scbnn" --float-baseline "$work/none.json"
  printf '{"training": "float", "float_test_accuracy": 0.9, "architecture": "dense10"}' >"$work/f.json"
  check "float baseline of another architecture" 1 "the float baseline trained architecture 'dense10'" -- \
    "$scbnn" train --weight-bits 8 --arch conv4k3,dense10 -o "$work/q.scbnn" --float-baseline "$work/f.json"
  printf '{"training": "standard"}' >"$work/f.json"
  check "not a float baseline record" 1 "not a float baseline record" -- \
    "$scbnn" train --weight-bits 8 --arch conv4k3,dense10 -o "$work/q.scbnn" --float-baseline "$work/f.json"
  check "float baseline for a binarized network" 1 "--float-baseline is for quantised networks" -- \
    "$scbnn" train --arch conv4k3,dense10 -o "$work/q.scbnn" --float-baseline "$work/f.json"
else
  check "train without the trainer" 1 "no trainer" -- "$scbnn" train --help
fi
check "config help" 0 "" -- "$scbnn" config --help
check "train-il help" 0 "il_train" -- "$scbnn" train-il --help
check "train-il without -o" 1 "--output is required" -- "$scbnn" train-il
check "train-il bad arch" 1 "one convolution" -- "$scbnn" train-il -o "$work/il.scbnn" --arch dense32,dense10
check "unknown command" 2 "unknown command" -- "$scbnn" frobnicate
check "no command" 2 "usage" -- "$scbnn"

report="$work/report.json"
printf 'accel:\n  arrays:\n    rows: 64\n' >"$work/unknown.yaml"
check "unknown key in file" 1 "did you mean accel.array.rows" -- "$scbnn" run -c "$work/unknown.yaml" --report "$report"
no_file "unknown key" "$report"
printf 'accel:\n  array: {rows: 64\n' >"$work/malformed.yaml"
check "malformed YAML" 1 "malformed.yaml:.*malformed YAML" -- "$scbnn" run -c "$work/malformed.yaml" --report "$report"
check "wrong type" 1 "accel.array.rows = 'many'" -- "$scbnn" run -p accel.array.rows=many --report "$report"
check "out of range" 1 "accel.clock_mhz" -- "$scbnn" run -p accel.clock_mhz=0 --report "$report"
check "does not fit" 1 "accel.array.count is 12" -- "$scbnn" run -p accel.array.count=12 --report "$report"
no_file "does not fit" "$report"
check "missing network" 1 "nothing.scbnn" -- "$scbnn" run -p network.path=/nonexistent/nothing.scbnn --report "$report"
head -c 3000 "$src/stimuli/networks/fmnist_bnn_fixed.scbnn" >"$work/cut.scbnn"
check "truncated network" 1 "cut.scbnn" -- "$scbnn" run -p network.path="$work/cut.scbnn" --report "$report"
check "missing data set" 1 "dataset.path" -- "$scbnn" run -p dataset.path="$work" --report "$report"
# CIFAR-10-format files written by scripts/random-cifar10.py (the data set is not packaged):
# 3-channel images against the shipped 1-channel network are refused naming both files.
cifar="$work/cifar"
python3 "$src/scripts/random-cifar10.py" "$cifar" --images 4 --seed 3 >/dev/null
check "3-channel data set, 1-channel network" 1 "fmnist_bnn_fixed.scbnn takes 28 x 28 pixels x 1 channel = 784 inputs but $cifar/test_batch.bin holds images of 32 x 32 pixels x 3 channels = 3072 values" -- "$scbnn" run -p dataset.format=cifar10 -p dataset.path="$cifar" --report "$report"
no_file "3-channel data set" "$report"
check "unknown data set format" 1 "dataset.format = 'cifar'" -- "$scbnn" run -p dataset.format=cifar -p dataset.path="$cifar" --report "$report"
check "CIFAR-10 train batches missing" 1 "data_batch_1.bin, data_batch_2.bin" -- "$scbnn" run -p dataset.format=cifar10 -p dataset.path="$cifar" -p dataset.split=train --report "$report"
check "config lists dataset.format" 0 "dataset.format = idx" -- "$scbnn" config
check "image range" 1 "run.first_image" -- "$scbnn" run -p run.first_image=10000 --report "$report"
check "report directory missing" 1 "does not exist" -- "$scbnn" run --report "$work/none/r.json"

# Every output is checked before the run, named with its option and the reason; results
# appear together only when everything succeeded.
outs=(--report "$report" --predictions "$work/p.csv")
mkdir "$work/adir"
touch "$work/afile"
check "predictions naming a directory" 1 "predictions $work/adir: is a directory" -- "$scbnn" run -p run.images=5 "${outs[@]:0:2}" --predictions "$work/adir"
no_file "predictions naming a directory" "$report"
check "accelergy naming a regular file" 1 "accelergy $work/afile: is a file, not a directory" -- "$scbnn" run -p run.images=5 "${outs[@]}" --accelergy "$work/afile"
no_file "accelergy naming a regular file (report)" "$report"
no_file "accelergy naming a regular file (predictions)" "$work/p.csv"
check "report under a regular file" 1 "$work/afile is not a directory" -- "$scbnn" run -p run.images=5 --report "$work/afile/r.json"
check "report ending in a slash" 1 "names a directory" -- "$scbnn" run -p run.images=5 --report "$work/new/"
check "negative progress interval" 1 "--progress -1: expected" -- "$scbnn" run -p run.images=5 --progress -1 --report "$report"
check "one file for two outputs" 1 "name the same path" -- "$scbnn" run -p run.images=5 --report "$report" --predictions "$work/adir/../report.json"
no_file "one file for two outputs" "$report"
check "report inside the Accelergy directory's files" 1 "its ERT.yaml" -- "$scbnn" run -p run.images=5 --report "$work/adir/ERT.yaml" --accelergy "$work/adir"
no_file "report inside the Accelergy directory's files" "$work/adir/ERT.yaml"
if [ "$(id -u)" -ne 0 ]; then  # root may write anywhere
  mkdir "$work/readonly" && chmod 555 "$work/readonly"
  check "unwritable directory" 1 "cannot write in directory" -- "$scbnn" run -p run.images=5 --report "$work/readonly/r.json"
fi
check "all outputs" 0 "accuracy" -- "$scbnn" run -q -p run.images=5 "${outs[@]}" --accelergy "$work/acc"
if [ -s "$report" ] && [ -s "$work/p.csv" ] && [ -s "$work/acc/ERT.yaml" ] && [ -s "$work/acc/ART.yaml" ] &&
   [ -s "$work/acc/action_counts.yaml" ] && [ -s "$work/acc/architecture.yaml" ] &&
   [ -s "$work/acc/components.yaml" ] && [ -s "$work/acc/scbnn.table.yaml" ] && [ -s "$work/acc/pcsa.csv" ] && ! find "$work" -name '*.tmp.*' | grep -q .; then
  passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: outputs of a successful run"; fi
rm -rf "$report" "$work/p.csv" "$work/acc"
check "unknown preset" 1 "power.preset" -- "$scbnn" run -p power.preset=no-such-node --report "$report"
printf 'name: x\nfeature_size_nm: 28\ncomponents:\n  pcsa:\n    area: {value: -1, unit: um^2, per: instance, source: s}\n' > "$work/neg.yaml"
check "negative area in a preset" 1 "negative" -- "$scbnn" run -p power.preset="$work/neg.yaml" --report "$report"
# A preset lacking an entry a built component needs is refused before simulating, even if
# this run would never count it (SNGs built by first_layer_hardware = both, idle in a fixed run).
sed -e '/^    actions:$/{N;/bit_step:/d}' "$(dirname "$0")/../power/presets/st-mram-28nm.yaml" > "$work/no_bit_step.yaml"
check "preset without an entry a built component needs" 1 "lfsr.bit_step" -- "$scbnn" run -p run.images=5 \
  -p accel.first_layer_hardware=both -p power.preset="$work/no_bit_step.yaml" --report "$report"
check "override with an unknown unit" 1 "unknown unit 'furlong'" -- "$scbnn" run -p power.entry.pcsa.sense_xnor="3 furlong" --report "$report"
check "override of an unknown action" 1 "neither area, leakage nor an action" -- "$scbnn" run -p power.entry.pcsa.fly="3 fJ" --report "$report"
no_file "all failures" "$report"

# Logging (docs/logging.md): one array at debug logs its programming on stderr, no other
# instance logs, the result line stays alone on stdout; a default run logs nothing; a
# misspelt instance is refused with the nearest names.
check "one array at debug" 0 "accel.core.array_0 @ .*: programmed 1024 words" -- \
  "$scbnn" run -q -p run.images=2 -p log.accel.core.array_0=debug
if grep -q "^Info" "$work/out" || grep "^Info" "$work/err" | grep -qv "accel.core.array_0 @ "; then
  failed=$((failed + 1)); echo "FAIL: a message from another instance, or on stdout"; else passed=$((passed + 1)); fi
check "default run logs nothing" 0 "accuracy" -- "$scbnn" run -q -p run.images=2
if [ -s "$work/err" ]; then failed=$((failed + 1)); echo "FAIL: a default run printed on stderr"; else passed=$((passed + 1)); fi
check "unknown instance to log" 1 "log.accel.core.aray_0: the platform has no instance .*nearest: accel.core.array_0" -- \
  "$scbnn" run -p run.images=2 -p log.accel.core.aray_0=debug --report "$report"
no_file "unknown instance to log" "$report"
check "unknown log level" 1 "log.host = 'loud' is not valid (expected one of off error warning info debug)" -- \
  "$scbnn" run -p log.host=loud

# Interrupted runs leave no result file, and no half-written one; a rerun completes it.
# The signal provably lands while the simulation is under way, on any machine: the run
# prints one progress line per image into a pipe the test reads once (so the simulation
# has started) and then leaves unread; 10 000 lines do not fit in a pipe, so the run
# blocks in the middle of the simulation and cannot finish before the signal.
mkfifo "$work/progress"
for signal in INT TERM KILL; do
  rm -f "$report" "$work/killed.csv"
  exec 3<>"$work/progress"  # read-write: opening does not wait for the writer
  # A background job of a script ignores SIGINT; python restores the default as a terminal would.
  python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$scbnn" run -q -p run.images=10000 --progress 1 --report "$report" --predictions "$work/killed.csv" \
    2>"$work/progress" &
  pid=$!
  line=
  read -r -t 120 line <&3  # the bound only guards against a run that never starts
  kill -"$signal" "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rc=$?
  exec 3<&-
  if [[ $line == *"images 1/10000"* ]] && [ $rc -ne 0 ] && [ ! -e "$report" ] && [ ! -e "$work/killed.csv" ] &&
     ! ls "$work" | grep -q '\.tmp\.'; then
    passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: run killed by SIG$signal left a result (rc=$rc, progress '$line')"; fi
done
check "rerun after the interruptions" 0 "accuracy" -- "$scbnn" run -p run.images=20 --report "$report"
rm -f "$report"

# Absurd sizes are refused up front, with the key named.
check "absurd array" 1 "at most 1 GiB" -- "$scbnn" run -p accel.array.rows=65536 -p accel.array.columns=65536 -p accel.array.count=65536 --report "$report"
check "absurd stream length" 1 "accel.sc.stream_length" -- "$scbnn" run -p accel.input_mode=stochastic -p accel.sc.stream_length=2147483648 --report "$report"
no_file "absurd sizes" "$report"

check "small run" 0 "accuracy" -- "$scbnn" run -p run.images=50 -p run.first_image=20 --report "$report" --predictions "$work/p.csv"
if python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['schema_version']==3 and r['accuracy']['images']==50 and r['config']['run.images']['origin']=='command line' and r['power']['energy_per_inference_pj']>0 and r['power']['area_um2']>0 and all(e['source'] for e in r['power']['entries'].values())" "$report"; then
  passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: report content"; fi
lines=$(wc -l <"$work/p.csv")
if [ "$lines" -eq 51 ] && head -1 "$work/p.csv" | grep -q '^index,label,predicted,score_0' && sed -n 2p "$work/p.csv" | grep -q '^20,'; then
  passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: predictions CSV ($lines lines)"; fi
# Traces: a VCD and an energy timeline whose windows add up to the report's total energy.
check "trace and timeline" 0 "accuracy" -- "$scbnn" run -p run.images=4 --report "$report" --trace "$work/run.vcd" \
  --timeline "$work/timeline.csv" --timeline-window 5000
if grep -q '^\$enddefinitions' "$work/run.vcd" && python3 -c "
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
total = json.load(open(sys.argv[2]))['power']['total_pj']
assert rows[0]['start_ns'] == '0.000' and all(a['end_ns'] == b['start_ns'] for a, b in zip(rows, rows[1:]))
assert abs(sum(float(r['energy_pj']) for r in rows) / total - 1) < 1e-5, 'timeline total'
" "$work/timeline.csv" "$report"; then
  passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: trace or timeline content"; fi
if compgen -G "$work/run.vcd.tmp*" >/dev/null; then failed=$((failed + 1)); echo "FAIL: trace scratch file left behind"; fi
check "timeline window refused" 1 "--timeline-window" -- "$scbnn" run -p run.images=1 --timeline "$work/t2.csv" \
  --timeline-window 0
no_file "refused timeline" "$work/t2.csv"
check "trace into a missing directory" 1 "--trace" -- "$scbnn" run -p run.images=1 --trace "$work/no/such/run.vcd"
# The DMA engine: the MAC-array accelerator programmed and fed by DMA predicts the same.
for d in false true; do
  check "MAC array, dma.enabled=$d" 0 "accuracy" -- "$scbnn" run -p network.path=fmnist_qcnn_w4a4.scbnn \
    -p accel.datapath=mac -p run.images=8 -p accel.dma.enabled=$d --predictions "$work/mac_dma_$d.csv"
done
if cmp -s "$work/mac_dma_false.csv" "$work/mac_dma_true.csv"; then passed=$((passed + 1)); else
  failed=$((failed + 1)); echo "FAIL: DMA changed the MAC array's predictions"; fi
# Physical parameters out of range, malformed WER tables.
check "zero Delta" 1 "accel.mram.mtj.delta" -- "$scbnn" run -p accel.mram.mtj.delta=0
check "negative TMR" 1 "accel.mram.mtj.tmr" -- "$scbnn" run -p accel.mram.mtj.tmr=-1
check "probability above 1" 1 "accel.mram.ber" -- "$scbnn" run -p accel.mram.ber=1.5
check "zero pulse" 1 "accel.mram.pulse_ns" -- "$scbnn" run -p accel.mram.pulse_ns=0
check "table without file" 1 "accel.mram.wer_table" -- "$scbnn" run -p accel.mram.write_errors=table
printf 'pulse_ns,wer\n4,0.01\n3,0.1\n' >"$work/bad_table.csv"
check "malformed WER table" 1 "pulses must increase" -- "$scbnn" run -p accel.mram.write_errors=table -p accel.mram.wer_table="$work/bad_table.csv"
printf 'pulse_ns,wer\n4,0.01\n8,1e-6\n' >"$work/table.csv"
check "WER table" 0 "MTJ WER 0.0001 at 6 ns" -- "$scbnn" run -p run.images=20 -p accel.mram.write_errors=table -p accel.mram.wer_table="$work/table.csv" -p accel.mram.pulse_ns=6

# Same seed: bit-identical; another seed: another error pattern, same statistics.
errs=(-p run.images=300 -p accel.mram.write_errors=ber -p accel.mram.ber=0.02)
"$scbnn" run "${errs[@]}" -q --predictions "$work/s1a.csv" --report "$work/s1a.json" >/dev/null &&
"$scbnn" run "${errs[@]}" -q --predictions "$work/s1b.csv" >/dev/null &&
"$scbnn" run "${errs[@]}" -p seed=2 -q --predictions "$work/s2.csv" --report "$work/s2.json" >/dev/null
if cmp -s "$work/s1a.csv" "$work/s1b.csv" && ! cmp -s "$work/s1a.csv" "$work/s2.csv" &&
   python3 - "$work/s1a.json" "$work/s2.json" <<'PY'
import json, math, sys
a, b = (json.load(open(f))["errors_injected"]["per_source"]["write"] for f in sys.argv[1:3])
n, p = a["opportunities"], 0.02
assert a["events"] != b["events"] or a != b
for e in (a, b):  # both within 5 sigma of the configured rate
    assert abs(e["events"] - n * p) <= 5 * math.sqrt(n * p * (1 - p)), e
PY
then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: seed reproducibility"; fi

check "registers table" 0 "| 0x000 | \`ID\`" -- "$scbnn" registers --markdown
check "registers as plain text" 0 "^0x000  *ID  *RO  *0x5CB11001" -- "$scbnn" registers
if grep -q '|' "$work/out"; then failed=$((failed + 1)); echo "FAIL: plain registers table holds Markdown"; fi
check "registers of another configuration" 0 "ARRAY_COUNT .*0x00000020" -- "$scbnn" registers -p accel.array.count=32
check "registers refuse a bad configuration" 1 "accel.array.count" -- "$scbnn" registers -p accel.array.count=x
check "config lists accepted values" 0 "accepted: one of fixed stochastic" -- "$scbnn" config
check "quiet run prints its result" 0 "^accuracy 85.00 % (17 / 20), [0-9]* cycles per inference, [0-9.]* nJ per inference$" -- "$scbnn" run -q -p run.images=20
[ "$(wc -l <"$work/out")" -eq 1 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: run -q prints one line"; }

# The MAC-array datapath (accel.datapath = mac): a generated quantised network (version 3, the
# Python reference's generator) on generated images, both PE kinds; the refusals name the key.
ref="$src/tests/reference/scbnn_net.py"
mkdir -p "$work/qdata"
python3 "$ref" random-quant "$work/q.scbnn" --seed 3 --input 10x10x1 --layers c6k3s1p1m2s2 --dense 10 --bits 6,5 &&
python3 "$ref" write-images "$work/qdata/t10k-images-idx3-ubyte" --seed 3 --count 6 --rows 10 --cols 10
qrun=(-p network.path="$work/q.scbnn" -p dataset.path="$work/qdata" -p run.images=6)
check "MAC array, SC-CNN PEs" 0 "MAC array    16 x 16 sc_cnn PEs, k = 2, early termination on; 6-bit weights, 5-bit activations" -- "$scbnn" run "${qrun[@]}" -p accel.datapath=mac -p accel.mac.stream_bits_per_cycle=2 --report "$work/q.json"
python3 - "$work/q.json" <<'PY' && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: MAC report"; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["datapath"]["kind"] == "mac" and r["datapath"]["pe"] == "sc_cnn", r["datapath"]
layers = r["cycles"]["per_layer"]
assert len(layers) == 2 and all(l["cycles"] > 0 for l in layers), layers
assert set(layers[0]["phases"]) == {"fetch", "compute", "requant", "writeback"}, layers[0]
assert set(layers[1]["phases"]) == {"fetch", "compute", "argmax"}, layers[1]
assert all(l["energy_pj"] > 0 for l in r["layers"]), r["layers"]
classes = set(r["power"]["area_per_class"])
assert {"weight_memory", "requant_unit", "sc_row_counter"} <= classes, classes
PY
check "MAC array, binary PEs" 0 "MAC array    16 x 16 binary_mac PEs; 6-bit weights" -- "$scbnn" run "${qrun[@]}" -p accel.datapath=mac -p accel.mac.pe=binary_mac
check "quantised network on the BNN" 1 "q.scbnn is a quantised network (6-bit weights, 5-bit activations): it runs on accel.datapath = mac" -- "$scbnn" run "${qrun[@]}"
check "binarized network on the MAC array" 1 "is a binarized network: it runs on accel.datapath = bnn" -- "$scbnn" run -p accel.datapath=mac -p run.images=1
check "weights wider than the PEs" 1 "q.scbnn has 6-bit weights but accel.mac.weight_bits is 4" -- "$scbnn" run "${qrun[@]}" -p accel.datapath=mac -p accel.mac.weight_bits=4
check "MAC array of no rows" 1 "accel.mac.rows = '0' is not valid" -- "$scbnn" run "${qrun[@]}" -p accel.datapath=mac -p accel.mac.rows=0
check "MAC registers" 0 "^0x050  *QUANT_BITS  *RW  *0x00000808" -- "$scbnn" registers -p accel.datapath=mac
check "C register header" 0 "#define SCBNN_IRQ_ENABLE  *0x010u" -- "$scbnn" registers --c-header
check "program image needs -o" 1 "-o FILE is required" -- "$scbnn" program-image
check "program image refuses a network the datapath cannot run" 1 "accel.datapath = mac" -- \
  "$scbnn" program-image -p network.path=fmnist_qcnn_w8a8.scbnn -o "$work/wrong.img"
no_file "refused program image" "$work/wrong.img"
check "program image of the default network" 0 "for the SC-BNN accelerator" -- "$scbnn" program-image -o "$work/bnn.img"
if [ "$(head -c 4 "$work/bnn.img")" != "SCBI" ]; then failed=$((failed + 1)); echo "FAIL: program image lacks its SCBI header"; fi

echo "cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
