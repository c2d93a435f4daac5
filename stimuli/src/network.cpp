#include "scbnn/stimuli/network.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>

#include "scbnn/base/atomic_file.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"

namespace scbnn {
namespace {

constexpr char kMagic[8] = {'S', 'C', 'B', 'N', 'N', 'N', 'E', 'T'};
constexpr size_t kPreambleBytes = 16;  // magic, version, header length
constexpr size_t kCrcBytes = 4;
constexpr uint32_t kMaxHeaderBytes = 1u << 20;

uint32_t crc32_of(const char* data, size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (n > 0) {
    const uInt chunk = uInt(std::min<size_t>(n, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data), chunk);
    data += chunk;
    n -= chunk;
  }
  return uint32_t(crc);
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
}
void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
}
uint32_t get_u32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | uint8_t(p[i]);
  return v;
}
uint64_t get_u64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | uint8_t(p[i]);
  return v;
}

size_t weight_bytes(const Layer& l) { return size_t(l.outputs) * BitMatrix::words_per_row(l.inputs) * 8; }
size_t param_bytes(const Layer& l) { return size_t(l.outputs) * 8; }
// Version 3: O x I int8 weights padded to a multiple of 8 bytes, then 16 bytes per neuron.
constexpr size_t kQuantParamBytes = 16;
size_t qweight_bytes(const Layer& l) { return (size_t(l.outputs) * l.inputs + 7) / 8 * 8; }
size_t payload_bytes(const Layer& l, bool quantised) {
  return quantised ? qweight_bytes(l) + size_t(l.outputs) * kQuantParamBytes : weight_bytes(l) + param_bytes(l);
}

bool all_dense(const Network& net) {
  for (const auto& l : net.layers)
    if (l.is_conv()) return false;
  return true;
}

InputMode input_mode_from(const std::string& s, const std::string& where) {
  InputMode mode;
  if (enum_from_name(s, mode)) return mode;
  throw InputError(where + ": input.mode '" + s + "' (expected fixed or stochastic)");
}

// Typed access to the JSON header with messages that name the field.
template <typename T>
T field(const nlohmann::json& obj, const char* key, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key)) throw InputError(where + ": header field '" + key + "' is missing");
  const auto& v = obj.at(key);
  if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) throw InputError(where + ": header field '" + key + "' must be a string");
    return v.get<std::string>();
  } else {
    if (!v.is_number_unsigned())
      throw InputError(where + ": header field '" + key + "' must be a non-negative integer");
    const uint64_t u = v.get<uint64_t>();
    if (u > std::numeric_limits<T>::max()) throw InputError(where + ": header field '" + key + "' is out of range");
    return T(u);
  }
}

// A convolution's padding value: -1 or +1 in a binarized network, 0 in a quantised one.
int32_t padding_field(const nlohmann::json& obj, const char* key, bool quantised, const std::string& where) {
  if (!obj.contains(key)) throw InputError(where + ": header field '" + key + "' is missing");
  const auto& v = obj.at(key);
  const bool integer = v.is_number_integer();
  if (quantised) {
    if (!integer || v.get<int64_t>() != 0)
      throw InputError(where + ": header field '" + key + "' must be 0 in a quantised network (zero padding)");
    return 0;
  }
  if (!integer || (v.get<int64_t>() != 1 && v.get<int64_t>() != -1))
    throw InputError(where + ": header field '" + key + "' must be -1 or 1");
  return int32_t(v.get<int64_t>());
}

// The tensor flowing between the graph's layers while it is read.
struct Tensor {
  uint32_t height = 0, width = 0, channels = 0;
  bool flat = false;  // a vector (after flatten or a dense layer): only dense layers take it
  uint64_t values() const { return uint64_t(height) * width * channels; }
};

}  // namespace

std::string input_shape(const InputSpec& in) {
  return std::to_string(in.rows) + " x " + std::to_string(in.cols) + " pixels x " + std::to_string(in.channels) +
         (in.channels == 1 ? " channel" : " channels");
}

const char* to_string(InputMode m) { return enum_name(m); }

uint64_t quantised_product_bound(const Quantisation& q, uint32_t magnitude) {
  const uint64_t max_a = q.max_activation(), period = uint64_t(1) << (q.weight_bits - 1);
  return period * std::min(max_a, (max_a + period - 1) / period * magnitude);
}

