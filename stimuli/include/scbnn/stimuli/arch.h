#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "scbnn/base/layer_shape.h"
#include "scbnn/stimuli/network.h"

namespace scbnn {

// A network architecture before training: the weighted layers with their geometry, but no
// input size (that comes from the data set) and no weights. docs/training.md gives the
// syntax of the --arch string ("conv32k3p1,pool2,conv64k3p1,pool2,dense256,dense10") and
// of the YAML file.
struct ArchLayer {
  LayerType type = LayerType::dense;
  uint32_t outputs = 0;  // dense: neurons; conv2d: output channels
  uint32_t kernel = 0, stride = 1, padding = 0;
  int32_t padding_value = -1;
  PoolGeometry pool;  // conv2d only: the max-pool fused after it
};

struct Architecture {
  std::vector<ArchLayer> layers;  // weighted layers, first layer first; the last is dense
  uint32_t classes() const { return layers.empty() ? 0 : layers.back().outputs; }
};

// Parses the --arch string; errors name `where`, the item (1-based) and its text.
Architecture parse_architecture(const std::string& text, const std::string& where = "--arch");
// Reads an architecture YAML file (a `layers:` list); errors name the file and line.
Architecture load_architecture_file(const std::string& path);
Architecture parse_architecture_yaml(const std::string& text, const std::string& where);
// The MLP shorthand: dense hidden layers then a dense output layer of `classes` neurons.
Architecture mlp_architecture(const std::vector<uint32_t>& hidden, uint32_t classes);
// Canonical --arch string; parse_architecture(to_string(a)) gives `a` back.
std::string to_string(const Architecture& arch);

// The layer shapes of `arch` on inputs of `input`'s shape (rows x cols x channels),
// checked as the network file's reader checks them; errors name the item.
std::vector<LayerShape> layer_shapes(const Architecture& arch, const InputSpec& input,
                                     const std::string& where = "architecture");

// A valid network of this architecture with random weights and thresholds near the middle of
// each neuron's range (about half the neurons fire), for cycle, energy and area runs of networks
// nobody trained (e.g. a CIFAR-10 VGG). Its provenance says "untrained" and has no accuracy.
Network untrained_network(const Architecture& arch, const InputSpec& input, uint64_t seed);

}  // namespace scbnn
