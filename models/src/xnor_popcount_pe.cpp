#include "scbnn/models/xnor_popcount_pe.h"

namespace scbnn {

XnorPopcountPe::XnorPopcountPe(sc_core::sc_module_name name, uint32_t width_bits)
    : sc_core::sc_module(name), width_bits_(width_bits), depth_(std::max(1u, ceil_log2(width_bits))) {}

void XnorPopcountPe::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), component_class::kXnorPopcount, action::kPopcountBit, bits_.by_layer());
}

void XnorPopcountPe::collect_hardware(HardwareInventory& inventory) const {
  inventory.add(name(), component_class::kXnorPopcount, "input_bit", width_bits_,
                std::to_string(width_bits_) + "-input tree");
}

}  // namespace scbnn
