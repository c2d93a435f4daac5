#include "scbnn/models/mac_core.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "scbnn/base/byte_enables.h"
#include "scbnn/base/component_names.h"
#include "scbnn/base/layer_counter.h"

namespace scbnn {
namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

std::string layer_name(size_t l) { return "layer" + std::to_string(l); }

// The largest |sum| a layer of `inputs` terms can reach with the kind's products: an exact
// product is at most (2^(B-1) - 1)(2^A - 1); a bitstream product counts at most
// ceil(a / 2^m) periods of |w| ones, each worth 2^m (m = B - 1).
uint64_t largest_sum(uint64_t inputs, uint32_t weight_bits, uint32_t activation_bits) {
  const uint64_t m = weight_bits - 1, w = (uint64_t(1) << m) - 1, a = (uint64_t(1) << activation_bits) - 1;
  return inputs * std::max(w * a, (uint64_t(1) << m) * ceil_div(a, uint64_t(1) << m) * w);
}

// The two 64-bit parameter entries of neuron j: (multiplier or scale, 0 or offset), bias.
int64_t entry_bias(const ParamMemory::Entry& e) {
  return int64_t(uint64_t(uint32_t(e.first)) | (uint64_t(uint32_t(e.second)) << 32));
}

}  // namespace

std::vector<uint32_t> mac_weight_layout(const std::vector<LayerShape>& layers) {
  std::vector<uint32_t> bases;
  uint64_t at = 0;
  for (const LayerShape& s : layers) {
    bases.push_back(uint32_t(std::min<uint64_t>(at, UINT32_MAX)));
    at = ceil_div(at + uint64_t(s.inputs) * s.outputs, 8) * 8;
  }
  return bases;
}

uint64_t mac_weight_bytes(const std::vector<LayerShape>& layers) {
  if (layers.empty()) return 0;
  return uint64_t(mac_weight_layout(layers).back()) + uint64_t(layers.back().inputs) * layers.back().outputs;
}

void check_mac_program(const MacParams& p, const MacProgram& program) {
  const auto& layers = program.layers;
  require(!layers.empty(), "the layer program is empty (NUM_LAYERS is 0)");
  require(layers.size() <= p.max_layers, "the network has " + std::to_string(layers.size()) +
                                             " layers but accel.mac.max_layers is " + std::to_string(p.max_layers));
  require(program.weight_bits >= 2 && program.weight_bits <= p.weight_bits,
          "the network's weights have " + std::to_string(program.weight_bits) +
              " bits (QUANT_BITS) but accel.mac.weight_bits is " + std::to_string(p.weight_bits) +
              " (quantised weights have 2 or more bits)");
  require(program.activation_bits >= 1 && program.activation_bits <= p.activation_bits,
          "the network's activations have " + std::to_string(program.activation_bits) +
              " bits (QUANT_BITS) but accel.mac.activation_bits is " + std::to_string(p.activation_bits));
  require(program.weight_bases.size() == layers.size(), "the program has no weight base for every layer");
  require(layers[0].input_values() <= p.input_bytes,
          "the first layer takes " + std::to_string(layers[0].input_values()) +
              " inputs but accel.mac.input_bytes is " + std::to_string(p.input_bytes));
  uint64_t neurons = 0;
  for (size_t l = 0; l < layers.size(); ++l) {
    const LayerShape& s = layers[l];
    const std::string name = "layer " + std::to_string(l) + " (" + s.describe() + ")";
    const std::string error = program_layer_error(layers, l);
    require(error.empty(), error);
    require(l + 1 == layers.size() || s.output_values() <= p.activation_bytes,
            "layer " + std::to_string(l) + " produces " + std::to_string(s.output_values()) +
                " activations but accel.mac.activation_bytes is " + std::to_string(p.activation_bytes));
    require(!s.is_conv() || s.positions() * s.outputs <= p.activation_bytes,
            name + " computes " + std::to_string(s.positions() * s.outputs) +
                " values before pooling but accel.mac.activation_bytes is " + std::to_string(p.activation_bytes));
    const uint64_t end = uint64_t(program.weight_bases[l]) + uint64_t(s.inputs) * s.outputs;
    require(end <= p.weight_memory_bytes, name + " has weights up to byte " + std::to_string(end) +
                                              " but accel.mac.weight_memory_bytes is " +
                                              std::to_string(p.weight_memory_bytes));
    const uint64_t bound = largest_sum(s.inputs, program.weight_bits, program.activation_bits);
    require(p.accumulator_bits >= 63 || bound < (uint64_t(1) << (p.accumulator_bits - 1)),
            name + " can sum to " + std::to_string(bound) + " but accel.mac.accumulator_bits is " +
                std::to_string(p.accumulator_bits));
    neurons += s.outputs;
  }
  require(neurons <= p.param_entries, "the network has " + std::to_string(neurons) +
                                          " neurons but accel.mac.param_entries is " + std::to_string(p.param_entries));
  require(layers.back().outputs <= p.max_classes, "the output layer has " + std::to_string(layers.back().outputs) +
                                                      " classes but accel.mac.max_classes is " +
                                                      std::to_string(p.max_classes));
}

