#pragma once
#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/base/input_mode.h"
#include "scbnn/base/params.h"
#include "scbnn/models/buffers.h"
#include "scbnn/models/core_sequencer.h"
#include "scbnn/models/cycle_ledger.h"
#include "scbnn/models/first_layer.h"
#include "scbnn/models/fixed_organisation.h"
#include "scbnn/models/log.h"
#include "scbnn/models/sng.h"
#include "scbnn/models/threshold_unit.h"
#include "scbnn/models/tiling.h"
#include "scbnn/models/weight_array.h"
#include "scbnn/models/xnor_popcount_pe.h"

namespace scbnn {

// Why the first-layer hardware `placement` wires does not fit `array_count` arrays (its
// arrays and their copies); "" when it does.
inline std::string first_layer_hardware_error(const FirstLayerPlacement& placement, uint32_t array_count) {
  const uint64_t wired = uint64_t(placement.arrays) * placement.copies;
  if (wired <= array_count) return "";
  return "the first-layer hardware wires " + std::to_string(wired) + " weight arrays (" + placement.arrays_key + " = " +
         std::to_string(placement.arrays) + ", " + std::to_string(placement.copies) +
         " copies each) but accel.array.count is " + std::to_string(array_count);
}

// Stochastic first layer: popcounts summed over the N samples, or the network run N times and voted.
enum class ScCombine : uint32_t { sum = 0, vote = 1 };
inline constexpr std::array<EnumName<ScCombine>, 2> kScCombineNames{
    {{ScCombine::sum, "sum"}, {ScCombine::vote, "vote"}}};
constexpr const auto& enum_names(ScCombine) { return kScCombineNames; }

// Which first-layer datapath the hardware has: the shift-add of 8-bit pixels (the
// conventional BNN), the SNGs of the stochastic BNN, or both (area counts what is built);
// automatic: the one the input mode uses.
enum class FirstLayerHardware : uint32_t { fixed = 0, stochastic = 1, both = 2, automatic = 3 };
inline constexpr std::array<EnumName<FirstLayerHardware>, 4> kFirstLayerHardwareNames{
    {{FirstLayerHardware::automatic, "auto"},
     {FirstLayerHardware::fixed, "fixed"},
     {FirstLayerHardware::stochastic, "stochastic"},
     {FirstLayerHardware::both, "both"}}};
constexpr const auto& enum_names(FirstLayerHardware) { return kFirstLayerHardwareNames; }

// Order of a layer's loops over input passes and array rows (docs/timing.md):
// pass_inner latches every pass's input slice and reads each row once per pass before the
// next row, so the accumulator finishes a row's sum at once (no stored partial sums);
// row_inner reads all rows for one pass, then the next pass, keeping each row's running sum
// in a partial-sum register file per array. Identical for one-pass layers.
enum class LoopOrder : uint32_t { pass_inner = 0, row_inner = 1 };
inline constexpr std::array<EnumName<LoopOrder>, 2> kLoopOrderNames{
    {{LoopOrder::pass_inner, "pass_inner"}, {LoopOrder::row_inner, "row_inner"}}};
constexpr const auto& enum_names(LoopOrder) { return kLoopOrderNames; }

// Stochastic first layer (keys accel.sc.*; the stream length itself is the accelerator's
// SC_LENGTH reset value).
struct ScParams {
  uint32_t max_stream_length = 64;  // largest SC_LENGTH the accumulators are sized for
  ScCombine combine = ScCombine::sum;
};

// Hardware parameters of the accelerator core, declared under accel.* (docs/configuration.md
// is generated from declare()).
struct CoreParams {
  InputMode input_mode = InputMode::fixed;
  ScParams sc;
  FirstLayerHardware first_layer_hardware = FirstLayerHardware::automatic;
  FixedParams fixed;
  SngParams sng;
  ArrayGeometry array;
  uint32_t read_cycles = 1;      // sense latency of one step, cycles (from accel.array.read_ns and the clock)
  uint32_t pe_width_bits = 256;  // XNOR/popcount inputs per beat
  uint32_t buffer_port_bits = 256;
  uint32_t activation_bits = 4096;  // capacity of each activation bank
  uint32_t input_bytes = 1024;
  uint32_t line_buffer_bits = 0;  // 0: none built (a platform sizes it from the network's convolutions)
  uint32_t param_entries = 4096;
  uint32_t max_classes = 256;
  uint32_t max_layers = 8;
  uint32_t input_bits = 8;  // first-layer pixel precision (fixed mode: one pass per bit-plane)
  LoopOrder loop_order = LoopOrder::row_inner;
  ReduceParams reduce;

