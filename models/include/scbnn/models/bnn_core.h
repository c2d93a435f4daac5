#pragma once
#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "scbnn/base/action_ledger.h"
#include "scbnn/models/buffers.h"
#include "scbnn/models/cycle_ledger.h"
#include "scbnn/models/log.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/models/sng.h"
#include "scbnn/models/threshold_unit.h"
#include "scbnn/models/tiling.h"
#include "scbnn/models/weight_array.h"
#include "scbnn/models/xnor_popcount_pe.h"

namespace scbnn {

// Which first-layer datapath the hardware has: the shift-add of 8-bit pixels (the
// conventional BNN), the SNGs of the stochastic BNN, or both (area counts what is built).
enum class FirstLayerHardware : uint32_t { fixed = 0, stochastic = 1, both = 2 };

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
  uint32_t max_stream_length = 1024;  // largest SC_LENGTH the accumulators are sized for
  FirstLayerHardware first_layer_hardware = FirstLayerHardware::both;
  SngParams sng;
};

// Width of the signed partial-sum accumulators: enough for the largest first-layer sum
// the built datapath can produce (8-bit pixels shifted and added, or N stochastic samples)
// and for a hidden layer of accel.buffer.activation_bits inputs.
uint32_t accumulator_bits(const CoreParams& params);

// How the first layer sees the image (the INPUT_MODE register):
//  fixed            8 bit-planes, partial sums shifted and added
//  stochastic_sum   N stochastic samples, first-layer popcounts summed over N, then thresholded
//  stochastic_vote  the whole network run N times on one sample each; classes voted
enum class FirstLayerMode : uint32_t { fixed = 0, stochastic_sum = 1, stochastic_vote = 2 };

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
class BnnCore : public sc_core::sc_module, public CountsActions, public DescribesHardware {
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

  // Prepares the first layer's input passes for the image in the input buffer: bit-planes,
  // or N stochastic samples from the SNGs; returns the SNG cycles (layer 0, phase "sng").
  // `image` (the IMAGE_INDEX register) positions every random stream of the inference:
  // SNG sources at stream position image x N, memory error draws reseeded for the image.
  uint64_t start_image(FirstLayerMode mode, uint32_t stream_length, uint64_t image);
  // Runs layer `l` on the current input (in vote mode, on sample `round`); returns its
  // cycles (also added to cycles()).
  uint64_t run_layer(size_t l, uint32_t round = 0);
  // Rounds of the whole network this image needs (N in vote mode, else 1).
  uint32_t rounds() const { return mode_ == FirstLayerMode::stochastic_vote ? stream_length_ : 1; }
  // After the last round: in vote mode the scores become the vote counts; returns cycles.
  uint64_t finish_image();
  // Streams of every image, for tests (nullptr: not kept).
  void keep_streams(std::vector<std::vector<std::vector<uint64_t>>>* log) { stream_log_ = log; }

  const std::vector<int32_t>& scores() const { return scores_; }
  uint32_t predicted_class() const { return predicted_; }
  const CycleLedger& cycles() const { return ledger_; }

  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;
  ErrorTally collect_errors() const;

  WeightArray& array(uint32_t i) { return *arrays_[i]; }
  uint32_t array_count() const { return uint32_t(arrays_.size()); }
  SngBank& sng() { return sng_->bank; }
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
  std::vector<int32_t> partials_;  // one tile's row results
  std::vector<std::vector<uint64_t>> planes_;  // first-layer input of each pass
  FirstLayerMode mode_ = FirstLayerMode::fixed;
  uint32_t stream_length_ = 1;
  std::unique_ptr<StochasticNumberGenerators> sng_;
  std::vector<uint32_t> votes_;
  std::vector<std::vector<std::vector<uint64_t>>>* stream_log_ = nullptr;
  std::vector<int32_t> scores_;
  uint32_t predicted_ = 0;
  CycleLedger ledger_;
  Logger log_{*this, "scbnn/core"};
};

}  // namespace scbnn