WeightMemory::WeightMemory(sc_core::sc_module_name name, uint32_t bytes) : sc_core::sc_module(name), bytes_(bytes, 0) {}

void WeightMemory::write(uint32_t offset, const uint8_t* data, uint32_t len, const uint8_t* be, uint32_t be_len,
                         bool count) {
  copy_enabled_bytes(this->data() + offset, data, len, be, be_len);
  ++version_;
  if (count) bytes_written_.add(len);
}

void WeightMemory::read(uint32_t offset, uint8_t* data, uint32_t len) const {
  std::memcpy(data, bytes_.data() + offset, len);
}

void WeightMemory::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), component_class::kWeightMemory, action::kBitRead, bits_read_.by_layer());
  ledger.add(name(), component_class::kWeightMemory, action::kByteWrite, bytes_written_.by_layer());
}

void WeightMemory::collect_hardware(HardwareInventory& inventory) const {
  inventory.add(name(), component_class::kWeightMemory, "bit", 8.0 * size_bytes(),
                std::to_string(size_bytes()) + " bytes");
}

void RequantUnit::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), component_class::kRequantUnit, action::kRequant, requants_.by_layer());
}

void RequantUnit::collect_hardware(HardwareInventory& inventory) const {
  inventory.add(name(), component_class::kRequantUnit, "instance", units_,
                std::to_string(units_) + " requantisers (32 x 32 multiply, add, shift, clamp), one per row");
}

MacCore::MacCore(sc_core::sc_module_name name, const MacParams& p, const sc_core::sc_time& clock_period)
    : sc_core::sc_module(name),
      params_(p),
      pes_(mac_pe_kind(p.pe).make("pe_array", p.shape(), p.precision(), p.fault, p.seed)),
      input_buffer("input_buffer", p.input_bytes),
      activations("activations", p.activation_bytes * 8, p.activation_port()),
      weight_memory("weight_memory", p.weight_memory_bytes),
      param_memory("param_memory", 2 * p.param_entries),
      requant_unit("requant_unit", p.rows),
      period_(clock_period),
      sequencer_(clock_period),
      sums_(p.rows),
      latched_multiplier_(p.rows),
      latched_bias_(p.rows) {
  SC_HAS_PROCESS(MacCore);
  SC_THREAD(sequencer);
}

void MacCore::sequencer() {
  sequencer_.serve([this](const CoreSequencer::Spend& spend) { run_job(spend); });
}

void MacCore::run_job(const CoreSequencer::Spend& spend) {
  const Job job = jobs_.next([this](const auto& program) { configure(program); });
  spend(start_image(job), -1);
  for (size_t l = 0; l < layer_count(); ++l) spend(run_layer(l), int32_t(l));
}

