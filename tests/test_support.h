#pragma once
// Shared fixtures: small synthetic networks and data sets, temporary files, and an
// independent plain-C++ BNN (unpacked integers, no bit packing, no SystemC) to check
// the platform against.
#include <unistd.h>

#include <systemc>
#include <tlm>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "scbnn/base/errors.h"
#include "scbnn/stimuli/idx.h"
#include "scbnn/stimuli/network.h"

namespace scbnn::test {

// The message of the InputError that `f` throws; "" when it throws none.
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

inline std::string temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("scbnn_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

// Random +-1 weights, and thresholds (or output offsets) uniform in [-span, span]; random
// directions unless `directions_up`.
inline void randomize_layer(Layer& l, std::mt19937& rng, int32_t span, bool output, bool directions_up = false) {
  l.weights = BitMatrix(l.outputs, l.inputs);
  for (uint32_t r = 0; r < l.outputs; ++r)
    for (uint32_t c = 0; c < l.inputs; ++c) l.weights.set(r, c, rng() & 1);
  std::uniform_int_distribution<int32_t> t(-span, span);
  for (uint32_t j = 0; j < l.outputs; ++j) {
    if (output) {
      l.scale.push_back(int32_t(rng() % 2000) + 1);
      l.offset.push_back(t(rng) * 16);
    } else {
      l.threshold.push_back(t(rng));
      l.direction.push_back(directions_up || (rng() & 1) ? 1 : -1);
    }
  }
}

// A random but valid network: widths[0] inputs, then layer widths.
inline Network random_network(const std::vector<uint32_t>& widths, uint32_t seed, uint32_t rows = 0,
                              uint32_t cols = 0) {
  std::mt19937 rng(seed);
  Network net;
  net.input.rows = rows ? rows : 1;
  net.input.cols = cols ? cols : widths[0];
  for (size_t i = 0; i + 1 < widths.size(); ++i) {
    Layer l;
    l.inputs = widths[i];
    l.outputs = widths[i + 1];
    randomize_layer(l, rng, int32_t(i == 0 ? 255 * l.inputs / 16 : l.inputs / 4) + 1, i + 2 == widths.size());
    net.layers.push_back(std::move(l));
  }
  net.provenance = {{"dataset", "synthetic"}, {"seed", seed}};
  return net;
}

inline Dataset random_dataset(uint32_t count, uint32_t rows, uint32_t cols, uint32_t seed, uint32_t channels = 1) {
  std::mt19937 rng(seed);
  Dataset d;
  d.name = "synthetic";
  d.split = "test";
  d.rows = rows;
  d.cols = cols;
  d.channels = channels;
  d.images.resize(size_t(count) * rows * cols * channels);
  for (auto& p : d.images) p = uint8_t(rng());
  d.labels.resize(count);
  for (auto& l : d.labels) l = uint8_t(rng() % 10);
  return d;
}

// Independent reference: +-1 integers, one multiply-add per weight.
struct ReferenceResult {
  std::vector<int64_t> scores;
  uint32_t predicted = 0;
};

// Runs layers first_layer.. of `net` on inputs `x` (+-1 activations, or 2x - 255 pixels).
inline ReferenceResult reference_layers(const Network& net, size_t first_layer, std::vector<int64_t> x) {
  ReferenceResult out;
  for (size_t l = first_layer; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    std::vector<int64_t> y(layer.outputs);
    for (uint32_t j = 0; j < layer.outputs; ++j) {
      int64_t a = 0;
      for (uint32_t i = 0; i < layer.inputs; ++i) a += layer.weights.get(j, i) ? x[i] : -x[i];
      if (l + 1 < net.layers.size()) {
        const bool fires = layer.direction[j] > 0 ? a >= layer.threshold[j] : a <= layer.threshold[j];
        y[j] = fires ? 1 : -1;
      } else {
        y[j] = a * layer.scale[j] + layer.offset[j];
      }
    }
    x = std::move(y);
  }
  out.scores = x;
  for (uint32_t c = 1; c < out.scores.size(); ++c)
    if (out.scores[c] > out.scores[out.predicted]) out.predicted = c;
  return out;
}

inline ReferenceResult reference_inference(const Network& net, const uint8_t* image) {
  std::vector<int64_t> x(net.input.values());
  const int64_t full_scale = (int64_t(1) << net.input.bits) - 1;
  for (size_t i = 0; i < x.size(); ++i) x[i] = 2 * int64_t(image[i]) - full_scale;
  return reference_layers(net, 0, std::move(x));
}

// ---- Convolutional networks (format v2) ----

// One conv2d layer of a random network, with its optional max-pool (pool_window 0: none).
struct ConvSpec {
  uint32_t out_channels = 8, kernel = 3, stride = 1, padding = 0;
  int32_t padding_value = -1;
  uint32_t pool_window = 0, pool_stride = 0;
};

// A random but valid network on a rows x cols x channels image: the conv2d layers of
// `convs` in order, then (flattened) dense layers of `dense_widths` (the last one the
// output layer). Thresholds are spread around 0 on the scale of a's standard deviation so
// that the output bits are mixed; directions random unless `directions_up`.
inline Network random_conv_network(uint32_t rows, uint32_t cols, uint32_t channels, const std::vector<ConvSpec>& convs,
                                   const std::vector<uint32_t>& dense_widths, uint32_t seed,
                                   bool directions_up = false) {
  std::mt19937 rng(seed);
  Network net;
  net.input.rows = rows;
  net.input.cols = cols;
  net.input.channels = channels;
  uint32_t h = rows, w = cols, c = channels;
  auto fill = [&](Layer& l, bool first, bool output) {
    randomize_layer(l, rng, int32_t(std::sqrt(double(l.inputs)) * (first ? 150.0 : 1.0)) + 1, output, directions_up);
  };
  for (const ConvSpec& spec : convs) {
    Layer l;
    l.type = LayerType::conv2d;
    l.conv.in_height = h;
    l.conv.in_width = w;
    l.conv.in_channels = c;
    l.conv.kernel = spec.kernel;
    l.conv.stride = spec.stride;
    l.conv.padding = spec.padding;
    l.conv.padding_value = spec.padding_value;
    l.pool.window = spec.pool_window;
    l.pool.stride = spec.pool_window ? spec.pool_stride : 0;
    l.inputs = spec.kernel * spec.kernel * c;
    l.outputs = spec.out_channels;
    fill(l, net.layers.empty(), false);
    h = l.output_height();
    w = l.output_width();
    c = l.outputs;
    net.layers.push_back(std::move(l));
  }
  uint32_t inputs = h * w * c;
  for (size_t i = 0; i < dense_widths.size(); ++i) {
    Layer l;
    l.inputs = inputs;
    l.outputs = dense_widths[i];
    fill(l, net.layers.empty(), i + 1 == dense_widths.size());
    inputs = l.outputs;
    net.layers.push_back(std::move(l));
  }
  net.provenance = {{"dataset", "synthetic"}, {"seed", seed}};
  return net;
}

// A random but valid quantised network (docs/network-format.md, version 3) of the same shape
// as random_conv_network (padding values are 0): weights uniform in -max .. max, and
// per-neuron multipliers and biases that spread the requantised outputs over 0 .. 2^A - 1 for
// inputs spread over the activation range (the accumulator's mean maps to the middle, four
// standard deviations to the full range); output scales 1 .. 50, offsets within +-1000.
inline Network random_quantised_network(uint32_t rows, uint32_t cols, uint32_t channels,
                                        const std::vector<ConvSpec>& convs, const std::vector<uint32_t>& dense_widths,
                                        Quantisation quant, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<ConvSpec> zero_padded = convs;
  for (ConvSpec& c : zero_padded) c.padding_value = -1;  // random_conv_network wants +-1; set to 0 below
  Network net = random_conv_network(rows, cols, channels, zero_padded, dense_widths, seed);
  net.quant = quant;
  const int32_t max_w = quant.max_weight();
  const double max_a = quant.max_activation();
  std::uniform_int_distribution<int32_t> weight(-max_w, max_w);
  for (size_t li = 0; li < net.layers.size(); ++li) {
    Layer& l = net.layers[li];
    const bool output = li + 1 == net.layers.size();
    l.weights = BitMatrix();
    l.threshold.clear();
    l.direction.clear();
    l.scale.clear();
    l.offset.clear();
    if (l.is_conv()) l.conv.padding_value = 0;
    l.qweights.resize(size_t(l.outputs) * l.inputs);
    for (auto& w : l.qweights) w = int8_t(weight(rng));
    for (uint32_t j = 0; j < l.outputs; ++j) {
      double sum = 0, squares = 0;
      for (uint32_t i = 0; i < l.inputs; ++i) {
        const double w = l.qweights[size_t(j) * l.inputs + i];
        sum += w;
        squares += w * w;
      }
      if (output) {
        const uint64_t bound = quantised_accumulator_bound(quant, l, j);
        const uint64_t largest = std::max<uint64_t>(1, (uint64_t(INT32_MAX) - 1000) / std::max<uint64_t>(bound, 1));
        l.scale.push_back(int32_t(1 + rng() % std::min<uint64_t>(50, largest)));
        l.offset.push_back(int32_t(rng() % 2001) - 1000);
        continue;
      }
      const double mean = sum * max_a / 2, sd = std::sqrt(squares * max_a * max_a / 12) + 1;
      const double gain = max_a / (4 * sd) * (0.5 + double(rng() % 1000) / 1000);  // levels per unit of acc
      const double unit = double(int64_t(1) << kRequantShift);
      const double m = std::max(1.0, std::round(gain * unit));
      l.multiplier.push_back(int32_t(std::min(m, 2e9)) * ((rng() % 8) == 0 ? -1 : 1));  // a few negative
      const double middle = max_a / 2 - double(l.multiplier.back()) / unit * mean;
      l.bias.push_back(int64_t(std::llround(middle * unit)));
    }
  }
  net.provenance = {{"dataset", "synthetic"}, {"seed", seed}, {"generator", "test::random_quantised_network"}};
  return net;
}

// A data set whose images hold rows x cols pixels of `channels` values each: the platform
// takes an image as its bytes in HWC order, so a row of the IDX image is cols x channels.
inline Dataset random_tensor_dataset(uint32_t count, uint32_t rows, uint32_t cols, uint32_t channels, uint32_t seed) {
  Dataset d = random_dataset(count, rows, cols * channels, seed);  // the same bytes, seen as HWC images
  d.cols = cols;
  d.channels = channels;
  return d;
}

// The first layer's input as the independent reference sees it: one or more passes of
// HWC values whose pre-activations are summed (fixed: one pass of 2x - 255; stochastic
// sum mode: N passes of +-1 samples), and the magnitude of a padded position (255 for
// fixed pixels, 1 for +-1 samples; its sign is the layer's padding_value).
struct FirstLayerInput {
  std::vector<std::vector<int64_t>> passes;
  int64_t pad_magnitude = 1;
};

inline FirstLayerInput fixed_input(const Network& net, const uint8_t* image) {
  const int64_t full_scale = (int64_t(1) << net.input.bits) - 1;
  FirstLayerInput in;
  in.pad_magnitude = full_scale;
  in.passes.emplace_back(net.input.values());
  for (size_t i = 0; i < in.passes[0].size(); ++i) in.passes[0][i] = 2 * int64_t(image[i]) - full_scale;
  return in;
}

// +-1 samples from packed streams (bit 1 = +1): samples [first, first + count).
inline FirstLayerInput stream_input(const Network& net, const std::vector<std::vector<uint64_t>>& streams,
                                    uint32_t first, uint32_t count) {
  FirstLayerInput in;
  in.pad_magnitude = 1;
  for (uint32_t n = first; n < first + count; ++n) {
    std::vector<int64_t> v(net.input.values());
    for (size_t i = 0; i < v.size(); ++i) v[i] = ((streams[n][i / 64] >> (i % 64)) & 1) ? 1 : -1;
    in.passes.push_back(std::move(v));
  }
  return in;
}

struct ReferenceOptions {
  const std::vector<int32_t>* first_thresholds = nullptr;  // replaces layer 0's thresholds (stochastic)
  bool pool_pre_activations = false;                       // max-pool a, then threshold (equal for direction +1 only)
};

// Plain integer loops over (y, x, c), written from docs/network-format.md: a tensor is HWC,
// a window value outside the input is padding_value (times the pad magnitude in layer 0),
// weight (ky, kx, c) is input (ky K + kx) C + c, hidden outputs are +-1 by threshold and
// direction, max-pool takes the maximum of the +-1 outputs over each window.
inline ReferenceResult reference_conv_network(const Network& net, const FirstLayerInput& in,
                                              const ReferenceOptions& opt = {}) {
  std::vector<std::vector<int64_t>> x = in.passes;  // every pass of the current tensor (one after layer 0)
  uint32_t h = net.input.rows, w = net.input.cols, c = net.input.channels;
  ReferenceResult out;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    const bool last = l + 1 == net.layers.size();
    const std::vector<int32_t>& thresholds = l == 0 && opt.first_thresholds ? *opt.first_thresholds : layer.threshold;
    auto fires = [&](uint32_t j, int64_t a) {
      return layer.direction[j] > 0 ? a >= thresholds[j] : a <= thresholds[j];
    };
    if (layer.type == LayerType::dense) {
      std::vector<int64_t> y(layer.outputs);
      for (uint32_t j = 0; j < layer.outputs; ++j) {
        int64_t a = 0;
        for (const auto& pass : x)
          for (uint32_t i = 0; i < layer.inputs; ++i) a += layer.weights.get(j, i) ? pass[i] : -pass[i];
        y[j] = last ? a * layer.scale[j] + layer.offset[j] : (fires(j, a) ? 1 : -1);
      }
      x = {std::move(y)};
      continue;
    }
    const ConvGeometry& g = layer.conv;
    const int64_t k = g.kernel, s = g.stride, p = g.padding, o = layer.outputs;
    const int64_t oh = (int64_t(h) + 2 * p - k) / s + 1, ow = (int64_t(w) + 2 * p - k) / s + 1;
    const int64_t pad = g.padding_value * (l == 0 ? in.pad_magnitude : 1);
    std::vector<int64_t> pre(size_t(oh * ow * o));
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox)
        for (int64_t j = 0; j < o; ++j) {
          int64_t a = 0;
          for (const auto& pass : x)
            for (int64_t ky = 0; ky < k; ++ky)
              for (int64_t kx = 0; kx < k; ++kx)
                for (int64_t ch = 0; ch < int64_t(c); ++ch) {
                  const int64_t y = oy * s - p + ky, xx = ox * s - p + kx;
                  const bool inside = y >= 0 && y < int64_t(h) && xx >= 0 && xx < int64_t(w);
                  const int64_t v = inside ? pass[size_t((y * w + xx) * c + ch)] : pad;
                  a += layer.weights.get(uint32_t(j), uint32_t((ky * k + kx) * c + ch)) ? v : -v;
                }
          pre[size_t((oy * ow + ox) * o + j)] = a;
        }
    const bool pooled_first = opt.pool_pre_activations && layer.pool.present();
    std::vector<int64_t> act(pre.size());
    for (size_t i = 0; i < pre.size(); ++i) act[i] = pooled_first ? pre[i] : (fires(uint32_t(i % o), pre[i]) ? 1 : -1);
    if (layer.pool.present()) {
      const int64_t win = layer.pool.window, ps = layer.pool.stride;
      const int64_t ph = (oh - win) / ps + 1, pw = (ow - win) / ps + 1;
      std::vector<int64_t> pooled(size_t(ph * pw * o));
      for (int64_t py = 0; py < ph; ++py)
        for (int64_t px = 0; px < pw; ++px)
          for (int64_t j = 0; j < o; ++j) {
            int64_t m = act[size_t(((py * ps) * ow + px * ps) * o + j)];
            for (int64_t wy = 0; wy < win; ++wy)
              for (int64_t wx = 0; wx < win; ++wx)
                m = std::max(m, act[size_t(((py * ps + wy) * ow + px * ps + wx) * o + j)]);
            pooled[size_t((py * pw + px) * o + j)] = pooled_first ? (fires(uint32_t(j), m) ? 1 : -1) : m;
          }
      act = std::move(pooled);
      h = uint32_t(ph);
      w = uint32_t(pw);
    } else {
      h = uint32_t(oh);
      w = uint32_t(ow);
    }
    c = uint32_t(o);
    x = {std::move(act)};
  }
  out.scores = x[0];
  for (uint32_t cl = 1; cl < out.scores.size(); ++cl)
    if (out.scores[cl] > out.scores[out.predicted]) out.predicted = cl;
  return out;
}

// Sends transactions straight to a TLM target's b_transport (elaboration-only tests): the
// annotated delay of the last one is in `delay`.
template <class Target>
struct DirectPort {
  Target& target;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  tlm::tlm_response_status send(tlm::tlm_command cmd, uint64_t address, void* data, uint32_t length,
                                const uint8_t* be = nullptr, uint32_t be_len = 0) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(address);
    tx.set_data_ptr(static_cast<uint8_t*>(data));
    tx.set_data_length(length);
    tx.set_streaming_width(length);
    tx.set_byte_enable_ptr(const_cast<uint8_t*>(be));
    tx.set_byte_enable_length(be_len);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    delay = sc_core::SC_ZERO_TIME;
    target.b_transport(tx, delay);
    return tx.get_response_status();
  }
};

}  // namespace scbnn::test