  template <class V>
  void declare(V& v) {
    v("input_mode", input_mode,
      "first-layer input: fixed = 8-bit pixels bit-plane by bit-plane with shift-add (the conventional "
      "BNN); stochastic = comparator SNG bitstreams of accel.sc.stream_length samples",
      "Hirtzlin et al., IEEE Access 2019");
    v("sc.max_stream_length", sc.max_stream_length, Range{1, 1024}, "samples",
      "largest N the hardware supports: sizes the partial-sum accumulators of a stochastic first layer",
      "assumption: covers the stream lengths of docs/experiments/sc-accuracy.md");
    v("first_layer_hardware", first_layer_hardware,
      "first-layer datapath built (and counted in area and leakage): fixed = shift-add of 8-bit pixels "
      "(wider accumulators), stochastic = SNGs, both; auto = the one accel.input_mode uses",
      "Hirtzlin et al., IEEE Access 2019 (the two designs compared)");
    v.group("fixed", fixed);
    v("sc.combine", sc.combine,
      "sum: first-layer popcounts summed over N samples, then thresholded; vote: the whole network run N "
      "times on one sample each, classes voted",
      "Hirtzlin et al., IEEE Access 2019 (both open: both modelled)");
    v.group("sng", sng);
    v.group("array", array);
    v("pe.width_bits", pe_width_bits, Range{1, 65536}, "bits", "XNOR/popcount inputs per PE beat (one PE per array)",
      "assumption: one 256-column row per beat");
    v("buffer.port_bits", buffer_port_bits, Range{8, 65536}, "bits", "activation / input buffer port width per cycle",
      "assumption");
    v("buffer.activation_bits", activation_bits, Range{64, 16777216}, "bits",
      "capacity of each of the two activation banks", "assumption: 4x the widest shipped layer");
    v("input_buffer.bytes", input_bytes, Range{1, 65536}, "bytes", "input buffer capacity (first-layer inputs)",
      "assumption: one 28 x 28 image with room");
    v("line_buffer.bits", line_buffer_bits, Range{0, 1u << 26}, "bits",
      "convolution line buffer: kernel rows x (input width + 2 padding) x channels x bits per value of the "
      "largest convolution; 0 = sized from the network (none for an MLP)",
      "assumption: sized to the layer (docs/timing.md)");
    v("param_entries", param_entries, Range{1, 1966080}, "entries",
      "per-neuron parameter memory entries (8 bytes each)", "sized for the shipped 784-1024-1024-10 network");
    v("loop_order", loop_order,
      "pass_inner: each array row read once per input pass back to back, its sum complete at once (input "
      "latches for every pass, no partial-sum file); row_inner: all rows per pass, running sums in a "
      "partial-sum register file per array (docs/timing.md)",
      "assumption: row_inner, the smaller area and the lower energy for the shipped BCNN and SC networks; pass_inner "
      "saves 6 % on the fixed-input MLP (docs/timing.md)");
    v.group("reduce", reduce);
    v("max_classes", max_classes, Range{2, 16384}, "classes", "output score registers", "assumption");
    v("max_layers", max_layers, Range{1, 64}, "layers", "layer descriptor registers", "assumption");
  }

