#!/usr/bin/env python3
"""An independent reader of scbnn network files (format versions 1, 2 and 3) and the integer
inference of fixed-mode binarized networks and of quantised networks, written only from
docs/network-format.md (python3 and its standard library; no code of scbnn). Used by
tests/reference_test.sh and the quantised-network tests to check the platform's and
stimuli/evaluate.h's predictions and scores, image by image.

  scbnn_net.py info NET                       the layer graph and tensor shapes
  scbnn_net.py predict NET IMAGES [--first F] [--count N] [--product exact|sc]
                                              CSV: index,predicted,score_0,... per image
  scbnn_net.py check NET IMAGES PREDICTIONS [--product exact|sc]
                                              compares `scbnn run --predictions` output
                                              with this reference; exit 1 on any difference
  scbnn_net.py random-conv OUT --seed S --input HxWxC --layers SPEC [--dense W,W,...]
                                              writes a random version-2 network (a generator
                                              for the tests), SPEC e.g. "c8k3s1p1v-1m2s2,c16k3s2p0v1"
  scbnn_net.py random-quant OUT --seed S --input HxWxC --layers SPEC [--dense W,...] --bits B,A
                                              writes a random version-3 (quantised) network with
                                              B-bit weights and A-bit activations; SPEC as above
                                              without v (quantised convolutions pad with 0)
  scbnn_net.py write-images OUT --seed S --count N --rows R --cols C [--channels C]
                                              writes random IDX images (and OUT's labels file)
  scbnn_net.py sc-selftest                    checks this script's bitstream against the
                                              counts the format document promises

Quantised networks (version 3): --product exact (default) multiplies w x a; --product sc uses
the SC-CNN product sc(w, a) = sign(w) x 2^m x #{t < a : bitrev_m(t mod 2^m) < |w|}, m = B - 1,
counted here by walking the weight's bitstream bit by bit (each (w, a) pair once, memoised).
Example, the platform's predictions of 20 test images against this reference:
  scbnn run -p network.path=NET -p run.images=20 --predictions p.csv ...
  scbnn_net.py check NET /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz p.csv --product sc

Errors are printed as "<file>: <what is wrong>" and exit with status 1.
"""
import gzip
import json
import random
import re
import struct
import sys
import zlib

MAGIC = b"SCBNNNET"
MAX_HEADER = 1 << 20
MAX_WIDTH = 1 << 20
MAX_TENSOR = 1 << 24
MAX_WEIGHTED = 64
MAX_ENTRIES = 192
U32_MAX = 0xFFFFFFFF
INT32_MAX = 2147483647
REQUANT_SHIFT = 24  # version 3: q = clamp((acc x multiplier + bias) >> 24, 0, 2^A - 1)


class FormatError(Exception):
    pass


# ---------------------------------------------------------------- reading


def _integer(obj, key, maximum=U32_MAX):
    if key not in obj:
        raise FormatError("header field '%s' is missing" % key)
    v = obj[key]
    # JSON true/false are not integers (Python's bool is an int subclass).
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise FormatError("header field '%s' must be a non-negative integer" % key)
    if v > maximum:
        raise FormatError("header field '%s' is out of range" % key)
    return v


def _string(obj, key):
    if key not in obj:
        raise FormatError("header field '%s' is missing" % key)
    if not isinstance(obj[key], str):
        raise FormatError("header field '%s' must be a string" % key)
    return obj[key]


def _object(header, key):
    if key not in header or not isinstance(header[key], dict):
        raise FormatError("header field '%s' is missing" % key)
    return header[key]


class Layer:
    """A weighted layer: dense or conv2d (with its max-pool). Shapes are (H, W, C)."""

    def __init__(self, kind):
        self.kind = kind
        self.inputs = self.outputs = 0
        self.kernel = self.stride = self.padding = 0
        self.padding_value = -1
        self.in_shape = None  # conv2d: (H, W, C) it reads
        self.conv_shape = None  # conv2d: (H', W', O) before pooling
        self.pool = None  # (window, stride)
        self.weights = []  # outputs rows of `inputs` values +1 / -1
        self.first = []  # threshold (hidden) or scale (output)
        self.second = []  # direction (hidden) or offset (output)


def _conv_out(size, k, s, p):
    return (size + 2 * p - k) // s + 1


