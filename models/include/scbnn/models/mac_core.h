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
#include "scbnn/base/layer_shape.h"
#include "scbnn/base/params.h"
#include "scbnn/models/buffers.h"
#include "scbnn/models/core_sequencer.h"
#include "scbnn/models/cycle_ledger.h"
#include "scbnn/models/log.h"
#include "scbnn/models/mac_pe.h"
#include "scbnn/models/threshold_unit.h"
#include "scbnn/models/weight_array.h"

namespace scbnn {

// The MAC-array datapath's hardware (keys accel.mac.*; accel.datapath = mac). docs/timing.md,
// "MAC-array datapath", gives the dataflow and the cycles.
struct MacParams {
  std::string pe = "sc_cnn";  // a registered PE kind (models/mac_pe.h)
  uint32_t rows = 16;
  uint32_t columns = 16;
  uint32_t stream_bits_per_cycle = 1;
  bool early_termination = true;
  uint32_t weight_bits = 8;  // largest weight precision the PEs support
  uint32_t activation_bits = 8;
  uint32_t accumulator_bits = 32;
  uint32_t weight_memory_bytes = 32768;
  uint32_t weight_port_bits = 0;  // 0: one step's weights (rows x columns bytes) per cycle
  uint32_t activation_bytes = 16384;
  uint32_t activation_port_bits = 0;  // 0: one step's activations (columns bytes) per cycle
  uint32_t input_bytes = 1024;
  uint32_t param_entries = 512;
  uint32_t max_layers = 8;
  uint32_t max_classes = 256;
  MacFaultParams fault;
  uint64_t seed = 1;  // master seed (the configuration's top-level seed; not a key of its own)

  template <class V>
  void declare(V& v) {
    v("pe", pe, Choices{mac_pe_names()},
      "processing element of the MAC array, a registered kind: sc_cnn = deterministic bitstream multiply "
      "(counted stream bits), binary_mac = exact binary multiplier and adder tree (docs/architecture.md)",
      "Sim & Lee, Frontiers in Neuroscience 2020 (the SC-CNN and its binary baseline)");
    v("rows", rows, Range{1, 4096}, "rows", "output channels computed in parallel (one accumulator per row)",
      "assumption: 16 x 16 PEs, a small edge array");
    v("columns", columns, Range{1, 4096}, "columns",
      "input terms in parallel: each column's activation is broadcast along it", "assumption: 16 x 16 PEs");
    v("stream_bits_per_cycle", stream_bits_per_cycle, Range{1, 64}, "bits",
      "SC PE: weight-stream bits each PE produces and counts per cycle (k, a power of two; the bit-parallel PE)",
      "Sim & Lee 2020 (bit-parallel variant); 1 = bit-serial");
    v("early_termination", early_termination,
      "SC PE: a step ends when its largest counted activation is exhausted (else it always takes the worst case "
      "ceil((2^A - 1) / k) cycles)",
      "Sim & Lee 2020");
    v("weight_bits", weight_bits, Range{2, 8}, "bits",
      "largest weight precision B the PEs are built for (a network may use fewer: QUANT_BITS)",
      "Sim & Lee 2020 (8-bit CNNs)");
    v("activation_bits", activation_bits, Range{1, 8}, "bits", "largest activation precision A the PEs are built for",
      "Sim & Lee 2020 (8-bit CNNs)");
    v("accumulator_bits", accumulator_bits, Range{4, 62}, "bits",
      "width of each row's accumulator (two's complement); a layer whose sums could overflow it is refused",
      "assumption: 32 bits, the int32 accumulators of 8-bit inference");
    v("weight_memory_bytes", weight_memory_bytes, Range{8, 268435456}, "bytes",
      "weight SRAM: every layer's int8 weights back to back, 8-byte aligned (the WEIGHT window)",
      "assumption: 32 KiB holds the shipped Fashion-MNIST CNN (28 880 weights, docs/training.md)");
    v("weight_port_bits", weight_port_bits, Range{0, 1048576}, "bits",
      "weight-memory read port per cycle; 0 = one array step's weights (rows x columns x 8 bits)",
      "assumption: the weights of a step arrive in one cycle");
    v("activation_bytes", activation_bytes, Range{1, 16777216}, "bytes",
      "capacity of each of the two activation banks (one byte per activation)",
      "assumption: 16 KiB holds the shipped CNN's largest map (28 x 28 x 16 before pooling)");
    v("activation_port_bits", activation_port_bits, Range{0, 1048576}, "bits",
      "activation bank / input buffer port per cycle; 0 = one array step's activations (columns x 8 bits)",
      "assumption: a step's activations arrive in one cycle");
    v("input_bytes", input_bytes, Range{1, 65536}, "bytes", "input buffer capacity (the image's 8-bit pixels)",
      "assumption: one 28 x 28 image with room");
    v("param_entries", param_entries, Range{1, 983040}, "neurons",
      "per-neuron parameter memory, 16 bytes a neuron (requant multiplier and bias, or output scale and offset)",
      "assumption: 512 neurons (8 KiB); the shipped CNN has 58");
    v("max_layers", max_layers, Range{1, 64}, "layers", "layer descriptor registers", "assumption");
    v("max_classes", max_classes, Range{2, 16384}, "classes", "output score registers", "assumption");
    v("fault.stream_ber", fault.stream_ber, Range{0, 1}, "",
      "SC PE: probability that each counted weight-stream bit is read inverted (seeded, replayable per image)",
      "experiment setting: 0 = fault-free");
    v("fault.product_ber", fault.product_ber, Range{0, 1}, "",
      "binary PE: probability that each bit of each B+A-bit product word flips", "experiment setting: 0 = fault-free");
    v("fault.accumulator_ber", fault.accumulator_ber, Range{0, 1}, "",
      "both PEs: probability that each accumulator bit flips, once per array step it is written",
      "experiment setting: 0 = fault-free");
  }