  // The datapath(s) actually built: `automatic` resolved from the input mode.
  FirstLayerHardware built_first_layer() const {
    if (first_layer_hardware != FirstLayerHardware::automatic) return first_layer_hardware;
    return input_mode == InputMode::stochastic ? FirstLayerHardware::stochastic : FirstLayerHardware::fixed;
  }
  // The registered first-layer datapaths (models/first_layer.h) built, by name.
  std::vector<std::string> built_first_layers() const {
    switch (built_first_layer()) {
      case FirstLayerHardware::both: return {"fixed", "stochastic"};
      default: return {enum_name(built_first_layer())};
    }
  }
  // Cross-field rules (stream length against its maximum is checked by the accelerator,
  // which holds SC_LENGTH); throws InputError naming the keys.
  void validate() const {
    array.validate();
    const bool stochastic = input_mode == InputMode::stochastic;
    if ((first_layer_hardware == FirstLayerHardware::fixed && stochastic) ||
        (first_layer_hardware == FirstLayerHardware::stochastic && !stochastic))
      throw InputError(std::string("accel.input_mode = ") + enum_name(input_mode) +
                       " cannot run on accel.first_layer_hardware = " + enum_name(first_layer_hardware) +
                       " (use auto, both, or the matching datapath)");
    if (!stochastic && sc.combine != ScCombine::sum)
      throw InputError("accel.sc.combine applies only to accel.input_mode = stochastic (it is fixed)");
    if (fixed.organisation != FixedParams{}.organisation && built_first_layer() == FirstLayerHardware::stochastic)
      throw InputError("accel.fixed.organisation = " + fixed.organisation +
                       " needs the fixed datapath built (accel.first_layer_hardware = fixed or both, or auto with "
                       "accel.input_mode = fixed)");
    if (const std::string e =
            first_layer_hardware_error(first_layer_placement(*this, built_first_layers()), array.count);
        !e.empty())
      throw InputError(e);
    sng.validate();
  }
};

// Width of the signed partial-sum accumulators: enough for the largest first-layer sum
// a built datapath can produce (its FirstLayerKind::largest_sum) and for a hidden layer of
// accel.buffer.activation_bits inputs. `first_layers`: the datapaths built (default: the
// parameters' built_first_layers()).
uint32_t accumulator_bits(const CoreParams& params, const std::vector<std::string>& first_layers = {});
// Most input passes a built first-layer datapath takes per decision (FirstLayerKind::max_passes).
uint32_t max_first_layer_passes(const CoreParams& params, const std::vector<std::string>& first_layers = {});
// Input-latch bits per array: accel.array.columns (row_inner), or the most passes x columns (pass_inner).
uint64_t input_latch_bits(const CoreParams& params, const std::vector<std::string>& first_layers = {});
// Column tiles a reduce lane's adder tree sums: accel.reduce.tree_inputs, or (0) the most
// column tiles a layer can have: ceil(max(accel.input_buffer.bytes, accel.buffer.activation_bits) / columns).
uint32_t reduce_tree_inputs(const CoreParams& params);

// The INPUT_MODE register's encoding of the first layer's job (BnnCore::job_for decodes it):
//  fixed            8 bit-planes, partial sums shifted and added
//  stochastic_sum   N stochastic samples, first-layer popcounts summed over N, then thresholded
//  stochastic_vote  the whole network run N times on one sample each; classes voted
enum class FirstLayerMode : uint32_t { fixed = 0, stochastic_sum = 1, stochastic_vote = 2 };
inline FirstLayerMode first_layer_mode(const CoreParams& p) {
  if (p.input_mode == InputMode::fixed) return FirstLayerMode::fixed;
  return p.sc.combine == ScCombine::vote ? FirstLayerMode::stochastic_vote : FirstLayerMode::stochastic_sum;
}

using WeightArrayFactory =
    std::function<std::unique_ptr<WeightArray>(const char* name, uint32_t rows, uint32_t columns)>;

// Checks that a layer program fits the hardware and places it on the arrays (with the
// copies of the first layer's arrays the datapaths `first_layers` wire; default: the
// parameters' built_first_layers()); throws std::invalid_argument naming the parameter
// that is too small. What BnnCore::configure loads, and what a platform checks before simulating.
Mapping map_program(const CoreParams& params, const std::vector<LayerShape>& layers,
                    const std::vector<std::string>& first_layers = {});

// Line-buffer bits the program's convolutions need when the first layer carries
// `first_layer_bits` bits per input value (its input passes) and later layers one.
uint64_t line_buffer_bits_needed(const std::vector<LayerShape>& layers, uint32_t first_layer_bits);
// Throws std::invalid_argument naming accel.line_buffer.bits when `capacity` is too small.
void check_line_buffer(const std::vector<LayerShape>& layers, uint32_t first_layer_bits, uint64_t capacity);

// The in-memory XNOR/popcount accelerator without its bus face: weight arrays (one
// tile each) with their XNOR/popcount PEs, input and activation buffers, per-neuron
// parameter memory, threshold/scoring unit, and the sequencer, an SC_THREAD of its own:
// start() wakes it, it fetches its job (the bus face's registers), runs the image layer
// by layer waiting the cycles each phase takes on its clock, and notifies done_event().
// Each layer (docs/timing.md):
//   fetch     every input pass's slices from the buffer into the arrays' input latches (one shared port)
//   compute   every array senses its rows in parallel, row interval = max(sense, PE beats), in the
//             loop order accel.loop_order (rows inside passes, or passes inside rows)
//   reduce    each neuron's column tiles summed by one of accel.reduce.lanes adder trees and
//             thresholded/scored; the arrays stall when the lanes cannot keep up
//   writeback next layer's bits to the other activation bank (hidden) or argmax (output)
class BnnCore : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  // What one run classifies, read when the run begins.
  struct Job {
    std::string first_layer = "fixed";  // a built first-layer datapath (models/first_layer.h)
    bool vote = false;                  // the whole network run stream_length times, classes voted
    uint32_t stream_length = 1;
    uint64_t image = 0;  // positions every random stream of the inference (start_image)
  };
  // The job an INPUT_MODE register value stands for.
  static Job job_for(FirstLayerMode mode, uint32_t stream_length, uint64_t image);
  // Called by the sequencer when a run begins; may load_program() and may throw
  // std::invalid_argument, which ends the run with that error.
  using JobSource = std::function<Job()>;
  using RunResult = CoreRunResult;

