#pragma once
#include <systemc>

#include <cstdint>

#include "scbnn/models/action_ledger.h"
#include "scbnn/models/bit_kernels.h"
#include "scbnn/models/hardware_inventory.h"

namespace scbnn {

// Word-parallel XNOR + popcount tree of `width_bits` inputs per beat, pipelined with
// depth ceil(log2(width_bits)) adder stages.
class XnorPopcountPe : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  XnorPopcountPe(sc_core::sc_module_name name, uint32_t width_bits);
  XnorPopcountPe(const XnorPopcountPe&) = delete;
  XnorPopcountPe& operator=(const XnorPopcountPe&) = delete;

  uint32_t width_bits() const { return width_bits_; }
  uint32_t pipeline_depth() const { return depth_; }
  uint32_t beats(uint32_t bits) const { return (bits + width_bits_ - 1) / width_bits_; }

  // +-1 dot product of `bits` weights and inputs.
  int32_t dot(const uint64_t* weights, const uint64_t* inputs, uint32_t bits) {
    bits_ += bits;
    return pm1_dot(weights, inputs, bits);
  }

  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  uint32_t width_bits_, depth_;
  uint64_t bits_ = 0;
};

}  // namespace scbnn
