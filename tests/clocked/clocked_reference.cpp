// The clocked reference (clocked_reference.h). Conventions of every unit:
//  - one SC_METHOD on the rising clock edge holds the unit's registers; it reads the signals
//    other units wrote at the previous edge and writes its own, which they see at the next;
//  - a handshake transfers a token at edge t when its valid (written at t-1) and the
//    consumer's ready or the lock-step advance (settled before t) are both true; the consumer
//    works on it from cycle t on, so a unit busy for X cycles hands its result on X edges
//    after it took the token;
//  - the tiles of a layer run in lock step: a row is issued to all of them when every array
//    can start it (row advance), a sensed row enters all PEs when every PE can take it (PE
//    advance), and the whole compute datapath (sequencer, arrays, PEs, accumulators) stands
//    still as one in a cycle in which the reduce FIFO cannot take the neurons the
//    accumulators deliver (freeze). These joins are the combinational glue of the model;
//  - every unit reports what it was busy with in each cycle (Activity); nothing here knows a
//    phase's length in advance.
#include "clocked_reference.h"

#include <algorithm>
#include <array>
#include <deque>
#include <ostream>
#include <stdexcept>
#include <utility>

namespace scbnn::clocked {

const char* to_string(LoopOrder order) { return order == LoopOrder::row_inner ? "row_inner" : "pass_inner"; }

LoopOrder loop_order_of(const std::string& name) {
  if (name == "row_inner") return LoopOrder::row_inner;
  if (name == "pass_inner") return LoopOrder::pass_inner;
  throw std::invalid_argument("loop order '" + name + "' is neither row_inner nor pass_inner");
}

namespace {

using sc_core::sc_module_name;
using sc_core::sc_signal;

uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
uint32_t ceil_log2(uint64_t v) {
  uint32_t d = 0;
  while ((uint64_t(1) << d) < v) ++d;
  return d;
}

// Phases in priority order: a cycle in which units of several phases are busy counts for
// the first (the reduce lanes work while the arrays still compute; only their tail and the
// cycles the datapath is frozen for them are reduce cycles).
enum Phase : uint8_t { kSng, kFetch, kCompute, kReduce, kWriteback, kArgmax, kVote, kPhaseCount };
constexpr std::array<const char*, kPhaseCount> kPhaseNames{
    {"sng", "fetch", "compute", "reduce", "writeback", "argmax", "vote"}};

// ---- Tokens on the handshakes (sc_signal needs ==, << and sc_trace) ----

// A row read request from the sequencer, and what travels with it through array, PE and
// accumulator. `closing` ends a pipeline segment (no row): it pushes the last row out of
// the PEs.
struct RowToken {
  bool valid = false, closing = false;
  uint32_t round = 0, layer = 0, pass = 0, row = 0, position = 0, window = 0;
  bool first_pass = false, final_pass = false;
  bool end_of_pass = false;      // last row of a pass whose sums go to the partial-sum file
  bool releases_window = false;  // last row that reads its window's latch slot
  uint64_t serial = 0;
  bool operator==(const RowToken& o) const {
    return valid == o.valid && closing == o.closing && round == o.round && layer == o.layer && pass == o.pass &&
           row == o.row && position == o.position && window == o.window && first_pass == o.first_pass &&
           final_pass == o.final_pass && end_of_pass == o.end_of_pass && releases_window == o.releases_window &&
           serial == o.serial;
  }
};
std::ostream& operator<<(std::ostream& os, const RowToken& t) {
  return os << "row{" << t.valid << (t.closing ? " closing" : "") << " r" << t.round << " l" << t.layer << " p"
            << t.pass << " row" << t.row << " pos" << t.position << " #" << t.serial << "}";
}
[[maybe_unused]] void sc_trace(sc_core::sc_trace_file*, const RowToken&, const std::string&) {}

// One row tile's final sum of one neuron, from an accumulator to the reduce FIFO.
struct Delivery {
  bool valid = false;
  uint32_t round = 0, layer = 0, position = 0, row = 0;
  uint64_t serial = 0;
  bool operator==(const Delivery& o) const {
    return valid == o.valid && round == o.round && layer == o.layer && position == o.position && row == o.row &&
           serial == o.serial;
  }
};
std::ostream& operator<<(std::ostream& os, const Delivery& d) {
  return os << "delivery{" << d.valid << " l" << d.layer << " row" << d.row << "}";
}
[[maybe_unused]] void sc_trace(sc_core::sc_trace_file*, const Delivery&, const std::string&) {}

// A status that names what it is about: (round, layer) and a range or count.
struct Tag {
  bool valid = false;
  uint32_t round = 0, layer = 0;
  uint64_t lo = 0, hi = 0;
  bool operator==(const Tag& o) const {
    return valid == o.valid && round == o.round && layer == o.layer && lo == o.lo && hi == o.hi;
  }
  bool about(uint32_t r, uint32_t l) const { return valid && round == r && layer == l; }
};
std::ostream& operator<<(std::ostream& os, const Tag& t) {
  return os << "tag{" << t.valid << " r" << t.round << " l" << t.layer << " " << t.lo << ".." << t.hi << "}";
}
[[maybe_unused]] void sc_trace(sc_core::sc_trace_file*, const Tag&, const std::string&) {}

// A pulse written every edge: what a unit handed on in that cycle (fill beat bits, lane
// results).
struct Pulse {
  bool valid = false;
  uint32_t round = 0, layer = 0, count = 0;
  uint64_t serial = 0;
  bool operator==(const Pulse& o) const {
    return valid == o.valid && round == o.round && layer == o.layer && count == o.count && serial == o.serial;
  }
};
std::ostream& operator<<(std::ostream& os, const Pulse& p) {
  return os << "pulse{" << p.valid << " r" << p.round << " l" << p.layer << " n" << p.count << "}";
}
[[maybe_unused]] void sc_trace(sc_core::sc_trace_file*, const Pulse&, const std::string&) {}

// ---- The program as the units see it: tiles and counts that follow from the shapes ----

struct LayerPlan {
  LayerShape shape;
  bool conv = false, output = false;
  uint32_t passes = 1;
  uint32_t row_tiles = 0, col_tiles = 0, rows_max = 0, tree_depth = 0;
  uint32_t first_tile = 0, tile_count = 0;
  std::vector<uint32_t> inputs_of_col_tile, rows_of_row_tile;
  uint64_t positions = 1, windows = 0, results = 0, tokens = 0;
  uint32_t window_slots = 0;
};

struct TilePlan {
  uint32_t layer = 0, row_tile = 0, col_tile = 0, rows = 0, inputs = 0, beats = 0;
};

// What every unit was busy with, cycle by cycle.
class Activity {
 public:
  void mark(uint64_t edge, Phase phase, uint32_t layer) {
    if (edge >= cycles_.size()) cycles_.resize(std::max<size_t>(edge + 1, cycles_.size() * 2));
    Cycle& c = cycles_[edge];
    c.phases = uint8_t(c.phases | (1u << phase));
    c.layer[phase] = uint16_t(layer);
    last_ = std::max(last_, edge);
    any_ = true;
  }
  CycleLedger ledger() const {
    CycleLedger out;
    if (!any_) return out;
    // An idle cycle (no unit busy) belongs to the layer whose work follows it.
    std::vector<uint32_t> next_layer(last_ + 1, 0);
    uint32_t following = 0;
    for (uint64_t e = last_ + 1; e-- > 0;) {
      const Cycle& c = cycles_[e];
      if (c.phases) following = c.layer[first_phase(c)];
      next_layer[e] = following;
    }
    for (uint64_t e = 0; e <= last_; ++e) {
      const Cycle& c = cycles_[e];
      if (!c.phases) {
        out.add(next_layer[e], "layer" + std::to_string(next_layer[e]), "idle", 1);
        continue;
      }
      const uint32_t p = first_phase(c);
      out.add(c.layer[p], "layer" + std::to_string(c.layer[p]), kPhaseNames[p], 1);
    }
    return out;
  }