uint64_t quantised_accumulator_bound(const Quantisation& q, const Layer& layer, uint32_t neuron) {
  uint64_t sum = 0;
  const int8_t* row = layer.qweights.data() + size_t(neuron) * layer.inputs;
  for (uint32_t i = 0; i < layer.inputs; ++i) sum += quantised_product_bound(q, uint32_t(std::abs(int32_t(row[i]))));
  return sum;
}

namespace {

using Fail = std::function<void(const std::string&)>;

void validate_quantisation(const Network& net, const Fail& fail) {
  const Quantisation& q = net.quant;
  if (q.weight_bits < 1 || q.weight_bits > 8)
    fail("quantisation.weight_bits is " + std::to_string(q.weight_bits) +
         " (expected 1 for a binarized network or 2 to 8)");
  if (q.weight_bits == 1) {
    if (q.activation_bits != 1)
      fail("quantisation.activation_bits is " + std::to_string(q.activation_bits) +
           " but weight_bits is 1 (a binarized network has 1-bit activations)");
    return;
  }
  if (q.activation_bits < 2 || q.activation_bits > 8)
    fail("quantisation.activation_bits is " + std::to_string(q.activation_bits) +
         " (expected 2 to 8 in a quantised network)");
  if (net.input.bits != 8)
    fail("input.bits is " + std::to_string(net.input.bits) +
         "; a quantised network reads 8-bit pixels (p >> (8 - activation_bits))");
  if (net.input.mode != InputMode::fixed) fail("input.mode must be fixed in a quantised network");
  if (net.input.trained_stream_length != 0)
    fail("input.trained_stream_length must be 0 in a quantised network (no stochastic inputs)");
}

// A binarized layer's weights and parameters.
void validate_binarized_layer(const Network& net, size_t i, const std::string& name, const Fail& fail) {
  const Layer& l = net.layers[i];
  const bool is_output = i + 1 == net.layers.size();
  if (!l.qweights.empty() || !l.multiplier.empty() || !l.bias.empty())
    fail(name + ": a binarized network (quantisation.weight_bits 1) has no quantised weights, multipliers or biases");
  if (l.is_conv() && l.conv.padding_value == 0)
    fail(name +
         ": padding_value 0 (zero padding) is for quantised networks; a binarized convolution pads with -1 or 1");
  if (l.weights.rows != l.outputs || l.weights.cols != l.inputs ||
      l.weights.words.size() != size_t(l.outputs) * l.weights.words_per_row())
    fail(name + ": weight matrix shape does not match outputs x inputs");
  const uint32_t tail = l.inputs % 64;
  if (tail != 0) {
    const uint64_t pad_mask = ~((uint64_t(1) << tail) - 1);
    for (uint32_t r = 0; r < l.outputs; ++r)
      if (l.weights.row(r)[l.weights.words_per_row() - 1] & pad_mask)
        fail(name + ": padding bits of weight row " + std::to_string(r) + " are not zero");
  }
  if (is_output) {
    if (l.outputs < 2) fail("the output layer needs at least 2 classes");
    if (l.scale.size() != l.outputs || l.offset.size() != l.outputs)
      fail(name + " (output): needs one scale and one offset per class");
    // The platform's scores are int32: |scale| * max|a| + |offset| must fit.
    const int64_t max_a = int64_t(l.inputs) * (i == 0 ? (int64_t(1) << net.input.bits) - 1 : 1);
    for (uint32_t j = 0; j < l.outputs; ++j)
      if (std::abs(int64_t(l.scale[j])) * max_a + std::abs(int64_t(l.offset[j])) > INT32_MAX)
        fail(name + " (output): score of class " + std::to_string(j) + " can overflow int32");
  } else {
    if (l.threshold.size() != l.outputs || l.direction.size() != l.outputs)
      fail(name + ": needs one threshold and one direction per neuron");
    for (uint32_t j = 0; j < l.outputs; ++j)
      if (l.direction[j] != 1 && l.direction[j] != -1)
        fail(name + ": direction of neuron " + std::to_string(j) + " is " + std::to_string(l.direction[j]) +
             " (expected +1 or -1)");
  }
}

// A quantised layer's weights and parameters (docs/network-format.md, version 3).
void validate_quantised_layer(const Network& net, size_t i, const std::string& name, const Fail& fail) {
  const Layer& l = net.layers[i];
  const bool is_output = i + 1 == net.layers.size();
  if (!l.weights.words.empty() || l.weights.rows != 0 || l.weights.cols != 0 || !l.threshold.empty() ||
      !l.direction.empty())
    fail(name + ": a quantised network has no binarized weights, thresholds or directions");
  if (l.is_conv() && l.conv.padding_value != 0)
    fail(name + ": padding_value is " + std::to_string(l.conv.padding_value) +
         "; a quantised convolution pads with 0 (zero padding)");
  if (l.qweights.size() != size_t(l.outputs) * l.inputs)
    fail(name + ": needs outputs x inputs = " + std::to_string(uint64_t(l.outputs) * l.inputs) +
         " quantised weights, has " + std::to_string(l.qweights.size()));
  const int32_t max_w = net.quant.max_weight();
  for (size_t k = 0; k < l.qweights.size(); ++k)
    if (std::abs(int32_t(l.qweights[k])) > max_w)
      fail(name + ": weight " + std::to_string(k % l.inputs) + " of neuron " + std::to_string(k / l.inputs) + " is " +
           std::to_string(l.qweights[k]) + ", outside -" + std::to_string(max_w) + " .. " + std::to_string(max_w) +
           " (symmetric " + std::to_string(net.quant.weight_bits) + "-bit weights)");
  if (is_output) {
    if (l.outputs < 2) fail("the output layer needs at least 2 classes");
    if (l.scale.size() != l.outputs || l.offset.size() != l.outputs || !l.multiplier.empty() || !l.bias.empty())
      fail(name + " (output): needs one scale and one offset per class (and no multiplier or bias)");
    for (uint32_t j = 0; j < l.outputs; ++j) {
      const uint64_t max_acc = quantised_accumulator_bound(net.quant, l, j);  // < 2^36
      // In double: exact below 2^53, and anything above that is far beyond int32 anyway.
      if (double(std::abs(int64_t(l.scale[j]))) * double(max_acc) + double(std::abs(int64_t(l.offset[j]))) >
          double(INT32_MAX))
        fail(name + " (output): score of class " + std::to_string(j) + " can overflow int32 (|scale| " +
             std::to_string(std::abs(int64_t(l.scale[j]))) + " x max|acc| " + std::to_string(max_acc) + " + |offset| " +
             std::to_string(std::abs(int64_t(l.offset[j]))) + ")");
    }
    return;
  }
  if (l.multiplier.size() != l.outputs || l.bias.size() != l.outputs || !l.scale.empty() || !l.offset.empty())
    fail(name + ": needs one multiplier and one bias per neuron (and no scale or offset)");
  for (uint32_t j = 0; j < l.outputs; ++j) {
    // acc x multiplier + bias is computed in int64.
    const int64_t max_acc = int64_t(quantised_accumulator_bound(net.quant, l, j));  // < 2^36
    int64_t product = 0, sum = 0;
    if (l.bias[j] == INT64_MIN || __builtin_mul_overflow(max_acc, std::abs(int64_t(l.multiplier[j])), &product) ||
        __builtin_add_overflow(product, std::abs(l.bias[j]), &sum))
      fail(name + ": requantisation of neuron " + std::to_string(j) +
           " can overflow int64 (|multiplier| x max|acc| + |bias|)");
  }
}

}  // namespace

