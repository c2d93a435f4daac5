#include "scbnn/models/accounting.h"

namespace scbnn {
namespace {

template <typename Visit>
void visit_below(const sc_core::sc_object& object, const Visit& visit) {
  visit(object);
  for (const sc_core::sc_object* child : object.get_child_objects()) visit_below(*child, visit);
}

template <typename Visit>
void visit_all(const Visit& visit) {
  for (const sc_core::sc_object* top : sc_core::sc_get_top_level_objects()) visit_below(*top, visit);
}

auto action_collector(ActionLedger& ledger) {
  return [&ledger](const sc_core::sc_object& o) {
    if (const auto* counts = dynamic_cast<const CountsActions*>(&o)) counts->collect_actions(ledger);
  };
}

auto hardware_collector(HardwareInventory& inventory) {
  return [&inventory](const sc_core::sc_object& o) {
    if (const auto* hardware = dynamic_cast<const DescribesHardware*>(&o)) hardware->collect_hardware(inventory);
  };
}

}  // namespace

void collect_actions_below(const sc_core::sc_object& root, ActionLedger& ledger) {
  visit_below(root, action_collector(ledger));
}

void collect_hardware_below(const sc_core::sc_object& root, HardwareInventory& inventory) {
  visit_below(root, hardware_collector(inventory));
}

void collect_all_actions(ActionLedger& ledger) { visit_all(action_collector(ledger)); }

void collect_all_hardware(HardwareInventory& inventory) { visit_all(hardware_collector(inventory)); }

}  // namespace scbnn
