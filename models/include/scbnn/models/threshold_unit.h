#pragma once
#include <systemc>

#include <cstdint>
#include <string>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/base/params.h"
#include "scbnn/models/row_kernels.h"

namespace scbnn {

// The reduce lanes (keys accel.reduce.*; docs/timing.md): each lane is an adder tree over
// one neuron's column tiles, a threshold comparator and a single-port bank of the
// parameter memory; a lane takes one neuron per cycle.
struct ReduceParams {
  uint32_t lanes = 4;
  uint32_t tree_inputs = 0;  // 0: sized for the network's widest layer (the platform), else the hardware's

  template <class V>
  void declare(V& v) {
    v("lanes", lanes, Range{1, 65536}, "lanes",
      "reduce lanes: adder tree over a neuron's column tiles, threshold comparator and parameter-memory bank "
      "each, one neuron per cycle per lane; fewer than the arrays deliver stalls them (docs/timing.md)",
      "assumption: 4 keeps up with 4 row tiles of one-cycle rows (the 784-1024-1024-10 network's hidden layers)");
    v("tree_inputs", tree_inputs, Range{0, 65536}, "column tiles",
      "column tiles each lane's adder tree sums (tree_inputs - 1 adders); 0 = the widest layer of the network "
      "run (a platform), or the widest the buffers admit (a core alone)",
      "assumption: sized to the network, like the line buffer");
  }
};

// The output layer's fixed-point scorer (score = scale x a + offset, one 32-bit multiply-add
// per class) and its argmax comparator: one instance, counted under its owner's name + ".scorer".
class OutputScorer {
 public:
  int32_t score(int64_t a, int32_t scale, int32_t offset) {
    score_macs_.add();
    return int32_t(a * scale + offset);
  }
  // First index of the maximum, as a sequential comparator would find it.
  uint32_t argmax(const int32_t* scores, uint32_t n) {
    uint32_t best = 0;
    for (uint32_t i = 1; i < n; ++i)
      if (scores[i] > scores[best]) best = i;
    argmax_compares_.add(n > 0 ? n - 1 : 0);
    return best;
  }
  void collect_actions(ActionLedger& ledger, const std::string& owner) const {
    ledger.add(owner + ".scorer", component_class::kOutputScorer, action::kScoreMac, score_macs_.by_layer());
    ledger.add(owner + ".scorer", component_class::kOutputScorer, action::kArgmaxCompare, argmax_compares_.by_layer());
  }
  void collect_hardware(HardwareInventory& inventory, const std::string& owner) const {
    inventory.add(owner + ".scorer", component_class::kOutputScorer, "instance", 1,
                  "32-bit multiply-add and argmax comparator");
  }

 private:
  LayerCounter score_macs_, argmax_compares_;
};

// Sizes of the neuron datapath: one shift-add accumulator per array, the partial-sum
// register files of the row_inner loop order (none in pass_inner), and per reduce lane an
// adder tree and a threshold comparator; one output scorer.
struct ThresholdUnitSize {
  uint32_t accumulator_bits = 20;
  uint32_t accumulators = 1;  // one per array
  uint32_t lanes = 1;
  uint32_t tree_inputs = 1;   // column tiles a lane's adder tree sums: tree_inputs - 1 adders of accumulator_bits
  uint32_t partial_sums = 0;  // partial-sum file entries over all arrays (row_inner: arrays x rows)
};

// Per-neuron accumulation of partial dot products (shift-add for bit-planes), the reduce
// lanes' adder trees and folded batch-norm compares; for the output layer, fixed-point
// scoring and argmax.
class ThresholdUnit : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  ThresholdUnit(sc_core::sc_module_name name, const ThresholdUnitSize& size) : sc_core::sc_module(name), size_(size) {}
  ThresholdUnit(const ThresholdUnit&) = delete;
  ThresholdUnit& operator=(const ThresholdUnit&) = delete;

  const ThresholdUnitSize& size() const { return size_; }

