#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scbnn/base/component_names.h"
#include "scbnn/base/layer_counter.h"

namespace scbnn {

// The energy of one action when the model's device parameters fix it (an MRAM cell's read
// current: I_read^2 (R_P + R_AP) t), in fJ, and the formula with the parameters that give
// it. Only for actions the catalogue declares device-derived (ActionSpec::energy_parameter);
// power/ prices them with it and refuses a table entry for them.
struct DeviceEnergy {
  double fj = 0;
  std::string source = {};
};

// What a component did, by named action. Models count actions; power/ prices them. An
// action counted with a plain integer lands "outside" any layer; models count with a
// LayerCounter (layer_counter.h) to attribute it to the layers.
struct ActionCount {
  std::string component;        // hierarchical instance name, e.g. "accel.core.array_3"
  std::string component_class;  // e.g. "weight_array"
  std::string action;           // e.g. "row_read"
  uint64_t count = 0;
  LayerCounts by_layer = {};        // the same count by the layer during which it happened (total = count)
  DeviceEnergy device_energy = {};  // a device-derived action's energy per count (else unused)
};

class ActionLedger {
 public:
  void add(const std::string& component, const std::string& component_class, const std::string& action,
           uint64_t count) {
    entries_.push_back({component, component_class, action, count, {count, {}}});
  }
  // An action counted per layer (LayerCounter::by_layer); its total is the count.
  void add(const std::string& component, const std::string& component_class, const std::string& action,
           LayerCounts by_layer) {
    const uint64_t count = by_layer.total();
    entries_.push_back({component, component_class, action, count, std::move(by_layer)});
  }
  // A device-derived action (ActionSpec::energy_parameter): its counts and the energy of one.
  void add(const std::string& component, const std::string& component_class, const std::string& action,
           LayerCounts by_layer, DeviceEnergy energy) {
    const uint64_t count = by_layer.total();
    entries_.push_back({component, component_class, action, count, std::move(by_layer), std::move(energy)});
  }
  const std::vector<ActionCount>& entries() const { return entries_; }

 private:
  std::vector<ActionCount> entries_;
};

// Implemented by every model that counts actions.
class CountsActions {
 public:
  virtual ~CountsActions() = default;
  virtual void collect_actions(ActionLedger& ledger) const = 0;
};

}  // namespace scbnn
