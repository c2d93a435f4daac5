#include "scbnn/stimuli/evaluate.h"

#include "scbnn/base/errors.h"

namespace scbnn {

std::vector<int64_t> input_values(const Network& net, const uint8_t* pixels) {
  const int64_t full_scale = (int64_t(1) << net.input.bits) - 1;
  std::vector<int64_t> x(net.input.values());
  for (size_t i = 0; i < x.size(); ++i) x[i] = 2 * int64_t(pixels[i]) - full_scale;
  return x;
}

int64_t padding_input(const Network& net, size_t index) {
  const int64_t value = net.layers.at(index).conv.padding_value;
  return index == 0 ? value * ((int64_t(1) << net.input.bits) - 1) : value;
}

std::vector<int64_t> layer_preactivations(const Network& net, size_t index, const std::vector<int64_t>& x) {
  const Layer& l = net.layers.at(index);
  if (x.size() != l.input_values()) throw InputError("layer_preactivations: input size does not match the layer");
  const auto weight = [&](uint32_t neuron, uint32_t column) { return l.weights.get(neuron, column) ? 1 : -1; };
  if (!l.is_conv()) {
    std::vector<int64_t> a(l.outputs, 0);
    for (uint32_t j = 0; j < l.outputs; ++j)
      for (uint32_t i = 0; i < l.inputs; ++i) a[j] += weight(j, i) * x[i];
    return a;
  }
  const ConvGeometry& g = l.conv;
  const int64_t pad = padding_input(net, index);
  const uint32_t oh = g.out_height(), ow = g.out_width();
  std::vector<int64_t> a(size_t(oh) * ow * l.outputs, 0);
  for (uint32_t oy = 0; oy < oh; ++oy)
    for (uint32_t ox = 0; ox < ow; ++ox)
      for (uint32_t j = 0; j < l.outputs; ++j) {
        int64_t sum = 0;
        for (uint32_t ky = 0; ky < g.kernel; ++ky)
          for (uint32_t kx = 0; kx < g.kernel; ++kx) {
            // Position in the unpadded input; outside it the padding value is read.
            const int64_t y = int64_t(oy) * g.stride + ky - g.padding;
            const int64_t xx = int64_t(ox) * g.stride + kx - g.padding;
            const bool inside = y >= 0 && y < g.in_height && xx >= 0 && xx < g.in_width;
            for (uint32_t c = 0; c < g.in_channels; ++c) {
              const int64_t v = inside ? x[(size_t(y) * g.in_width + size_t(xx)) * g.in_channels + c] : pad;
              sum += weight(j, (ky * g.kernel + kx) * g.in_channels + c) * v;
            }
          }
        a[(size_t(oy) * ow + ox) * l.outputs + j] = sum;
      }
  return a;
}

std::vector<int64_t> hidden_layer_outputs(const Network& net, size_t index, const std::vector<int64_t>& x) {
  const Layer& l = net.layers.at(index);
  if (index + 1 >= net.layers.size()) throw InputError("hidden_layer_outputs: the output layer has no threshold");
  const std::vector<int64_t> a = layer_preactivations(net, index, x);
  std::vector<int64_t> bits(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const uint32_t j = uint32_t(i % l.outputs);
    const bool fires = l.direction[j] > 0 ? a[i] >= l.threshold[j] : a[i] <= l.threshold[j];
    bits[i] = fires ? 1 : -1;
  }
  if (!l.is_conv() || !l.pool.present()) return bits;
  const uint32_t ow = l.conv.out_width(), ph = l.output_height(), pw = l.output_width();
  std::vector<int64_t> pooled(size_t(ph) * pw * l.outputs, -1);
  for (uint32_t py = 0; py < ph; ++py)
    for (uint32_t px = 0; px < pw; ++px)
      for (uint32_t j = 0; j < l.outputs; ++j)
        for (uint32_t wy = 0; wy < l.pool.window; ++wy)
          for (uint32_t wx = 0; wx < l.pool.window; ++wx) {
            const size_t y = size_t(py) * l.pool.stride + wy, xx = size_t(px) * l.pool.stride + wx;
            if (bits[(y * ow + xx) * l.outputs + j] > 0) pooled[(size_t(py) * pw + px) * l.outputs + j] = 1;
          }
  return pooled;
}

std::vector<int32_t> integer_scores(const Network& net, const uint8_t* pixels) {
  std::vector<int64_t> x = input_values(net, pixels);
  for (size_t i = 0; i + 1 < net.layers.size(); ++i) x = hidden_layer_outputs(net, i, x);
  const Layer& out = net.layers.back();
  const std::vector<int64_t> a = layer_preactivations(net, net.layers.size() - 1, x);
  std::vector<int32_t> scores(out.outputs);
  for (uint32_t j = 0; j < out.outputs; ++j) scores[j] = int32_t(a[j] * out.scale[j] + out.offset[j]);
  return scores;
}

uint32_t predicted_class(const std::vector<int32_t>& scores) {
  uint32_t best = 0;
  for (uint32_t c = 1; c < scores.size(); ++c)
    if (scores[c] > scores[best]) best = c;
  return best;
}

}  // namespace scbnn
