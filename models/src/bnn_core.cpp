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
  require(p.reduce.lanes > 0, "accel.reduce.lanes must be positive");
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

// docs/timing.md, "The neuron datapath": the cycles the lanes add after the arrays' last row.
// `neurons` reach the lanes over `arrival` cycles (row tiles in parallel, one row each per
// final interval); `lanes` lanes take one neuron a cycle each, so when ceil(neurons / lanes)
// exceeds the arrival time the arrays stall for the difference.
uint64_t lane_stall(uint64_t neurons, uint32_t lanes, uint64_t arrival) {
  const uint64_t drain = (neurons + lanes - 1) / lanes;
  return drain > arrival ? drain - arrival : 0;
}
uint64_t tree_and_compare(uint32_t col_tiles) { return ceil_log2(col_tiles) + 1; }

// The dense layer's stall, refined by the clocked reference (tests/clocked/README.md): the
// first final interval passes before any neuron reaches the lanes, and the `last_row_tiles`
// row tiles delivering the last row queue behind one another when they outnumber the lanes.
uint64_t dense_lane_stall(uint64_t neurons, uint32_t lanes, uint64_t rows, uint64_t final_interval,
                          uint32_t last_row_tiles) {
  const uint64_t last_delivery = (last_row_tiles + lanes - 1) / lanes - 1;
  const uint64_t drain = (neurons + lanes - 1) / lanes + final_interval - 1;
  const uint64_t arrival = rows * final_interval;
  return std::max(last_delivery, drain > arrival ? drain - arrival : 0);
}

}  // namespace

uint32_t max_first_layer_passes(const CoreParams& p, const std::vector<std::string>& first_layers) {
  uint32_t most = 1;
  for (const auto& n : or_built(first_layers, p)) {
    const FirstLayerKind& kind = first_layer_kind(n);
    if (!kind.max_passes) throw std::logic_error("first-layer datapath " + n + " registers no max_passes");
    most = std::max(most, kind.max_passes(p));
  }
  return most;
}

uint64_t input_latch_bits(const CoreParams& p, const std::vector<std::string>& first_layers) {
  const uint32_t passes = p.loop_order == LoopOrder::pass_inner ? max_first_layer_passes(p, first_layers) : 1;
  return uint64_t(passes) * p.array.columns;
}

uint32_t reduce_tree_inputs(const CoreParams& p) {
  if (p.reduce.tree_inputs > 0) return p.reduce.tree_inputs;
  const uint64_t widest = std::max(p.input_bytes, p.activation_bits);
  return uint32_t((widest + p.array.columns - 1) / p.array.columns);
}

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
      placement_(scbnn::first_layer_placement(p, first_layer_names_)),
      input_buffer("input_buffer", p.input_bytes),
      activations("activations", p.activation_bits, p.buffer_port_bits),
      line_buffer(p.line_buffer_bits ? std::make_unique<LineBuffer>("line_buffer", p.line_buffer_bits) : nullptr),
      input_latches("input_latches", p.array.count, input_latch_bits(p, first_layer_names_)),
      param_memory("param_memory", p.param_entries, p.reduce.lanes),
      // one shift-add accumulator per array that is not a copy (a copy's sums go through its tree)
      threshold_unit("threshold_unit",
                     {accumulator_bits(p, first_layer_names_), p.array.count - placement_.copy_arrays(), p.reduce.lanes,
                      reduce_tree_inputs(p), p.loop_order == LoopOrder::row_inner ? p.array.count * p.array.rows : 0}),
      period_(clock_period),
      sequencer_(clock_period) {
  const std::string wiring = first_layer_hardware_error(placement_, p.array.count);
  require(wiring.empty(), wiring);
  SC_HAS_PROCESS(BnnCore);
  SC_THREAD(sequencer);
}

void BnnCore::sequencer() {
  sequencer_.serve([this](const CoreSequencer::Spend& spend) { run_job(spend); });
}