void validate_network(const Network& net, const std::string& where) {
  const auto fail = [&](const std::string& msg) { throw InputError(where + ": " + msg); };
  if (net.input.bits < 1 || net.input.bits > 8) fail("input.bits must be 1 to 8");
  if (net.input.values() == 0 || net.input.values() > kMaxTensorValues)
    fail("input shape rows x cols x channels must be 1 to " + std::to_string(kMaxTensorValues));
  if (net.layers.size() < 1 || net.layers.size() > kMaxLayers)
    fail("a network needs 1 to " + std::to_string(kMaxLayers) + " layers");
  if (net.score_frac_bits > 30) fail("output.score_frac_bits must be at most 30");
  validate_quantisation(net, fail);
  Tensor in{net.input.rows, net.input.cols, net.input.channels, false};
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    const std::string name = "layer " + std::to_string(i) + " (" + to_string(l.type) + ")";
    const bool is_output = i + 1 == net.layers.size();
    const std::string source =
        i == 0 ? "the input image, " + input_shape(net.input) : "layer " + std::to_string(i - 1) + "'s outputs";
    if (l.is_conv()) {
      if (is_output) fail(name + ": the output layer must be dense (it scores the classes)");
      if (in.flat) fail(name + ": a convolution needs a height x width x channels input, not " + source);
      if (l.conv.in_height != in.height || l.conv.in_width != in.width || l.conv.in_channels != in.channels)
        fail(name + " takes a " + std::to_string(l.conv.in_height) + " x " + std::to_string(l.conv.in_width) + " x " +
             std::to_string(l.conv.in_channels) + " input, expected " + std::to_string(in.height) + " x " +
             std::to_string(in.width) + " x " + std::to_string(in.channels) + " (" + source + ")");
      const std::string geometry = l.geometry_error();
      if (!geometry.empty()) fail(name + ": " + geometry);
      in = {l.output_height(), l.output_width(), l.outputs, false};
    } else {
      if (l.pool.present()) fail(name + ": a dense layer cannot be max-pooled");
      if (l.inputs != in.values())
        fail(name + " has " + std::to_string(l.inputs) + " inputs, expected " + std::to_string(in.values()) + " (" +
             source + ")");
      if (l.outputs == 0 || l.outputs > kMaxLayerWidth)
        fail(name + ": outputs must be 1 to " + std::to_string(kMaxLayerWidth));
      in = {1, 1, l.outputs, true};
    }
    if (l.inputs == 0 || l.inputs > kMaxLayerWidth)
      fail(name + ": weights per neuron must be 1 to " + std::to_string(kMaxLayerWidth));
    if (net.quantised())
      validate_quantised_layer(net, i, name, fail);
    else
      validate_binarized_layer(net, i, name, fail);
  }
  if (!net.provenance.is_object()) fail("provenance must be a JSON object");
}

