#pragma once
#include <string>
#include <vector>

#include "scbnn/base/component_class.h"

namespace scbnn {

// Every component class known to the power model (docs/power-model.md lists them): its
// own, then those declared by registered variants (base/component_class.h).
std::vector<ComponentClassSpec> component_catalogue();
const ComponentClassSpec* find_component_class(const std::string& name);

}  // namespace scbnn
