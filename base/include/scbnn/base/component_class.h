#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace scbnn {

// How a counted action is priced:
//  per_event   count x energy per action (table unit: an energy, e.g. fJ)
//  per_charge  count is charge in fC delivered at the table's voltage (unit: V), so
//              energy = count x 1 fC x V; used for MTJ write pulses, whose energy is
//              V x I x t with I and t those of each pulse (background.md, [std])
enum class Pricing { per_event, per_charge };

// When the energy is spent: once per network load, or in every inference.
enum class Phase { programming, inference };

struct ActionSpec {
  std::string name;
  Pricing pricing = Pricing::per_event;
  Phase phase = Phase::inference;
  std::string meaning;
  // Non-empty: the energy of one action follows from these device parameters (the model
  // gives it with its counts, ActionCount::device_energy), and a table entry is refused.
  std::string energy_parameter = {};
  // Non-empty: priced by the table entry of this other action of the same class (the same
  // physical event in another phase, e.g. a write-verify read priced as an inference read),
  // and a table entry of its own is refused.
  std::string priced_as = {};
  bool derived() const { return !energy_parameter.empty() || !priced_as.empty(); }
};

// A component class the models instantiate and count actions for: the unit its area and
// leakage scale with, and the actions it can perform.
struct ComponentClassSpec {
  std::string name;
  std::string basis;  // what one unit of quantity is: "cell", "input_bit", "bit", "instance", ...
  std::string meaning;
  std::vector<ActionSpec> actions;
  // Non-empty: the instantiated hardware fixes the area of one unit through this device
  // parameter (HardwareItem::device_area, in F^2), and a table area entry is refused.
  std::string area_parameter = {};

  const ActionSpec* action(const std::string& action_name) const {
    for (const auto& a : actions)
      if (a.name == action_name) return &a;
    return nullptr;
  }
};

// Component classes declared by registered variants (an SNG source kind declares the class
// its sources are priced as), by name. The power model's catalogue lists them after its
// own classes, so a variant brings its catalogue entry with it and a preset prices it.
inline std::map<std::string, ComponentClassSpec>& declared_component_classes() {
  static std::map<std::string, ComponentClassSpec> classes;
  return classes;
}

// Declares `spec`; declaring one name twice with different contents is a programming error.
inline void declare_component_class(const ComponentClassSpec& spec) {
  const auto [it, added] = declared_component_classes().emplace(spec.name, spec);
  if (!added && (it->second.basis != spec.basis || it->second.meaning != spec.meaning))
    throw std::logic_error("component class '" + spec.name + "' is declared twice with different contents");
}

}  // namespace scbnn