 private:
  struct Cycle {
    uint8_t phases = 0;
    std::array<uint16_t, kPhaseCount> layer{};
  };
  static uint32_t first_phase(const Cycle& c) {
    uint32_t p = 0;
    while (!(c.phases & (1u << p))) ++p;
    return p;
  }
  std::vector<Cycle> cycles_;
  uint64_t last_ = 0;
  bool any_ = false;
};

template <class T>
using Signals = std::vector<std::unique_ptr<sc_signal<T>>>;

template <class T>
Signals<T> make_signals(const std::string& base, size_t n, const T& initial = T{}) {
  Signals<T> v;
  for (size_t i = 0; i < n; ++i)
    v.push_back(std::make_unique<sc_signal<T>>((base + "_" + std::to_string(i)).c_str(), initial));
  return v;
}

// The program, the hardware and every signal between the units.
struct Shared {
  Shared(const Hardware& h, const Program& p) : hw(h), program(p) {
    if (!h.rows || !h.columns || !h.read_cycles || !h.columns_per_sa || !h.pe_width || !h.port_bits ||
        !h.sng_comparators)
      throw std::invalid_argument("clocked reference: every hardware count must be positive");
    if (p.layers.empty()) throw std::invalid_argument("clocked reference: no layers");
    if (p.input != FirstLayerInput::fixed && p.stream_length == 0)
      throw std::invalid_argument("clocked reference: a stochastic first layer needs N >= 1");
    depth = std::max<uint32_t>(1, ceil_log2(h.pe_width));
    if (depth < 2)
      throw std::invalid_argument(
          "clocked reference: the accumulator is the last of the PE's pipeline stages, so it needs a popcount "
          "pipeline of at least 2 stages (pe_width >= 3)");
    rounds = p.input == FirstLayerInput::stochastic_vote ? p.stream_length : 1;
    uint32_t widest = 0, most_row_tiles = 0;
    for (size_t l = 0; l < p.layers.size(); ++l) {
      LayerPlan lp;
      lp.shape = p.layers[l];
      lp.conv = lp.shape.is_conv();
      lp.output = l + 1 == p.layers.size();
      if (l == 0 && p.input == FirstLayerInput::fixed) lp.passes = p.input_bits;
      if (l == 0 && p.input == FirstLayerInput::stochastic_sum) lp.passes = p.stream_length;
      lp.col_tiles = uint32_t(ceil_div(lp.shape.inputs, h.columns));
      lp.row_tiles = uint32_t(ceil_div(lp.shape.outputs, h.rows));
      for (uint32_t ct = 0; ct < lp.col_tiles; ++ct)
        lp.inputs_of_col_tile.push_back(std::min(h.columns, lp.shape.inputs - ct * h.columns));
      for (uint32_t rt = 0; rt < lp.row_tiles; ++rt)
        lp.rows_of_row_tile.push_back(std::min(h.rows, lp.shape.outputs - rt * h.rows));
      lp.rows_max = lp.rows_of_row_tile[0];
      lp.tree_depth = ceil_log2(lp.col_tiles);
      lp.positions = lp.shape.positions();
      lp.windows = lp.conv ? lp.positions * lp.passes : 0;
      lp.results = lp.positions * lp.shape.outputs;
      const uint64_t rows = uint64_t(lp.rows_max) * lp.passes;
      if (lp.conv)
        lp.tokens = lp.positions * rows + 1;
      else
        lp.tokens = h.loop_order == LoopOrder::row_inner ? uint64_t(lp.passes) * (lp.rows_max + 1) : rows + 1;
      lp.window_slots = h.loop_order == LoopOrder::row_inner ? 4 : 2 * lp.passes;
      lp.first_tile = uint32_t(tiles.size());
      for (uint32_t rt = 0; rt < lp.row_tiles; ++rt)
        for (uint32_t ct = 0; ct < lp.col_tiles; ++ct)
          tiles.push_back({uint32_t(l), rt, ct, lp.rows_of_row_tile[rt], lp.inputs_of_col_tile[ct],
                           uint32_t(ceil_div(lp.inputs_of_col_tile[ct], h.pe_width))});
      lp.tile_count = uint32_t(tiles.size()) - lp.first_tile;
      widest = std::max(widest, lp.shape.outputs);
      most_row_tiles = std::max(most_row_tiles, lp.row_tiles);
      layers.push_back(std::move(lp));
    }
    lanes = h.lanes ? h.lanes : widest;
    fifo_capacity = most_row_tiles + lanes - 1;
    const size_t n = tiles.size();
    pe_advance = make_signals<bool>("pe_advance", layers.size(), false);
    sa_idle = make_signals<bool>("sa_idle", n, true);
    pe_ready = make_signals<bool>("pe_ready", n, true);
    array_out = make_signals<RowToken>("array_out", n);
    pe_out = make_signals<RowToken>("pe_out", n);
    released = make_signals<Tag>("released", n);
    pass_done = make_signals<Tag>("pass_done", n);
    delivery = make_signals<Delivery>("delivery", n);
  }

