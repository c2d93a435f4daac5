#pragma once
// The bare bit-packed inference of a convolutional network (format v2) in fixed mode: the
// yardstick the benchmark sets the platform against. Its own code throughout (padded input
// tensors, window extraction by bit-row copies, OR max-pooling; the dot products of all
// output channels at once with the yardstick's row-group kernels, bench/yardstick_kernel.h,
// in the instruction set given): no SystemC, tiling, memories, accounting or code of models/. Semantics as
// docs/network-format.md: HWC tensors, padded positions = padding_value (pixel 0 or 255 in
// layer 0), layer 0 bit-plane by bit-plane with shift-add, hidden outputs thresholded, then
// pooled as the OR of the bits.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "scbnn/stimuli/network.h"
#include "yardstick_kernel.h"

namespace scbnn::bench {

class BareConvKernel {
 public:
  explicit BareConvKernel(const Network& net, yardstick::Isa isa = yardstick::best_isa()) : net_(net), isa_(isa) {
    uint32_t widest = 0;
    for (const Layer& l : net.layers) {
      packed_.emplace_back(l);
      widest = std::max(widest, packed_.back().groups * 8);
    }
    miss_.assign(widest, 0);
    acc_.assign(widest, 0);
  }

  // The predicted class of one image (HWC bytes); scores() holds its scores after.
  uint32_t classify(const uint8_t* pixels) {
    const InputSpec& in = net_.input;
    const size_t values = size_t(in.rows) * in.cols * in.channels;
    planes_.resize(8);
    for (uint32_t p = 0; p < 8; ++p) {
      planes_[p].assign((values + 63) / 64, 0);
      for (size_t i = 0; i < values; ++i) planes_[p][i / 64] |= uint64_t((pixels[i] >> p) & 1u) << (i % 64);
    }
    uint32_t h = in.rows, w = in.cols;
    for (size_t l = 0; l + 1 < net_.layers.size(); ++l) {
      const Layer& layer = net_.layers[l];
      const size_t passes = l == 0 ? 8 : 1;
      if (layer.is_conv()) {
        conv(layer, packed_[l], passes, h, w);
        h = layer.output_height();
        w = layer.output_width();
      } else {
        dense_hidden(layer, packed_[l], passes);
      }
      planes_.resize(1);
      planes_[0].swap(next_);
    }
    const Layer& out = net_.layers.back();
    const size_t passes = net_.layers.size() == 1 ? 8 : 1;
    scores_.assign(out.outputs, 0);
    uint32_t best = 0;
    dots(packed_.back(), passes, [&](size_t p) { return planes_[p].data(); });
    for (uint32_t j = 0; j < out.outputs; ++j) {
      scores_[j] = int32_t(acc_[j] * out.scale[j] + out.offset[j]);
      if (scores_[j] > scores_[best]) best = j;
    }
    return best;
  }

  const std::vector<int32_t>& scores() const { return scores_; }

  // 64-bit XNOR-popcounts one inference performs.
  uint64_t words_per_inference() const {
    uint64_t words = 0;
    for (size_t l = 0; l < net_.layers.size(); ++l) {
      const Layer& layer = net_.layers[l];
      words += layer.positions() * layer.outputs * ((layer.inputs + 63) / 64) * (l == 0 ? 8 : 1);
    }
    return words;
  }

 private:
  // acc_[j] = sum over passes p of (+-1 dot of row j with input(p)) x 2^p, every row at once;
  // the inputs are zero beyond the layer's bits.
  template <class Input>
  void dots(const yardstick::PackedLayer& layer, size_t passes, Input input) {
    std::fill(acc_.begin(), acc_.end(), 0);
    for (size_t p = 0; p < passes; ++p) {
      yardstick::mismatches(isa_, layer, input(p), miss_.data());
      for (uint32_t j = 0; j < layer.outputs; ++j)
        acc_[j] += (int64_t(layer.inputs) - 2 * miss_[j]) * (int64_t(1) << p);
    }
  }

  // Appends n bits of src from bit `from` to dst at bit `to` (dst bits past `to` are zero).
  static void append_bits(uint64_t* dst, size_t to, const uint64_t* src, size_t from, size_t n) {
    while (n > 0) {
      const size_t sw = from / 64, sb = from % 64, db = to % 64;
      uint64_t chunk = src[sw] >> sb;
      if (sb && sw + 1 < (from + n + 63) / 64) chunk |= src[sw + 1] << (64 - sb);
      const size_t take = std::min<size_t>({n, 64 - db, 64});
      if (take < 64) chunk &= (uint64_t(1) << take) - 1;
      dst[to / 64] |= chunk << db;
      to += take;
      from += take;
      n -= take;
    }
  }

