#pragma once
// Loads a compiled network straight into a core's memories, as a loader would (tests that
// drive BnnCore without a bus face).
#include "scbnn/models/bnn_core.h"
#include "scbnn/platforms/compiled_network.h"
#include "scbnn/stimuli/network.h"

namespace scbnn::test {

// A core small enough for hand-made networks: five 32 x 64 arrays, 64-bit PEs and buffer ports.
inline CoreParams small_core() {
  CoreParams p;
  p.array = {32, 64, 5};
  p.pe_width_bits = 64;
  p.buffer_port_bits = 64;
  return p;
}

inline void load(BnnCore& core, const Network& net, const CompiledNetwork& compiled) {
  for (size_t l = 0; l < net.layers.size(); ++l)
    for (const Tile& t : compiled.mapping.layers[l].tiles)
      for (uint32_t r = 0; r < t.outputs; ++r) {
        const uint64_t* src = net.layers[l].weights.row(t.first_output + r) + t.first_input / 64;
        for (uint32_t w = 0; w < (t.inputs + 63) / 64; ++w)
          core.program_weight(t.array, r, w, src[w], ~uint64_t(0), {});
      }
  uint32_t base = 0;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const std::vector<int32_t>& e = compiled.parameters[l];
    core.param_memory.write(base * 8, reinterpret_cast<const uint8_t*>(e.data()), uint32_t(e.size() * 4), nullptr, 0,
                            false);
    base += net.layers[l].outputs;
  }
}

}  // namespace scbnn::test