  uint64_t edge() const { return uint64_t(sc_core::sc_time_stamp() / period + 0.5); }
  void mark(Phase p, uint32_t layer) { activity.mark(edge(), p, layer); }

  Hardware hw;
  Program program;
  std::vector<LayerPlan> layers;
  std::vector<TilePlan> tiles;
  uint32_t rounds = 1, lanes = 1, fifo_capacity = 1, depth = 1;
  sc_core::sc_time period{1, sc_core::SC_NS};
  Activity activity;
  Stats stats;
  bool done = false;

  sc_signal<bool> clk{"clk", false};
  sc_signal<RowToken> token{"token"};  // the sequencer's next row request
  sc_signal<bool> row_advance{"row_advance", false}, freeze{"freeze", false};
  sc_signal<Tag> input_tag{"input_tag"};    // the port: first-layer/activation slices or line fill loaded
  sc_signal<Tag> window_tag{"window_tag"};  // the line buffer: windows [0, hi) in the latches
  sc_signal<Tag> sng_done{"sng_done"}, output_done{"output_done"};
  sc_signal<Pulse> fill{"fill"}, results{"results"};
  sc_signal<uint32_t> fifo_space{"fifo_space", 0};
  Signals<bool> pe_advance;  // per layer
  Signals<bool> sa_idle, pe_ready;
  Signals<RowToken> array_out, pe_out;
  Signals<Tag> released, pass_done;
  Signals<Delivery> delivery;
};

// Shared base: an SC_METHOD `tick` on the rising edge.
class Unit : public sc_core::sc_module {
 protected:
  Unit(const sc_module_name& name, Shared& s) : sc_core::sc_module(name), s_(s) {}
  void on_clock() {
    SC_HAS_PROCESS(Unit);
    SC_METHOD(tick);
    sensitive << s_.clk.posedge_event();
    dont_initialize();
  }
  virtual void tick() = 0;
  Shared& s_;
};

// ---- Row sequencer: issues the row requests of every layer in the loop order ----
class Sequencer : public Unit {
 public:
  Sequencer(const sc_module_name& name, Shared& s) : Unit(name, s) { on_clock(); }