def _parse_layers(header, version, in_shape):
    entries = header.get("layers")
    if not isinstance(entries, list) or not 1 <= len(entries) <= MAX_ENTRIES:
        raise FormatError("header field 'layers' must be a list of 1 to 192 entries")
    layers = []
    # The current value: ("tensor", (H, W, C)) or ("vector", n); the image is a tensor a
    # dense layer may also read directly.
    current = ("image", in_shape)
    previous = None  # type of the previous entry
    for k, e in enumerate(entries):
        if not isinstance(e, dict):
            raise FormatError("layers[%d] must be an object" % k)
        kind = _string(e, "type")
        if version == 1 and kind != "dense":
            raise FormatError("layer type '%s' is not supported in version 1 (expected dense)" % kind)
        if kind not in ("conv2d", "maxpool", "flatten", "dense"):
            raise FormatError(
                "layer type '%s' is not supported (expected conv2d, maxpool, flatten or dense)" % kind)
        where = "layers[%d] (%s)" % (k, kind)
        if kind == "dense":
            inputs, outputs = _integer(e, "inputs"), _integer(e, "outputs")
            if not (1 <= inputs <= MAX_WIDTH and 1 <= outputs <= MAX_WIDTH):
                raise FormatError("layer sizes must be 1 to 1048576")
            if current[0] == "tensor":
                raise FormatError("%s: a dense layer after a convolution needs a flatten entry before it" % where)
            values = current[1] if current[0] == "vector" else current[1][0] * current[1][1] * current[1][2]
            if inputs != values:
                source = ("the input image, %d x %d pixels x %d channel(s)" % current[1]
                          if current[0] == "image" else "the previous layer's outputs")
                raise FormatError("layer %d (dense) has %d inputs, expected %d (%s)" %
                                  (len(layers), inputs, values, source))
            layer = Layer("dense")
            layer.inputs, layer.outputs = inputs, outputs
            layers.append(layer)
            current = ("vector", outputs)
        elif kind == "conv2d":
            if current[0] == "vector":
                raise FormatError("%s: a convolution needs a height x width x channels input, not a vector" % where)
            in_ch = _integer(e, "in_channels")
            out_ch = _integer(e, "out_channels")
            kernel = _integer(e, "kernel")
            stride = _integer(e, "stride")
            padding = _integer(e, "padding")
            if "padding_value" not in e:
                raise FormatError("header field 'padding_value' is missing")
            pv = e["padding_value"]
            if version == 3:
                if isinstance(pv, bool) or not isinstance(pv, int) or pv != 0:
                    raise FormatError("header field 'padding_value' must be 0 in a quantised network (zero padding)")
            elif isinstance(pv, bool) or pv not in (-1, 1) or not isinstance(pv, int):
                raise FormatError("header field 'padding_value' must be -1 or 1")
            h, w, c = current[1]
            if in_ch != c:
                raise FormatError("%s: in_channels is %d but its input has %d channels" % (where, in_ch, c))
            if not 1 <= kernel <= 64:
                raise FormatError("%s: kernel must be 1 to 64" % where)
            if kernel * kernel * in_ch > MAX_WIDTH:
                raise FormatError("%s: weights per neuron exceeds 1048576" % where)
            if not 1 <= stride <= 64:
                raise FormatError("%s: stride must be 1 to 64" % where)
            if padding >= kernel:
                raise FormatError("%s: padding %d must be less than the kernel %d" % (where, padding, kernel))
            if kernel > h + 2 * padding or kernel > w + 2 * padding:
                raise FormatError("%s: kernel %d is larger than the padded input %d x %d x %d" %
                                  (where, kernel, h + 2 * padding, w + 2 * padding, c))
            if not 1 <= out_ch <= 65536:
                raise FormatError("%s: out_channels must be 1 to 65536" % where)
            oh, ow = _conv_out(h, kernel, stride, padding), _conv_out(w, kernel, stride, padding)
            if oh * ow * out_ch > MAX_TENSOR:
                raise FormatError("%s: its output tensor exceeds 16777216 values" % where)
            layer = Layer("conv2d")
            layer.inputs, layer.outputs = kernel * kernel * in_ch, out_ch
            layer.kernel, layer.stride, layer.padding, layer.padding_value = kernel, stride, padding, pv
            layer.in_shape, layer.conv_shape = (h, w, c), (oh, ow, out_ch)
            layers.append(layer)
            current = ("tensor", (oh, ow, out_ch))
        elif kind == "maxpool":
            if previous != "conv2d":
                raise FormatError("%s: a max-pool must follow a convolution directly (it pools the thresholded bits)"
                                  % where)
            window, stride = _integer(e, "window"), _integer(e, "stride")
            oh, ow, o = current[1]
            if not 1 <= window <= 64:
                raise FormatError("%s: maxpool window must be 1 to 64" % where)
            if not 1 <= stride <= 64:
                raise FormatError("%s: maxpool stride must be 1 to 64" % where)
            if window > oh or window > ow:
                raise FormatError("%s: maxpool window %d is larger than its input %d x %d x %d" %
                                  (where, window, oh, ow, o))
            layers[-1].pool = (window, stride)
            current = ("tensor", ((oh - window) // stride + 1, (ow - window) // stride + 1, o))
        else:  # flatten
            if current[0] == "vector":
                raise FormatError("%s: its input is already a vector" % where)
            h, w, c = current[1]
            current = ("vector", h * w * c)
        previous = kind
    if not layers:
        raise FormatError("the layer list has no conv2d or dense layer")
    if len(layers) > MAX_WEIGHTED:
        raise FormatError("the layer list has %d weighted layers (at most 64)" % len(layers))
    if layers[-1].kind != "dense":
        raise FormatError("layer %d (conv2d): the output layer must be dense (it scores the classes)" %
                          (len(layers) - 1))
    return layers


def _layer_bytes(layer, quantised):
    if quantised:  # O x I int8 weights padded to a multiple of 8, then 16 bytes per neuron
        return (layer.outputs * layer.inputs + 7) // 8 * 8 + 16 * layer.outputs
    words = (layer.inputs + 63) // 64
    return layer.outputs * words * 8 + layer.outputs * 8


class Network:
    def __init__(self):
        self.version = 0
        self.mode = "fixed"
        self.bits = 8
        self.rows = self.cols = self.channels = 0
        self.trained_stream_length = 0
        self.score_frac_bits = 0
        self.layers = []
        self.provenance = {}
        self.weight_bits = self.activation_bits = 1  # version 3: 2 to 8 each

    @property
    def quantised(self):
        return self.weight_bits > 1


def parse(data, where):
    try:
        return _parse(data)
    except FormatError as e:
        raise FormatError("%s: %s" % (where, e)) from None


def _parse(data):
    if len(data) < 20 or data[:8] != MAGIC:
        raise FormatError("not an scbnn network file (bad magic or too short)")
    version, h = struct.unpack_from("<II", data, 8)
    if version not in (1, 2, 3):
        raise FormatError("unsupported network format version %d (this build reads 1 to 3)" % version)
    if h > MAX_HEADER or 16 + h + 4 > len(data):
        raise FormatError("header length %d exceeds the file (truncated?)" % h)
    (crc,) = struct.unpack_from("<I", data, len(data) - 4)
    if zlib.crc32(data[:-4]) & 0xFFFFFFFF != crc:
        raise FormatError("checksum mismatch: the file is truncated or corrupted")
    try:
        header = json.loads(data[16:16 + h].decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise FormatError("header is not valid JSON (%s)" % e) from None
    if not isinstance(header, dict):
        raise FormatError("header field 'input' is missing")
    net = Network()
    net.version = version
    inp = _object(header, "input")
    net.mode = _string(inp, "mode")
    net.bits = _integer(inp, "bits")
    net.rows, net.cols, net.channels = _integer(inp, "rows"), _integer(inp, "cols"), _integer(inp, "channels")
    net.trained_stream_length = _integer(inp, "trained_stream_length")
    net.score_frac_bits = _integer(_object(header, "output"), "score_frac_bits")
    if net.mode not in ("fixed", "stochastic"):
        raise FormatError("input.mode '%s' (expected fixed or stochastic)" % net.mode)
    if version == 3:
        if not isinstance(header.get("quantisation"), dict):
            raise FormatError("header field 'quantisation' is missing (version 3)")
        q = header["quantisation"]
        net.weight_bits, net.activation_bits = _integer(q, "weight_bits"), _integer(q, "activation_bits")
        for name, bits in (("weight_bits", net.weight_bits), ("activation_bits", net.activation_bits)):
            if not 2 <= bits <= 8:
                raise FormatError("quantisation.%s is %d (expected 2 to 8 in version 3)" % (name, bits))
    net.layers = _parse_layers(header, version, (net.rows, net.cols, net.channels))
    declared = _integer(header, "payload_bytes", (1 << 64) - 1)
    needed = sum(_layer_bytes(l, net.quantised) for l in net.layers)
    held = len(data) - 16 - h - 4
    if declared != needed or held != needed:
        raise FormatError("payload holds %d bytes; the layer list needs %d (declared %d)" % (held, needed, declared))
    provenance = header.get("provenance", {})
    if not isinstance(provenance, dict):
        raise FormatError("provenance must be a JSON object")
    net.provenance = provenance
    _validate_input(net)
    if net.quantised:
        _decode_quantised(net, data, 16 + h)
    else:
        _decode_payload(net, data, 16 + h)
    return net


def _validate_input(net):
    if not 1 <= net.bits <= 8:
        raise FormatError("input.bits must be 1 to 8")
    if not 1 <= net.rows * net.cols * net.channels <= MAX_TENSOR:
        raise FormatError("input shape rows x cols x channels must be 1 to 16777216")
    if net.score_frac_bits > 30:
        raise FormatError("output.score_frac_bits must be at most 30")
    if net.quantised:
        if net.bits != 8:
            raise FormatError("input.bits is %d; a quantised network reads 8-bit pixels" % net.bits)
        if net.mode != "fixed":
            raise FormatError("input.mode must be fixed in a quantised network")
        if net.trained_stream_length != 0:
            raise FormatError("input.trained_stream_length must be 0 in a quantised network")


def product_bound(net, v):
    """Largest |w a| and |sc(w, a)| over a in 0 .. 2^A - 1, for |w| = v (the format's bound)."""
    top, period = (1 << net.activation_bits) - 1, 1 << (net.weight_bits - 1)
    return period * min(top, -(-top // period) * v)


def _decode_quantised(net, data, at):
    last = len(net.layers) - 1
    wmax = (1 << (net.weight_bits - 1)) - 1
    for i, layer in enumerate(net.layers):
        name = "layer %d (%s)" % (i, layer.kind)
        n = layer.outputs * layer.inputs
        flat = list(struct.unpack_from("<%db" % n, data, at))
        padded = (n + 7) // 8 * 8
        if any(data[at + n:at + padded]):
            raise FormatError("%s: padding bytes after the weights are not zero" % name)
        at += padded
        for k, w in enumerate(flat):
            if abs(w) > wmax:
                raise FormatError("%s: weight %d of neuron %d is %d, outside -%d .. %d" %
                                  (name, k % layer.inputs, k // layer.inputs, w, wmax, wmax))
        layer.weights = [flat[r * layer.inputs:(r + 1) * layer.inputs] for r in range(layer.outputs)]
        for j in range(layer.outputs):
            if i == last:
                scale, offset, zero = struct.unpack_from("<iiQ", data, at)
                layer.first.append(scale)
                layer.second.append(offset)
            else:
                mult, zero, bias = struct.unpack_from("<iIq", data, at)
                layer.first.append(mult)
                layer.second.append(bias)
            at += 16
            if zero:
                raise FormatError("%s: reserved bytes of neuron %d's parameters are not zero" % (name, j))
        bounds = [sum(product_bound(net, abs(w)) for w in row) for row in layer.weights]
        for j in range(layer.outputs):
            if i == last and abs(layer.first[j]) * bounds[j] + abs(layer.second[j]) > INT32_MAX:
                raise FormatError("%s (output): score of class %d can overflow int32" % (name, j))
            if i < last and abs(layer.first[j]) * bounds[j] + abs(layer.second[j]) > (1 << 63) - 1:
                raise FormatError("%s: requantisation of neuron %d can overflow int64" % (name, j))
    if net.layers[-1].outputs < 2:
        raise FormatError("the output layer needs at least 2 classes")


def _decode_payload(net, data, at):
    last = len(net.layers) - 1
    for i, layer in enumerate(net.layers):
        words = (layer.inputs + 63) // 64
        for r in range(layer.outputs):
            row = []
            for w in range(words):
                (word,) = struct.unpack_from("<Q", data, at)
                at += 8
                for b in range(64):
                    c = w * 64 + b
                    bit = (word >> b) & 1
                    if c >= layer.inputs:
                        if bit:
                            raise FormatError("layer %d (%s): padding bits of weight row %d are not zero" %
                                              (i, layer.kind, r))
                        continue
                    row.append(1 if bit else -1)
            layer.weights.append(row)
        for j in range(layer.outputs):
            first, second = struct.unpack_from("<ii", data, at)
            at += 8
            layer.first.append(first)
            layer.second.append(second)
            if i < last and second not in (1, -1):
                raise FormatError("layer %d (%s): direction of neuron %d is %d (expected +1 or -1)" %
                                  (i, layer.kind, j, second))
    out = net.layers[-1]
    if out.outputs < 2:
        raise FormatError("the output layer needs at least 2 classes")
    max_a = out.inputs * ((1 << net.bits) - 1) if last == 0 else out.inputs
    for j in range(out.outputs):
        if abs(out.first[j]) * max_a + abs(out.second[j]) > INT32_MAX:
            raise FormatError("layer %d (dense) (output): score of class %d can overflow int32" % (last, j))


def load(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise FormatError("%s: cannot open network file (%s)" % (path, e.strerror)) from None
    return parse(data, path)


# ---------------------------------------------------------------- inference


def infer(net, pixels, product="exact"):
    """Scores (ints) and the predicted class of one image (HWC bytes): a fixed-mode binarized
    network, or a quantised network with the exact or the SC product."""
    if net.quantised:
        return infer_quantised(net, pixels, product)
    full = (1 << net.bits) - 1
    # The current tensor as a flat HWC list with its shape; the image's values are 2x - full.
    x = [2 * p - full for p in pixels]
    shape = (net.rows, net.cols, net.channels)
    last = len(net.layers) - 1
    for i, layer in enumerate(net.layers):
        if layer.kind == "dense":
            y = []
            for j in range(layer.outputs):
                a = sum(v if w > 0 else -v for v, w in zip(x, layer.weights[j]))
                y.append(a * layer.first[j] + layer.second[j] if i == last else _fire(layer, j, a))
            x = y
            continue
        x, shape = _conv(layer, x, shape, layer.padding_value * (full if i == 0 else 1))
    scores = x
    predicted = max(range(len(scores)), key=lambda c: (scores[c], -c))
    return scores, predicted


def bitrev(value, bits):
    """The `bits` low bits of value in reverse order."""
    out = 0
    for _ in range(bits):
        out = (out << 1) | (value & 1)
        value >>= 1
    return out


def stream_bit(v, m, t):
    """Bit t of the weight stream of magnitude v (m magnitude bits)."""
    return 1 if bitrev(t % (1 << m), m) < v else 0


_SC = {}


def sc_product(w, a, weight_bits):
    """sign(w) 2^m #{t < a : S_|w|(t) = 1}, counting the stream's bits one by one."""
    key = (w, a, weight_bits)
    if key not in _SC:
        m = weight_bits - 1
        count = 0
        for t in range(a):  # the down counter lets a stream bits through
            count += stream_bit(abs(w), m, t)
        _SC[key] = (1 << m) * count * (-1 if w < 0 else 1)
    return _SC[key]


def _product_rule(net, product):
    if product == "exact":
        return lambda w, a: w * a
    if product == "sc":
        return lambda w, a: sc_product(w, a, net.weight_bits)
    raise FormatError("--product '%s' (expected exact or sc)" % product)


def infer_quantised(net, pixels, product="exact"):
    mul = _product_rule(net, product)
    top = (1 << net.activation_bits) - 1
    x = [p >> (8 - net.activation_bits) for p in pixels]
    shape = (net.rows, net.cols, net.channels)
    last = len(net.layers) - 1

    def dot(row, values):
        # Both rules give 0 for the activation 0 (no stream bit is counted): skip those terms.
        return sum(mul(w, a) for w, a in zip(row, values) if a)

    def requant(layer, j, acc):
        return min(max((acc * layer.first[j] + layer.second[j]) >> REQUANT_SHIFT, 0), top)

    for i, layer in enumerate(net.layers):
        if layer.kind == "dense":
            accs = [dot(row, x) for row in layer.weights]
            if i == last:
                scores = [acc * layer.first[j] + layer.second[j] for j, acc in enumerate(accs)]
                predicted = max(range(len(scores)), key=lambda c: (scores[c], -c))
                return scores, predicted
            x = [requant(layer, j, acc) for j, acc in enumerate(accs)]
            continue
        h, w, c = shape
        k, s, p = layer.kernel, layer.stride, layer.padding
        oh, ow, o = layer.conv_shape
        out = [0] * (oh * ow * o)
        for oy in range(oh):
            for ox in range(ow):
                window = []
                for ky in range(k):
                    y = oy * s - p + ky
                    for kx in range(k):
                        xx = ox * s - p + kx
                        if 0 <= y < h and 0 <= xx < w:
                            window.extend(x[(y * w + xx) * c:(y * w + xx) * c + c])
                        else:
                            window.extend([0] * c)  # zero padding
                for j in range(o):
                    out[(oy * ow + ox) * o + j] = requant(layer, j, dot(layer.weights[j], window))
        x, shape = out, (oh, ow, o)
        if layer.pool:
            win, ps = layer.pool
            ph, pw = (oh - win) // ps + 1, (ow - win) // ps + 1
            x = [max(out[((py * ps + wy) * ow + px * ps + wx) * o + j] for wy in range(win) for wx in range(win))
                 for py in range(ph) for px in range(pw) for j in range(o)]
            shape = (ph, pw, o)
    raise FormatError("the last layer is not dense")


def sc_selftest():
    """The stream counts the format document promises: v ones in every aligned period of 2^m
    bits, ceil(v / 2^(m-j)) ones in every prefix of 2^j bits, and sc(w, a) = w a whenever a is
    a multiple of 2^m. Returns the number of failed checks."""
    failed = 0
    for bits in range(2, 9):
        m = bits - 1
        for v in range(1 << m):
            stream = [stream_bit(v, m, t) for t in range(3 << m)]
            for period in range(3):
                failed += sum(stream[period << m:(period + 1) << m]) != v
            for j in range(m + 1):
                failed += sum(stream[:1 << j]) != -(-v // (1 << (m - j)))
            for w in (v, -v):
                for a in range(0, 256, 1 << m):
                    failed += sc_product(w, a, bits) != w * a
    return failed


def _fire(layer, j, a):
    t, d = layer.first[j], layer.second[j]
    return 1 if (a >= t if d > 0 else a <= t) else -1


def _conv(layer, x, shape, pad):
    h, w, c = shape
    k, s, p = layer.kernel, layer.stride, layer.padding
    oh, ow, o = layer.conv_shape
    out = [0] * (oh * ow * o)
    for oy in range(oh):
        for ox in range(ow):
            window = []
            for ky in range(k):
                y = oy * s - p + ky
                for kx in range(k):
                    xx = ox * s - p + kx
                    if 0 <= y < h and 0 <= xx < w:
                        base = (y * w + xx) * c
                        window.extend(x[base:base + c])
                    else:
                        window.extend([pad] * c)
            for j in range(o):
                a = sum(v if wt > 0 else -v for v, wt in zip(window, layer.weights[j]))
                out[(oy * ow + ox) * o + j] = _fire(layer, j, a)
    if layer.pool is None:
        return out, (oh, ow, o)
    win, ps = layer.pool
    ph, pw = (oh - win) // ps + 1, (ow - win) // ps + 1
    pooled = []
    for py in range(ph):
        for px in range(pw):
            for j in range(o):
                pooled.append(max(out[((py * ps + wy) * ow + px * ps + wx) * o + j]
                                  for wy in range(win) for wx in range(win)))
    return pooled, (ph, pw, o)


# ---------------------------------------------------------------- IDX images


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise FormatError("%s: not an IDX file of unsigned bytes" % path)
    dims = struct.unpack_from(">%dI" % data[3], data, 4)
    body = data[4 + 4 * len(dims):]
    size = 1
    for d in dims:
        size *= d
    if len(body) != size:
        raise FormatError("%s: holds %d bytes of data, its dimensions need %d" % (path, len(body), size))
    return list(dims), body


def write_idx(path, dims, body):
    header = bytes([0, 0, 0x08, len(dims)]) + struct.pack(">%dI" % len(dims), *dims)
    data = header + bytes(body)
    if path.endswith(".gz"):
        data = gzip.compress(data)
    with open(path, "wb") as f:
        f.write(data)


def images_of(net, path):
    dims, body = read_idx(path)
    per_image = net.rows * net.cols * net.channels
    count = dims[0] if dims else 0
    if count * per_image != len(body):
        raise FormatError("%s: images of %d bytes, the network takes %d values" %
                          (path, len(body) // max(count, 1), per_image))
    return [body[i * per_image:(i + 1) * per_image] for i in range(count)]


# ---------------------------------------------------------------- writing (the generator)


def serialize(net):
    header = {
        "input": {"mode": net.mode, "bits": net.bits, "rows": net.rows, "cols": net.cols,
                  "channels": net.channels, "trained_stream_length": net.trained_stream_length},
        "output": {"score_frac_bits": net.score_frac_bits},
        "layers": [],
        "provenance": net.provenance,
    }
    if net.quantised:
        header["quantisation"] = {"weight_bits": net.weight_bits, "activation_bits": net.activation_bits}
    payload = bytearray()
    for layer in net.layers:
        if layer.kind == "dense":
            header["layers"].append({"type": "dense", "inputs": layer.inputs, "outputs": layer.outputs})
        else:
            h, w, c = layer.in_shape
            header["layers"].append({"type": "conv2d", "in_channels": c, "out_channels": layer.outputs,
                                     "kernel": layer.kernel, "stride": layer.stride, "padding": layer.padding,
                                     "padding_value": layer.padding_value})
            if layer.pool:
                header["layers"].append({"type": "maxpool", "window": layer.pool[0], "stride": layer.pool[1]})
        if net.quantised:
            flat = [w for row in layer.weights for w in row]
            payload += struct.pack("<%db" % len(flat), *flat) + bytes((-len(flat)) % 8)
            last = layer is net.layers[-1]
            for first, second in zip(layer.first, layer.second):
                payload += struct.pack("<iiQ", first, second, 0) if last else struct.pack("<iIq", first, 0, second)
            continue
        words = (layer.inputs + 63) // 64
        for row in layer.weights:
            for w in range(words):
                word = 0
                for b, v in enumerate(row[w * 64:(w + 1) * 64]):
                    if v > 0:
                        word |= 1 << b
                payload += struct.pack("<Q", word)
        for first, second in zip(layer.first, layer.second):
            payload += struct.pack("<ii", first, second)
    # flatten between the last convolution (or its pool) and the dense layer after it
    entries, out = header["layers"], []
    for e in entries:
        if e["type"] == "dense" and out and out[-1]["type"] in ("conv2d", "maxpool"):
            out.append({"type": "flatten"})
        out.append(e)
    header["layers"] = out
    header["payload_bytes"] = len(payload)
    text = json.dumps(header, indent=1, sort_keys=True).encode("utf-8")
    version = 3 if net.quantised else 2 if any(l.kind != "dense" for l in net.layers) else 1
    body = MAGIC + struct.pack("<II", version, len(text)) + text
    body += payload
    return body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)


_SPEC = re.compile(r"^c(\d+)k(\d+)(?:s(\d+))?(?:p(\d+))?(?:v(-?1))?(?:m(\d+)(?:s(\d+))?)?$")


def random_conv_network(seed, shape, specs, dense):
    rng = random.Random(seed)
    net = Network()
    net.rows, net.cols, net.channels = shape
    net.provenance = {"dataset": "synthetic", "seed": seed, "generator": "tests/reference/scbnn_net.py"}
    net.score_frac_bits = 0
    h, w, c = shape
    for spec in specs:
        m = _SPEC.match(spec)
        if not m:
            raise FormatError("layer spec '%s' (expected e.g. c8k3s1p1v-1m2s2)" % spec)
        o, k = int(m.group(1)), int(m.group(2))
        s, p = int(m.group(3) or 1), int(m.group(4) or 0)
        layer = Layer("conv2d")
        layer.kernel, layer.stride, layer.padding = k, s, p
        layer.padding_value = int(m.group(5) or -1)
        layer.inputs, layer.outputs = k * k * c, o
        layer.in_shape = (h, w, c)
        oh, ow = _conv_out(h, k, s, p), _conv_out(w, k, s, p)
        layer.conv_shape = (oh, ow, o)
        if m.group(6):
            win = int(m.group(6))
            layer.pool = (win, int(m.group(7) or win))
            oh, ow = (oh - win) // layer.pool[1] + 1, (ow - win) // layer.pool[1] + 1
        _random_hidden(rng, layer, 150 if not net.layers else 1)
        net.layers.append(layer)
        h, w, c = oh, ow, o
    inputs = h * w * c
    for n, width in enumerate(dense):
        layer = Layer("dense")
        layer.inputs, layer.outputs = inputs, width
        if n + 1 < len(dense):
            _random_hidden(rng, layer, 150 if not net.layers else 1)
        else:
            layer.weights = [[rng.choice((-1, 1)) for _ in range(inputs)] for _ in range(width)]
            layer.first = [rng.randint(1, 2000) for _ in range(width)]
            layer.second = [rng.randint(-inputs, inputs) * 16 for _ in range(width)]
        net.layers.append(layer)
        inputs = width
    return net


def random_quant_network(seed, shape, specs, dense, weight_bits, activation_bits):
    """A random version-3 network: the shapes of random_conv_network (zero padding), weights
    uniform in -max .. max, multipliers and biases that map the accumulator's mean for
    uniform activations to the middle of the range and four standard deviations to all of it."""
    net = random_conv_network(seed, shape, [re.sub(r"v-?1", "", s) for s in specs], dense)
    rng = random.Random(seed + 1)
    net.weight_bits, net.activation_bits = weight_bits, activation_bits
    wmax, top = (1 << (weight_bits - 1)) - 1, (1 << activation_bits) - 1
    for i, layer in enumerate(net.layers):
        layer.padding_value = 0
        layer.weights = [[rng.randint(-wmax, wmax) for _ in range(layer.inputs)] for _ in range(layer.outputs)]
        layer.first, layer.second = [], []
        for row in layer.weights:
            if i == len(net.layers) - 1:
                bound = sum(product_bound(net, abs(w)) for w in row)
                layer.first.append(rng.randint(1, max(1, min(50, (INT32_MAX - 1000) // max(bound, 1)))))
                layer.second.append(rng.randint(-1000, 1000))
                continue
            mean = sum(row) * top / 2
            sd = (sum(w * w for w in row) * top * top / 12) ** 0.5 + 1
            unit = 1 << REQUANT_SHIFT
            mult = min(max(1, round(top / (4 * sd) * rng.uniform(0.5, 1.5) * unit)), INT32_MAX)
            mult *= rng.choice((1, 1, 1, -1))
            layer.first.append(mult)
            layer.second.append(round((top / 2 - mult / unit * mean) * unit))
    net.provenance["generator"] = "tests/reference/scbnn_net.py random-quant"
    return net


def _random_hidden(rng, layer, scale):
    span = int(layer.inputs ** 0.5 * scale) + 1
    layer.weights = [[rng.choice((-1, 1)) for _ in range(layer.inputs)] for _ in range(layer.outputs)]
    layer.first = [rng.randint(-span, span) for _ in range(layer.outputs)]
    layer.second = [rng.choice((-1, 1)) for _ in range(layer.outputs)]


# ---------------------------------------------------------------- command line


def _option(args, name, default=None):
    if name in args:
        i = args.index(name)
        if i + 1 >= len(args):
            raise FormatError("%s needs a value" % name)
        return args[i + 1]
    if default is None:
        raise FormatError("missing option %s" % name)
    return default


def _predictions(path):
    """{index: (predicted, [scores])} from a `scbnn run --predictions` CSV."""
    rows = {}
    with open(path) as f:
        head = f.readline().strip().split(",")
        if head[:3] != ["index", "label", "predicted"]:
            raise FormatError("%s: expected the header index,label,predicted,score_..." % path)
        for line in f:
            cells = line.strip().split(",")
            rows[int(cells[0])] = (int(cells[2]), [int(v) for v in cells[3:]])
    return rows


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    command, args = argv[1], argv[2:]
    try:
        if command == "info":
            net = load(args[0])
            print("version %d, input %d x %d x %d (%s, %d bits)" %
                  (net.version, net.rows, net.cols, net.channels, net.mode, net.bits))
            if net.quantised:
                print("quantised: %d-bit weights, %d-bit activations" % (net.weight_bits, net.activation_bits))
            for i, l in enumerate(net.layers):
                if l.kind == "dense":
                    print("layer %d: dense %d -> %d" % (i, l.inputs, l.outputs))
                else:
                    print("layer %d: conv2d %s k%d s%d p%d (%+d) -> %s pool %s" %
                          (i, l.in_shape, l.kernel, l.stride, l.padding, l.padding_value, l.conv_shape, l.pool))
            return 0
        if command == "predict":
            net = load(args[0])
            images = images_of(net, args[1])
            first = int(_option(args, "--first", "0"))
            count = int(_option(args, "--count", str(len(images) - first)))
            print("index,predicted," + ",".join("score_%d" % c for c in range(net.layers[-1].outputs)))
            product = _option(args, "--product", "exact")
            for i in range(first, first + count):
                scores, predicted = infer(net, images[i], product)
                print("%d,%d,%s" % (i, predicted, ",".join(str(s) for s in scores)))
            return 0
        if command == "check":
            net = load(args[0])
            if net.mode != "fixed":
                raise FormatError("%s: a %s-mode network (this reference runs fixed mode)" % (args[0], net.mode))
            images = images_of(net, args[1])
            rows = _predictions(args[2])
            product = _option(args, "--product", "exact")
            bad = 0
            for index in sorted(rows):
                scores, predicted = infer(net, images[index], product)
                if (predicted, scores) != rows[index]:
                    bad += 1
                    print("image %d: platform %s, reference %s" % (index, rows[index], (predicted, scores)))
            classes = len(set(p for p, _ in rows.values()))
            print("%d images, %d differ, %d distinct classes predicted" % (len(rows), bad, classes))
            return 1 if bad or not rows else 0
        if command == "random-conv":
            shape = tuple(int(v) for v in _option(args, "--input").split("x"))
            specs = [s for s in _option(args, "--layers").split(",") if s]
            dense = [int(v) for v in _option(args, "--dense", "10").split(",")]
            net = random_conv_network(int(_option(args, "--seed")), shape, specs, dense)
            data = serialize(net)
            parse(data, args[0])  # what it writes, it reads
            with open(args[0], "wb") as f:
                f.write(data)
            return 0
        if command == "random-quant":
            shape = tuple(int(v) for v in _option(args, "--input").split("x"))
            specs = [s for s in _option(args, "--layers", "").split(",") if s]
            dense = [int(v) for v in _option(args, "--dense", "10").split(",")]
            wb, ab = (int(v) for v in _option(args, "--bits").split(","))
            net = random_quant_network(int(_option(args, "--seed")), shape, specs, dense, wb, ab)
            data = serialize(net)
            parse(data, args[0])  # what it writes, it reads
            with open(args[0], "wb") as f:
                f.write(data)
            return 0
        if command == "sc-selftest":
            failed = sc_selftest()
            print("sc-selftest: %d failed" % failed)
            return 1 if failed else 0
        if command == "write-images":
            rng = random.Random(int(_option(args, "--seed")))
            count, rows, cols = (int(_option(args, o)) for o in ("--count", "--rows", "--cols"))
            channels = int(_option(args, "--channels", "1"))
            dims = [count, rows, cols] + ([channels] if channels > 1 else [])
            write_idx(args[0], dims, [rng.randrange(256) for _ in range(count * rows * cols * channels)])
            labels = re.sub(r"images-idx3", "labels-idx1", args[0])
            if labels != args[0]:
                write_idx(labels, [count], [rng.randrange(10) for _ in range(count)])
            return 0
        raise FormatError("unknown command '%s' (expected info, predict, check, random-conv, random-quant, "
                          "write-images, sc-selftest)" % command)
    except (FormatError, OSError, IndexError, ValueError) as e:
        print("scbnn_net.py: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