  // `first_layers`: the registered first-layer datapaths to build (default: the
  // parameters' built_first_layers()).
  BnnCore(sc_core::sc_module_name name, const CoreParams& params, const sc_core::sc_time& clock_period,
          const WeightArrayFactory& make_array = {}, std::vector<std::string> first_layers = {});
  BnnCore(const BnnCore&) = delete;
  BnnCore& operator=(const BnnCore&) = delete;

  const CoreParams& params() const { return params_; }
  sc_core::sc_time clock_period() const { return period_; }

  // The active face: where runs take their job, the start strobe (the run begins `delay`
  // from now), and the end of a run.
  void set_job_source(JobSource source) { jobs_.set_source(std::move(source)); }
  void start(const sc_core::sc_time& delay) { sequencer_.start(delay); }
  const sc_core::sc_event& done_event() const { return sequencer_.done_event(); }
  const RunResult& last_run() const { return sequencer_.last_run(); }
  // A layer program for the next run; it stays pending until it loads (configure()).
  void load_program(std::vector<LayerShape> layers) { jobs_.load(std::move(layers)); }

  // Loads the layer program; throws std::invalid_argument naming the parameter that is
  // too small when the network does not fit.
  void configure(const std::vector<LayerShape>& layers);
  bool configured() const { return !mapping_.layers.empty(); }
  const Mapping& mapping() const { return mapping_; }
  size_t layer_count() const { return mapping_.layers.size(); }

  // start_image, run_layer and finish_image each count their work inside a CurrentLayer
  // scope (scbnn/base/layer_counter.h): start_image's (the SNGs, the bit-planes) as layer
  // 0's, finish_image's (the vote) as the last layer's; what the host does between them
  // (programming, register accesses, copying images in) counts outside any layer.
  // Prepares the first layer's input passes for the image in the input buffer through the
  // job's datapath (bit-planes, or N stochastic samples from the SNGs); returns the cycles
  // it adds. `job.image` (the IMAGE_INDEX register) positions every random stream of the
  // inference: SNG sources at stream position image x N, memory error draws reseeded.
  uint64_t start_image(const Job& job);
  // Runs layer `l` on the current input (in vote mode, on sample `round`); returns its
  // cycles (also added to cycles()).
  uint64_t run_layer(size_t l, uint32_t round = 0);
  // Rounds of the whole network this image needs (N in vote mode, else 1).
  uint32_t rounds() const { return vote_ ? stream_length_ : 1; }
  // After the last round: in vote mode the scores become the vote counts; returns cycles.
  uint64_t finish_image();
  // Streams of every image, for tests (nullptr: not kept).
  void keep_streams(std::vector<std::vector<std::vector<uint64_t>>>* log) { stream_log_ = log; }

  const std::vector<int32_t>& scores() const { return scores_; }
  uint32_t predicted_class() const { return predicted_; }
  const CycleLedger& cycles() const { return ledger_; }
  // The layer being timed now, -1 outside the layers (CoreSequencer::active_layer).
  const int32_t& active_layer() const { return sequencer_.active_layer(); }

  // The controller (sequencer and clock tree); every child module counts for itself
  // (scbnn/models/accounting.h collects them all).
  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;
  ErrorTally collect_errors() const;