  // acc[i] += partial[i] x 2^shift for a tile's rows (the arrays' accumulators).
  void accumulate_rows(int64_t* acc, const int32_t* partial, uint32_t rows, uint32_t shift) {
    accumulate_(acc, partial, rows, shift);
    adds_.add(rows);
  }
  // Partial-sum file entries read and written (row_inner loop order).
  void count_partial_sums(uint64_t reads, uint64_t writes) {
    partial_reads_.add(reads);
    partial_writes_.add(writes);
  }
  // `neurons` sums of `col_tiles` column tiles each through the lanes' adder trees.
  void count_tree_sums(uint64_t neurons, uint32_t col_tiles) {
    tree_adds_.add(neurons * (col_tiles > 0 ? col_tiles - 1 : 0));
  }
  bool fire(int64_t a, int32_t threshold, int32_t direction) {
    compares_.add();
    return direction > 0 ? a >= threshold : a <= threshold;
  }
  // fire() for neurons 0 .. n-1 (acc[j] against entry j: threshold, direction, two int32
  // each), ORing each result into bit j of `bits`, without a branch per neuron.
  template <class Entry>
  void fire_into(const int64_t* acc, const Entry* entries, uint32_t n, uint64_t* bits) {
    static_assert(sizeof(Entry) == 2 * sizeof(int32_t), "an entry is a threshold and a direction");
    compares_.add(n);
    fire_bits_(acc, reinterpret_cast<const int32_t*>(entries), n, bits);
  }
  int32_t score(int64_t a, int32_t scale, int32_t offset) { return scorer_.score(a, scale, offset); }
  uint32_t argmax(const int32_t* scores, uint32_t n) { return scorer_.argmax(scores, n); }

  void collect_actions(ActionLedger& ledger) const override {
    const std::string n = name();
    const uint32_t w = size_.accumulator_bits;
    ledger.add(n + ".adders", component_class::kAccumulator, action::kAddBit, adds_.by_layer(w));
    if (size_.partial_sums > 0) {
      ledger.add(n + ".partial_sums", component_class::kPartialSumRegister, action::kBitRead,
                 partial_reads_.by_layer(w));
      ledger.add(n + ".partial_sums", component_class::kPartialSumRegister, action::kBitWrite,
                 partial_writes_.by_layer(w));
    }
    ledger.add(n + ".adder_trees", component_class::kAdderTree, action::kAddBit, tree_adds_.by_layer(w));
    ledger.add(n + ".comparator", component_class::kThresholdComparator, action::kCompare, compares_.by_layer());
    scorer_.collect_actions(ledger, n);
  }
  void collect_hardware(HardwareInventory& inventory) const override {
    const std::string n = name(), w = std::to_string(size_.accumulator_bits) + "-bit";
    const double bits = size_.accumulator_bits;
    inventory.add(n + ".adders", component_class::kAccumulator, "bit", size_.accumulators * bits,
                  std::to_string(size_.accumulators) + " " + w + " shift-add accumulators (one per array)");
    if (size_.partial_sums > 0)
      inventory.add(n + ".partial_sums", component_class::kPartialSumRegister, "bit", size_.partial_sums * bits,
                    std::to_string(size_.partial_sums) + " x " + w + " partial sums (one file per array)");
    const uint32_t tree_adders = size_.tree_inputs > 0 ? size_.tree_inputs - 1 : 0;
    inventory.add(n + ".adder_trees", component_class::kAdderTree, "bit", double(size_.lanes) * tree_adders * bits,
                  std::to_string(size_.lanes) + " trees of " + std::to_string(tree_adders) + " " + w + " adders");
    inventory.add(n + ".comparator", component_class::kThresholdComparator, "bit", size_.lanes * bits,
                  std::to_string(size_.lanes) + " " + w + " comparators (one per lane)");
    scorer_.collect_hardware(inventory, n);
  }

 private:
  ThresholdUnitSize size_;
  LayerCounter adds_, partial_reads_, partial_writes_, tree_adds_, compares_;
  AccumulateFn accumulate_ = row_kernels().accumulate;  // the instruction set chosen for this process
  FireBitsFn fire_bits_ = row_kernels().fire_bits;
  OutputScorer scorer_;
};

}  // namespace scbnn
