#!/usr/bin/env bash
# The VGG-like binarized CIFAR-10 network (configs/cifar10_vgg_bnn.*): `scbnn network
# untrained` builds it from its architecture file, it runs on generated CIFAR-10-format
# images with its configuration for cycle, energy and area reports, and the report says it
# is untrained; `scbnn network info` describes it; bad arguments are refused.
#   cifar_vgg_test.sh SCBNN SOURCE_DIR
set -euo pipefail
scbnn=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$scbnn" network untrained --arch-file "$src/configs/cifar10_vgg_bnn.arch.yaml" --input 32x32x3 -o "$work/vgg.scbnn" \
  >"$work/untrained.out" || fail "network untrained"
"$scbnn" network info "$work/vgg.scbnn" >"$work/info.out" || fail "network info"
grep -q "9 weighted layers, 14022016 weights, 32 x 32 pixels x 3 channels" "$work/info.out" || fail "info: $(head -1 "$work/info.out")"
grep -q "layer5  conv2d 3x3 stride 1 pad 1 (-1), 8 x 8 x 512 -> 8 x 8 x 512, maxpool 2 stride 2 -> 4 x 4 x 512" \
  "$work/info.out" || fail "info does not describe layer 5"
grep -q '"training":"untrained"' "$work/info.out" || fail "the provenance does not say untrained"

python3 "$src/scripts/random-cifar10.py" "$work/cifar" --images 2 --train 1 >/dev/null || fail "random-cifar10.py"
"$scbnn" run -c "$src/configs/cifar10_vgg_bnn.yaml" -p network.path="$work/vgg.scbnn" -p dataset.path="$work/cifar" \
  -p run.images=2 --report "$work/r.json" >"$work/run.out" 2>&1 || { cat "$work/run.out"; fail "the VGG run"; }
python3 - "$work/r.json" <<'PY' || fail "the VGG report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["network"]["provenance"]["training"] == "untrained", r["network"]["provenance"]
assert r["mapping"]["arrays_used"] == 222, r["mapping"]["arrays_used"]
assert len(r["cycles"]["per_layer"]) == 9
assert r["cycles"]["per_inference"] > 1e6 and r["power"]["energy_per_inference_pj"] > 0 and r["power"]["area_um2"] > 0
assert r["dataset"]["format"] == "cifar10"
PY

# Refusals name what is wrong.
expect_error() {
  local what=$1 pattern=$2
  shift 2
  if "$scbnn" "$@" >"$work/err.out" 2>&1; then fail "$what: accepted"; fi
  grep -q -- "$pattern" "$work/err.out" || fail "$what: $(cat "$work/err.out")"
}
expect_error "bad input shape" "--input '32x32': expected ROWSxCOLSxCHANNELS" \
  network untrained --arch conv8k3,dense10 --input 32x32 -o "$work/x.scbnn"
expect_error "no output" "-o FILE is required" network untrained --arch conv8k3,dense10 --input 8x8x1
expect_error "kernel too large" "kernel 9 is larger than the padded input" \
  network untrained --arch conv8k9,dense10 --input 8x8x1 -o "$work/x.scbnn"
[ ! -e "$work/x.scbnn" ] || fail "a refused command left a file"
expect_error "unknown subcommand" "unknown network subcommand 'train'" network train
expect_error "the VGG on the default hardware" "needs 222 weight arrays" \
  run -p network.path="$work/vgg.scbnn" -p dataset.path="$work/cifar" -p dataset.format=cifar10 -p accel.input_buffer.bytes=3072 \
  -p accel.max_layers=16 -p accel.buffer.activation_bits=131072
echo "cifar_vgg_test: all checks passed"
