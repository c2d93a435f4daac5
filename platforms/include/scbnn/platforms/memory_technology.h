#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scbnn/base/component_class.h"
#include "scbnn/base/registry.h"
#include "scbnn/models/bnn_core.h"

namespace scbnn {

struct PlatformParams;
class AcceleratorModel;

// A memory technology of the weight arrays (accel.memory.technology): registered by its
// own file in platforms/src/memory_technologies/ with a MemoryTechnologyRegistrar. The
// technology's cell kinds and error modes are its own parameters (ST-MRAM: accel.mram.*);
// its arrays name the component classes the presets price.
struct MemoryTechnology {
  std::string description;  // one line for the docs
  std::string reference;
  // The factory of the platform's weight arrays for `params`.
  std::function<WeightArrayFactory(const PlatformParams& params)> arrays;
  // Component classes its arrays count under that the power model's own catalogue does not
  // list (declared when the technology registers, so a preset must price them).
  std::vector<ComponentClassSpec> component_classes = {};
  // The report's `memory` section: the model in force and what its laws give (empty: the
  // report's ST-MRAM section, tools/src/report.cpp).
  std::function<nlohmann::ordered_json(const PlatformParams& params, const AcceleratorModel& accel)> report = {};
};

const Registry<MemoryTechnology>& memory_technology_registry();
std::vector<std::string> memory_technology_names();
// The technology called `name`; InputError naming accel.memory.technology otherwise.
const MemoryTechnology& memory_technology(const std::string& name);

struct MemoryTechnologyRegistrar {
  MemoryTechnologyRegistrar(const std::string& name, MemoryTechnology technology);
};

}  // namespace scbnn
