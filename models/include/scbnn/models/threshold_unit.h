#pragma once
#include <systemc>

#include <cstdint>
#include <string>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"

namespace scbnn {

// Sizes of the neuron datapath: one partial-sum adder per array (the PEs work in
// parallel), a register file of per-neuron partial sums (a multi-pass first layer keeps
// every neuron's sum across passes), one threshold comparator, one output scorer.
struct ThresholdUnitSize {
  uint32_t accumulator_bits = 20;
  uint32_t adders = 1;
  uint32_t partial_sums = 4096;
};

// Per-neuron accumulation of partial dot products (shift-add for bit-planes) and the
// folded batch-norm compare; for the output layer, fixed-point scoring and argmax.
class ThresholdUnit : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  ThresholdUnit(sc_core::sc_module_name name, const ThresholdUnitSize& size) : sc_core::sc_module(name), size_(size) {}
  ThresholdUnit(const ThresholdUnit&) = delete;
  ThresholdUnit& operator=(const ThresholdUnit&) = delete;

  const ThresholdUnitSize& size() const { return size_; }

  // acc[i] += partial[i] x 2^shift for a tile's rows.
  void accumulate_rows(int64_t* acc, const int32_t* partial, uint32_t rows, uint32_t shift) {
    for (uint32_t i = 0; i < rows; ++i) acc[i] += int64_t(partial[i]) * (int64_t(1) << shift);
    adds_.add(rows);
  }
  bool fire(int64_t a, int32_t threshold, int32_t direction) {
    compares_.add();
    return direction > 0 ? a >= threshold : a <= threshold;
  }
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

  void collect_actions(ActionLedger& ledger) const override {
    const LayerCounts bit_ops = adds_.by_layer(size_.accumulator_bits);
    ledger.add(name() + std::string(".adders"), component_class::kAccumulator, action::kAddBit, bit_ops);
    ledger.add(name() + std::string(".partial_sums"), component_class::kPartialSumRegister, action::kBitRead, bit_ops);
    ledger.add(name() + std::string(".partial_sums"), component_class::kPartialSumRegister, action::kBitWrite, bit_ops);
    ledger.add(name() + std::string(".comparator"), component_class::kThresholdComparator, action::kCompare,
               compares_.by_layer());
    ledger.add(name() + std::string(".scorer"), component_class::kOutputScorer, action::kScoreMac,
               score_macs_.by_layer());
    ledger.add(name() + std::string(".scorer"), component_class::kOutputScorer, action::kArgmaxCompare,
               argmax_compares_.by_layer());
  }
  void collect_hardware(HardwareInventory& inventory) const override {
    const std::string n = name(), w = std::to_string(size_.accumulator_bits) + "-bit";
    inventory.add(n + ".adders", component_class::kAccumulator, "bit", double(size_.adders) * size_.accumulator_bits,
                  std::to_string(size_.adders) + " " + w + " adders");
    inventory.add(n + ".partial_sums", component_class::kPartialSumRegister, "bit",
                  double(size_.partial_sums) * size_.accumulator_bits,
                  std::to_string(size_.partial_sums) + " x " + w + " partial sums");
    inventory.add(n + ".comparator", component_class::kThresholdComparator, "bit", size_.accumulator_bits,
                  w + " comparator");
    inventory.add(n + ".scorer", component_class::kOutputScorer, "instance", 1,
                  "32-bit multiply-add and argmax comparator");
  }

 private:
  ThresholdUnitSize size_;
  LayerCounter adds_, compares_, score_macs_, argmax_compares_;
};

}  // namespace scbnn