void MacCore::configure(const MacProgram& program) {
  check_mac_program(params_, program);
  pes_->set_operand_bits(program.weight_bits, program.activation_bits);
  program_ = program;
  checked_weights_version_ = ~uint64_t(0);
  param_bases_.clear();
  uint32_t base = 0;
  for (const auto& s : program.layers) {
    param_bases_.push_back(base);
    base += s.outputs;
  }
  if (log_.enabled(LogLevel::info)) {
    std::string shape = std::to_string(program.layers[0].inputs);
    for (const auto& s : program.layers) shape += "-" + std::to_string(s.outputs);
    log_.info("layer program " + shape + " at " + std::to_string(program.weight_bits) + "-bit weights, " +
              std::to_string(program.activation_bits) + "-bit activations on a " + std::to_string(params_.rows) +
              " x " + std::to_string(params_.columns) + " " + params_.pe + " array");
  }
}

// Weights outside the program's precision would index past the PE's product table: checked
// whenever the weight memory has changed since the last check.
void MacCore::check_weights() {
  if (checked_weights_version_ == weight_memory.version()) return;
  const int32_t top = (1 << (program_.weight_bits - 1)) - 1;
  for (size_t l = 0; l < program_.layers.size(); ++l) {
    const LayerShape& s = program_.layers[l];
    const int8_t* w = weight_memory.weights(program_.weight_bases[l]);
    for (uint64_t i = 0; i < uint64_t(s.inputs) * s.outputs; ++i)
      require(w[i] >= -top && w[i] <= top, "layer " + std::to_string(l) + " weight " + std::to_string(i) + " is " +
                                               std::to_string(w[i]) + ", outside the " +
                                               std::to_string(program_.weight_bits) + "-bit range +-" +
                                               std::to_string(top) + " (QUANT_BITS)");
  }
  checked_weights_version_ = weight_memory.version();
}

uint64_t MacCore::start_image(const Job& job) {
  require(configured(), "no layer program");
  check_weights();
  const CurrentLayer in_layer(0);
  const uint32_t n = uint32_t(program_.layers[0].input_values());
  input_.resize(n);
  input_buffer.read(0, input_.data(), n, false);  // counted as the steps read it
  const uint32_t shift = 8 - program_.activation_bits;
  for (auto& v : input_) v = uint8_t(v >> shift);
  pes_->start_image(job.image);
  return 0;
}

void MacCore::StepTimeline::add(uint64_t fetch_cycles, uint64_t compute_cycles) {
  fetch += started ? (fetch_cycles > previous_compute ? fetch_cycles - previous_compute : 0) : fetch_cycles;
  compute += compute_cycles;
  previous_compute = compute_cycles;
  started = true;
}

void MacCore::gather_window(size_t l, const uint8_t* tensor, uint64_t position) {
  const LayerShape& s = program_.layers[l];
  const uint32_t columns = params_.columns;
  window_.assign(s.inputs, 0);
  tile_reads_.assign(ceil_div(s.inputs, columns), 0);
  if (!s.is_conv()) {
    for (uint32_t i = 0; i < s.inputs; ++i) window_[i] = tensor[i];
    for (uint32_t ct = 0; ct < tile_reads_.size(); ++ct) tile_reads_[ct] = std::min(columns, s.inputs - ct * columns);
    return;
  }
  const ConvGeometry& g = s.conv;
  const int64_t oy = int64_t(position / g.out_width()), ox = int64_t(position % g.out_width());
  const int64_t k = g.kernel, c = g.in_channels;
  for (int64_t ky = 0; ky < k; ++ky) {
    const int64_t y = oy * g.stride - g.padding + ky;
    if (y < 0 || y >= int64_t(g.in_height)) continue;
    for (int64_t kx = 0; kx < k; ++kx) {
      const int64_t x = ox * g.stride - g.padding + kx;
      if (x < 0 || x >= int64_t(g.in_width)) continue;
      const size_t to = size_t((ky * k + kx) * c), from = size_t((y * g.in_width + x) * c);
      for (int64_t ch = 0; ch < c; ++ch) {
        window_[to + size_t(ch)] = tensor[from + size_t(ch)];
        ++tile_reads_[(to + size_t(ch)) / columns];
      }
    }
  }
}

