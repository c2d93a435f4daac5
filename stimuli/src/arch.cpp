#include "scbnn/stimuli/arch.h"

#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <random>

#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"
#include "scbnn/base/yaml_input.h"

namespace scbnn {
namespace {

constexpr const char* kConvForm = "conv<channels>k<kernel>[s<stride>][p<padding>][v<+1|-1>], e.g. conv32k3p1";
constexpr const char* kPoolForm = "pool<window>[s<stride>], e.g. pool2";
constexpr const char* kDenseForm = "dense<neurons>, e.g. dense256";

// Adds layers one item at a time, checking what can be checked without the input size.
// `fail` gets the message about the current item.
class ArchBuilder {
 public:
  explicit ArchBuilder(std::function<void(const std::string&)> fail) : fail_(std::move(fail)) {}

  void conv(const ArchLayer& l) {
    if (!arch_.layers.empty() && arch_.layers.back().type == LayerType::dense)
      fail_("a convolution cannot follow a dense layer");
    if (l.outputs == 0 || l.outputs > kMaxSpatial) fail_("channels must be 1 to " + std::to_string(kMaxSpatial));
    if (l.kernel == 0 || l.kernel > kMaxKernel) fail_("kernel must be 1 to " + std::to_string(kMaxKernel));
    if (l.stride == 0 || l.stride > kMaxKernel) fail_("stride must be 1 to " + std::to_string(kMaxKernel));
    if (l.padding >= l.kernel) fail_("padding must be smaller than the kernel");
    if (l.padding_value != 1 && l.padding_value != -1) fail_("padding value must be -1 or +1");
    arch_.layers.push_back(l);
    flattened_ = false;
  }
  void pool(uint32_t window, uint32_t stride) {
    if (arch_.layers.empty() || arch_.layers.back().type != LayerType::conv2d || arch_.layers.back().pool.present() ||
        flattened_)
      fail_("a max-pool must directly follow a convolution (one per convolution)");
    if (window == 0 || window > kMaxKernel || stride == 0 || stride > kMaxKernel)
      fail_("window and stride must be 1 to " + std::to_string(kMaxKernel));
    arch_.layers.back().pool = {window, stride};
  }
  void flatten() {
    if (arch_.layers.empty() || arch_.layers.back().type != LayerType::conv2d || flattened_)
      fail_("flatten must follow a convolution (or its max-pool); it is implied before a dense layer anyway");
    flattened_ = true;
  }
  void dense(uint32_t outputs) {
    if (outputs == 0 || outputs > kMaxLayerWidth) fail_("neurons must be 1 to " + std::to_string(kMaxLayerWidth));
    ArchLayer l;
    l.outputs = outputs;
    arch_.layers.push_back(l);
  }
  Architecture finish(const std::string& where) {
    if (arch_.layers.empty()) throw InputError(where + ": no layers (expected e.g. conv32k3p1,pool2,dense10)");
    if (arch_.layers.back().type != LayerType::dense)
      throw InputError(where + ": the last layer must be dense (it scores the classes), e.g. ...,dense10");
    if (arch_.layers.back().outputs < 2) throw InputError(where + ": the output layer needs at least 2 classes");
    if (arch_.layers.size() > kMaxLayers)
      throw InputError(where + ": " + std::to_string(arch_.layers.size()) + " weighted layers (at most " +
                       std::to_string(kMaxLayers) + ")");
    return arch_;
  }