  // The input tensor of one pass with the padding around it: (h + 2P) x (w + 2P) x C bits.
  void pad_input(const Layer& layer, const uint64_t* x, uint32_t h, uint32_t w, std::vector<uint64_t>& padded) {
    const ConvGeometry& g = layer.conv;
    const size_t c = g.in_channels, pw = w + 2 * g.padding, ph = h + 2 * g.padding;
    padded.assign((ph * pw * c + 63) / 64 + 1, 0);
    const bool ones = g.padding_value > 0;
    for (size_t y = 0; y < ph; ++y)
      for (size_t xx = 0; xx < pw; ++xx) {
        const size_t at = (y * pw + xx) * c;
        const bool inside = y >= g.padding && y < g.padding + h && xx >= g.padding && xx < g.padding + w;
        if (inside) {
          append_bits(padded.data(), at, x, ((y - g.padding) * w + (xx - g.padding)) * c, c);
        } else if (ones) {
          for (size_t i = 0; i < c; ++i) padded[(at + i) / 64] |= uint64_t(1) << ((at + i) % 64);
        }
      }
  }

  void conv(const Layer& layer, const yardstick::PackedLayer& packed, size_t passes, uint32_t h, uint32_t w) {
    const ConvGeometry& g = layer.conv;
    const uint32_t oh = g.out_height(), ow = g.out_width(), o = layer.outputs, k = g.kernel;
    const size_t c = g.in_channels, pw = w + 2 * g.padding, row_bits = size_t(k) * c;
    const size_t window_words = (layer.inputs + 63) / 64;
    padded_.resize(passes);
    for (size_t p = 0; p < passes; ++p) pad_input(layer, planes_[p].data(), h, w, padded_[p]);
    windows_.assign(passes * window_words + 1, 0);
    conv_bits_.assign(size_t(oh) * ow * o, 0);
    for (uint32_t oy = 0; oy < oh; ++oy)
      for (uint32_t ox = 0; ox < ow; ++ox) {
        std::fill(windows_.begin(), windows_.end(), 0);
        for (size_t p = 0; p < passes; ++p)
          for (uint32_t ky = 0; ky < k; ++ky)
            append_bits(windows_.data() + p * window_words, ky * row_bits, padded_[p].data(),
                        ((size_t(oy) * g.stride + ky) * pw + size_t(ox) * g.stride) * c, row_bits);
        uint8_t* bits = conv_bits_.data() + (size_t(oy) * ow + ox) * o;
        dots(packed, passes, [&](size_t p) { return windows_.data() + p * window_words; });
        for (uint32_t j = 0; j < o; ++j)
          bits[j] = layer.direction[j] > 0 ? acc_[j] >= layer.threshold[j] : acc_[j] <= layer.threshold[j];
      }
    const uint32_t out_h = layer.output_height(), out_w = layer.output_width();
    next_.assign((size_t(out_h) * out_w * o + 63) / 64, 0);
    const uint32_t win = layer.pool.present() ? layer.pool.window : 1,
                   stride = layer.pool.present() ? layer.pool.stride : 1;
    for (uint32_t py = 0; py < out_h; ++py)
      for (uint32_t px = 0; px < out_w; ++px)
        for (uint32_t j = 0; j < o; ++j) {
          bool any = false;
          for (uint32_t wy = 0; wy < win && !any; ++wy)
            for (uint32_t wx = 0; wx < win && !any; ++wx)
              any = conv_bits_[((size_t(py) * stride + wy) * ow + size_t(px) * stride + wx) * o + j] != 0;
          const size_t at = (size_t(py) * out_w + px) * o + j;
          if (any) next_[at / 64] |= uint64_t(1) << (at % 64);
        }
  }

  void dense_hidden(const Layer& layer, const yardstick::PackedLayer& packed, size_t passes) {
    next_.assign((size_t(layer.outputs) + 63) / 64 + 1, 0);
    dots(packed, passes, [&](size_t p) { return planes_[p].data(); });
    for (uint32_t j = 0; j < layer.outputs; ++j)
      if (layer.direction[j] > 0 ? acc_[j] >= layer.threshold[j] : acc_[j] <= layer.threshold[j])
        next_[j / 64] |= uint64_t(1) << (j % 64);
  }

  const Network& net_;
  yardstick::Isa isa_;
  std::vector<yardstick::PackedLayer> packed_;
  std::vector<int32_t> miss_;
  std::vector<int64_t> acc_;
  std::vector<std::vector<uint64_t>> planes_, padded_;
  std::vector<uint64_t> windows_, next_;  // windows_: every pass's window of one position
  std::vector<uint8_t> conv_bits_;
  std::vector<int32_t> scores_;
};

}  // namespace scbnn::bench