namespace {

nlohmann::json layer_entries(const Network& net) {
  nlohmann::json entries = nlohmann::json::array();
  bool spatial = false;  // the tensor entering the next layer is a convolution's output
  for (const auto& l : net.layers) {
    if (!l.is_conv()) {
      if (spatial) entries.push_back({{"type", "flatten"}});
      entries.push_back({{"type", "dense"}, {"inputs", l.inputs}, {"outputs", l.outputs}});
      spatial = false;
      continue;
    }
    entries.push_back({{"type", "conv2d"},
                       {"in_channels", l.conv.in_channels},
                       {"out_channels", l.outputs},
                       {"kernel", l.conv.kernel},
                       {"stride", l.conv.stride},
                       {"padding", l.conv.padding},
                       {"padding_value", l.conv.padding_value}});
    if (l.pool.present())
      entries.push_back({{"type", "maxpool"}, {"window", l.pool.window}, {"stride", l.pool.stride}});
    spatial = true;
  }
  return entries;
}

// Reads the header's layer list into weighted layers with their geometry, checking the
// tensor shapes entry by entry; errors name the entry as layers[k].
std::vector<Layer> read_layer_graph(const nlohmann::json& list, const InputSpec& input, uint32_t version,
                                    bool quantised, const std::string& where) {
  std::vector<Layer> layers;
  Tensor in{input.rows, input.cols, input.channels, false};
  for (size_t k = 0; k < list.size(); ++k) {
    const auto& jl = list[k];
    const std::string entry = where + ": layers[" + std::to_string(k) + "]";
    const std::string type = field<std::string>(jl, "type", where);
    const auto fail = [&](const std::string& msg) { throw InputError(entry + " (" + type + "): " + msg); };
    if (version == 1 && type != "dense")
      throw InputError(where + ": layer type '" + type + "' is not supported in version 1 (expected dense)");
    if (type == "dense") {
      Layer l;
      l.inputs = field<uint32_t>(jl, "inputs", where);
      l.outputs = field<uint32_t>(jl, "outputs", where);
      if (l.inputs == 0 || l.inputs > kMaxLayerWidth || l.outputs == 0 || l.outputs > kMaxLayerWidth)
        throw InputError(where + ": layer sizes must be 1 to " + std::to_string(kMaxLayerWidth));
      if (version >= 2 && !layers.empty() && layers.back().is_conv() && !in.flat)
        fail("a dense layer after a convolution needs a flatten entry before it");
      in = {1, 1, l.outputs, true};
      layers.push_back(std::move(l));
    } else if (type == "conv2d") {
      if (in.flat) fail("a convolution needs a height x width x channels input, not a vector");
      Layer l;
      l.type = LayerType::conv2d;
      l.conv.in_height = in.height;
      l.conv.in_width = in.width;
      l.conv.in_channels = field<uint32_t>(jl, "in_channels", where);
      l.outputs = field<uint32_t>(jl, "out_channels", where);
      l.conv.kernel = field<uint32_t>(jl, "kernel", where);
      l.conv.stride = field<uint32_t>(jl, "stride", where);
      l.conv.padding = field<uint32_t>(jl, "padding", where);
      l.conv.padding_value = padding_field(jl, "padding_value", quantised, where);
      if (l.conv.in_channels != in.channels)
        fail("in_channels is " + std::to_string(l.conv.in_channels) + " but its input has " +
             std::to_string(in.channels) + " channels");
      if (l.conv.kernel == 0 || l.conv.kernel > kMaxKernel) fail("kernel must be 1 to " + std::to_string(kMaxKernel));
      const uint64_t row = uint64_t(l.conv.kernel) * l.conv.kernel * l.conv.in_channels;
      if (row > kMaxLayerWidth)
        fail("kernel^2 x in_channels = " + std::to_string(row) + " weights per neuron exceeds " +
             std::to_string(kMaxLayerWidth));
      l.inputs = uint32_t(row);
      const std::string geometry = l.geometry_error();
      if (!geometry.empty()) fail(geometry);
      in = {l.output_height(), l.output_width(), l.outputs, false};
      layers.push_back(std::move(l));
    } else if (type == "maxpool") {
      if (layers.empty() || !layers.back().is_conv() || layers.back().pool.present() || in.flat)
        fail("a max-pool must follow a convolution directly (it pools the thresholded bits)");
      Layer& conv = layers.back();
      conv.pool.window = field<uint32_t>(jl, "window", where);
      conv.pool.stride = field<uint32_t>(jl, "stride", where);
      if (conv.pool.window == 0) fail("window must be 1 to " + std::to_string(kMaxKernel));
      const std::string geometry = conv.geometry_error();
      if (!geometry.empty()) fail(geometry);
      in = {conv.output_height(), conv.output_width(), conv.outputs, false};
    } else if (type == "flatten") {
      if (in.flat) fail("its input is already a vector");
      in = {1, 1, uint32_t(std::min<uint64_t>(in.values(), UINT32_MAX)), true};
    } else {
      throw InputError(where + ": layer type '" + type +
                       "' is not supported (expected conv2d, maxpool, flatten or dense)");
    }
  }
  if (layers.empty()) throw InputError(where + ": the layer list has no conv2d or dense layer");
  return layers;
}

}  // namespace

