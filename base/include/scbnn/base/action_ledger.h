#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scbnn/base/component_names.h"
#include "scbnn/base/layer_counter.h"

namespace scbnn {

// What a component did, by named action. Models count actions; power/ prices them. An
// action counted with a plain integer lands "outside" any layer; models count with a
// LayerCounter (layer_counter.h) to attribute it to the layers.
struct ActionCount {
  std::string component;        // hierarchical instance name, e.g. "accel.core.array_3"
  std::string component_class;  // e.g. "weight_array"
  std::string action;           // e.g. "row_read"
  uint64_t count = 0;
  LayerCounts by_layer = {};  // the same count by the layer during which it happened (total = count)
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
