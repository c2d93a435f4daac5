#!/usr/bin/env bash
# The platform against an independent reader and reference inference written only from
# docs/network-format.md (tests/reference/scbnn_net.py): random version-2 conv networks and
# random IDX images written by the Python generator, run with `scbnn run --predictions`;
# every image's scores and predicted class must be equal; the same for random version-3
# (quantised) networks on the MAC-array datapath, with each PE kind's product. Also the
# shipped MLP (format version 1) on a few Fashion-MNIST test images, when the data set is installed.
#   reference_test.sh SCBNN_BINARY SOURCE_DIR
set -u
scbnn=$1
src=$2
ref="$src/tests/reference/scbnn_net.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

verdict() {  # verdict NAME RC
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi
}

# compare NAME ROWS COLS CHANNELS IMAGES LAYERS DENSE SEED [scbnn overrides...]
compare() {
  local name=$1 rows=$2 cols=$3 channels=$4 images=$5 layers=$6 dense=$7 seed=$8
  shift 8
  local dir="$work/$name"
  mkdir -p "$dir/data"
  python3 "$ref" random-conv "$dir/net.scbnn" --seed "$seed" --input "${rows}x${cols}x${channels}" \
    --layers "$layers" --dense "$dense" &&
  # Images of C > 1 channels: a 4-dimensional IDX file (count, rows, cols, channels), HWC order.
  python3 "$ref" write-images "$dir/data/t10k-images-idx3-ubyte" --seed "$seed" --count "$images" \
    --rows "$rows" --cols "$cols" --channels "$channels" &&
  "$scbnn" run -q -p network.path="$dir/net.scbnn" -p dataset.path="$dir/data" -p run.images="$images" \
    -p accel.mram.error_mode=ideal "$@" --predictions "$dir/p.csv" >"$dir/run.out" 2>&1 &&
  python3 "$ref" check "$dir/net.scbnn" "$dir/data/t10k-images-idx3-ubyte" "$dir/p.csv" >"$dir/check.out" 2>&1
  local rc=$?
  verdict "$name" $rc
  [ $rc -eq 0 ] || { sed 's/^/  | /' "$dir/run.out" "$dir/check.out" 2>/dev/null | head -12; }
}

small=(-p accel.array.rows=32 -p accel.array.columns=64 -p accel.pe.width_bits=64 -p accel.buffer.port_bits=64
       -p accel.array.count=64)
# The shape of the BCNN (conv32k3p1-pool2-conv64k3p1-pool2-dense-dense), smaller.
compare bcnn_shape 12 12 1 12 "c8k3s1p1v-1m2s2,c16k3s1p1v-1m2s2" "32,10" 1 -p accel.buffer.activation_bits=8192
compare padding_strides_odd 13 11 1 10 "c6k3s2p1v1,c9k4s3p2v-1" "12,10" 2 "${small[@]}"
compare tiles_and_channels 7 6 3 8 "c40k2s1p0v-1,c70k3s1p1v1m2s2,c33k2s1p1v-1" "10" 3 "${small[@]}"
compare overlapping_pools 9 9 1 10 "c6k3s1p1v-1m3s2,c8k2s1p0v1m2s2" "10" 4 "${small[@]}"
compare dense_classes 10 10 1 10 "c5k3s1p1v1m3s1,c7k1s1p0v-1m1s3" "20,12" 5 "${small[@]}"

