#include "scbnn/models/bnn_core.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "scbnn/models/bit_kernels.h"

namespace scbnn {
namespace {

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

const CoreParams& checked(const CoreParams& p) {
  require(p.array.columns % 64 == 0 && p.array.columns > 0, "accel.array.columns must be a positive multiple of 64");
  require(p.pe_width_bits > 0 && p.buffer_port_bits > 0 && p.read_cycles > 0,
          "accel.pe.width_bits, accel.buffer.port_bits and the sense latency must be positive");
  return p;
}

std::vector<std::unique_ptr<WeightArray>> make_arrays(const CoreParams& p, const WeightArrayFactory& make_array) {
  std::vector<std::unique_ptr<WeightArray>> arrays;
  for (uint32_t i = 0; i < p.array.count; ++i) {
    const std::string name = "array_" + std::to_string(i);
    arrays.push_back(make_array ? make_array(name.c_str(), p.array.rows, p.array.columns)
                                : std::make_unique<WeightArray>(name.c_str(), p.array.rows, p.array.columns));
  }
  return arrays;
}

std::vector<std::unique_ptr<XnorPopcountPe>> make_pes(const CoreParams& p) {
  std::vector<std::unique_ptr<XnorPopcountPe>> pes;
  for (uint32_t i = 0; i < p.array.count; ++i)
    pes.push_back(std::make_unique<XnorPopcountPe>(("pe_" + std::to_string(i)).c_str(), p.pe_width_bits));
  return pes;
}

std::vector<std::string> or_built(std::vector<std::string> first_layers, const CoreParams& p) {
  return first_layers.empty() ? p.built_first_layers() : first_layers;
}

std::vector<std::unique_ptr<FirstLayerDatapath>> make_first_layers(const CoreParams& p,
                                                                   const std::vector<std::string>& names) {
  std::vector<std::unique_ptr<FirstLayerDatapath>> built;
  for (const auto& n : names) built.push_back(first_layer_kind(n).build(p));
  return built;
}

}  // namespace

uint32_t accumulator_bits(const CoreParams& p, const std::vector<std::string>& first_layers) {
  uint64_t bound = p.activation_bits;
  for (const auto& n : or_built(first_layers, p)) bound = std::max(bound, first_layer_kind(n).largest_sum(p));
  return ceil_log2(uint32_t(std::min<uint64_t>(bound + 1, uint64_t(1) << 31))) + 1;  // magnitude bits + sign
}

BnnCore::BnnCore(sc_core::sc_module_name name, const CoreParams& p, const sc_core::sc_time& clock_period,
                 const WeightArrayFactory& make_array, std::vector<std::string> first_layers)
    : sc_core::sc_module(name),
      params_(checked(p)),
      arrays_(make_arrays(p, make_array)),
      pes_(make_pes(p)),
      first_layer_names_(or_built(std::move(first_layers), p)),
      first_layers_(make_first_layers(p, first_layer_names_)),
      input_buffer("input_buffer", p.input_bytes),
      activations("activations", p.activation_bits, p.buffer_port_bits),
      param_memory("param_memory", p.param_entries),
      threshold_unit("threshold_unit", {accumulator_bits(p, first_layer_names_), p.array.count, p.activation_bits}),
      period_(clock_period) {
  SC_HAS_PROCESS(BnnCore);
  SC_THREAD(sequencer);
}

void BnnCore::sequencer() {
  for (;;) {
    sc_core::wait(start_event_);
    const sc_core::sc_time begin = sc_core::sc_time_stamp();
    last_run_ = run_job();
    last_run_.duration = sc_core::sc_time_stamp() - begin;
    done_event_.notify();
  }
}

BnnCore::RunResult BnnCore::run_job() {
  RunResult result;
  try {
    require(bool(job_source_), "no job source (the bus face sets it)");
    const Job job = job_source_();
    if (pending_program_) {
      configure(*pending_program_);
      pending_program_.reset();
    }
    const auto spend = [&](uint64_t c) {
      result.cycles += c;
      if (c) sc_core::wait(period_ * double(c));
    };
    spend(start_image(job));
    for (uint32_t round = 0; round < rounds(); ++round)
      for (size_t l = 0; l < layer_count(); ++l) spend(run_layer(l, round));
    spend(finish_image());
  } catch (const sc_core::sc_unwind_exception&) {
    throw;                             // the kernel is killing this thread
  } catch (const std::exception& e) {  // a bad program, or a model limit: reported, never a crash
    result.error = e.what();
  }
  return result;
}

BnnCore::Job BnnCore::job_for(FirstLayerMode mode, uint32_t stream_length, uint64_t image) {
  if (mode == FirstLayerMode::fixed) return {"fixed", false, 1, image};
  return {"stochastic", mode == FirstLayerMode::stochastic_vote, stream_length, image};
}

uint64_t BnnCore::start_image(const Job& job) {
  const CurrentLayer in_layer(0);  // preparing the first layer's input is layer 0's work
  require(configured(), "no layer program");
  const auto built = std::find(first_layer_names_.begin(), first_layer_names_.end(), job.first_layer);
  require(built != first_layer_names_.end(),
          "INPUT_MODE " + job.first_layer + " needs the matching first-layer datapath (accel.first_layer_hardware)");
  FirstLayerDatapath& datapath = *first_layers_[size_t(built - first_layer_names_.begin())];
  datapath.check_job(job.stream_length, job.vote);
  first_layer_ = &datapath;
  vote_ = job.vote;
  stream_length_ = job.stream_length;
  const uint32_t inputs = mapping_.layers[0].shape.inputs;
  for (auto& a : arrays_) a->begin_inference(sc_core::sc_time_stamp(), job.image);
  const uint64_t cycles = datapath.prepare(input_buffer, inputs, job.stream_length, job.image, planes_, ledger_);
  if (stream_log_) stream_log_->push_back(planes_);
  votes_.assign(mapping_.layers.back().shape.outputs, 0);
  return cycles;
}

uint64_t BnnCore::finish_image() {
  if (!vote_) return 0;
  const CurrentLayer in_layer(mapping_.layers.size() - 1);  // the vote ends the last layer
  scores_.assign(votes_.begin(), votes_.end());
  predicted_ = threshold_unit.argmax(scores_.data(), uint32_t(scores_.size()));
  const size_t last = mapping_.layers.size() - 1;
  ledger_.add(last, "layer" + std::to_string(last), "vote", scores_.size());
  return scores_.size();
}

Mapping map_program(const CoreParams& p, const std::vector<LayerShape>& layers) {
  require(!layers.empty(), "the layer program is empty (NUM_LAYERS is 0)");
  require(layers.size() <= p.max_layers, "the network has " + std::to_string(layers.size()) +
                                             " layers but accel.max_layers is " + std::to_string(p.max_layers));
  require(layers[0].inputs <= p.input_bytes, "the first layer takes " + std::to_string(layers[0].inputs) +
                                                 " inputs but accel.input_buffer.bytes is " +
                                                 std::to_string(p.input_bytes));
  uint32_t neurons = 0;
  for (size_t l = 0; l < layers.size(); ++l) {
    require(layers[l].inputs > 0 && layers[l].outputs > 0, "layer " + std::to_string(l) + " has a zero size");
    require(l == 0 || layers[l].inputs == layers[l - 1].outputs,
            "layer " + std::to_string(l) + " inputs do not match layer " + std::to_string(l - 1) + " outputs");
    require(l + 1 == layers.size() || layers[l].outputs <= p.activation_bits,
            "layer " + std::to_string(l) + " produces " + std::to_string(layers[l].outputs) +
                " activations but accel.buffer.activation_bits is " + std::to_string(p.activation_bits));
    neurons += layers[l].outputs;
  }
  require(neurons <= p.param_entries, "the network has " + std::to_string(neurons) +
                                          " neurons but accel.param_entries is " + std::to_string(p.param_entries));
  require(layers.back().outputs <= p.max_classes, "the output layer has " + std::to_string(layers.back().outputs) +
                                                      " classes but accel.max_classes is " +
                                                      std::to_string(p.max_classes));
  return map_dense_layers(layers, p.array);
}

void BnnCore::configure(const std::vector<LayerShape>& layers) {
  mapping_ = map_program(params_, layers);
  param_bases_.clear();
  uint32_t base = 0;
  for (const auto& s : layers) {
    param_bases_.push_back(base);
    base += s.outputs;
  }
  if (log_.enabled(LogLevel::info)) {
    std::string shape = std::to_string(layers[0].inputs);
    for (const auto& s : layers) shape += "-" + std::to_string(s.outputs);
    log_.info("layer program " + shape + " mapped on " + std::to_string(mapping_.arrays_used) + " of " +
              std::to_string(arrays_.size()) + " arrays");
  }
}

uint64_t BnnCore::run_layer(size_t l, uint32_t round) {
  const CurrentLayer in_layer(l);
  const LayerMapping& lm = mapping_.layers.at(l);
  const bool first = l == 0, last = l + 1 == mapping_.layers.size();
  const uint32_t passes = first ? first_layer_->pass_count(stream_length_, vote_) : 1;
  const std::string layer_name = "layer" + std::to_string(l);
  if (log_.enabled(LogLevel::debug))
    log_.debug(layer_name + " starts: " + std::to_string(passes) + " input passes over " +
               std::to_string(lm.tiles.size()) + " tiles");
  accumulators_.assign(lm.shape.outputs, 0);

  uint64_t fetch = 0, compute = 0;
  for (uint32_t pass = 0; pass < passes; ++pass) {
    const uint32_t shift = first ? first_layer_->pass_shift(pass) : 0;
    const uint64_t* x;
    if (first) {
      x = planes_[vote_ ? round : pass].data();
    } else {
      x = activations.bank(l).data();
      activations.count_read(lm.shape.inputs);
    }
    for (uint32_t ct = 0; ct < lm.col_tiles; ++ct) fetch += activations.access_cycles(lm.tiles[ct].inputs);

    uint64_t slowest = 0;
    for (const Tile& t : lm.tiles) {
      WeightArray& array = *arrays_[t.array];
      XnorPopcountPe& pe = *pes_[t.array];
      const uint32_t words = (t.inputs + 63) / 64;
      partials_.resize(t.outputs);
      pe.dot_rows(array.sense_rows(0, t.outputs, words), t.outputs, x + t.first_input / 64, t.inputs, partials_.data());
      threshold_unit.accumulate_rows(&accumulators_[t.first_output], partials_.data(), t.outputs, shift);
      const uint64_t busy =
          uint64_t(t.outputs) * std::max(params_.read_cycles * array.sense_steps(), pe.beats(t.inputs));
      slowest = std::max(slowest, busy);
    }
    compute += slowest + params_.read_cycles * arrays_[lm.tiles[0].array]->sense_steps() +
               pes_[lm.tiles[0].array]->pipeline_depth();
  }
  ledger_.add(l, layer_name, "fetch", fetch);
  ledger_.add(l, layer_name, "compute", compute);

  const uint64_t reduce = ceil_log2(lm.col_tiles) + 1;
  ledger_.add(l, layer_name, "reduce", reduce);
  uint64_t finish;
  if (!last) {
    std::vector<uint64_t>& out = activations.bank(l + 1);
    std::fill(out.begin(), out.end(), 0);
    for (uint32_t j = 0; j < lm.shape.outputs; ++j) {
      const ParamMemory::Entry& e = param_memory.entry(param_base(l) + j);
      if (threshold_unit.fire(accumulators_[j], e.first, e.second)) out[j / 64] |= uint64_t(1) << (j % 64);
    }
    activations.count_write(lm.shape.outputs);
    finish = activations.access_cycles(lm.shape.outputs);
    ledger_.add(l, layer_name, "writeback", finish);
  } else {
    scores_.resize(lm.shape.outputs);
    for (uint32_t j = 0; j < lm.shape.outputs; ++j) {
      const ParamMemory::Entry& e = param_memory.entry(param_base(l) + j);
      scores_[j] = threshold_unit.score(accumulators_[j], e.first, e.second);
    }
    predicted_ = threshold_unit.argmax(scores_.data(), lm.shape.outputs);
    finish = lm.shape.outputs;  // one comparison per class
    ledger_.add(l, layer_name, "argmax", finish);
    if (vote_) ++votes_[predicted_];
  }
  if (log_.enabled(LogLevel::debug))
    log_.debug(layer_name + " ends: " + std::to_string(fetch + compute + reduce + finish) + " cycles (fetch " +
               std::to_string(fetch) + ", compute " + std::to_string(compute) + ", reduce " + std::to_string(reduce) +
               (last ? ", argmax " : ", writeback ") + std::to_string(finish) + ")");
  return fetch + compute + reduce + finish;
}

std::vector<StreamMetrics> BnnCore::stream_quality(const std::vector<uint32_t>& lengths) const {
  for (const auto& datapath : first_layers_)
    if (auto metrics = datapath->stream_quality(lengths)) return *metrics;
  throw std::logic_error(std::string(name()) + " has no SNGs (accel.first_layer_hardware)");
}

ErrorTally BnnCore::collect_errors() const {
  ErrorTally tally;
  for (const auto& a : arrays_) a->collect_errors(tally);
  return tally;
}

void BnnCore::collect_actions(ActionLedger& ledger) const {
  LayerCounts cycles;
  for (const auto& l : ledger_.layers()) cycles.layers.push_back(l.total());
  ledger.add(name() + std::string(".controller"), component_class::kController, action::kCycle, cycles);
}

void BnnCore::collect_hardware(HardwareInventory& inventory) const {
  inventory.add(name() + std::string(".controller"), component_class::kController, "instance", 1,
                "sequencer and clock tree");
}

}  // namespace scbnn