void MacCore::run_row_tile(size_t l, uint32_t rt, StepTimeline& timeline) {
  const LayerShape& s = program_.layers[l];
  const uint32_t rows = std::min(params_.rows, s.outputs - rt * params_.rows);
  const int8_t* weights = weight_memory.weights(program_.weight_bases[l]) + size_t(rt) * params_.rows * s.inputs;
  std::fill(sums_.begin(), sums_.end(), 0);
  for (uint32_t ct = 0, first = 0; first < s.inputs; ++ct, first += params_.columns) {
    const uint32_t columns = std::min(params_.columns, s.inputs - first);
    const uint64_t weight_bits = uint64_t(rows) * columns * 8, activation_bits = uint64_t(tile_reads_[ct]) * 8;
    weight_memory.count_fetch(weight_bits);
    if (l == 0)
      input_buffer.count_read(activation_bits);
    else
      activations.count_read(activation_bits);
    const uint64_t fetch = std::max(ceil_div(weight_bits, params_.weight_port()),
                                    ceil_div(uint64_t(columns) * 8, params_.activation_port()));
    const MacStep step{weights + first, s.inputs, window_.data() + first, rows, columns};
    timeline.add(fetch, pes_->step(step, sums_.data()));
  }
}

// The row tile's sums through the requantisers (their parameters latched while the row tile
// stays the same) into the layer's outputs at this position.
void MacCore::requant_row_tile(size_t l, uint32_t rt, uint8_t* out) {
  const LayerShape& s = program_.layers[l];
  const uint32_t first = rt * params_.rows, rows = std::min(params_.rows, s.outputs - first);
  if (latched_row_tile_ != int64_t(rt)) {
    for (uint32_t r = 0; r < rows; ++r) {
      const uint32_t neuron = param_bases_[l] + first + r;
      latched_multiplier_[r] = param_memory.entry(2 * neuron).first;
      latched_bias_[r] = entry_bias(param_memory.entry(2 * neuron + 1));
    }
    latched_row_tile_ = rt;
  }
  for (uint32_t r = 0; r < rows; ++r)
    out[first + r] =
        uint8_t(requant_unit.requant(sums_[r], latched_multiplier_[r], latched_bias_[r], program_.activation_bits));
}

uint64_t MacCore::run_layer(size_t l) {
  const CurrentLayer in_layer(l);
  const LayerShape& s = program_.layers.at(l);
  const bool last = l + 1 == program_.layers.size();
  const std::string name = layer_name(l);
  const uint8_t* tensor = l == 0 ? input_.data() : activations.bank_bytes(l);
  const uint32_t row_tiles = uint32_t(ceil_div(s.outputs, params_.rows));
  const uint64_t positions = s.positions();
  if (!last) layer_out_.assign(positions * s.outputs, 0);
  output_sums_.assign(last ? s.outputs : 0, 0);
  latched_row_tile_ = -1;

  StepTimeline timeline;
  for (uint64_t p = 0; p < positions; ++p) {
    gather_window(l, tensor, p);
    for (uint32_t rt = 0; rt < row_tiles; ++rt) {
      run_row_tile(l, rt, timeline);
      if (last)
        std::copy(sums_.begin(), sums_.begin() + std::min(params_.rows, s.outputs - rt * params_.rows),
                  output_sums_.begin() + rt * params_.rows);
      else
        requant_row_tile(l, rt, layer_out_.data() + p * s.outputs);
    }
  }
  const uint64_t compute = timeline.compute + pes_->layer_fill_cycles();
  ledger_.add(l, name, "fetch", timeline.fetch);
  ledger_.add(l, name, "compute", compute);
  uint64_t finish;
  if (last) {
    score_outputs(l);
    finish = s.outputs;  // one class scored and compared per cycle
    ledger_.add(l, name, "argmax", finish);
  } else {
    const uint64_t requant = positions * row_tiles;
    ledger_.add(l, name, "requant", requant);
    const uint64_t writeback = write_outputs(l);
    ledger_.add(l, name, "writeback", writeback);
    finish = requant + writeback;
  }
  if (log_.enabled(LogLevel::debug))
    log_.debug(name + " ends: " + std::to_string(timeline.fetch + compute + finish) + " cycles (fetch " +
               std::to_string(timeline.fetch) + ", compute " + std::to_string(compute) + ")");
  return timeline.fetch + compute + finish;
}

