#pragma once
#include <unistd.h>
// Shared fixtures: small synthetic networks and data sets, temporary files, and an
// independent plain-C++ BNN (unpacked integers, no bit packing, no SystemC) to check
// the platform against.
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
    l.weights = BitMatrix(l.outputs, l.inputs);
    for (uint32_t r = 0; r < l.outputs; ++r)
      for (uint32_t c = 0; c < l.inputs; ++c) l.weights.set(r, c, rng() & 1);
    const bool output = i + 2 == widths.size();
    const int32_t span = int32_t(i == 0 ? 255 * l.inputs / 16 : l.inputs / 4) + 1;
    std::uniform_int_distribution<int32_t> t(-span, span);
    for (uint32_t j = 0; j < l.outputs; ++j) {
      if (output) {
        l.scale.push_back(int32_t(rng() % 2000) + 1);
        l.offset.push_back(t(rng) * 16);
      } else {
        l.threshold.push_back(t(rng));
        l.direction.push_back(rng() & 1 ? 1 : -1);
      }
    }
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

}  // namespace scbnn::test