 private:
  void tick() override {
    if (!started_) {
      started_ = true;
      s_.token.write(make());
      return;
    }
    if (finished_ || !s_.row_advance.read()) return;  // row_advance includes the token's valid
    if (++index_ == s_.layers[layer_].tokens) {
      index_ = 0;
      if (++layer_ == s_.layers.size()) {
        layer_ = 0;
        if (++round_ == s_.rounds) finished_ = true;
      }
    }
    s_.token.write(finished_ ? RowToken{} : make());
  }
  RowToken make() {
    const LayerPlan& lp = s_.layers[layer_];
    RowToken t;
    t.valid = true;
    t.round = round_;
    t.layer = layer_;
    t.serial = ++serial_;
    const uint64_t i = index_, n = lp.rows_max, passes = lp.passes;
    const bool row_inner = s_.hw.loop_order == LoopOrder::row_inner;
    uint64_t pass = 0, row = 0;
    if (!lp.conv && row_inner) {  // per pass: every row, then a closing token (fill per pass)
      pass = i / (n + 1);
      row = i % (n + 1);
      t.pass = uint32_t(pass);
      if (row == n) {
        t.closing = true;
        return t;
      }
      t.end_of_pass = row + 1 == n && pass + 1 < passes;
    } else if (!lp.conv) {  // per row: every pass, then one closing token
      if (i == n * passes) {
        t.closing = true;
        return t;
      }
      row = i / passes;
      pass = i % passes;
    } else {  // per position (raster order), per pass and row in the loop order
      if (i == lp.positions * n * passes) {
        t.closing = true;
        return t;
      }
      t.position = uint32_t(i / (n * passes));
      const uint64_t rem = i % (n * passes);
      row = row_inner ? rem % n : rem / passes;
      pass = row_inner ? rem / n : rem % passes;
      t.window = uint32_t(t.position * passes + pass);
      t.releases_window = row + 1 == n;
    }
    t.pass = uint32_t(pass);
    t.row = uint32_t(row);
    t.first_pass = pass == 0;
    t.final_pass = pass + 1 == passes;
    return t;
  }
  bool started_ = false, finished_ = false;
  uint32_t round_ = 0, layer_ = 0;
  uint64_t index_ = 0, serial_ = 0;
};

// ---- Lock-step glue (combinational): row advance, PE advance, freeze ----
class Glue : public sc_core::sc_module {
 public:
  Glue(const sc_module_name& name, Shared& s) : sc_core::sc_module(name), s_(s) {
    SC_HAS_PROCESS(Glue);
    SC_METHOD(evaluate);
    sensitive << s.token << s.input_tag << s.window_tag << s.fifo_space;
    for (size_t t = 0; t < s.tiles.size(); ++t)
      sensitive << *s.sa_idle[t] << *s.pe_ready[t] << *s.array_out[t] << *s.delivery[t];
  }

 private:
  void evaluate() {
    // The neurons the accumulators deliver now: one per row tile (its column tiles together).
    uint32_t neurons = 0;
    for (size_t t = 0; t < s_.tiles.size(); ++t)
      if (s_.tiles[t].col_tile == 0 && s_.delivery[t]->read().valid) ++neurons;
    const bool freeze = neurons > s_.fifo_space.read();
    s_.freeze.write(freeze);
    for (size_t l = 0; l < s_.layers.size(); ++l) {
      const LayerPlan& lp = s_.layers[l];
      bool advance = !freeze;
      for (uint32_t t = lp.first_tile; advance && t < lp.first_tile + lp.tile_count; ++t)
        advance = s_.array_out[t]->read().valid && s_.pe_ready[t]->read();
      s_.pe_advance[l]->write(advance);
    }
    const RowToken tok = s_.token.read();
    bool advance = tok.valid && !freeze && input_loaded(tok);
    if (advance) {
      const LayerPlan& lp = s_.layers[tok.layer];
      for (uint32_t t = lp.first_tile; advance && t < lp.first_tile + lp.tile_count; ++t)
        advance = s_.sa_idle[t]->read();
    }
    s_.row_advance.write(advance);
  }
  // The arrays' input latches hold what the row needs: its pass's slice (dense), or the
  // line buffer is filled and the row's window sits in a latch slot (convolution).
  bool input_loaded(const RowToken& t) const {
    if (t.closing) return true;
    const Tag in = s_.input_tag.read();
    if (!in.about(t.round, t.layer) || t.pass < in.lo || t.pass > in.hi) return false;
    if (!s_.layers[t.layer].conv) return true;
    const Tag w = s_.window_tag.read();
    return w.about(t.round, t.layer) && t.window < w.hi;
  }
  Shared& s_;
};

// ---- SNG comparator bank: `comparators` pixels per cycle, N samples ----
class SngBank : public Unit {
 public:
  SngBank(const sc_module_name& name, Shared& s) : Unit(name, s) { on_clock(); }