  MacArrayShape shape() const { return {rows, columns}; }
  MacPrecision precision() const {
    return {weight_bits, activation_bits, stream_bits_per_cycle, early_termination, accumulator_bits};
  }
  uint32_t weight_port() const { return weight_port_bits ? weight_port_bits : rows * columns * 8; }
  uint32_t activation_port() const { return activation_port_bits ? activation_port_bits : columns * 8; }
  // Cross-field rules, the PE kind's own included; throws InputError naming the keys.
  void validate() const {
    if (accumulator_bits < weight_bits + activation_bits)
      throw InputError("accel.mac.accumulator_bits = " + std::to_string(accumulator_bits) +
                       " cannot hold one product of accel.mac.weight_bits + accel.mac.activation_bits = " +
                       std::to_string(weight_bits + activation_bits) + " bits");
    const MacPeKind& kind = mac_pe_kind(pe);
    if (kind.validate) kind.validate(precision(), fault);
  }
};

// What a MacCore runs: the layer program, where each layer's weights start in the weight
// memory (bytes), and the network's precision (the QUANT_BITS register).
struct MacProgram {
  std::vector<LayerShape> layers;
  std::vector<uint32_t> weight_bases;
  uint32_t weight_bits = 8, activation_bits = 8;
};

// Layers back to back, each starting 8-byte aligned: the layout the host driver programs.
std::vector<uint32_t> mac_weight_layout(const std::vector<LayerShape>& layers);
// Bytes the layout's last layer ends at.
uint64_t mac_weight_bytes(const std::vector<LayerShape>& layers);
// Checks that a program fits the hardware (precision, sizes, geometry, accumulator width);
// throws std::invalid_argument naming the parameter that is too small.
void check_mac_program(const MacParams& params, const MacProgram& program);

// The weight SRAM: int8 weights written by the host, read one array step at a time.
class WeightMemory : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  WeightMemory(sc_core::sc_module_name name, uint32_t bytes);
  WeightMemory(const WeightMemory&) = delete;
  WeightMemory& operator=(const WeightMemory&) = delete;

