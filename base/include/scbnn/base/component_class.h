#pragma once
#include <cstddef>
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

// Which stage of the datapath an action's energy belongs to (the report's energy by
// stage, docs/power-model.md): loading the network, or one of the inference stages.
//  sng        stochastic number generation (random sources, comparators)
//  array      fetch and array: input slices out of the buffers, row reads and bit senses,
//             PCSA decisions, XNOR/popcount, accumulation of the partial sums
//  reduce     partial-sum file, threshold compare, parameter reads, output scoring
//  writeback  activation writes, argmax
//  control    controller cycles and register accesses
enum class Stage { programming, sng, array, reduce, writeback, control };
inline constexpr size_t kStageCount = 6;
inline const char* stage_name(Stage s) {
  static const char* const names[kStageCount] = {"programming", "sng", "array", "reduce", "writeback", "control"};
  return names[size_t(s)];
}
// The inference stages, in datapath order (programming is reported apart).
inline const std::vector<Stage>& inference_stages() {
  static const std::vector<Stage> stages = {Stage::sng, Stage::array, Stage::reduce, Stage::writeback, Stage::control};
  return stages;
}

// The stage whose leakage a cycle-ledger phase's time counts towards (the cores' phases,
// BnnCore's and MacCore's;
// a registered datapath that adds a phase of its own declares it with
// declare_cycle_phase_stage next to its registration). Unknown: nullptr.
inline std::map<std::string, Stage>& cycle_phase_stages() {
  static std::map<std::string, Stage> stages = {
      {"sng", Stage::sng},        {"fetch", Stage::array},         {"compute", Stage::array},
      {"reduce", Stage::reduce},  {"writeback", Stage::writeback}, {"argmax", Stage::writeback},
      {"vote", Stage::writeback}, {"requant", Stage::reduce}};
  return stages;
}
inline void declare_cycle_phase_stage(const std::string& phase, Stage stage) {
  const auto [it, added] = cycle_phase_stages().emplace(phase, stage);
  if (!added && it->second != stage) throw std::logic_error("cycle phase '" + phase + "' is declared with two stages");
}
inline const Stage* stage_of_cycle_phase(const std::string& phase) {
  const auto it = cycle_phase_stages().find(phase);
  return it == cycle_phase_stages().end() ? nullptr : &it->second;
}

struct ActionSpec {
  std::string name;
  Pricing pricing = Pricing::per_event;
  Stage stage = Stage::array;  // brace-initialised specs always name it (catalogue.cpp, SNG source kinds)
  std::string meaning;
  // Non-empty: the energy of one action follows from these device parameters (the model
  // gives it with its counts, ActionCount::device_energy), and a table entry is refused.
  std::string energy_parameter = {};
  // Non-empty: priced by the table entry of this other action of the same class (the same
  // physical event in another phase, e.g. a write-verify read priced as an inference read),
  // and a table entry of its own is refused.
  std::string priced_as = {};
  bool derived() const { return !energy_parameter.empty() || !priced_as.empty(); }

  Phase phase() const { return stage == Stage::programming ? Phase::programming : Phase::inference; }
};

// How a component class's area rolls up (docs/power-model.md, "Area"):
//  logic            standard cells, placed and routed: area / the preset's logic_utilisation
//  array_cell       weight-array cells: the array macro is cell area / the preset's array_efficiency
//  array_periphery  per-row, per-column and sense-amplifier circuits inside the array macro
//                   (counted in the macro that array_efficiency gives, not added to it)
//  memory_macro     an SRAM macro whose table area already includes its own periphery
enum class AreaRole { logic, array_cell, array_periphery, memory_macro };
inline const char* area_role_name(AreaRole r) {
  switch (r) {
    case AreaRole::logic: return "logic";
    case AreaRole::array_cell: return "array_cell";
    case AreaRole::array_periphery: return "array_periphery";
    case AreaRole::memory_macro: return "memory_macro";
  }
  return "";
}

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
  AreaRole area_role = AreaRole::logic;

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