 private:
  std::function<void(const std::string&)> fail_;
  Architecture arch_;
  bool flattened_ = false;
};

// Reads an unsigned decimal number at `pos`; false when there is none or it overflows.
bool read_number(const std::string& s, size_t& pos, uint32_t& out) {
  if (pos >= s.size() || !std::isdigit(static_cast<unsigned char>(s[pos]))) return false;
  uint64_t v = 0;
  while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
    v = v * 10 + uint64_t(s[pos++] - '0');
    if (v > UINT32_MAX) return false;
  }
  out = uint32_t(v);
  return true;
}

// "<prefix><number>" followed by letter-number options, each at most once; false on any
// deviation. `options` maps an option letter to where its value goes ('v' takes +1 / -1).
bool read_item(const std::string& item, const std::string& prefix, uint32_t& first,
               const std::map<char, uint32_t*>& options, int32_t* sign_value) {
  if (item.compare(0, prefix.size(), prefix) != 0) return false;
  size_t pos = prefix.size();
  if (!read_number(item, pos, first)) return false;
  std::string seen;
  while (pos < item.size()) {
    const char key = item[pos++];
    if (seen.find(key) != std::string::npos) return false;
    seen.push_back(key);
    if (key == 'v' && sign_value) {
      if (item.compare(pos, 2, "+1") == 0 || item.compare(pos, 2, "-1") == 0) {
        *sign_value = item[pos] == '+' ? 1 : -1;
        pos += 2;
        continue;
      }
      return false;
    }
    const auto it = options.find(key);
    if (it == options.end() || !read_number(item, pos, *it->second)) return false;
  }
  return true;
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

Architecture parse_architecture(const std::string& text, const std::string& where) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    items.push_back(trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  std::string current;
  size_t index = 0;
  ArchBuilder b([&](const std::string& msg) {
    throw InputError(where + ": item " + std::to_string(index) + " '" + current + "': " + msg);
  });
  for (const std::string& item : items) {
    ++index;
    current = item;
    if (item.empty()) throw InputError(where + ": item " + std::to_string(index) + " is empty (stray comma?)");
    if (item.compare(0, 4, "conv") == 0) {
      ArchLayer l;
      l.type = LayerType::conv2d;
      if (!read_item(item, "conv", l.outputs, {{'k', &l.kernel}, {'s', &l.stride}, {'p', &l.padding}},
                     &l.padding_value) ||
          l.kernel == 0)
        throw InputError(where + ": item " + std::to_string(index) + " '" + item + "': expected " + kConvForm);
      b.conv(l);
    } else if (item.compare(0, 4, "pool") == 0) {
      uint32_t window = 0, stride = 0;
      if (!read_item(item, "pool", window, {{'s', &stride}}, nullptr))
        throw InputError(where + ": item " + std::to_string(index) + " '" + item + "': expected " + kPoolForm);
      b.pool(window, stride ? stride : window);
    } else if (item.compare(0, 5, "dense") == 0) {
      uint32_t n = 0;
      if (!read_item(item, "dense", n, {}, nullptr))
        throw InputError(where + ": item " + std::to_string(index) + " '" + item + "': expected " + kDenseForm);
      b.dense(n);
    } else if (item == "flatten") {
      b.flatten();
    } else {
      throw InputError(where + ": item " + std::to_string(index) + " '" + item +
                       "' is not a layer (expected conv..., pool..., flatten or dense..., e.g. "
                       "conv32k3p1,pool2,dense10)");
    }
  }
  return b.finish(where);
}

Architecture parse_architecture_yaml(const std::string& text, const std::string& where) {
  const YAML::Node root = parse_yaml(text, where);
  if (!root.IsMap() || !root["layers"] || !root["layers"].IsSequence() || root["layers"].size() == 0)
    throw InputError(where + ": expected a mapping with a non-empty list 'layers'");
  for (const auto& kv : root)
    if (kv.first.as<std::string>() != "layers")
      throw InputError(yaml_location(where, kv.first) + ": unknown key '" + kv.first.as<std::string>() +
                       "' (expected layers)");
  const YAML::Node list = root["layers"];
  std::string entry;
  ArchBuilder b([&](const std::string& msg) { throw InputError(entry + ": " + msg); });
  for (size_t k = 0; k < list.size(); ++k) {
    const YAML::Node node = list[k];
    entry = yaml_location(where, node) + ": layers[" + std::to_string(k) + "]";
    if (!node.IsMap() || !node["type"] || !node["type"].IsScalar())
      throw InputError(entry + ": expected a mapping with a 'type' (conv2d, maxpool, flatten or dense)");
    const std::string type = node["type"].as<std::string>();
    std::map<std::string, std::string> allowed;
    if (type == "conv2d")
      allowed = {{"out_channels", "u"}, {"kernel", "u"}, {"stride", "u"}, {"padding", "u"}, {"padding_value", "s"}};
    else if (type == "maxpool")
      allowed = {{"window", "u"}, {"stride", "u"}};
    else if (type == "dense")
      allowed = {{"outputs", "u"}};
    else if (type != "flatten")
      throw InputError(entry + ": type '" + type + "' is not a layer (expected conv2d, maxpool, flatten or dense)");
    std::map<std::string, int64_t> values;
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      if (key == "type") continue;
      const auto it = allowed.find(key);
      if (it == allowed.end())
        throw InputError(yaml_location(where, kv.first) + ": layers[" + std::to_string(k) + "] (" + type +
                         "): unknown key '" + key + "'");
      int64_t v = 0;
      try {
        v = kv.second.as<int64_t>();
      } catch (const YAML::Exception&) {
        v = -1000;  // reported below
      }
      const bool ok = it->second == "s" ? (v == 1 || v == -1) : (v >= 0 && v <= int64_t(UINT32_MAX));
      if (!kv.second.IsScalar() || !ok)
        throw InputError(yaml_location(where, kv.second) + ": layers[" + std::to_string(k) + "] (" + type +
                         "): " + key + " must be " + (it->second == "s" ? "-1 or 1" : "a non-negative integer"));
      values[key] = v;
    }
    const auto need = [&](const char* key) {
      if (!values.count(key)) throw InputError(entry + " (" + type + "): '" + key + "' is missing");
      return uint32_t(values[key]);
    };
    const auto optional = [&](const char* key, int64_t fallback) { return values.count(key) ? values[key] : fallback; };
    if (type == "conv2d") {
      ArchLayer l;
      l.type = LayerType::conv2d;
      l.outputs = need("out_channels");
      l.kernel = need("kernel");
      l.stride = uint32_t(optional("stride", 1));
      l.padding = uint32_t(optional("padding", 0));
      l.padding_value = int32_t(optional("padding_value", -1));
      b.conv(l);
    } else if (type == "maxpool") {
      const uint32_t window = need("window");
      b.pool(window, uint32_t(optional("stride", window)));
    } else if (type == "dense") {
      b.dense(need("outputs"));
    } else {
      b.flatten();
    }
  }
  return b.finish(where);
}

Architecture load_architecture_file(const std::string& path) {
  return parse_architecture_yaml(read_file(path, "architecture file"), path);
}

Architecture mlp_architecture(const std::vector<uint32_t>& hidden, uint32_t classes) {
  Architecture a;
  for (uint32_t h : hidden) {
    ArchLayer l;
    l.outputs = h;
    a.layers.push_back(l);
  }
  ArchLayer out;
  out.outputs = classes;
  a.layers.push_back(out);
  return a;
}

std::string to_string(const Architecture& arch) {
  std::string s;
  for (const ArchLayer& l : arch.layers) {
    if (!s.empty()) s += ",";
    if (l.type == LayerType::dense) {
      s += "dense" + std::to_string(l.outputs);
      continue;
    }
    s += "conv" + std::to_string(l.outputs) + "k" + std::to_string(l.kernel);
    if (l.stride != 1) s += "s" + std::to_string(l.stride);
    if (l.padding != 0) s += "p" + std::to_string(l.padding);
    if (l.padding_value != -1) s += "v+1";
    if (l.pool.present()) {
      s += ",pool" + std::to_string(l.pool.window);
      if (l.pool.stride != l.pool.window) s += "s" + std::to_string(l.pool.stride);
    }
  }
  return s;
}

std::vector<LayerShape> layer_shapes(const Architecture& arch, const InputSpec& input, const std::string& where) {
  std::vector<LayerShape> shapes;
  uint32_t h = input.rows, w = input.cols, c = input.channels;
  uint64_t flat = input.values();
  for (size_t i = 0; i < arch.layers.size(); ++i) {
    const ArchLayer& a = arch.layers[i];
    LayerShape s;
    s.outputs = a.outputs;
    s.type = a.type;
    const std::string name = where + ": layer " + std::to_string(i + 1) + " (" + to_string(a.type) + ")";
    if (a.type == LayerType::conv2d) {
      s.conv = {h, w, c, a.kernel, a.stride, a.padding, a.padding_value};
      s.pool = a.pool;
      const uint64_t row = uint64_t(a.kernel) * a.kernel * c;
      if (row > kMaxLayerWidth)
        throw InputError(name + ": kernel^2 x in_channels = " + std::to_string(row) + " weights per neuron exceeds " +
                         std::to_string(kMaxLayerWidth));
      s.inputs = uint32_t(row);
      const std::string error = s.geometry_error();
      if (!error.empty())
        throw InputError(name + " on its " + std::to_string(h) + " x " + std::to_string(w) + " x " + std::to_string(c) +
                         " input: " + error);
      h = s.output_height();
      w = s.output_width();
      c = s.outputs;
      flat = s.output_values();
    } else {
      if (flat == 0 || flat > kMaxLayerWidth)
        throw InputError(name + ": " + std::to_string(flat) + " inputs (expected 1 to " +
                         std::to_string(kMaxLayerWidth) + ")");
      s.inputs = uint32_t(flat);
      flat = s.outputs;
    }
    shapes.push_back(s);
  }
  return shapes;
}

Network untrained_network(const Architecture& arch, const InputSpec& input, uint64_t seed) {
  Network net;
  net.input = input;
  const std::vector<LayerShape> shapes = layer_shapes(arch, input, "untrained network");
  std::mt19937_64 rng(seed);
  const int64_t full_scale = (int64_t(1) << input.bits) - 1;
  for (size_t i = 0; i < shapes.size(); ++i) {
    Layer l;
    static_cast<LayerShape&>(l) = shapes[i];
    l.weights = BitMatrix(l.outputs, l.inputs);
    for (uint32_t r = 0; r < l.outputs; ++r)
      for (uint32_t c = 0; c < l.inputs; ++c) l.weights.set(r, c, rng() & 1);
    // With random +-1 weights a is a sum of `inputs` terms of either sign, centred on 0 with a
    // standard deviation of about sqrt(inputs) x (typical |input|): thresholds drawn within
    // half a standard deviation of 0 make about half the neurons fire.
    const double typical = i == 0 ? double(full_scale) / 2 : 1.0;
    const double sigma = std::sqrt(double(l.inputs)) * typical;
    std::uniform_real_distribution<double> spread(-0.5 * sigma, 0.5 * sigma);
    const bool output = i + 1 == shapes.size();
    for (uint32_t j = 0; j < l.outputs; ++j) {
      if (output) {
        l.scale.push_back(1);
        l.offset.push_back(0);
      } else {
        l.threshold.push_back(int32_t(std::llround(spread(rng))));
        l.direction.push_back(rng() & 1 ? 1 : -1);
      }
    }
    net.layers.push_back(std::move(l));
  }
  net.score_frac_bits = 0;
  net.provenance = {{"training", "untrained"},
                    {"architecture", to_string(arch)},
                    {"seed", seed},
                    {"note", "random weights and thresholds: for cycle, energy and area runs only; no accuracy"}};
  validate_network(net, "untrained network");
  return net;
}

}  // namespace scbnn