 private:
  void tick() override {
    if (s_.program.input == FirstLayerInput::fixed || done_) return;
    s_.mark(kSng, 0);
    ++s_.stats.sng_cycles;
    pixel_ += s_.hw.sng_comparators;
    if (pixel_ < s_.layers[0].shape.input_values()) return;
    pixel_ = 0;
    if (++sample_ < s_.program.stream_length) return;
    done_ = true;
    s_.sng_done.write({true, 0, 0, 0, sample_});
  }
  uint64_t pixel_ = 0;
  uint32_t sample_ = 0;
  bool done_ = false;
};

// ---- Buffer port: port_bits per cycle; fetch (into the latches or the line buffer) and
//      writeback; sequences the layers' data movement ----
class BufferPort : public Unit {
 public:
  BufferPort(const sc_module_name& name, Shared& s) : Unit(name, s) { on_clock(); }

 private:
  enum class Wait { start, beats, pass_done, results, output_done, finished };
  enum class What { fetch_pass, fetch_all, fill, writeback };

  void tick() override {
    const Pulse r = s_.results.read();
    switch (wait_) {
      case Wait::start:
        if (s_.program.input == FirstLayerInput::fixed || s_.sng_done.read().valid) start_fetch();
        break;
      case Wait::pass_done: {
        const LayerPlan& lp = s_.layers[layer_];
        bool all = true;
        for (uint32_t t = lp.first_tile; all && t < lp.first_tile + lp.tile_count; ++t) {
          const Tag d = s_.pass_done[t]->read();
          all = d.about(round_, layer_) && d.lo + 1 == pass_;
        }
        if (all) start_fetch();
        break;
      }
      case Wait::results:
        if (r.valid && r.round == round_ && r.layer == layer_) {
          received_ += r.count;
          if (received_ == s_.layers[layer_].results) start_writeback();
        }
        break;
      case Wait::output_done:
        if (s_.output_done.read().about(round_, layer_)) {
          layer_ = 0;
          if (++round_ < s_.rounds)
            start_fetch();
          else
            wait_ = Wait::finished;
        }
        break;
      default: break;
    }
    Pulse fill;
    if (wait_ == Wait::beats) {
      const uint32_t bits = beats_[beat_++];
      s_.mark(what_ == What::writeback ? kWriteback : kFetch, layer_);
      ++s_.stats.port_beats;
      if (what_ == What::fill) fill = {true, round_, layer_, bits, ++serial_};
      if (beat_ == beats_.size()) finish_job();
    }
    s_.fill.write(fill);
  }

  void add_beats(uint64_t bits) {
    for (uint64_t done = 0; done < bits; done += s_.hw.port_bits)
      beats_.push_back(uint32_t(std::min<uint64_t>(s_.hw.port_bits, bits - done)));
  }
  // The next input movement of (round_, layer_): a convolution's tensor into the line
  // buffer, or column-tile slices into the latches: one pass (row_inner) or all passes.
  void start_fetch() {
    const LayerPlan& lp = s_.layers[layer_];
    beats_.clear();
    beat_ = 0;
    if (lp.conv) {
      what_ = What::fill;
      add_beats(uint64_t(lp.passes) * lp.shape.input_values());  // each value's passes, in HWC order
    } else {
      what_ = s_.hw.loop_order == LoopOrder::row_inner ? What::fetch_pass : What::fetch_all;
      const uint32_t passes = what_ == What::fetch_pass ? 1 : lp.passes;
      for (uint32_t p = 0; p < passes; ++p)
        for (uint32_t k : lp.inputs_of_col_tile) add_beats(k);  // one slice per column tile
    }
    wait_ = Wait::beats;
  }
  void start_writeback() {
    const LayerPlan& lp = s_.layers[layer_];
    const LayerShape& sh = lp.shape;
    // Each position's O bits; pooled: OR-written into every pooled position whose window holds it.
    uint64_t writes = lp.positions;
    if (lp.conv && sh.pool.present())
      writes = uint64_t(sh.output_height()) * sh.output_width() * sh.pool.window * sh.pool.window;
    beats_.clear();
    beat_ = 0;
    for (uint64_t w = 0; w < writes; ++w) add_beats(sh.outputs);
    what_ = What::writeback;
    wait_ = Wait::beats;
  }
  // At the edge of a job's last beat: what it loaded is announced for the next edge.
  void finish_job() {
    const LayerPlan& lp = s_.layers[layer_];
    switch (what_) {
      case What::fetch_pass:
        s_.input_tag.write({true, round_, layer_, pass_, pass_});
        if (pass_ + 1 < lp.passes) {
          ++pass_;
          wait_ = Wait::pass_done;
          return;
        }
        break;
      case What::fetch_all:
      case What::fill: s_.input_tag.write({true, round_, layer_, 0, lp.passes - 1}); break;
      case What::writeback:
        ++layer_;  // a hidden layer is never the last
        pass_ = 0;
        start_fetch();
        return;
    }
    pass_ = 0;
    received_ = 0;
    wait_ = lp.output ? Wait::output_done : Wait::results;
  }

