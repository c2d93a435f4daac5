#include "scbnn/platforms/compiled_network.h"

#include "scbnn/models/stochastic_scaling.h"

namespace scbnn {

std::vector<LayerShape> layer_program(const Network& net) {
  std::vector<LayerShape> shapes;
  for (const auto& l : net.layers) shapes.push_back(l);
  return shapes;
}

CompiledNetwork compile_network(const Network& net, const ArrayGeometry& geometry, FirstLayerMode mode,
                                uint32_t stream_length) {
  CompiledNetwork c;
  c.program = layer_program(net);
  c.mapping = map_dense_layers(c.program, geometry);
  c.samples_per_decision =
      mode == FirstLayerMode::fixed ? 1 : samples_per_decision(mode == FirstLayerMode::stochastic_sum, stream_length);
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    // Layer 0's parameters are in the fixed-point domain: stochastic inputs rescale them.
    const bool rescale = l == 0 && mode != FirstLayerMode::fixed;
    std::vector<int32_t> entries;
    if (l + 1 == net.layers.size()) {
      const std::vector<int32_t> offsets =
          rescale ? stochastic_offsets(layer.offset, c.samples_per_decision) : layer.offset;
      for (uint32_t j = 0; j < layer.outputs; ++j) entries.insert(entries.end(), {layer.scale[j], offsets[j]});
    } else {
      const std::vector<int32_t> thresholds =
          rescale ? stochastic_thresholds(layer.threshold, layer.direction, c.samples_per_decision) : layer.threshold;
      for (uint32_t j = 0; j < layer.outputs; ++j) entries.insert(entries.end(), {thresholds[j], layer.direction[j]});
    }
    c.parameters.push_back(std::move(entries));
  }
  return c;
}

static_assert(RequantUnit::kShift == kRequantShift, "the MAC array's requantisers shift as the network format says");

CompiledQuantisedNetwork compile_quantised_network(const Network& net) {
  CompiledQuantisedNetwork c;
  c.program.layers = layer_program(net);
  for (LayerShape& s : c.program.layers)
    if (s.is_conv()) s.conv.padding_value = 0;
  c.program.weight_bases = mac_weight_layout(c.program.layers);
  c.program.weight_bits = net.quant.weight_bits;
  c.program.activation_bits = net.quant.activation_bits;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    const bool output = l + 1 == net.layers.size();
    std::vector<int32_t> words;
    for (uint32_t j = 0; j < layer.outputs; ++j) {
      if (output) {
        words.insert(words.end(), {layer.scale[j], layer.offset[j], 0, 0});
      } else {
        const uint64_t bias = uint64_t(layer.bias[j]);
        words.insert(words.end(), {layer.multiplier[j], 0, int32_t(uint32_t(bias)), int32_t(uint32_t(bias >> 32))});
      }
    }
    c.parameters.push_back(std::move(words));
  }
  return c;
}

}  // namespace scbnn
