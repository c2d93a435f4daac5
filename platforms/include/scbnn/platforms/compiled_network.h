#pragma once
#include <cstdint>
#include <vector>

#include "scbnn/models/bnn_core.h"
#include "scbnn/models/mac_core.h"
#include "scbnn/models/tiling.h"
#include "scbnn/stimuli/network.h"

namespace scbnn {

// The network as the accelerator holds it, compiled once for an array geometry and a
// first-layer mode: the layer program (LAYERn_* registers), the tile placement the
// sequencer uses (which array holds which weights), and the parameter memory's entries,
// two 32-bit words per neuron: (threshold, direction) for a hidden layer, (scale, offset)
// for the output layer, layer 0's rescaled for stochastic inputs (stochastic_scaling.h).
struct CompiledNetwork {
  std::vector<LayerShape> program;
  Mapping mapping;
  std::vector<std::vector<int32_t>> parameters;  // per layer
  uint32_t samples_per_decision = 1;
};

std::vector<LayerShape> layer_program(const Network& net);

// Throws std::invalid_argument (from the tiling) when the arrays cannot hold the layers.
CompiledNetwork compile_network(const Network& net, const ArrayGeometry& geometry, FirstLayerMode mode,
                                uint32_t stream_length);

// A quantised network as the MAC-array accelerator holds it: the program (layer shapes with
// zero padding, each layer's weights at mac_weight_layout's offset, the precision: the
// LAYERn_* and QUANT_BITS registers) and the parameter memory's 16 bytes a neuron, four
// 32-bit words: hidden layer (multiplier, 0, bias low, bias high), output layer (scale,
// offset, 0, 0) (docs/registers.md, "MAC-array accelerator").
struct CompiledQuantisedNetwork {
  MacProgram program;
  std::vector<std::vector<int32_t>> parameters;  // per layer
};
CompiledQuantisedNetwork compile_quantised_network(const Network& net);

}  // namespace scbnn
