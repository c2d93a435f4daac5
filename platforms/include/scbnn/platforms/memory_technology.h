#pragma once
#include <functional>
#include <string>
#include <vector>

#include "scbnn/base/registry.h"
#include "scbnn/models/bnn_core.h"

namespace scbnn {

struct PlatformParams;

// A memory technology of the weight arrays (accel.memory.technology): registered by its
// own file in platforms/src/memory_technologies/ with a MemoryTechnologyRegistrar. The
// technology's cell kinds and error modes are its own parameters (ST-MRAM: accel.mram.*);
// its arrays name the component classes the presets price.
struct MemoryTechnology {
  std::string description;  // one line for the docs
  std::string reference;
  // The factory of the platform's weight arrays for `params`.
  std::function<WeightArrayFactory(const PlatformParams& params)> arrays;
};

const Registry<MemoryTechnology>& memory_technology_registry();
std::vector<std::string> memory_technology_names();
// The technology called `name`; InputError naming accel.memory.technology otherwise.
const MemoryTechnology& memory_technology(const std::string& name);

struct MemoryTechnologyRegistrar {
  MemoryTechnologyRegistrar(const std::string& name, MemoryTechnology technology);
};

}  // namespace scbnn
