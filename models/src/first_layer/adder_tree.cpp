// The single-read fixed-point first layer (accel.fixed.organisation = adder_tree): each
// weight row of a first-layer array is sensed once (the sense amplifiers deliver the
// weight bits, no XNOR with an input bit), and a multi-bit adder tree beside the array's
// XNOR/popcount PE adds the row's pixels with the signs the weights give them:
//   term q_i = p_i XNOR w_i (8 bits: the pixel p for weight +1, 255 - p for -1, which is
//              the pixel's negation in the offset code 2p - 255 the bit-planes use)
//   Q = sum_i q_i over k = accel.pe.width_bits terms per beat: ceil(log2 k) levels of
//       adders 8, 9, ..., 8 + log2 k - 1 bits wide
//   row sum = 2 Q - 255 n (n inputs in the tile): one more adder of the output width,
// which equals the bit-serial sum_b 2^b (2 popcount_b - n) exactly. One read pass for
// layer 0; the accumulators add each row's sum once.
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

namespace scbnn {
namespace {

constexpr const char* kAdderTree = "multibit_adder_tree";
constexpr const char* kOperandSelect = "operand_select";
constexpr const char* kSelectBit = "select_bit";

// Full-adder bits of a binary tree adding n unsigned `bits`-bit terms: each level adds
// pairs (floor(n / 2) adders as wide as their operands), an odd term passes on; the
// operands grow one bit per level.
uint64_t tree_adder_bits(uint64_t n, uint32_t bits) {
  uint64_t total = 0;
  for (uint32_t width = bits; n > 1; ++width, n = (n + 1) / 2) total += (n / 2) * width;
  return total;
}

// Signed width of 2 Q - (2^bits - 1) n for n terms: the final stage's adder.
uint32_t final_adder_bits(uint64_t n, uint32_t bits) { return ceil_log2(((uint64_t(1) << bits) - 1) * n + 1) + 1; }

// The adder tree of one first-layer array (k terms per beat) and its operand-select gates.
class MultibitAdderTree : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  MultibitAdderTree(sc_core::sc_module_name name, uint32_t terms, uint32_t term_bits)
      : sc_core::sc_module(name), terms_(terms), term_bits_(term_bits) {}
  uint32_t depth() const { return std::max(1u, ceil_log2(terms_)) + 1; }
  uint64_t adder_bits() const { return tree_adder_bits(terms_, term_bits_) + final_adder_bits(terms_, term_bits_); }
  // `rows` rows of `inputs` terms each: per beat of up to k terms, the selects, the tree and
  // the final stage evaluate once.
  void count_rows(uint64_t rows, uint32_t inputs) {
    uint64_t adds = 0;
    for (uint32_t done = 0; done < inputs; done += terms_) {
      const uint32_t n = std::min(terms_, inputs - done);
      adds += tree_adder_bits(n, term_bits_) + final_adder_bits(n, term_bits_);
    }
    add_bits_.add(rows * adds);
    select_bits_.add(rows * inputs * term_bits_);
  }
  void collect_actions(ActionLedger& ledger) const override {
    ledger.add(name() + std::string(".adders"), kAdderTree, action::kAddBit, add_bits_.by_layer());
    ledger.add(name() + std::string(".select"), kOperandSelect, kSelectBit, select_bits_.by_layer());
  }
  void collect_hardware(HardwareInventory& inventory) const override {
    const std::string n = name();
    inventory.add(n + ".adders", kAdderTree, "bit", double(adder_bits()),
                  std::to_string(terms_) + " terms of " + std::to_string(term_bits_) +
                      " bits: " + std::to_string(tree_adder_bits(terms_, term_bits_)) + " tree + " +
                      std::to_string(final_adder_bits(terms_, term_bits_)) + " final full-adder bits");
    inventory.add(n + ".select", kOperandSelect, "gate", double(terms_) * term_bits_,
                  std::to_string(terms_) + " x " + std::to_string(term_bits_) + " XNOR gates");
  }

 private:
  uint32_t terms_, term_bits_;
  LayerCounter add_bits_, select_bits_;
};

class AdderTree : public FixedPointPlanes {
 public:
  explicit AdderTree(const CoreParams& p) : FixedPointPlanes(p.input_bits) {
    for (uint32_t a = 0; a < p.fixed.first_layer_arrays; ++a)
      trees_.push_back(std::make_unique<MultibitAdderTree>(("adder_tree_" + std::to_string(a)).c_str(), p.pe_width_bits,
                                                           p.input_bits));
  }
  bool fuses_passes() const override { return true; }
  void fused_tile(const FusedTile& f, int32_t* sums) override {
    const Tile& t = *f.tile;
    const SensedRows rows = (*f.arrays)[t.array]->sense_rows(0, t.outputs, (t.inputs + 63) / 64);  // once
    // The tree's sum, computed through its bit-planes (the same integer): 2 Q - 255 n =
    // sum_b 2^b (2 agree_b - n).
    for (uint32_t r = 0; r < t.outputs; ++r) {
      int32_t sum = 0;
      for (uint32_t b = 0; b < input_bits_; ++b)
        sum += pm1_dot(rows.row(r), f.inputs[b], t.inputs) * (int32_t(1) << pass_shift(b));
      sums[r] = sum;
    }
    trees_.at(t.array)->count_rows(t.outputs, t.inputs);
  }
  uint32_t fused_depth(uint32_t) const override { return trees_.front()->depth(); }

 private:
  std::vector<std::unique_ptr<MultibitAdderTree>> trees_;
};

FixedOrganisationRegistrar registrar(
    "adder_tree",
    {"each first-layer row read once; a multi-bit adder tree per first-layer array (accel.fixed.first_layer_arrays) "
     "adds the pixels signed by the weights: one read pass",
     {{kAdderTree,
       "bit",
       "multi-bit adder tree of a single-read first layer (pixels signed by the sensed weights), per full-adder bit",
       {{action::kAddBit, Pricing::per_event, Stage::array, "one full-adder bit evaluated"}}},
      {kOperandSelect,
       "gate",
       "XNOR of a pixel bit with the sensed weight bit feeding a single-read first layer's adder tree, per gate",
       {{kSelectBit, Pricing::per_event, Stage::array, "one pixel bit selected (XNOR with its weight bit)"}}}},
     [](const CoreParams& p) {
       return FirstLayerPlacement{p.fixed.first_layer_arrays, 1, "accel.fixed.first_layer_arrays"};
     },
     [](const CoreParams& p) { return std::make_unique<AdderTree>(p); }});

}  // namespace

SCBNN_LINK_ANCHOR(first_layer, adder_tree)

}  // namespace scbnn