  Wait wait_ = Wait::start;
  What what_ = What::fetch_all;
  std::vector<uint32_t> beats_;
  size_t beat_ = 0;
  uint32_t round_ = 0, layer_ = 0, pass_ = 0;
  uint64_t received_ = 0, serial_ = 0;
};

// ---- Line buffer: takes the fill beats; reads one window per cycle into a free latch slot
//      of every array of the layer, once the rows it needs are in ----
class LineBufferUnit : public Unit {
 public:
  LineBufferUnit(const sc_module_name& name, Shared& s) : Unit(name, s) { on_clock(); }

 private:
  void tick() override {
    const Pulse f = s_.fill.read();  // written into the buffer at this edge; a window read bypasses it
    if (f.valid) {
      if (!active_ || f.round != round_ || f.layer != layer_) {
        active_ = true;
        round_ = f.round;
        layer_ = f.layer;
        filled_ = 0;
        next_ = 0;
      }
      filled_ += f.count;
    }
    if (active_) {
      const LayerPlan& lp = s_.layers[layer_];
      const Tag rel = s_.released[lp.first_tile]->read();
      const uint64_t released = rel.about(round_, layer_) ? rel.hi : 0;
      if (next_ < lp.windows && next_ < released + lp.window_slots && filled_ >= bits_needed(lp, next_)) {
        ++next_;
        ++s_.stats.window_reads;
        s_.window_tag.write({true, round_, layer_, 0, next_});
      }
    }
  }
  // Bits of the (value-major, HWC) stream up to the last input row window `w` reads.
  static uint64_t bits_needed(const LayerPlan& lp, uint64_t w) {
    const ConvGeometry& g = lp.shape.conv;
    const uint64_t oy = (w / lp.passes) / g.out_width();
    const int64_t last_row = std::min<int64_t>(int64_t(g.in_height) - 1,
                                               int64_t(oy * g.stride) + int64_t(g.kernel) - 1 - int64_t(g.padding));
    return uint64_t(std::max<int64_t>(0, last_row + 1)) * g.in_width * g.in_channels * lp.passes;
  }
  bool active_ = false;
  uint32_t round_ = 0, layer_ = 0;
  uint64_t filled_ = 0, next_ = 0;
};

// ---- One weight array: input latch and sense amplifiers (columns_per_sa steps of
//      read_cycles each per row), one sensed row held for the PE ----
class ArrayUnit : public Unit {
 public:
  ArrayUnit(const sc_module_name& name, Shared& s, uint32_t tile) : Unit(name, s), tile_(tile) { on_clock(); }

 private:
  void tick() override {
    if (s_.freeze.read()) return;
    const TilePlan& tp = s_.tiles[tile_];
    bool out_valid = out_valid_;
    if (out_valid && s_.pe_advance[tp.layer]->read()) out_valid = false;  // the PE took it
    if (pending_ && !out_valid) {
      out_ = pending_token_;
      out_valid = true;
      pending_ = false;
    }
    const RowToken tok = s_.token.read();
    if (s_.row_advance.read() && tok.layer == tp.layer) {
      sensing_ = true;
      step_ = 0;
      cycle_ = 0;
      current_ = tok;
      if (!tok.closing && tok.row < tp.rows) ++s_.stats.row_reads;
    }
    if (sensing_) {
      s_.mark(kCompute, tp.layer);
      if (++cycle_ == s_.hw.read_cycles) {
        cycle_ = 0;
        if (!current_.closing && current_.row < tp.rows) ++s_.stats.sense_steps;
        if (++step_ == s_.hw.columns_per_sa) {  // every column group sensed: the row is read
          sensing_ = false;
          if (current_.releases_window) {
            if (released_round_ != current_.round) released_ = 0;
            released_round_ = current_.round;
            s_.released[tile_]->write({true, current_.round, tp.layer, 0, ++released_});
          }
          if (!out_valid) {
            out_ = current_;
            out_valid = true;
          } else {
            pending_ = true;
            pending_token_ = current_;
          }
        }
      }
    }
    out_valid_ = out_valid;
    s_.array_out[tile_]->write(out_valid ? out_ : RowToken{});
    s_.sa_idle[tile_]->write(!sensing_ && !pending_);
  }
  uint32_t tile_;
  bool sensing_ = false, pending_ = false, out_valid_ = false;
  uint32_t step_ = 0, cycle_ = 0, released_round_ = 0;
  uint64_t released_ = 0;
  RowToken current_, pending_token_, out_;
};

// ---- XNOR/popcount PE: a row's beats of pe_width bits; the row's count enters the
//      popcount pipeline when the next row (or the closing token) enters the PE; depth - 1
//      pipeline registers, the accumulator being the last stage ----
class PeUnit : public Unit {
 public:
  PeUnit(const sc_module_name& name, Shared& s, uint32_t tile) : Unit(name, s), tile_(tile), pipe_(s.depth - 1) {
    on_clock();
  }