  uint32_t size_bytes() const { return uint32_t(bytes_.size()); }
  // A bus write (`count` false for debug writes) and an uncounted bus read.
  void write(uint32_t offset, const uint8_t* data, uint32_t len, const uint8_t* byte_enable, uint32_t be_len,
             bool count);
  void read(uint32_t offset, uint8_t* data, uint32_t len) const;
  const int8_t* weights(uint32_t offset) const { return bytes_.data() + offset; }
  uint8_t* data() { return reinterpret_cast<uint8_t*>(bytes_.data()); }
  // Bumped by every write: a core re-checks the weights' range when it changes.
  uint64_t version() const { return version_; }
  void count_fetch(uint64_t bits) { bits_read_.add(bits); }

  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  std::vector<int8_t> bytes_;
  uint64_t version_ = 0;
  LayerCounter bits_read_, bytes_written_;
};

// The hidden layers' requantisers, one per array row: q = clamp((acc x multiplier + bias)
// >> kRequantShift, 0, 2^A - 1), a 32 x 32 multiply, an add and a clamp per output value.
class RequantUnit : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  static constexpr uint32_t kShift = 24;  // stimuli/network.h kRequantShift (the platform checks they agree)
  RequantUnit(sc_core::sc_module_name name, uint32_t units) : sc_core::sc_module(name), units_(units) {}
  RequantUnit(const RequantUnit&) = delete;
  RequantUnit& operator=(const RequantUnit&) = delete;

  uint32_t requant(int64_t acc, int32_t multiplier, int64_t bias, uint32_t activation_bits) {
    requants_.add();
    const int64_t q = (acc * multiplier + bias) >> kShift;
    const int64_t top = (int64_t(1) << activation_bits) - 1;
    return uint32_t(q < 0 ? 0 : q > top ? top : q);
  }

  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  uint32_t units_;
  LayerCounter requants_;
};