  // Programs word `word` of row `row` of array `array` (a bus write to the weight window)
  // and, when the first-layer hardware wires copies of that array, the same word of every
  // copy in the same write (a broadcast: one write time, each copy's own write energy and
  // write errors).
  void program_weight(uint32_t array, uint32_t row, uint32_t word, uint64_t value, uint64_t mask,
                      const WritePulse& pulse);
  const FirstLayerPlacement& first_layer_placement() const { return placement_; }
  WeightArray& array(uint32_t i) { return *arrays_[i]; }
  const WeightArray& array(uint32_t i) const { return *arrays_[i]; }
  uint32_t array_count() const { return uint32_t(arrays_.size()); }
  // Stream quality of this core's SNGs at the given lengths (measure_streams on their
  // configuration); throws std::logic_error when the core has no stochastic datapath.
  std::vector<StreamMetrics> stream_quality(const std::vector<uint32_t>& lengths) const;

 private:
  // Declared first: the children are built in this order, which is the order the
  // accounting walker reports them in.
  CoreParams params_;
  std::vector<std::unique_ptr<WeightArray>> arrays_;
  ReseedBatch image_streams_;  // the arrays' per-image streams, reseeded together
  std::vector<std::unique_ptr<XnorPopcountPe>> pes_;
  std::vector<std::string> first_layer_names_;
  std::vector<std::unique_ptr<FirstLayerDatapath>> first_layers_;  // the built datapaths, in that order
  FirstLayerPlacement placement_;  // the first layer's arrays and their copies, as the datapaths wire them

 public:
  InputBuffer input_buffer;
  ActivationBuffer activations;
  std::unique_ptr<LineBuffer> line_buffer;  // built when accel.line_buffer.bits > 0
  InputLatches input_latches;
  ParamMemory param_memory;
  ThresholdUnit threshold_unit;

 private:
  // A layer's lock-step pace (docs/timing.md): row interval of the slowest tile, most rows
  // of a tile, pipeline fill; and per pass, the row results and latched input bits of all tiles.
  struct LayerPace {
    uint64_t interval = 0, fill = 0;
    uint32_t rows = 0;
    uint64_t row_results = 0, latched_bits = 0;
  };
  LayerPace pace(const LayerMapping& lm) const;
  uint64_t fused_fill(const LayerPace& pace, bool fused) const;
  uint64_t count_loop_order(const LayerPace& pace, uint32_t passes, uint64_t repeats);
  uint32_t param_base(size_t layer) const { return param_bases_[layer]; }
  uint64_t run_dense_layer(size_t l, uint32_t round, uint32_t passes);
  uint64_t run_conv_layer(size_t l, uint32_t round, uint32_t passes);
  // The input tensor of pass `pass` of layer `l` (first layer: its input passes).
  const uint64_t* layer_input(size_t l, uint32_t round, uint32_t pass);
  uint64_t write_conv_outputs(size_t l);
  // A fused first-layer datapath's tile: its rows summed over every pass into partials_.
  void run_fused_tile(const Tile& t, const std::vector<const uint64_t*>& pass_inputs);
  void sequencer();
  void run_job(const CoreSequencer::Spend& spend);

  sc_core::sc_time period_;
  CoreJobs<Job, std::vector<LayerShape>> jobs_;
  CoreSequencer sequencer_;
  Mapping mapping_;
  std::vector<LayerShape> program_;          // the loaded layer program
  uint32_t line_buffer_checked_passes_ = 0;  // first-layer passes the line buffer was checked for (0: none)
  std::vector<uint32_t> param_bases_;
  std::vector<int64_t> accumulators_;
  std::vector<int32_t> partials_;                    // one tile's row results
  std::vector<uint64_t> window_;                     // a convolution's receptive field
  std::vector<std::vector<uint64_t>> pass_windows_;  // a fused first convolution's field, per pass
  std::vector<uint64_t> conv_bits_;  // a convolution's thresholded outputs, one word-aligned vector per position
  InputPasses planes_;               // first-layer input of each pass
  FirstLayerDatapath* first_layer_ = nullptr;  // the current job's datapath
  bool vote_ = false;
  uint32_t stream_length_ = 1;
  std::vector<uint32_t> votes_;
  std::vector<std::vector<std::vector<uint64_t>>>* stream_log_ = nullptr;
  std::vector<int32_t> scores_;
  uint32_t predicted_ = 0;
  CycleLedger ledger_;
  Logger log_{*this, "scbnn/core"};
};

}  // namespace scbnn
