#pragma once
// A priced run as Accelergy sees it (power/accelergy.h; docs/power-model.md, "Accelergy
// export"): built from the PowerReport by accelergy_model.cpp, written by accelergy.cpp.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scbnn/power/energy_model.h"

namespace scbnn::accelergy_export {

using Arguments = std::vector<std::pair<std::string, double>>;

// One action of an Accelergy component: its ERT row and its count.
struct Action {
  std::string name;
  Arguments arguments;     // the carried actions per action (a write's pulses and charge)
  double energy_pj = 0;    // per action; leak: per cycle of one instance
  uint64_t events = 0;     // the count of any action but leak, summed over the instances
  double leak_cycles = 0;  // the count of leak: simulated cycles x instances
  bool is_leak() const { return name == "leak"; }
  double counts() const { return is_leak() ? leak_cycles : double(events); }
};

// One scbnn (component, class) pair: a primitive component, in the architecture or inside
// a compound one.
struct Part {
  std::string name;  // its name there (last segment, or the compound's subcomponent)
  std::string cls, basis;
  double n_instances = 1;       // the quantity in basis units (1 when it has no hardware)
  double area_um2 = 0;          // one instance (all n_instances units)
  double leak_pj = 0;           // per cycle, one instance
  int price_set = 0;            // > 0 when its class has more than one set of unit prices
  std::string role;             // area roll-up parts: which addition
  std::string scbnn;            // the scbnn component name(s), a list as name_{0..N-1}
  std::vector<Action> actions;  // leak last
};

// One entry of the architecture, the ERT, the ART and the action counts.
struct Component {
  std::string name;        // system.….x[0..N-1]
  std::string local;       // its name in its container: x[0..N-1]
  uint64_t instances = 1;  // the instances its name lists (product of its ranges)
  std::string cls;         // primitive class, or compound class when `compound`
  bool compound = false;
  std::vector<Part> parts;      // primitive: itself; compound: its subcomponents
  std::vector<Action> actions;  // the ERT rows with their counts, leak last
  double area_um2 = 0;          // one instance
};

struct CompoundClass {
  struct Sub {
    std::string name, cls, basis;
    std::string size_attribute;  // the class attribute giving its n_instances
    bool price_set = false;      // has a <name>_price_set attribute
  };
  struct ActionDef {
    std::string name, sub, sub_action;
  };
  std::string name;
  std::vector<Sub> subs;
  std::vector<ActionDef> actions;  // leak (every subcomponent's) not included
};

// The per-unit prices of one primitive class, for the table-based plug-in.
struct ClassTable {
  struct Row {
    std::vector<std::string> keys;  // values of key_columns
    std::string action;
    Arguments arguments;   // values of argument_columns (absent: empty cell)
    double energy_pj = 0;  // per action; leak: per unit and cycle
    double area_um2 = 0;   // per unit
  };
  std::string cls;
  std::vector<std::string> key_columns;  // after technology: role, price_set
  std::vector<std::string> argument_columns;
  std::vector<Row> rows;
};

// The architecture's tree: containers (subtree) holding components (local).
struct ArchNode {
  std::string name;
  std::vector<size_t> locals;  // indices into Model::components
  std::vector<ArchNode> subtree;
};

struct Model {
  std::string technology;  // "28nm"
  double cycle_seconds = 0;
  std::string preset;
  ArchNode system;
  std::vector<Component> components;  // in the architecture's order
  std::vector<CompoundClass> classes;
  std::vector<std::pair<std::string, std::string>> class_actions;  // class -> scbnn_actions text
  std::vector<ClassTable> tables;
};

Model build_model(const PowerReport& report);

// "a=b, c=d+e": which scbnn actions each Accelergy action of `cls` stands for.
const std::string& scbnn_actions_of(const Model& model, const std::string& cls);

}  // namespace scbnn::accelergy_export
