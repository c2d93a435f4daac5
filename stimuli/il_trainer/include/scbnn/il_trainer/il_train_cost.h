#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/il_trainer/il_train.h"

namespace scbnn {

// The hardware that would run a training run, and what it did (docs/invertible-logic.md,
// "Cost"): a p-bit unit with its random source, tanh table and field adder per p-bit of the
// largest anneal (il.pbit_units when set), a J memory holding the largest learning
// Hamiltonian's coupling and bias words at the accumulation width (copies that share their
// couplings share the words), il_train.row_banks accumulator adders, il_train.feature_adders
// adders and one threshold comparator per channel for the feature passes, and a controller.
// power/ prices the actions and the hardware; the time is cycles() / il.clock_mhz.
struct IlEngineCost {
  ActionLedger actions;
  HardwareInventory hardware;
  uint64_t cycles = 0;
  double seconds = 0;
  uint32_t pbit_units = 0, row_banks = 0, feature_adders = 0;
};

// `channels` and `window`: the convolution's output channels and weights per channel;
// `dense_inputs`: the output layer's inputs.
IlEngineCost il_engine_cost(const IlTrainCounts& counts, const IlTrainKeys& keys, uint32_t channels, uint32_t window,
                            uint32_t dense_inputs);

}  // namespace scbnn