void MacCore::score_outputs(size_t l) {
  const LayerShape& s = program_.layers[l];
  scores_.resize(s.outputs);
  for (uint32_t j = 0; j < s.outputs; ++j) {
    const ParamMemory::Entry& e = param_memory.entry(2 * (param_bases_[l] + j));
    scores_[j] = scorer_.score(output_sums_[j], e.first, e.second);
  }
  predicted_ = scorer_.argmax(scores_.data(), s.outputs);
}

// The hidden layer's outputs into the next bank (HWC); a convolution's max-pool takes the max
// over each window, each window element a read-modify-write of the pooled position (counted
// as a write, as BnnCore counts its OR-pooling). Returns the cycles: one port access of the
// channels' bytes per write.
uint64_t MacCore::write_outputs(size_t l) {
  const LayerShape& s = program_.layers[l];
  uint8_t* out = activations.bank_bytes(l + 1);
  const uint64_t channels = s.outputs;
  uint64_t writes = 0;
  if (!s.is_conv() || !s.pool.present()) {
    std::copy(layer_out_.begin(), layer_out_.end(), out);
    writes = s.positions();
  } else {
    const uint32_t w = s.pool.window, stride = s.pool.stride, out_w = s.conv.out_width();
    for (uint32_t py = 0; py < s.output_height(); ++py)
      for (uint32_t px = 0; px < s.output_width(); ++px) {
        uint8_t* pooled = out + (uint64_t(py) * s.output_width() + px) * channels;
        std::fill(pooled, pooled + channels, uint8_t(0));
        for (uint32_t wy = 0; wy < w; ++wy)
          for (uint32_t wx = 0; wx < w; ++wx) {
            const uint8_t* q = layer_out_.data() + (uint64_t(py * stride + wy) * out_w + px * stride + wx) * channels;
            for (uint64_t c = 0; c < channels; ++c) pooled[c] = std::max(pooled[c], q[c]);
          }
        writes += uint64_t(w) * w;
      }
  }
  activations.count_write(writes * channels * 8);
  return writes * ceil_div(channels * 8, params_.activation_port());
}

ErrorTally MacCore::collect_errors() const {
  const MacFaultTally& d = pes_->datapath_faults();
  const MacFaultTally& a = pes_->accumulator_faults();
  const double datapath_rate = std::max(params_.fault.stream_ber, params_.fault.product_ber);
  const double accumulator_rate = params_.fault.accumulator_ber;
  // A source with no rate configured is left out (its bits are exposed, none flips).
  const ErrorCount counts[] = {{d.flips, datapath_rate > 0 ? d.opportunities : 0, datapath_rate},
                               {a.flips, accumulator_rate > 0 ? a.opportunities : 0, accumulator_rate}};
  const char* const names[] = {"mac_datapath", "mac_accumulator"};
  ErrorTally tally;
  add_error_counts(tally, counts, names, 2);
  return tally;
}

void MacCore::collect_actions(ActionLedger& ledger) const {
  LayerCounts cycles;
  for (const auto& l : ledger_.layers()) cycles.layers.push_back(l.total());
  ledger.add(name() + std::string(".controller"), component_class::kController, action::kCycle, cycles);
  scorer_.collect_actions(ledger, name());
}

void MacCore::collect_hardware(HardwareInventory& inventory) const {
  inventory.add(name() + std::string(".controller"), component_class::kController, "instance", 1,
                "sequencer and clock tree");
  scorer_.collect_hardware(inventory, name());
}

}  // namespace scbnn
