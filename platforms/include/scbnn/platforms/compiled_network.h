#pragma once
#include <cstdint>
#include <vector>

#include "scbnn/models/bnn_core.h"
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

}  // namespace scbnn
