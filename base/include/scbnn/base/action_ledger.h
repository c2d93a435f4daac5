#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "scbnn/base/component_names.h"

namespace scbnn {

// What a component did, by named action. Models count actions; power/ prices them.
struct ActionCount {
  std::string component;        // hierarchical instance name, e.g. "accel.core.array_3"
  std::string component_class;  // e.g. "weight_array"
  std::string action;           // e.g. "row_read"
  uint64_t count = 0;
};

class ActionLedger {
 public:
  void add(const std::string& component, const std::string& component_class, const std::string& action,
           uint64_t count) {
    entries_.push_back({component, component_class, action, count});
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