namespace {

void put_quantised_layer(std::string& out, const Layer& l, bool is_output) {
  out.append(reinterpret_cast<const char*>(l.qweights.data()), l.qweights.size());
  out.append(qweight_bytes(l) - l.qweights.size(), '\0');
  for (uint32_t j = 0; j < l.outputs; ++j) {
    if (is_output) {
      put_u32(out, uint32_t(l.scale[j]));
      put_u32(out, uint32_t(l.offset[j]));
      put_u64(out, 0);
    } else {
      put_u32(out, uint32_t(l.multiplier[j]));
      put_u32(out, 0);
      put_u64(out, uint64_t(l.bias[j]));
    }
  }
}

void put_binarized_layer(std::string& out, const Layer& l, bool is_output) {
  for (uint64_t w : l.weights.words) put_u64(out, w);
  for (uint32_t j = 0; j < l.outputs; ++j) {
    put_u32(out, uint32_t(is_output ? l.scale[j] : l.threshold[j]));
    put_u32(out, uint32_t(is_output ? l.offset[j] : l.direction[j]));
  }
}

}  // namespace

std::string serialize_network(const Network& net) {
  validate_network(net, "serialize_network");
  const bool quantised = net.quantised();
  const uint32_t version = quantised ? 3 : all_dense(net) ? 1 : 2;
  nlohmann::json header;
  header["input"] = {{"mode", to_string(net.input.mode)},
                     {"bits", net.input.bits},
                     {"rows", net.input.rows},
                     {"cols", net.input.cols},
                     {"channels", net.input.channels},
                     {"trained_stream_length", net.input.trained_stream_length}};
  header["output"] = {{"score_frac_bits", net.score_frac_bits}};
  if (quantised)
    header["quantisation"] = {{"weight_bits", net.quant.weight_bits}, {"activation_bits", net.quant.activation_bits}};
  size_t payload = 0;
  for (const auto& l : net.layers) payload += payload_bytes(l, quantised);
  header["layers"] = layer_entries(net);
  header["payload_bytes"] = payload;
  header["provenance"] = net.provenance;
  const std::string text = header.dump(1);

  std::string out(kMagic, sizeof kMagic);
  put_u32(out, version);
  put_u32(out, uint32_t(text.size()));
  out += text;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const bool is_output = i + 1 == net.layers.size();
    if (quantised)
      put_quantised_layer(out, net.layers[i], is_output);
    else
      put_binarized_layer(out, net.layers[i], is_output);
  }
  put_u32(out, crc32_of(out.data(), out.size()));
  return out;
}