void BnnCore::run_job(const CoreSequencer::Spend& spend) {
  const Job job = jobs_.next([this](const auto& program) { configure(program); });
  spend(start_image(job), -1);
  for (uint32_t round = 0; round < rounds(); ++round)
    for (size_t l = 0; l < layer_count(); ++l) spend(run_layer(l, round), int32_t(l));
  spend(finish_image(), -1);
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
  const uint32_t inputs = uint32_t(mapping_.layers[0].shape.input_values());
  // The line buffer holds every pass of the first layer's input rows: checked once per
  // program and pass count.
  const uint32_t passes = datapath.pass_count(job.stream_length, job.vote);
  if (passes != line_buffer_checked_passes_) {
    check_line_buffer(program_, passes, line_buffer ? line_buffer->capacity_bits() : 0);
    line_buffer_checked_passes_ = passes;
  }
  for (auto& a : arrays_) a->queue_image_streams(job.image, image_streams_);
  image_streams_.run();  // every array's per-image streams reseeded in one batch
  for (auto& a : arrays_) a->start_inference(sc_core::sc_time_stamp(), job.image);
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

Mapping map_program(const CoreParams& p, const std::vector<LayerShape>& layers,
                    const std::vector<std::string>& first_layers) {
  require(!layers.empty(), "the layer program is empty (NUM_LAYERS is 0)");
  require(layers.size() <= p.max_layers, "the network has " + std::to_string(layers.size()) +
                                             " layers but accel.max_layers is " + std::to_string(p.max_layers));
  require(layers[0].input_values() <= p.input_bytes,
          "the first layer takes " + std::to_string(layers[0].input_values()) +
              " inputs but accel.input_buffer.bytes is " + std::to_string(p.input_bytes));
  uint32_t neurons = 0;
  for (size_t l = 0; l < layers.size(); ++l) {
    const LayerShape& s = layers[l];
    const std::string name = "layer " + std::to_string(l) + " (" + s.describe() + ")";
    const std::string error = program_layer_error(layers, l);
    require(error.empty(), error);
    require(l + 1 == layers.size() || s.output_values() <= p.activation_bits,
            "layer " + std::to_string(l) + " produces " + std::to_string(s.output_values()) +
                " activations but accel.buffer.activation_bits is " + std::to_string(p.activation_bits));
    const uint32_t col_tiles = (s.inputs + p.array.columns - 1) / p.array.columns;
    require(col_tiles <= reduce_tree_inputs(p), name + " has " + std::to_string(col_tiles) +
                                                    " column tiles but accel.reduce.tree_inputs is " +
                                                    std::to_string(reduce_tree_inputs(p)));
    require(s.outputs <= p.activation_bits,
            name + " has " + std::to_string(s.outputs) +
                " neurons but the activation banks hold accel.buffer.activation_bits = " +
                std::to_string(p.activation_bits));
    neurons += s.outputs;
  }
  require(neurons <= p.param_entries, "the network has " + std::to_string(neurons) +
                                          " neurons but accel.param_entries is " + std::to_string(p.param_entries));
  require(layers.back().outputs <= p.max_classes, "the output layer has " + std::to_string(layers.back().outputs) +
                                                      " classes but accel.max_classes is " +
                                                      std::to_string(p.max_classes));
  return map_dense_layers(layers, p.array, first_layer_placement(p, or_built(first_layers, p)));
}

uint64_t line_buffer_bits_needed(const std::vector<LayerShape>& layers, uint32_t first_layer_bits) {
  uint64_t bits = 0;
  for (size_t l = 0; l < layers.size(); ++l)
    bits = std::max(bits, LineBuffer::bits_needed(layers[l], l == 0 ? first_layer_bits : 1));
  return bits;
}

void check_line_buffer(const std::vector<LayerShape>& layers, uint32_t first_layer_bits, uint64_t capacity) {
  for (size_t l = 0; l < layers.size(); ++l) {
    const uint32_t per_value = l == 0 ? first_layer_bits : 1;
    const uint64_t needed = LineBuffer::bits_needed(layers[l], per_value);
    const ConvGeometry& g = layers[l].conv;
    require(needed <= capacity, "layer " + std::to_string(l) + " (" + layers[l].describe() +
                                    ") needs a line buffer of " + std::to_string(needed) + " bits (" +
                                    std::to_string(g.kernel) + " rows x " + std::to_string(g.in_width + 2 * g.padding) +
                                    " columns x " + std::to_string(g.in_channels) + " channels x " +
                                    std::to_string(per_value) + " bits per value) but accel.line_buffer.bits is " +
                                    std::to_string(capacity));
  }
}

void BnnCore::configure(const std::vector<LayerShape>& layers) {
  mapping_ = map_program(params_, layers, first_layer_names_);
  program_ = layers;
  line_buffer_checked_passes_ = 0;
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

const uint64_t* BnnCore::layer_input(size_t l, uint32_t round, uint32_t pass) {
  if (l == 0) return planes_[vote_ ? round : pass].data();
  return activations.bank(l).data();
}

uint64_t BnnCore::run_layer(size_t l, uint32_t round) {
  const CurrentLayer in_layer(l);
  const LayerMapping& lm = mapping_.layers.at(l);
  const uint32_t passes = l == 0 ? first_layer_->pass_count(stream_length_, vote_) : 1;
  if (log_.enabled(LogLevel::debug))
    log_.debug("layer" + std::to_string(l) + " starts: " + lm.shape.describe() + ", " + std::to_string(passes) +
               " input passes over " + std::to_string(lm.tiles.size()) + " tiles");
  return lm.shape.is_conv() ? run_conv_layer(l, round, passes) : run_dense_layer(l, round, passes);
}

// The arrays of a layer run in lock step (docs/timing.md): every tile's row interval is the
// slowest tile's, max(sense, PE beats); the pipeline fill is one sense plus the PE depth.
BnnCore::LayerPace BnnCore::pace(const LayerMapping& lm) const {
  LayerPace pace;
  for (const Tile& t : lm.tiles) {
    const WeightArray& array = *arrays_[t.array];
    pace.interval = std::max(pace.interval, std::max(uint64_t(params_.read_cycles) * array.sense_steps(),
                                                     uint64_t(pes_[t.array]->beats(t.inputs))));
    pace.rows = std::max(pace.rows, t.outputs);
    pace.row_results += t.outputs;
    pace.latched_bits += t.inputs;
  }
  const Tile& first = lm.tiles[0];
  pace.fill = uint64_t(params_.read_cycles) * arrays_[first.array]->sense_steps() + pes_[first.array]->pipeline_depth();
  return pace;
}

// The pipeline fill of a layer's step: a fused first layer's datapath replaces the PE depth
// with its own (the PE and the shift-add or adder tree behind it).
uint64_t BnnCore::fused_fill(const LayerPace& pace, bool fused) const {
  if (!fused) return pace.fill;
  const uint32_t depth = pes_[mapping_.layers[0].tiles[0].array]->pipeline_depth();
  return pace.fill - depth + first_layer_->fused_depth(depth);
}

// The loop order's counts for `passes` passes over the layer's tiles (once per output
// position of a convolution): input bits latched, and in row_inner the partial-sum file's
// entries (pass 0 writes, passes 1..P-2 read and write, the last pass reads; its sum goes
// to the lanes). Returns the final interval: the cycles between two rows' final sums.
uint64_t BnnCore::count_loop_order(const LayerPace& pace, uint32_t passes, uint64_t repeats) {
  input_latches.latch(repeats * passes * pace.latched_bits);
  if (params_.loop_order == LoopOrder::row_inner) {
    const uint64_t entries = repeats * (passes - 1) * pace.row_results;
    threshold_unit.count_partial_sums(entries, entries);
    return pace.interval;
  }
  return passes * pace.interval;
}

uint64_t BnnCore::run_dense_layer(size_t l, uint32_t round, uint32_t passes) {
  const LayerMapping& lm = mapping_.layers.at(l);
  const bool first = l == 0, last = l + 1 == mapping_.layers.size();
  const std::string layer_name = "layer" + std::to_string(l);
  accumulators_.assign(lm.shape.outputs, 0);

  uint64_t fetch = 0;
  const bool fused = first && first_layer_->fuses_passes();  // the datapath runs every pass in one step
  std::vector<const uint64_t*> pass_inputs;
  for (uint32_t pass = 0; fused && pass < passes; ++pass) pass_inputs.push_back(layer_input(l, round, pass));
  for (uint32_t pass = 0; pass < passes; ++pass) {
    const uint32_t shift = first ? first_layer_->pass_shift(pass) : 0;
    const uint64_t* x = layer_input(l, round, pass);
    if (!first) activations.count_read(lm.shape.inputs);
    for (uint32_t ct = 0; ct < lm.col_tiles; ++ct) fetch += activations.access_cycles(lm.tiles[ct].inputs);
    if (fused && pass > 0) continue;  // pass 0's fused step ran them all
    for (const Tile& t : lm.tiles) {
      WeightArray& array = *arrays_[t.array];
      XnorPopcountPe& pe = *pes_[t.array];
      const uint32_t words = (t.inputs + 63) / 64;
      partials_.resize(t.outputs);
      if (fused)
        run_fused_tile(t, pass_inputs);
      else
        pe.dot_rows(array.sense_rows(0, t.outputs, words), t.outputs, x + t.first_input / 64, t.inputs,
                    partials_.data());
      threshold_unit.accumulate_rows(&accumulators_[t.first_output], partials_.data(), t.outputs, fused ? 0 : shift);
    }
  }
  // docs/timing.md, "Per-layer cycles": row_inner refills the pipeline every pass, pass_inner
  // once; a fused first layer (bit-parallel copies, adder tree) takes every pass in one step.
  const LayerPace p = pace(lm);
  const uint32_t steps = fused ? 1 : passes;
  const uint64_t fill = fused_fill(p, fused);
  const uint64_t compute = params_.loop_order == LoopOrder::row_inner ? steps * (p.rows * p.interval + fill)
                                                                      : p.rows * steps * p.interval + fill;
  const uint64_t final_interval = count_loop_order(p, steps, 1);
  if (fused) input_latches.latch((passes - 1) * p.latched_bits);  // every pass's slice is latched
  threshold_unit.count_tree_sums(lm.shape.outputs, lm.col_tiles);
  ledger_.add(l, layer_name, "fetch", fetch);
  ledger_.add(l, layer_name, "compute", compute);

  uint32_t last_row_tiles = 0;
  for (uint32_t rt = 0; rt < lm.row_tiles; ++rt) last_row_tiles += lm.tile(rt, 0).outputs == p.rows;
  const uint64_t reduce =
      dense_lane_stall(lm.shape.outputs, params_.reduce.lanes, p.rows, final_interval, last_row_tiles) +
      tree_and_compare(lm.col_tiles);
  ledger_.add(l, layer_name, "reduce", reduce);
  uint64_t finish;
  if (!last) {
    std::vector<uint64_t>& out = activations.bank(l + 1);
    std::fill(out.begin(), out.end(), 0);
    threshold_unit.fire_into(accumulators_.data(), param_memory.entries(param_base(l), lm.shape.outputs),
                             lm.shape.outputs, out.data());
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

// A convolution, position by position in raster order: the input tensor (every pass of
// it) is streamed once into the line buffer; for each output position the window of each
// pass goes to every tile's array and PE (tiles in parallel), the passes' partial sums are
// shift-added, and each output channel is thresholded. Max-pooling ORs the thresholded
// bits into the pooled output as they are written back.
uint64_t BnnCore::run_conv_layer(size_t l, uint32_t round, uint32_t passes) {
  const LayerMapping& lm = mapping_.layers.at(l);
  const LayerShape& s = lm.shape;
  const bool first = l == 0;
  const std::string layer_name = "layer" + std::to_string(l);
  require(line_buffer != nullptr,
          layer_name + " is a convolution but no line buffer is built (accel.line_buffer.bits)");
  const uint32_t out_h = s.conv.out_height(), out_w = s.conv.out_width(), outputs = s.outputs;
  const size_t words_per_position = (outputs + 63) / 64;

  const uint64_t streamed = uint64_t(passes) * s.input_values();
  line_buffer->fill(streamed);
  if (!first) activations.count_read(s.input_values());
  const uint64_t fetch = (streamed + params_.buffer_port_bits - 1) / params_.buffer_port_bits;

  window_.assign((s.inputs + 63) / 64, 0);
  const bool fused = first && first_layer_->fuses_passes();  // every pass's window, then one fused step
  pass_windows_.assign(fused ? passes : 0, window_);
  std::vector<const uint64_t*> pass_inputs;
  for (const auto& w : pass_windows_) pass_inputs.push_back(w.data());
  conv_bits_.assign(size_t(out_h) * out_w * words_per_position, 0);
  std::vector<uint32_t> shifts(passes, 0);
  std::vector<const uint64_t*> tensors(passes);
  for (uint32_t pass = 0; pass < passes; ++pass) {
    if (first) shifts[pass] = first_layer_->pass_shift(pass);
    tensors[pass] = layer_input(l, round, pass);
  }
  for (uint32_t oy = 0; oy < out_h; ++oy)
    for (uint32_t ox = 0; ox < out_w; ++ox) {
      accumulators_.assign(outputs, 0);
      for (uint32_t pass = 0; pass < passes; ++pass) {
        const uint32_t shift = shifts[pass];
        line_buffer->window(s, tensors[pass], oy, ox, fused ? pass_windows_[pass].data() : window_.data());
        if (fused) continue;  // the fused step below takes every pass's window at once
        for (const Tile& t : lm.tiles) {
          const uint32_t words = (t.inputs + 63) / 64;
          partials_.resize(t.outputs);
          pes_[t.array]->dot_rows(arrays_[t.array]->sense_rows(0, t.outputs, words), t.outputs,
                                  window_.data() + t.first_input / 64, t.inputs, partials_.data());
          threshold_unit.accumulate_rows(&accumulators_[t.first_output], partials_.data(), t.outputs, shift);
        }
      }
      if (fused)
        for (const Tile& t : lm.tiles) {
          run_fused_tile(t, pass_inputs);
          threshold_unit.accumulate_rows(&accumulators_[t.first_output], partials_.data(), t.outputs, 0);
        }
      uint64_t* bits = conv_bits_.data() + (size_t(oy) * out_w + ox) * words_per_position;
      threshold_unit.fire_into(accumulators_.data(), param_memory.entries(param_base(l), outputs), outputs, bits);
    }
  // docs/timing.md, "Convolution layers": the pipeline fills once per layer in both loop
  // orders; the lanes may stall the arrays at every position.
  const LayerPace p = pace(lm);
  const uint32_t steps = fused ? 1 : passes;  // a fused first layer takes every pass in one step
  const uint64_t compute = s.positions() * steps * p.rows * p.interval + fused_fill(p, fused);
  const uint64_t final_interval = count_loop_order(p, steps, s.positions());
  if (fused) input_latches.latch(s.positions() * (passes - 1) * p.latched_bits);  // every pass's window is latched
  threshold_unit.count_tree_sums(s.positions() * outputs, lm.col_tiles);
  const uint64_t reduce = s.positions() * lane_stall(outputs, params_.reduce.lanes, p.rows * final_interval) +
                          tree_and_compare(lm.col_tiles);
  const uint64_t writeback = write_conv_outputs(l);
  ledger_.add(l, layer_name, "fetch", fetch);
  ledger_.add(l, layer_name, "compute", compute);
  ledger_.add(l, layer_name, "reduce", reduce);
  ledger_.add(l, layer_name, "writeback", writeback);
  if (log_.enabled(LogLevel::debug))
    log_.debug(layer_name + " ends: " + std::to_string(fetch + compute + reduce + writeback) + " cycles (fetch " +
               std::to_string(fetch) + ", compute " + std::to_string(compute) + ", reduce " + std::to_string(reduce) +
               ", writeback " + std::to_string(writeback) + ")");
  return fetch + compute + reduce + writeback;
}

// Writes a convolution's thresholded bits (conv_bits_) into the next activation bank in
// HWC order; with max-pooling each output position's bits are OR-written into every pooled
// position whose window holds it (a read-modify-write of the bank, counted as a write).
// Returns the cycles: one port access of the channels' bits per write.
uint64_t BnnCore::write_conv_outputs(size_t l) {
  const LayerShape& s = mapping_.layers[l].shape;
  const uint32_t outputs = s.outputs, out_w = s.conv.out_width();
  const size_t words_per_position = (outputs + 63) / 64;
  std::vector<uint64_t>& out = activations.bank(l + 1);
  std::fill(out.begin(), out.end(), 0);
  const uint64_t access = activations.access_cycles(outputs);
  uint64_t writes = 0;
  if (!s.pool.present()) {
    for (uint64_t pos = 0; pos < s.positions(); ++pos)
      copy_bits(out.data(), pos * outputs, conv_bits_.data() + pos * words_per_position, 0, outputs);
    writes = s.positions();
  } else {
    std::vector<uint64_t> pooled(words_per_position);
    const uint32_t w = s.pool.window, stride = s.pool.stride;
    for (uint32_t py = 0; py < s.output_height(); ++py)
      for (uint32_t px = 0; px < s.output_width(); ++px) {
        std::fill(pooled.begin(), pooled.end(), 0);
        for (uint32_t wy = 0; wy < w; ++wy)
          for (uint32_t wx = 0; wx < w; ++wx) {
            const uint64_t* bits =
                conv_bits_.data() + (size_t(py * stride + wy) * out_w + px * stride + wx) * words_per_position;
            for (size_t k = 0; k < words_per_position; ++k) pooled[k] |= bits[k];
          }
        copy_bits(out.data(), (size_t(py) * s.output_width() + px) * outputs, pooled.data(), 0, outputs);
        writes += uint64_t(w) * w;
      }
  }
  activations.count_write(writes * outputs);
  return writes * access;
}

void BnnCore::run_fused_tile(const Tile& t, const std::vector<const uint64_t*>& pass_inputs) {
  FusedTile tile{&arrays_, &pes_, &mapping_, &t, {}};
  for (const uint64_t* x : pass_inputs) tile.inputs.push_back(x + t.first_input / 64);
  partials_.resize(t.outputs);
  first_layer_->fused_tile(tile, partials_.data());
}

void BnnCore::program_weight(uint32_t array, uint32_t row, uint32_t word, uint64_t value, uint64_t mask,
                             const WritePulse& pulse) {
  arrays_.at(array)->program(row, word, value, mask, pulse);
  if (array >= placement_.arrays) return;
  for (uint32_t c = 1; c < placement_.copies; ++c)
    arrays_[placement_.copy_of(params_.array.count, array, c)]->program(row, word, value, mask, pulse);
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