 private:
  void tick() override {
    if (s_.freeze.read()) return;
    const TilePlan& tp = s_.tiles[tile_];
    for (size_t i = pipe_.size() - 1; i > 0; --i) pipe_[i] = pipe_[i - 1];
    pipe_[0] = RowToken{};
    if (s_.pe_advance[tp.layer]->read()) {
      const RowToken in = s_.array_out[tile_]->read();
      if (holding_) pipe_[0] = held_;
      holding_ = !in.closing;
      if (holding_) {
        held_ = in;
        beats_left_ = tp.beats;
      }
    }
    bool busy = false;
    if (beats_left_ > 0) {
      --beats_left_;
      if (held_.row < tp.rows) ++s_.stats.pe_beats;
      busy = true;
    }
    for (const auto& stage : pipe_) busy = busy || stage.valid;
    if (busy) s_.mark(kCompute, tp.layer);
    s_.pe_out[tile_]->write(pipe_.back());
    s_.pe_ready[tile_]->write(beats_left_ == 0);
  }
  uint32_t tile_;
  std::vector<RowToken> pipe_;
  bool holding_ = false;
  RowToken held_;
  uint32_t beats_left_ = 0;
};

// ---- Accumulator: shift-add of a row's passes; row_inner keeps them in the partial-sum
//      file between passes (first pass writes, middle passes read-modify-write, the final
//      pass reads and delivers) ----
class AccumulatorUnit : public Unit {
 public:
  AccumulatorUnit(const sc_module_name& name, Shared& s, uint32_t tile) : Unit(name, s), tile_(tile) { on_clock(); }

 private:
  void tick() override {
    if (s_.freeze.read()) return;
    const TilePlan& tp = s_.tiles[tile_];
    const RowToken in = s_.pe_out[tile_]->read();
    Delivery d;
    if (in.valid) {
      s_.mark(kCompute, tp.layer);
      if (in.row < tp.rows) {
        if (s_.hw.loop_order == LoopOrder::row_inner) {
          if (!in.first_pass) ++s_.stats.psum_reads;
          if (!in.final_pass) ++s_.stats.psum_writes;
        }
        if (in.final_pass) d = {true, in.round, in.layer, in.position, in.row, in.serial};
      }
      if (in.end_of_pass) s_.pass_done[tile_]->write({true, in.round, in.layer, in.pass, in.pass});
    }
    s_.delivery[tile_]->write(d);
  }
  uint32_t tile_;
};

// ---- Reduce lanes: a FIFO of neurons; neuron i of a position (in production order) goes to
//      lane i mod L, whose parameter bank holds its entry; each lane an adder tree over the
//      column tiles (ceil(log2(col_tiles)) stages, one neuron per cycle) and a comparator ----
class ReduceUnit : public Unit {
 public:
  ReduceUnit(const sc_module_name& name, Shared& s) : Unit(name, s), lane_edge_(s.lanes, 0), probe_(s.lanes, 0) {
    on_clock();
  }

 private:
  struct Entry {
    uint32_t round, layer, index;
  };
  struct InFlight {
    uint64_t done_edge;
    uint32_t round, layer;
  };

  void tick() override {
    const uint64_t now = s_.edge();
    if (s_.freeze.read()) {
      ++s_.stats.freeze_cycles;
    } else {
      for (size_t t = 0; t < s_.tiles.size(); ++t) {
        const TilePlan& tp = s_.tiles[t];
        if (tp.col_tile != 0) continue;
        const Delivery d = s_.delivery[t]->read();
        if (!d.valid) continue;
        const LayerPlan& lp = s_.layers[tp.layer];
        for (uint32_t ct = 1; ct < lp.col_tiles; ++ct) {  // lock step: the neuron's other column tiles too
          const Delivery o = s_.delivery[t + ct]->read();
          if (!o.valid || o.round != d.round || o.layer != d.layer || o.position != d.position || o.row != d.row)
            throw std::logic_error("clocked reference: column tiles out of lock step");
        }
        if (!position_.valid || !position_.about(d.round, d.layer) || position_.lo != d.position) {
          position_ = {true, d.round, d.layer, d.position, 0};
          next_index_ = 0;
        }
        fifo_.push_back({d.round, d.layer, next_index_++});
        ++s_.stats.neurons_reduced;
      }
    }
    // Dispatch in order, one neuron per lane and cycle.
    while (!fifo_.empty()) {
      const Entry e = fifo_.front();
      const uint32_t lane = e.index % s_.lanes;
      if (lane_edge_[lane] == now + 1) break;
      lane_edge_[lane] = now + 1;
      ++s_.stats.param_reads;  // the lane's bank reads the entry, overlapped with the tree
      flight_.push_back({now + s_.layers[e.layer].tree_depth, e.round, e.layer});
      fifo_.pop_front();
    }
    if (!flight_.empty())
      s_.mark(kReduce, flight_.front().layer);
    else if (!fifo_.empty())
      s_.mark(kReduce, fifo_.front().layer);
    Pulse done;
    while (!flight_.empty() && flight_.front().done_edge == now) {  // compare (or score) stage
      done = {true, flight_.front().round, flight_.front().layer, done.count + 1, ++serial_};
      flight_.pop_front();
    }
    s_.results.write(done);
    // Room at the next edge: what the lanes will not take from the FIFO by then.
    uint32_t dispatchable = 0;
    ++probe_stamp_;
    for (const Entry& e : fifo_) {
      if (dispatchable == s_.lanes || probe_[e.index % s_.lanes] == probe_stamp_) break;
      probe_[e.index % s_.lanes] = probe_stamp_;
      ++dispatchable;
    }
    s_.fifo_space.write(uint32_t(s_.fifo_capacity - (fifo_.size() - dispatchable)));
  }
  std::deque<Entry> fifo_;
  std::deque<InFlight> flight_;
  std::vector<uint64_t> lane_edge_, probe_;
  uint64_t probe_stamp_ = 0, serial_ = 0;
  Tag position_;
  uint32_t next_index_ = 0;
};

// ---- Output scorer and argmax: once every class's sum is in, one class per cycle (the
//      multiply-add and the compare with the running maximum); in vote mode, after the last
//      round, the vote counters' argmax, one class per cycle ----
class OutputUnit : public Unit {
 public:
  OutputUnit(const sc_module_name& name, Shared& s) : Unit(name, s) { on_clock(); }