namespace {

// Version 3: a quantised network's bits, checked at once (the payload layout depends on them).
Quantisation read_quantisation(const nlohmann::json& header, const std::string& where) {
  const auto& q = header.contains("quantisation") ? header["quantisation"] : nlohmann::json();
  if (!q.is_object()) throw InputError(where + ": header field 'quantisation' is missing (version 3)");
  Quantisation quant;
  quant.weight_bits = field<uint32_t>(q, "weight_bits", where);
  quant.activation_bits = field<uint32_t>(q, "activation_bits", where);
  if (quant.weight_bits < 2 || quant.weight_bits > 8)
    throw InputError(where + ": quantisation.weight_bits is " + std::to_string(quant.weight_bits) +
                     " (expected 2 to 8 in version 3)");
  if (quant.activation_bits < 2 || quant.activation_bits > 8)
    throw InputError(where + ": quantisation.activation_bits is " + std::to_string(quant.activation_bits) +
                     " (expected 2 to 8 in version 3)");
  return quant;
}

void read_binarized_layer(const char*& p, Layer& l, bool is_output) {
  l.weights = BitMatrix(l.outputs, l.inputs);
  for (auto& w : l.weights.words) {
    w = get_u64(p);
    p += 8;
  }
  auto& first = is_output ? l.scale : l.threshold;
  auto& second = is_output ? l.offset : l.direction;
  for (uint32_t j = 0; j < l.outputs; ++j) {
    first.push_back(int32_t(get_u32(p)));
    second.push_back(int32_t(get_u32(p + 4)));
    p += 8;
  }
}

// Reserved bytes (weight padding, unused parameter words) must be zero, so that every file has
// one meaning and a writer's stray data is caught.
void read_quantised_layer(const char*& p, Layer& l, bool is_output, const std::string& name,
                          const std::function<void(const std::string&)>& fail) {
  const size_t n = size_t(l.outputs) * l.inputs;
  l.qweights.assign(reinterpret_cast<const int8_t*>(p), reinterpret_cast<const int8_t*>(p) + n);
  for (size_t k = n; k < qweight_bytes(l); ++k)
    if (p[k] != 0) fail(name + ": padding bytes after the weights are not zero");
  p += qweight_bytes(l);
  for (uint32_t j = 0; j < l.outputs; ++j, p += kQuantParamBytes) {
    if (is_output) {
      l.scale.push_back(int32_t(get_u32(p)));
      l.offset.push_back(int32_t(get_u32(p + 4)));
      if (get_u64(p + 8) != 0)
        fail(name + " (output): bytes 8-15 of class " + std::to_string(j) + "'s parameters are not zero");
    } else {
      l.multiplier.push_back(int32_t(get_u32(p)));
      if (get_u32(p + 4) != 0) fail(name + ": bytes 4-7 of neuron " + std::to_string(j) + "'s parameters are not zero");
      l.bias.push_back(int64_t(get_u64(p + 8)));
    }
  }
}

}  // namespace

