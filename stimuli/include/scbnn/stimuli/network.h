#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scbnn/base/input_mode.h"
#include "scbnn/base/layer_shape.h"

namespace scbnn {

// Row-major binary matrix packed in 64-bit words; bit (r, c) is bit c%64 of word c/64 of
// row r. Bits past `cols` in the last word of a row are zero.
struct BitMatrix {
  uint32_t rows = 0, cols = 0;
  std::vector<uint64_t> words;

  BitMatrix() = default;
  BitMatrix(uint32_t r, uint32_t c) : rows(r), cols(c), words(size_t(r) * words_per_row(c), 0) {}
  static size_t words_per_row(uint32_t c) { return (size_t(c) + 63) / 64; }
  size_t words_per_row() const { return words_per_row(cols); }
  const uint64_t* row(uint32_t r) const { return words.data() + r * words_per_row(); }
  uint64_t* row(uint32_t r) { return words.data() + r * words_per_row(); }
  bool get(uint32_t r, uint32_t c) const { return (row(r)[c / 64] >> (c % 64)) & 1u; }
  void set(uint32_t r, uint32_t c, bool v) {
    uint64_t& w = row(r)[c / 64];
    const uint64_t m = uint64_t(1) << (c % 64);
    w = v ? (w | m) : (w & ~m);
  }
};

// How the first layer sees the image.
const char* to_string(InputMode m);

struct InputSpec {
  InputMode mode = InputMode::fixed;
  uint32_t bits = 8;  // pixel precision; a pixel x stands for 2x - (2^bits - 1) in fixed mode
  uint32_t rows = 28, cols = 28, channels = 1;
  uint32_t trained_stream_length = 0;  // stochastic training: samples per pixel (0 = not SC-trained)
  uint64_t values() const { return uint64_t(rows) * cols * channels; }
};

// "28 x 28 pixels x 1 channel", for messages.
std::string input_shape(const InputSpec& in);

// A binarized weighted layer: dense, or a convolution with the max-pool that follows it
// (LayerShape: geometry; tensors HWC). Weights are +1 (bit 1) or -1 (bit 0), one row of
// `inputs` per neuron; a neuron's pre-activation a is the +-1 dot product with its inputs
// (for a fixed-mode first layer, a = sum_i (2 x_i - 255) w_i), at every output position of
// a convolution.
//  - hidden layer: output +1 iff a >= threshold (direction +1) or a <= threshold
//    (direction -1): batch norm folded into one integer compare per neuron (per output
//    channel of a convolution); a convolution's max-pool is the OR of those bits.
//  - output layer (always dense): score = scale * a + offset, fixed point with
//    Network::score_frac_bits fractional bits; the class is the first argmax.
struct Layer : LayerShape {
  BitMatrix weights;                          // outputs x inputs (binarized network)
  std::vector<int32_t> threshold, direction;  // hidden layers (binarized network)
  std::vector<int32_t> scale, offset;         // output layer (both kinds of network)
  // Quantised network (Network::quantised(); docs/network-format.md, version 3):
  std::vector<int8_t> qweights;     // outputs x inputs, row-major, the same unrolled order as `weights`
  std::vector<int32_t> multiplier;  // hidden layer, per output (channel)
  std::vector<int64_t> bias;        // hidden layer, per output (channel)
};

// Bits of a quantised (multi-bit) network; weight_bits = 1: a binarized network. Weights are
// symmetric signed (|w| <= 2^(B-1) - 1), activations unsigned (0 .. 2^A - 1); the first layer
// reads pixel p (input.bits = 8) as p >> (8 - A). A hidden layer's output is
// clamp((acc x multiplier + bias) >> kRequantShift, 0, 2^A - 1) (>> rounds down), a
// convolution's max-pool the max of those (padded positions read 0); the output layer scores
// scale x acc + offset. docs/network-format.md, version 3.
struct Quantisation {
  uint32_t weight_bits = 1;      // 1: binarized; 2..8: quantised
  uint32_t activation_bits = 1;  // 1: binarized; 2..8: quantised
  int32_t max_weight() const { return (int32_t(1) << (weight_bits - 1)) - 1; }
  uint32_t max_activation() const { return (uint32_t(1) << activation_bits) - 1; }
};
// The requantisation's fixed-point shift: multiplier = gain x 2^24. (16 bits left a w8a8 layer's
// multipliers at 60 .. 300, a 1 % gain error that moved 3-6 % of the activations one step off
// the trained model; with 24 bits they match it but for float rounding.)
inline constexpr uint32_t kRequantShift = 24;

struct Network {
  InputSpec input;
  Quantisation quant;
  std::vector<Layer> layers;  // the weighted layers, first layer first
  uint32_t score_frac_bits = 16;
  nlohmann::json provenance = nlohmann::json::object();  // data set, epochs, seed, accuracy, ...
  std::string file;  // where load_network read it from (empty for a network built in memory)

  uint32_t classes() const { return layers.empty() ? 0 : layers.back().outputs; }
  bool quantised() const { return quant.weight_bits > 1; }
};

// Version 1: dense layers only (written for all-dense binarized networks); version 2: layer
// graphs; version 3: quantised networks (written for every quantised network).
inline constexpr uint32_t kNetworkFormatVersion = 3;
inline constexpr uint32_t kMaxLayerWidth = 1u << 20;
inline constexpr uint32_t kMaxLayers = 64;

// Checks shapes, chaining, parameter ranges and that output scores fit in int32 (a quantised
// network's for the exact and the SC-CNN product, see quantised_product_bound).
// Throws InputError prefixed with `where`.
void validate_network(const Network& net, const std::string& where = "network");

// The largest |product| of a weight of magnitude `magnitude` with any activation 0 .. 2^A - 1
// of quantisation `q`, for both the exact product (magnitude x a) and the SC-CNN product
// 2^m c(a, magnitude) (m = B - 1; c <= a and c <= ceil(a / 2^m) x magnitude):
// 2^m x min(2^A - 1, ceil((2^A - 1) / 2^m) x magnitude).
uint64_t quantised_product_bound(const Quantisation& q, uint32_t magnitude);
// The bound on |acc| of neuron `neuron` of `layer`: the sum of its weights' product bounds.
uint64_t quantised_accumulator_bound(const Quantisation& q, const Layer& layer, uint32_t neuron);

// Reads and fully validates a model file; any damage gives an InputError naming the file.
Network load_network(const std::string& path);
Network parse_network(const std::string& bytes, const std::string& where);

// Serialises (after validation). save_network writes atomically (temp file + rename).
std::string serialize_network(const Network& net);
void save_network(const Network& net, const std::string& path);

}  // namespace scbnn