 private:
  void tick() override {
    const uint32_t last = uint32_t(s_.layers.size() - 1);
    const uint32_t classes = s_.layers.back().shape.outputs;
    const Pulse r = s_.results.read();
    if (r.valid && r.layer == last) {
      received_ += r.count;
      if (received_ == classes) {
        received_ = 0;
        scoring_ = classes;
      }
    }
    if (scoring_ > 0) {
      s_.mark(kArgmax, last);
      ++s_.stats.scored;
      if (--scoring_ == 0) {
        s_.output_done.write({true, round_, last, 0, 0});
        if (++round_ == s_.rounds) {
          if (s_.program.input == FirstLayerInput::stochastic_vote)
            voting_ = classes;
          else
            s_.done = true;
        }
      }
    } else if (voting_ > 0) {
      s_.mark(kVote, last);
      if (--voting_ == 0) s_.done = true;
    }
  }
  uint32_t received_ = 0, scoring_ = 0, voting_ = 0, round_ = 0;
};

}  // namespace

struct ClockedAccelerator::Impl {
  Impl(const Hardware& hw, const Program& program, uint64_t max)
      : shared(hw, program),
        sequencer("sequencer", shared),
        glue("glue", shared),
        sng("sng", shared),
        port("port", shared),
        line_buffer("line_buffer", shared),
        reduce("reduce", shared),
        output("output", shared),
        max_cycles(max) {
    for (uint32_t t = 0; t < shared.tiles.size(); ++t) {
      const std::string n = std::to_string(t);
      arrays.push_back(std::make_unique<ArrayUnit>(("array_" + n).c_str(), shared, t));
      pes.push_back(std::make_unique<PeUnit>(("pe_" + n).c_str(), shared, t));
      accumulators.push_back(std::make_unique<AccumulatorUnit>(("accumulator_" + n).c_str(), shared, t));
    }
  }
  Shared shared;
  Sequencer sequencer;
  Glue glue;
  SngBank sng;
  BufferPort port;
  LineBufferUnit line_buffer;
  ReduceUnit reduce;
  OutputUnit output;
  std::vector<std::unique_ptr<ArrayUnit>> arrays;
  std::vector<std::unique_ptr<PeUnit>> pes;
  std::vector<std::unique_ptr<AccumulatorUnit>> accumulators;
  uint64_t max_cycles, cycles = 0;
};

ClockedAccelerator::ClockedAccelerator(sc_core::sc_module_name name, const Hardware& hardware, const Program& program,
                                       uint64_t max_cycles)
    : sc_core::sc_module(name), impl_(std::make_unique<Impl>(hardware, program, max_cycles)) {
  SC_HAS_PROCESS(ClockedAccelerator);
  SC_THREAD(clock);
}

ClockedAccelerator::~ClockedAccelerator() = default;

// Its own clock, stopped when the run ends, so that it shares a simulation with other
// models (sc_start() returns when both are done).
void ClockedAccelerator::clock() {
  Shared& s = impl_->shared;
  const sc_core::sc_time half = s.period / 2;
  while (!s.done && impl_->cycles < impl_->max_cycles) {
    s.clk.write(true);
    sc_core::wait(half);
    s.clk.write(false);
    sc_core::wait(half);
    ++impl_->cycles;
  }
}

bool ClockedAccelerator::finished() const { return impl_->shared.done; }
uint64_t ClockedAccelerator::cycles_run() const { return impl_->cycles; }
CycleLedger ClockedAccelerator::ledger() const { return impl_->shared.activity.ledger(); }
const Stats& ClockedAccelerator::stats() const { return impl_->shared.stats; }

}  // namespace scbnn::clocked
