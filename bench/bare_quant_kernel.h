#pragma once
// The bare integer inference of a quantised CNN (network format v3): the yardstick the
// benchmark sets the MAC-array platform against. Its own code throughout (zero-padded int16
// tensors, window extraction by row copies, an int16 x int16 dot product accumulated in
// int32, max-pooling of the requantised values): no SystemC, memories, accounting or code of
// models/ or stimuli/evaluate. Semantics as docs/network-format.md, version 3: the first
// layer reads pixel p as p >> (input.bits - A); acc = sum w x a (padded positions read 0);
// hidden q = clamp((acc x multiplier + bias) >> kRequantShift, 0, 2^A - 1), then a
// convolution's max-pool; output score = scale x acc + offset; class = first argmax.
//
// The dot product is one plain loop compiled three times (baseline x86-64, AVX2, AVX-512BW
// with VNNI), picked at run time from the CPU's features; GCC vectorises each with
// pmaddwd / vpdpwssd. Rows and windows are zero-padded to a multiple of 32 values so the
// vector loops have no tail.
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "scbnn/stimuli/network.h"

namespace scbnn::bench {

namespace quant_dot {

inline constexpr size_t kAlign = 32;  // values per padded row: one AVX-512 register of int16

#define SCBNN_QUANT_DOT_BODY                                           \
  int32_t sum = 0;                                                     \
  for (size_t i = 0; i < n; ++i) sum += int32_t(w[i]) * int32_t(x[i]); \
  return sum;

inline int32_t dot_baseline(const int16_t* __restrict w, const int16_t* __restrict x, size_t n) { SCBNN_QUANT_DOT_BODY }
__attribute__((target("avx2"))) inline int32_t dot_avx2(const int16_t* __restrict w, const int16_t* __restrict x,
                                                        size_t n) {
  SCBNN_QUANT_DOT_BODY
}
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,prefer-vector-width=512"))) inline int32_t dot_avx512(
    const int16_t* __restrict w, const int16_t* __restrict x, size_t n) {
  SCBNN_QUANT_DOT_BODY
}
#undef SCBNN_QUANT_DOT_BODY

using DotFn = int32_t (*)(const int16_t*, const int16_t*, size_t);

struct Dispatch {
  DotFn fn;
  const char* isa;
};

// The widest variant this CPU runs.
inline Dispatch best_dot() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni"))
    return {dot_avx512, "AVX-512 VNNI"};
  if (__builtin_cpu_supports("avx2")) return {dot_avx2, "AVX2"};
  return {dot_baseline, "x86-64 baseline (SSE2)"};
}

inline size_t padded(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

}  // namespace quant_dot

class BareQuantKernel {
 public:
  // Throws std::invalid_argument for a binarized network or one whose sums could leave int32.
  explicit BareQuantKernel(const Network& net, quant_dot::Dispatch dot = quant_dot::best_dot()) : net_(net), dot_(dot) {
    if (!net.quantised()) throw std::invalid_argument("BareQuantKernel: " + net.file + " is not a quantised network");
    const int64_t max_a = (int64_t(1) << net.quant.activation_bits) - 1;
    for (const Layer& l : net.layers) {
      const size_t row = quant_dot::padded(l.inputs);
      std::vector<int16_t> w(size_t(l.outputs) * row, 0);
      for (uint32_t j = 0; j < l.outputs; ++j) {
        int64_t bound = 0;
        for (uint32_t i = 0; i < l.inputs; ++i) {
          const int8_t v = l.qweights[size_t(j) * l.inputs + i];
          w[size_t(j) * row + i] = v;
          bound += (v < 0 ? -int64_t(v) : int64_t(v)) * max_a;
        }
        if (bound > INT32_MAX)
          throw std::invalid_argument("BareQuantKernel: a neuron's sum may exceed int32 (" + std::to_string(bound) +
                                      ")");
      }
      weights_.push_back(std::move(w));
    }
  }

  // The predicted class of one image (HWC bytes); scores() holds its scores after.
  uint32_t classify(const uint8_t* pixels) {
    const InputSpec& in = net_.input;
    const uint32_t shift = in.bits - net_.quant.activation_bits;
    act_.resize(in.values());
    for (size_t i = 0; i < act_.size(); ++i) act_[i] = int16_t(pixels[i] >> shift);
    for (size_t l = 0; l + 1 < net_.layers.size(); ++l) {
      if (net_.layers[l].is_conv())
        conv(l);
      else
        dense_hidden(l);
      act_.swap(next_);
    }
    const size_t last = net_.layers.size() - 1;
    const Layer& out = net_.layers[last];
    const size_t row = pad_activations(out.inputs);
    scores_.assign(out.outputs, 0);
    uint32_t best = 0;
    for (uint32_t j = 0; j < out.outputs; ++j) {
      const int32_t acc = dot_.fn(weights_[last].data() + size_t(j) * row, act_.data(), row);
      scores_[j] = int32_t(int64_t(out.scale[j]) * acc + out.offset[j]);
      if (scores_[j] > scores_[best]) best = j;
    }
    return best;
  }

