#pragma once
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

  const ActionSpec* action(const std::string& action_name) const;
};

// Every component class known to the power model (docs/power-model.md lists them).
const std::vector<ComponentClassSpec>& component_catalogue();
const ComponentClassSpec* find_component_class(const std::string& name);

}  // namespace scbnn
