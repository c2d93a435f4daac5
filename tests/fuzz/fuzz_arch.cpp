// Fuzz target: architecture descriptions. An input starting with "layers" is an --arch-file
// YAML text, anything else an --arch string; what parses must print back to itself, and its
// shapes on a 28 x 28 image are checked (and small ones built as untrained networks).
#include <cstddef>
#include <cstdint>
#include <string>

#include "scbnn/base/errors.h"
#include "scbnn/stimuli/arch.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const scbnn::Architecture arch = text.compare(0, 6, "layers") == 0
                                         ? scbnn::parse_architecture_yaml(text, "fuzz.yaml")
                                         : scbnn::parse_architecture(text, "fuzz");
    if (scbnn::to_string(scbnn::parse_architecture(scbnn::to_string(arch))) != scbnn::to_string(arch)) __builtin_trap();
    scbnn::InputSpec in;
    const auto shapes = scbnn::layer_shapes(arch, in);
    uint64_t weights = 0;
    for (const auto& s : shapes) weights += uint64_t(s.inputs) * s.outputs;
    if (weights < (uint64_t(1) << 20)) scbnn::untrained_network(arch, in, 1);
  } catch (const scbnn::InputError&) {
  }
  return 0;
}
