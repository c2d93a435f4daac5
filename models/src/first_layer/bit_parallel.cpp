// The bit-parallel fixed-point first layer (accel.fixed.organisation = bit_parallel): one
// copy of every first-layer array per bit-plane (copy p holds the same weights and has its
// own sense amplifiers, XNOR/popcount PE and write errors; pass p senses copy p), all
// passes at the same time, the P partial sums of each row combined by a shift-add tree of
// ceil(log2 P) levels per array. Layer 0 takes one pass's time plus the tree's levels, at
// the price of P - 1 more copies of its arrays (the last arrays of the pool, written by
// broadcast with their original).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "fixed_point.h"
#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/models/bit_kernels.h"
#include "scbnn/models/bnn_core.h"
#include "scbnn/models/first_layer.h"
#include "scbnn/models/weight_array.h"
#include "scbnn/models/xnor_popcount_pe.h"

namespace scbnn {
namespace {

constexpr const char* kShiftAddTree = "shift_add_tree";

// Signed width of sum_{b < m} 2^b v_b for |v_b| <= k (the partial sums of k-input rows).
uint32_t shift_add_width(uint64_t k, uint32_t m) { return ceil_log2(k * ((uint64_t(1) << m) - 1) + 1) + 1; }

// Full-adder bits of a binary shift-add tree over `planes` partial sums of k-input rows:
// a node over m planes adds its upper half (shifted by the lower half's m_lo planes) to its
// lower half; the lower half's m_lo low bits pass through, so it needs
// shift_add_width(k, m) - m_lo full adders.
uint32_t shift_add_bits(uint64_t k, uint32_t planes) {
  if (planes <= 1) return 0;
  const uint32_t low = (planes + 1) / 2;
  return shift_add_bits(k, low) + shift_add_bits(k, planes - low) + shift_add_width(k, planes) - low;
}

// The shift-add tree of one first-layer array: per row, the P copies' partial sums in, one
// sum out (every full adder evaluates once per row).
class ShiftAddTree : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  ShiftAddTree(sc_core::sc_module_name name, uint32_t planes, uint32_t columns)
      : sc_core::sc_module(name),
        planes_(planes),
        partial_bits_(shift_add_width(columns, 1)),
        adder_bits_(shift_add_bits(columns, planes)) {}
  uint32_t adder_bits() const { return adder_bits_; }
  void count_rows(uint64_t rows) { rows_.add(rows); }
  void collect_actions(ActionLedger& ledger) const override {
    ledger.add(name(), kShiftAddTree, action::kAddBit, rows_.by_layer(adder_bits_));
  }
  void collect_hardware(HardwareInventory& inventory) const override {
    inventory.add(name(), kShiftAddTree, "bit", adder_bits_,
                  std::to_string(planes_) + " partial sums of " + std::to_string(partial_bits_) + " bits, " +
                      std::to_string(planes_ - 1) + " adders, " + std::to_string(adder_bits_) + " full-adder bits");
  }

 private:
  uint32_t planes_, partial_bits_, adder_bits_;
  LayerCounter rows_;
};

class BitParallel : public FixedPointPlanes {
 public:
  explicit BitParallel(const CoreParams& p) : FixedPointPlanes(p.input_bits) {
    for (uint32_t a = 0; a < p.fixed.first_layer_arrays; ++a)
      trees_.push_back(std::make_unique<ShiftAddTree>(("shift_add_tree_" + std::to_string(a)).c_str(), p.input_bits,
                                                      p.array.columns));
  }
  bool fuses_passes() const override { return true; }
  void fused_tile(const FusedTile& f, int32_t* sums) override {
    const Tile& t = *f.tile;
    const uint32_t words = (t.inputs + 63) / 64;
    std::fill(sums, sums + t.outputs, 0);
    partials_.resize(t.outputs);
    for (uint32_t p = 0; p < input_bits_; ++p) {  // the copies work at the same time
      const uint32_t copy = f.mapping->copy_array(t, p);
      WeightArray& array = *(*f.arrays)[copy];
      (*f.pes)[copy]->dot_rows(array.sense_rows(0, t.outputs, words), t.outputs, f.inputs[p], t.inputs,
                               partials_.data());
      const int32_t weight = int32_t(1) << pass_shift(p);
      for (uint32_t r = 0; r < t.outputs; ++r) sums[r] += partials_[r] * weight;
    }
    trees_.at(t.array)->count_rows(t.outputs);
  }
  uint32_t fused_depth(uint32_t pe_depth) const override { return pe_depth + ceil_log2(input_bits_); }

 private:
  std::vector<std::unique_ptr<ShiftAddTree>> trees_;
  std::vector<int32_t> partials_;
};

FixedOrganisationRegistrar registrar(
    "bit_parallel",
    {"one copy of each first-layer array per bit-plane (accel.fixed.first_layer_arrays x accel.input_bits arrays), "
     "all bit-planes at once, a shift-add tree per array: one pass's time",
     {{kShiftAddTree,
       "bit",
       "shift-add tree combining a bit-parallel first layer's bit-plane partial sums, per full-adder bit",
       {{action::kAddBit, Pricing::per_event, Stage::array, "one full-adder bit evaluated (a row: every bit)"}}}},
     [](const CoreParams& p) {
       return FirstLayerPlacement{p.fixed.first_layer_arrays, p.input_bits, "accel.fixed.first_layer_arrays"};
     },
     [](const CoreParams& p) { return std::make_unique<BitParallel>(p); }});

}  // namespace

SCBNN_LINK_ANCHOR(first_layer, bit_parallel)

}  // namespace scbnn
