#pragma once
#include <systemc>

#include <cstdint>

#include "scbnn/models/action_ledger.h"

namespace scbnn {

// Per-neuron accumulation of partial dot products (shift-add for bit-planes) and the
// folded batch-norm compare; for the output layer, fixed-point scoring and argmax.
class ThresholdUnit : public sc_core::sc_module, public CountsActions {
 public:
  explicit ThresholdUnit(sc_core::sc_module_name name) : sc_core::sc_module(name) {}
  ThresholdUnit(const ThresholdUnit&) = delete;
  ThresholdUnit& operator=(const ThresholdUnit&) = delete;

  void accumulate(int64_t& acc, int32_t partial, uint32_t shift) {
    acc += int64_t(partial) * (int64_t(1) << shift);
    ++adds_;
  }
  bool fire(int64_t a, int32_t threshold, int32_t direction) {
    ++compares_;
    return direction > 0 ? a >= threshold : a <= threshold;
  }
  int32_t score(int64_t a, int32_t scale, int32_t offset) {
    ++score_macs_;
    return int32_t(a * scale + offset);
  }
  // First index of the maximum, as a sequential comparator would find it.
  uint32_t argmax(const int32_t* scores, uint32_t n) {
    uint32_t best = 0;
    for (uint32_t i = 1; i < n; ++i)
      if (scores[i] > scores[best]) best = i;
    argmax_compares_ += n > 0 ? n - 1 : 0;
    return best;
  }

  void collect_actions(ActionLedger& ledger) const override {
    ledger.add(name(), "threshold_unit", "accumulate", adds_);
    ledger.add(name(), "threshold_unit", "threshold_compare", compares_);
    ledger.add(name(), "threshold_unit", "score_mac", score_macs_);
    ledger.add(name(), "threshold_unit", "argmax_compare", argmax_compares_);
  }

 private:
  uint64_t adds_ = 0, compares_ = 0, score_macs_ = 0, argmax_compares_ = 0;
};

}  // namespace scbnn
