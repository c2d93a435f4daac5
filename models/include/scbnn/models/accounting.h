#pragma once
#include <systemc>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"

namespace scbnn {

// Accounting by registration: every module that counts actions implements CountsActions,
// every module that instantiates hardware implements DescribesHardware, each reporting
// only what it owns. These walkers visit `root` and its descendants (pre-order, in
// construction order) and collect from every object implementing the interface, so a
// new module is counted by being built, with no list to edit.
void collect_actions_below(const sc_core::sc_object& root, ActionLedger& ledger);
void collect_hardware_below(const sc_core::sc_object& root, HardwareInventory& inventory);

// The same over every top-level object of the simulation.
void collect_all_actions(ActionLedger& ledger);
void collect_all_hardware(HardwareInventory& inventory);

}  // namespace scbnn
