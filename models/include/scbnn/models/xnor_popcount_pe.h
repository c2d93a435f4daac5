#pragma once
#include <systemc>

#include <cstdint>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/models/bit_kernels.h"
#include "scbnn/models/row_kernels.h"
#include "scbnn/models/weight_array.h"

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

  // +-1 dot products of `rows` weight rows (one tile) with `bits` inputs: out[i] for row i.
  void dot_rows(const SensedRows& weights, uint32_t rows, const uint64_t* inputs, uint32_t bits, int32_t* out) {
    bits_.add(uint64_t(rows) * bits);
    dot_(weights.data, weights.stride, rows, inputs, bits, out);
  }

  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  uint32_t width_bits_, depth_;
  LayerCounter bits_;
  DotRowsFn dot_ = row_kernels().dot_rows;  // the instruction set chosen for this process
};

}  // namespace scbnn
