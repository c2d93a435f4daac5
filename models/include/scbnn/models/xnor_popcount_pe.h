#pragma once
#include <systemc>

#include <cstdint>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/models/bit_kernels.h"
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
    switch (bits) {  // whole-word tiles keep the input slice in registers across the rows
      case 64: return dot_words<1>(weights, rows, inputs, out);
      case 128: return dot_words<2>(weights, rows, inputs, out);
      case 192: return dot_words<3>(weights, rows, inputs, out);
      case 256: return dot_words<4>(weights, rows, inputs, out);
      default:
        if (bits < 64) return dot_partial_word(weights, rows, inputs[0], bits, out);  // small kernels
        for (uint32_t i = 0; i < rows; ++i) out[i] = pm1_dot(weights.row(i), inputs, bits);
    }
  }

  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  static void dot_partial_word(const SensedRows& weights, uint32_t rows, uint64_t x, uint32_t bits, int32_t* out) {
    const uint64_t mask = tail_mask(bits);
    for (uint32_t i = 0; i < rows; ++i) out[i] = 2 * popcount64(~(weights.row(i)[0] ^ x) & mask) - int32_t(bits);
  }
  template <uint32_t W>
  static void dot_words(const SensedRows& weights, uint32_t rows, const uint64_t* inputs, int32_t* out) {
    uint64_t x[W];
    for (uint32_t k = 0; k < W; ++k) x[k] = inputs[k];
    for (uint32_t i = 0; i < rows; ++i) {
      const uint64_t* w = weights.row(i);
      int32_t agree = 0;
      for (uint32_t k = 0; k < W; ++k) agree += popcount64(~(w[k] ^ x[k]));
      out[i] = 2 * agree - int32_t(64 * W);
    }
  }

  uint32_t width_bits_, depth_;
  LayerCounter bits_;
};

}  // namespace scbnn