# Quantised networks (version 3) on the MAC-array datapath (accel.datapath = mac): the SC-CNN
# PEs against the reference's SC product (its stream walked bit by bit), the binary MAC PEs
# against exact products.
# compare_quant NAME ROWS COLS CHANNELS IMAGES LAYERS DENSE BITS SEED PE PRODUCT [scbnn overrides...]
compare_quant() {
  local name=$1 rows=$2 cols=$3 channels=$4 images=$5 layers=$6 dense=$7 bits=$8 seed=$9 pe=${10} product=${11}
  shift 11
  local dir="$work/$name"
  mkdir -p "$dir/data"
  python3 "$ref" random-quant "$dir/net.scbnn" --seed "$seed" --input "${rows}x${cols}x${channels}" \
    --layers "$layers" --dense "$dense" --bits "$bits" &&
  python3 "$ref" write-images "$dir/data/t10k-images-idx3-ubyte" --seed "$seed" --count "$images" \
    --rows "$rows" --cols "$cols" --channels "$channels" &&
  "$scbnn" run -q -p network.path="$dir/net.scbnn" -p dataset.path="$dir/data" -p run.images="$images" \
    -p accel.datapath=mac -p accel.mac.pe="$pe" "$@" --predictions "$dir/p.csv" >"$dir/run.out" 2>&1 &&
  python3 "$ref" check "$dir/net.scbnn" "$dir/data/t10k-images-idx3-ubyte" "$dir/p.csv" --product "$product" \
    >"$dir/check.out" 2>&1
  local rc=$?
  verdict "$name" $rc
  [ $rc -eq 0 ] || { sed 's/^/  | /' "$dir/run.out" "$dir/check.out" 2>/dev/null | head -12; }
}
compare_quant qcnn_w8a8_sc 12 12 1 10 "c8k3s1p1m2s2,c12k3s1p1m2s2" "10" 8,8 21 sc_cnn sc
compare_quant qcnn_w8a8_binary 12 12 1 10 "c8k3s1p1m2s2,c12k3s1p1m2s2" "10" 8,8 21 binary_mac exact
compare_quant qcnn_w4a4_sc_k4 9 9 2 10 "c6k3s2p1,c9k2s1p1m2s1" "12,10" 4,4 22 sc_cnn sc \
  -p accel.mac.stream_bits_per_cycle=4 -p accel.mac.rows=5 -p accel.mac.columns=7
compare_quant qcnn_w5a6_binary 9 9 2 10 "c6k3s2p1,c9k2s1p1m2s1" "12,10" 5,6 23 binary_mac exact \
  -p accel.mac.rows=5 -p accel.mac.columns=7

# The shipped MLP (version 1) on Fashion-MNIST test images.
fmnist=/usr/share/datasets/fashion-mnist
if [ -e "$fmnist/t10k-images-idx3-ubyte.gz" ]; then
  "$scbnn" run -q -p run.images=12 -p run.first_image=100 --predictions "$work/mlp.csv" >/dev/null 2>&1 &&
  python3 "$ref" check "$src/stimuli/networks/fmnist_bnn_fixed.scbnn" "$fmnist/t10k-images-idx3-ubyte.gz" \
    "$work/mlp.csv" >"$work/mlp.out" 2>&1
  verdict "shipped MLP on Fashion-MNIST" $?
fi

# The reader refuses what the doc refuses: a flipped byte (checksum), a wrong version.
python3 "$ref" random-conv "$work/n.scbnn" --seed 9 --input 6x6x1 --layers c4k3p1 --dense 10
python3 - "$ref" "$work/n.scbnn" <<'PY'
import importlib.util, struct, sys, zlib
spec = importlib.util.spec_from_file_location("scbnn_net", sys.argv[1])
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
data = bytearray(open(sys.argv[2], "rb").read())
def refused(b, fragment):
    try:
        m.parse(bytes(b), "x.scbnn")
    except m.FormatError as e:
        assert fragment in str(e), (fragment, str(e))
        return
    raise AssertionError("accepted, expected " + fragment)
def reseal(b):
    b = bytearray(b); b[-4:] = struct.pack("<I", zlib.crc32(bytes(b[:-4])) & 0xFFFFFFFF); return b
m.parse(bytes(data), "x.scbnn")
bad = bytearray(data); bad[40] ^= 1
refused(bad, "checksum mismatch")
bad = bytearray(data); bad[8] = 4
refused(reseal(bad), "unsupported network format version 4")
bad = bytearray(data); bad[8] = 3  # a version-2 file read as version 3: no quantisation header
refused(reseal(bad), "header field 'quantisation' is missing (version 3)")
refused(data[:19], "bad magic or too short")
PY
verdict "Python reader refusals" $?

echo "reference: $passed passed, $failed failed"
[ $failed -eq 0 ]