// The MAC-array accelerator core without its bus face (docs/timing.md, "MAC-array
// datapath"): a rows x columns array of PEs of the registered kind accel.mac.pe, the weight
// memory, the parameter memory (16 bytes a neuron: two 64-bit entries), the input buffer, two
// activation banks of bytes, the requantisers and the output scorer, and the sequencer, an
// SC_THREAD of its own like BnnCore's: start() wakes it, it fetches its job (the bus face's
// registers), runs the image layer by layer waiting the cycles each layer takes, and
// notifies done_event(). The functional result is the quantised network's integer
// arithmetic with the PE kind's product (binary_mac: exact; sc_cnn: sc_product), bit for bit.
// A layer, output position by position, row tile by row tile, column tile by column tile,
// one call to the PE array per array step:
//   fetch      the step's weights (weight memory) and activations (bank, or input buffer),
//              double-buffered: exposed when a fetch outlasts the previous step's compute
//   compute    the PE array's cycles per step, plus its pipeline fill per layer
//   requant    hidden layers: one cycle per row tile and position (a requantiser per row)
//   writeback  hidden layers: the outputs (max-pooled by read-modify-write) to the other bank
//   argmax     output layer: one class scored and compared per cycle
class MacCore : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  struct Job {
    uint64_t image = 0;  // positions the PE array's fault streams (IMAGE_INDEX)
  };
  // Called by the sequencer when a run begins; may load_program() and may throw
  // std::invalid_argument, which ends the run with that error.
  using JobSource = std::function<Job()>;
  using RunResult = CoreRunResult;

  MacCore(sc_core::sc_module_name name, const MacParams& params, const sc_core::sc_time& clock_period);
  MacCore(const MacCore&) = delete;
  MacCore& operator=(const MacCore&) = delete;

  const MacParams& params() const { return params_; }
  sc_core::sc_time clock_period() const { return period_; }

  void set_job_source(JobSource source) { jobs_.set_source(std::move(source)); }
  void start(const sc_core::sc_time& delay) { sequencer_.start(delay); }
  const sc_core::sc_event& done_event() const { return sequencer_.done_event(); }
  const RunResult& last_run() const { return sequencer_.last_run(); }
  // A program for the next run; it stays pending until it loads (configure()).
  void load_program(MacProgram program) { jobs_.load(std::move(program)); }

  // Loads the program; throws std::invalid_argument naming the parameter that is too small.
  void configure(const MacProgram& program);
  bool configured() const { return !program_.layers.empty(); }
  const MacProgram& program() const { return program_; }
  size_t layer_count() const { return program_.layers.size(); }

  // Takes the image out of the input buffer and positions the fault streams (job.image);
  // checks the weights' range when the weight memory changed. Returns its cycles (0).
  uint64_t start_image(const Job& job);
  // Runs layer `l` on the current input; returns its cycles (also in cycles()).
  uint64_t run_layer(size_t l);

  const std::vector<int32_t>& scores() const { return scores_; }
  uint32_t predicted_class() const { return predicted_; }
  const CycleLedger& cycles() const { return ledger_; }
  // The layer being timed now, -1 outside the layers (CoreSequencer::active_layer).
  const int32_t& active_layer() const { return sequencer_.active_layer(); }
  MacPeArray& pe_array() { return *pes_; }
  const MacPeArray& pe_array() const { return *pes_; }

  // The PE array's injected faults: "mac_datapath" (SC: counted stream bits, binary: product
  // bits; configured rate: the larger of accel.mac.fault.stream_ber and product_ber, the one
  // the kind reads) and "mac_accumulator" (accumulator bits written).
  ErrorTally collect_errors() const;
  // The controller and the output scorer; every child module counts for itself.
  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  // Declared first: the children are built in this order (the accounting walker's order).
  MacParams params_;
  std::unique_ptr<MacPeArray> pes_;

 public:
  InputBuffer input_buffer;
  ActivationBuffer activations;
  WeightMemory weight_memory;
  ParamMemory param_memory;  // two 64-bit entries a neuron
  RequantUnit requant_unit;

 private:
  // How a layer's array steps add up (docs/timing.md): double-buffered fetches against the
  // previous step's compute.
  struct StepTimeline {
    uint64_t fetch = 0, compute = 0, previous_compute = 0;
    bool started = false;
    void add(uint64_t fetch_cycles, uint64_t compute_cycles);
  };
  // The receptive field of output position `position` of layer `l` (HWC, zero padding)
  // into window_; the values it reads from the tensor (not padding) per column tile.
  void gather_window(size_t l, const uint8_t* tensor, uint64_t position);
  // Row tile `rt` of the window's outputs: one PE-array step per column tile into sums_.
  void run_row_tile(size_t l, uint32_t rt, StepTimeline& timeline);
  void requant_row_tile(size_t l, uint32_t rt, uint8_t* out);
  uint64_t write_outputs(size_t l);
  void score_outputs(size_t l);
  void check_weights();
  void sequencer();
  void run_job(const CoreSequencer::Spend& spend);

  sc_core::sc_time period_;
  CoreJobs<Job, MacProgram> jobs_;
  CoreSequencer sequencer_;
  MacProgram program_;
  std::vector<uint32_t> param_bases_;
  uint64_t checked_weights_version_ = ~uint64_t(0);
  std::vector<uint8_t> input_;               // the first layer's activations, p >> (8 - A)
  std::vector<uint8_t> window_;              // the current position's receptive field
  std::vector<uint32_t> tile_reads_;         // values of window_ read from the tensor, per column tile
  std::vector<int64_t> sums_;                // a row tile's accumulators
  std::vector<uint8_t> layer_out_;           // a hidden layer's requantised outputs, per position (HWC)
  std::vector<int64_t> output_sums_;         // the output layer's sums
  std::vector<int32_t> latched_multiplier_;  // the requantisers' parameters (one per row)
  std::vector<int64_t> latched_bias_;
  int64_t latched_row_tile_ = -1;
  OutputScorer scorer_;
  std::vector<int32_t> scores_;
  uint32_t predicted_ = 0;
  CycleLedger ledger_;
  Logger log_{*this, "scbnn/mac_core"};
};

}  // namespace scbnn
