#pragma once
#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "scbnn/models/action_ledger.h"
#include "scbnn/models/buffers.h"
#include "scbnn/models/cycle_ledger.h"
#include "scbnn/models/threshold_unit.h"
#include "scbnn/models/tiling.h"
#include "scbnn/models/weight_array.h"
#include "scbnn/models/xnor_popcount_pe.h"

namespace scbnn {

// Hardware parameters of the accelerator core; names follow the configuration keys
// under accel.* (docs/configuration.md gives defaults, units and sources).
struct CoreParams {
  ArrayGeometry array;
  uint32_t read_cycles = 1;       // sense latency of one step, cycles (a row takes sense_steps() steps)
  uint32_t pe_width_bits = 256;   // XNOR/popcount inputs per beat
  uint32_t buffer_port_bits = 256;
  uint32_t activation_bits = 4096;  // capacity of each activation bank
  uint32_t input_bytes = 1024;
  uint32_t param_entries = 4096;
  uint32_t max_classes = 256;
  uint32_t max_layers = 8;
  uint32_t input_bits = 8;  // first-layer pixel precision (fixed mode: one pass per bit-plane)
};

using WeightArrayFactory =
    std::function<std::unique_ptr<WeightArray>(const char* name, uint32_t rows, uint32_t columns)>;

// The in-memory XNOR/popcount accelerator without its bus face: weight arrays (one
// tile each) with their XNOR/popcount PEs, input and activation buffers, per-neuron
// parameter memory, threshold/scoring unit, and the sequencer that runs a layer:
//   for each input pass (8 bit-planes for a fixed-point first layer, else 1):
//     fetch   the tile's input slice from the buffer (one shared port)
//     compute every array senses its rows in parallel; row interval = max(sense, PE beats)
//   reduce    partial sums across column tiles (adder tree) and threshold/score
//   writeback next layer's bits to the other activation bank (hidden) or argmax (output)
class BnnCore : public sc_core::sc_module, public CountsActions {
 public:
  BnnCore(sc_core::sc_module_name name, const CoreParams& params, const WeightArrayFactory& make_array = {});
  BnnCore(const BnnCore&) = delete;
  BnnCore& operator=(const BnnCore&) = delete;

  const CoreParams& params() const { return params_; }

  // Loads the layer program; throws std::invalid_argument naming the parameter that is
  // too small when the network does not fit.
  void configure(const std::vector<LayerShape>& layers);
  bool configured() const { return !mapping_.layers.empty(); }
  const Mapping& mapping() const { return mapping_; }
  size_t layer_count() const { return mapping_.layers.size(); }

  // Runs layer `l` on the current input; returns its cycles (also added to cycles()).
  uint64_t run_layer(size_t l);

  const std::vector<int32_t>& scores() const { return scores_; }
  uint32_t predicted_class() const { return predicted_; }
  const CycleLedger& cycles() const { return ledger_; }
  uint64_t inferences() const { return inferences_; }

  void collect_actions(ActionLedger& ledger) const override;
  ErrorTally collect_errors() const;

  WeightArray& array(uint32_t i) { return *arrays_[i]; }
  uint32_t array_count() const { return uint32_t(arrays_.size()); }
  InputBuffer input_buffer;
  ActivationBuffer activations;
  ParamMemory param_memory;
  ThresholdUnit threshold_unit;

 private:
  uint32_t param_base(size_t layer) const { return param_bases_[layer]; }

  CoreParams params_;
  std::vector<std::unique_ptr<WeightArray>> arrays_;
  std::vector<std::unique_ptr<XnorPopcountPe>> pes_;
  Mapping mapping_;
  std::vector<uint32_t> param_bases_;
  std::vector<int64_t> accumulators_;
  std::vector<std::vector<uint64_t>> planes_;
  std::vector<uint64_t> array_busy_;
  std::vector<int32_t> scores_;
  uint32_t predicted_ = 0;
  CycleLedger ledger_;
  uint64_t inferences_ = 0, layers_run_ = 0;
};

}  // namespace scbnn