Network parse_network(const std::string& bytes, const std::string& where) {
  const auto fail = [&](const std::string& msg) { throw InputError(where + ": " + msg); };
  if (bytes.size() < kPreambleBytes + kCrcBytes || std::memcmp(bytes.data(), kMagic, 8) != 0)
    fail("not an scbnn network file (bad magic or too short)");
  const uint32_t version = get_u32(bytes.data() + 8);
  if (version < 1 || version > kNetworkFormatVersion)
    fail("unsupported network format version " + std::to_string(version) + " (this build reads 1 to " +
         std::to_string(kNetworkFormatVersion) + ")");
  const uint32_t header_len = get_u32(bytes.data() + 12);
  if (header_len > kMaxHeaderBytes || kPreambleBytes + header_len + kCrcBytes > bytes.size())
    fail("header length " + std::to_string(header_len) + " exceeds the file (truncated?)");
  const uint32_t stored_crc = get_u32(bytes.data() + bytes.size() - kCrcBytes);
  if (stored_crc != crc32_of(bytes.data(), bytes.size() - kCrcBytes))
    fail("checksum mismatch: the file is truncated or corrupted");

  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.begin() + kPreambleBytes, bytes.begin() + kPreambleBytes + header_len);
  } catch (const nlohmann::json::exception& e) {
    fail(std::string("header is not valid JSON (") + e.what() + ")");
  }
  Network net;
  const auto& input = header.contains("input") ? header["input"] : nlohmann::json();
  net.input.mode = input_mode_from(field<std::string>(input, "mode", where), where);
  net.input.bits = field<uint32_t>(input, "bits", where);
  net.input.rows = field<uint32_t>(input, "rows", where);
  net.input.cols = field<uint32_t>(input, "cols", where);
  net.input.channels = field<uint32_t>(input, "channels", where);
  net.input.trained_stream_length = field<uint32_t>(input, "trained_stream_length", where);
  const auto& output = header.contains("output") ? header["output"] : nlohmann::json();
  net.score_frac_bits = field<uint32_t>(output, "score_frac_bits", where);
  if (header.contains("provenance")) net.provenance = header["provenance"];
  const bool quantised = version == 3;
  if (quantised) net.quant = read_quantisation(header, where);

  if (!header.contains("layers") || !header["layers"].is_array() || header["layers"].empty() ||
      header["layers"].size() > 3 * kMaxLayers)
    fail("header field 'layers' must be a list of 1 to " + std::to_string(3 * kMaxLayers) + " entries");
  net.layers = read_layer_graph(header["layers"], net.input, version, quantised, where);
  if (net.layers.size() > kMaxLayers)
    fail("the layer list has " + std::to_string(net.layers.size()) + " weighted layers (at most " +
         std::to_string(kMaxLayers) + ")");
  size_t payload = 0;
  for (const auto& l : net.layers) payload += payload_bytes(l, quantised);
  const uint64_t declared = field<uint64_t>(header, "payload_bytes", where);
  const size_t available = bytes.size() - kPreambleBytes - header_len - kCrcBytes;
  if (declared != payload || available != payload)
    fail("payload holds " + std::to_string(available) + " bytes; the layer list needs " + std::to_string(payload) +
         " (declared " + std::to_string(declared) + ")");

  const char* p = bytes.data() + kPreambleBytes + header_len;
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const bool is_output = i + 1 == net.layers.size();
    const std::string name = "layer " + std::to_string(i) + " (" + to_string(net.layers[i].type) + ")";
    if (quantised)
      read_quantised_layer(p, net.layers[i], is_output, name, fail);
    else
      read_binarized_layer(p, net.layers[i], is_output);
  }
  validate_network(net, where);
  return net;
}

Network load_network(const std::string& path) {
  Network net = parse_network(read_file(path, "network file"), path);
  net.file = path;
  return net;
}

void save_network(const Network& net, const std::string& path) { write_file_atomically(path, serialize_network(net)); }

}  // namespace scbnn