  const std::vector<int32_t>& scores() const { return scores_; }
  const char* isa() const { return dot_.isa; }

  // Multiply-accumulates of one inference (the network's, padded positions included).
  uint64_t macs_per_inference() const {
    uint64_t macs = 0;
    for (const Layer& l : net_.layers) macs += l.positions() * l.outputs * l.inputs;
    return macs;
  }

 private:
  int16_t requantise(const Layer& l, uint32_t j, int32_t acc) const {
    const int64_t max_a = (int64_t(1) << net_.quant.activation_bits) - 1;
    const int64_t q = (int64_t(acc) * l.multiplier[j] + l.bias[j]) >> kRequantShift;
    return int16_t(std::clamp<int64_t>(q, 0, max_a));
  }

  // A dense layer's input vector zero-padded to its weight rows' length; returns that length.
  size_t pad_activations(uint32_t inputs) {
    const size_t row = quant_dot::padded(inputs);
    act_.resize(inputs);
    act_.resize(row, 0);
    return row;
  }

  void conv(size_t index) {
    const Layer& layer = net_.layers[index];
    const ConvGeometry& g = layer.conv;
    const size_t c = g.in_channels, h = g.in_height, w = g.in_width, p = g.padding, k = g.kernel;
    const size_t pw = w + 2 * p, ph = h + 2 * p, row_values = k * c, o = layer.outputs;
    padded_.assign(ph * pw * c, 0);
    for (size_t y = 0; y < h; ++y) std::copy_n(act_.data() + y * w * c, w * c, padded_.data() + ((y + p) * pw + p) * c);
    const size_t oh = g.out_height(), ow = g.out_width(), row = quant_dot::padded(layer.inputs);
    window_.assign(row, 0);
    conv_out_.resize(oh * ow * o);
    const int16_t* wts = weights_[index].data();
    for (size_t oy = 0; oy < oh; ++oy)
      for (size_t ox = 0; ox < ow; ++ox) {
        for (size_t ky = 0; ky < k; ++ky)
          std::copy_n(padded_.data() + ((oy * g.stride + ky) * pw + ox * g.stride) * c, row_values,
                      window_.data() + ky * row_values);
        int16_t* q = conv_out_.data() + (oy * ow + ox) * o;
        for (uint32_t j = 0; j < o; ++j) q[j] = requantise(layer, j, dot_.fn(wts + j * row, window_.data(), row));
      }
    if (!layer.pool.present()) {
      next_.swap(conv_out_);
      return;
    }
    const size_t out_h = layer.output_height(), out_w = layer.output_width();
    const size_t win = layer.pool.window, stride = layer.pool.stride;
    next_.assign(out_h * out_w * o, 0);
    for (size_t py = 0; py < out_h; ++py)
      for (size_t px = 0; px < out_w; ++px) {
        int16_t* dst = next_.data() + (py * out_w + px) * o;
        for (size_t wy = 0; wy < win; ++wy)
          for (size_t wx = 0; wx < win; ++wx) {
            const int16_t* src = conv_out_.data() + ((py * stride + wy) * ow + px * stride + wx) * o;
            for (size_t j = 0; j < o; ++j) dst[j] = std::max(dst[j], src[j]);
          }
      }
  }

  void dense_hidden(size_t index) {
    const Layer& layer = net_.layers[index];
    const size_t row = pad_activations(layer.inputs);
    next_.resize(layer.outputs);
    for (uint32_t j = 0; j < layer.outputs; ++j)
      next_[j] = requantise(layer, j, dot_.fn(weights_[index].data() + size_t(j) * row, act_.data(), row));
  }

  const Network& net_;
  quant_dot::Dispatch dot_;
  std::vector<std::vector<int16_t>> weights_;  // per layer: outputs x padded(inputs), zero-padded
  std::vector<int16_t> act_, next_, padded_, window_, conv_out_;
  std::vector<int32_t> scores_;
};

}  // namespace scbnn::bench
