#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "scbnn/base/errors.h"
#include "scbnn/base/params.h"
#include "scbnn/base/registry.h"
#include "scbnn/models/ising.h"
#include "scbnn/models/sng.h"

namespace scbnn {

// The p-bit engine of invertible logic (docs/invertible-logic.md): p-bits
//   m_i <- sgn( r_i + tanh( I0 I_i ) ),  I_i = h_i + sum_j J_ij m_j,  r_i uniform in (-1, 1),
// i.e. m_i = +1 with probability (1 + tanh(I0 I_i)) / 2, which samples exp(-I0 H) / Z.
// State is bit-packed, local fields are kept up to date on every flip (O(degree)), and
// the tanh-and-random decision is a registered p-bit unit kind (il.unit).

enum class PbitUpdate { sequential, coloured };
inline constexpr std::array<EnumName<PbitUpdate>, 2> kPbitUpdateNames{
    {{PbitUpdate::sequential, "sequential"}, {PbitUpdate::coloured, "coloured"}}};
constexpr const auto& enum_names(PbitUpdate) { return kPbitUpdateNames; }

enum class AnnealShape { linear, geometric };
inline constexpr std::array<EnumName<AnnealShape>, 2> kAnnealShapeNames{
    {{AnnealShape::linear, "linear"}, {AnnealShape::geometric, "geometric"}}};
constexpr const auto& enum_names(AnnealShape) { return kAnnealShapeNames; }

// Names of the registered p-bit unit kinds (il.unit) and of the SNG source kinds a p-bit
// can draw from (il.rng: the non-deterministic ones of accel.sng.source).
std::vector<std::string> pbit_unit_names();
std::vector<std::string> pbit_rng_names();

// The engine's parameters, keys il.* (declared relative to il; docs/invertible-logic.md).
struct PbitParams {
  std::string unit = "lut";  // a registered p-bit unit kind
  std::string rng = "lfsr";  // SNG source kind of the random numbers (models/sng.h)
  uint32_t lfsr_width = 32;
  uint32_t rng_bits = 8;  // R: bits of one random number
  PbitUpdate update = PbitUpdate::coloured;
  AnnealShape schedule = AnnealShape::linear;
  double i0_min = 0.1, i0_max = 2.0;
  uint32_t sweeps = 1000;
  double clock_mhz = 100;
  uint32_t cycles_per_update = 1;       // sequential: one p-bit decided per this many cycles
  uint32_t cycles_per_colour_step = 1;  // coloured: one colour step (per batch of pbit_units)
  uint32_t pbit_units = 0;              // coloured: p-bit units working in parallel (0: one per p-bit)
  uint32_t itanh_depth = 2;             // itanh unit: counter half-range in random-number ranges
  uint64_t seed = 1;                    // master seed (the configuration's top-level seed)

  template <class V>
  void declare(V& v) {
    v("unit", unit, Choices{pbit_unit_names()},
      "p-bit decision unit (tanh and random term), a registered kind (docs/invertible-logic.md)",
      "Pervaiz et al., Sci. Rep. 2017 (LUT tanh + LFSR comparator on an FPGA)");
    v("rng", rng, Choices{pbit_rng_names()},
      "random source of each p-bit, an SNG source kind (accel.sng.source's random ones); one source per p-bit",
      "Alaghi & Hayes 2013 (LFSR); Camsari et al. 2017 (sMTJ p-bits)");
    v("lfsr_width", lfsr_width, Range{8, 32}, "bits", "width of each p-bit's LFSR when il.rng = lfsr",
      "measured: 16-bit LFSRs repeat within a long run and bias the sampled distribution, 32-bit ones do not "
      "(docs/invertible-logic.md)");
    v("rng_bits", rng_bits, Choices{{"8", "16"}},
      "R, bits of the random number compared per decision (one or two 8-bit source numbers)", "assumption");
    v("update", update,
      "sequential: one p-bit at a time (Gibbs sweep in index order); coloured: graph-coloured, every p-bit of one "
      "colour at once (greedy colouring, no two coupled p-bits share a colour)",
      "Aadit et al., Nature Electronics 2022 (graph-coloured p-bit updates)");
    v("schedule", schedule, "annealing of I0 over the sweeps: linear or geometric from il.i0_min to il.i0_max",
      "Kirkpatrick et al., Science 1983 (simulated annealing)");
    v("i0_min", i0_min, Range{0, 1e6}, "1/energy unit", "I0 (pseudo inverse temperature) of the first sweep",
      "assumption");
    v("i0_max", i0_max, Range{0, 1e6}, "1/energy unit", "I0 of the last sweep", "assumption");
    v("sweeps", sweeps, Range{1, 4294967295.0}, "sweeps", "sweeps of one anneal (every free p-bit updated once each)",
      "assumption");
    v("clock_mhz", clock_mhz, Range{1e-3, 1e5}, "MHz", "engine clock (cycles to seconds)",
      "assumption: FPGA-like 100 MHz");
    v("cycles_per_update", cycles_per_update, Range{1, 65536}, "cycles",
      "il.update = sequential: cycles per p-bit decision (one pipelined unit)", "assumption");
    v("cycles_per_colour_step", cycles_per_colour_step, Range{1, 65536}, "cycles",
      "il.update = coloured: cycles of one colour step (decide, then neighbours' fields settle)", "assumption");
    v("pbit_units", pbit_units, Range{0, 4294967295.0}, "units",
      "il.update = coloured: p-bit units per colour step, a colour of f free p-bits takes ceil(f / units) steps; 0 = "
      "one unit per p-bit",
      "assumption: every p-bit in hardware (FPGA)");
    v("itanh_depth", itanh_depth, Range{1, 1024}, "",
      "il.unit = itanh: the saturating counter spans +-depth random-number ranges (memory of the ISC tanh)",
      "assumption");
  }
  // Cross-field rules; throws InputError naming the keys.
  void validate() const;
};

// The keys of PbitParams mounted at il (docs/invertible-logic.md's table).
struct PbitKeys {
  PbitParams il;
  template <class V>
  void declare(V& v) {
    v.group("il", il);
  }
};
std::vector<ParamSpec> pbit_schema();

// I0 of sweep `sweep` (0-based) of params.sweeps: linear or geometric from i0_min to i0_max.
double anneal_i0(const PbitParams& params, uint32_t sweep);

// Plain action counters (the power model prices them later; docs/invertible-logic.md).
struct PbitCounts {
  uint64_t sweeps = 0;
  uint64_t colour_steps = 0;      // coloured: hardware steps taken (batches of il.pbit_units)
  uint64_t updates = 0;           // p-bit decisions (free p-bits only)
  uint64_t flips = 0;             // decisions that changed the state
  uint64_t tanh_evaluations = 0;  // tanh unit evaluations (LUT look-ups, counter steps)
  uint64_t rng_draws = 0;         // random numbers consumed
  uint64_t rng_bits = 0;          // their bits
  uint64_t rng_events = 0;        // events of the SNG kind's counted action (LFSR bit steps, sMTJ reads)
  uint64_t weight_reads = 0;      // J-weight words read: degree of each decided p-bit
  uint64_t cycles = 0;
};

// What a p-bit unit is built from.
struct PbitUnitContext {
  std::string name;  // the engine's hierarchical name (streams derive from it)
  const PbitParams& params;
  uint32_t pbits;
  int32_t max_abs_field;
};

// A p-bit decision unit: the new state of p-bit i from its local field, its tanh and its
// random number.
class PbitUnit {
 public:
  virtual ~PbitUnit() = default;
  // I0 changed: tables follow it.
  virtual void set_i0(double i0) = 0;
  // The next state (true: +1) of p-bit i whose local field is `field`; counts its
  // random draws and tanh evaluations into `counts`.
  virtual bool decide(uint32_t i, int32_t field, PbitCounts& counts) = 0;
  // The state of p-bit i was set from outside (clamp, start state): a unit with memory
  // follows it.
  virtual void state_set(uint32_t, bool) {}
};

// One random source per p-bit, of SNG source kind il.rng (models/sng.h), giving R-bit
// numbers (il.rng_bits): R / 8 source numbers of 8 bits, each after enough source steps
// that none of its bits was in the previous number (an LFSR's window moves one bit per
// step: 8 steps; an sMTJ or the ideal source: 1 step).
class PbitRandomBank {
 public:
  PbitRandomBank(const PbitUnitContext& context);
  ~PbitRandomBank();
  uint32_t bits() const { return bits_; }
  // p-bit i's next number in [0, 2^R); counts the draw.
  uint32_t draw(uint32_t i, PbitCounts& counts) {
    uint32_t r = 0;
    for (uint32_t n = 0; n < numbers_; ++n) r = (r << 8) | sources_[i]->next_after(steps_per_number_);
    ++counts.rng_draws;
    counts.rng_bits += bits_;
    counts.rng_events += events_per_draw_;
    return r;
  }

 private:
  uint32_t bits_, numbers_, steps_per_number_, events_per_draw_;
  std::vector<std::unique_ptr<RandomSource>> sources_;
};

// Fills a unit's table over the fields, table[f + max] = value(f) for f in -max .. max, for
// a monotone value that saturates: once value(f) and value(-f) are both at their limits
// (at_limits(value(f), value(-f))), the rest is filled with them, so a wide field range
// costs only the range before saturation at each change of I0.
template <class T, class Value, class AtLimits>
void fill_field_table(std::vector<T>& table, int32_t max, Value value, AtLimits at_limits) {
  for (int32_t f = 0; f <= max; ++f) {
    const T up = value(f), down = value(-f);
    table[size_t(max + f)] = up;
    table[size_t(max - f)] = down;
    if (at_limits(up, down)) {
      std::fill(table.begin() + (max + f + 1), table.end(), up);
      std::fill(table.begin(), table.begin() + (max - f), down);
      return;
    }
  }
}

// A kind of p-bit unit (il.unit), registered by its own file in models/src/pbit_units/.
struct PbitUnitKind {
  std::string description;  // one line for the docs
  std::string reference;
  bool exact_boltzmann = false;  // samples exp(-I0 H) / Z exactly (up to double precision)
  std::function<std::unique_ptr<PbitUnit>(const PbitUnitContext&)> make;
};

const Registry<PbitUnitKind>& pbit_unit_registry();
const PbitUnitKind& pbit_unit_kind(const std::string& name);
struct PbitUnitRegistrar {
  PbitUnitRegistrar(const std::string& name, PbitUnitKind kind);
};

// The engine: a plain C++ class (no SystemC events in its loop). Per sweep, every free
// (unclamped) p-bit is decided once: in index order (sequential) or colour by colour
// (coloured; p-bits of one colour share no coupling, so deciding them in any order is
// deciding them at once). Cycles: sequential il.cycles_per_update per decision; coloured
// il.cycles_per_colour_step per step, a colour with f free p-bits taking
// ceil(f / il.pbit_units) steps (one when il.pbit_units = 0, none when f = 0).
class PbitEngine {
 public:
  // `name` is the engine's hierarchical name: its streams derive from params.seed and it.
  PbitEngine(const std::string& name, IsingGraph graph, const PbitParams& params);
  ~PbitEngine();
  PbitEngine(const PbitEngine&) = delete;
  PbitEngine& operator=(const PbitEngine&) = delete;

  const IsingGraph& graph() const { return graph_; }
  const PbitParams& params() const { return params_; }
  uint32_t size() const { return graph_.size(); }
  uint32_t index(const std::string& name) const { return graph_.index(name); }

  bool up(uint32_t i) const { return (state_[i >> 6] >> (i & 63)) & 1; }
  int spin(uint32_t i) const { return up(i) ? 1 : -1; }
  std::vector<int8_t> spins() const;
  const std::vector<uint64_t>& state_words() const { return state_; }  // bit i = p-bit i is +1
  int32_t field(uint32_t i) const { return field_[i]; }
  int64_t energy() const { return graph_.energy(spins()); }

  // Sets p-bit i (its neighbours' fields follow); a clamped p-bit keeps the new value.
  void set_spin(uint32_t i, int spin);
  // Every free p-bit to a random state drawn from the engine's start stream.
  void randomise();
  // Replaces h_i (the fields follow), so one engine serves many problems that differ only
  // in their biases (the training's per-example anneals). |h| + sum_j |J_ij| must stay
  // within graph().max_abs_field, which the unit's tables cover; std::out_of_range otherwise.
  void set_bias(uint32_t i, int32_t h);
  void clamp(uint32_t i, int spin);
  void clamp(const std::string& name, int spin) { clamp(index(name), spin); }
  void release(uint32_t i);
  void release_all();
  bool clamped(uint32_t i) const { return (clamped_[i >> 6] >> (i & 63)) & 1; }

  double i0() const { return i0_; }
  void set_i0(double i0);
  // One sweep at the current I0.
  void sweep();
  // params().sweeps sweeps at I0 = anneal_i0(params(), s); after_sweep(s) after each.
  void anneal(const std::function<void(uint32_t sweep)>& after_sweep = {});

  // Colouring (greedy, largest degree first) over every p-bit.
  uint32_t colours() const { return uint32_t(colour_members_.size()); }
  uint32_t colour(uint32_t i) const { return colour_[i]; }

  const PbitCounts& counts() const { return counts_; }
  void reset_counts() { counts_ = {}; }
  double simulated_seconds() const { return double(counts_.cycles) / (params_.clock_mhz * 1e6); }

 private:
  void colour_graph();
  void decide(uint32_t i);
  void flip(uint32_t i);

  IsingGraph graph_;
  PbitParams params_;
  std::string name_;
  std::unique_ptr<PbitUnit> unit_;
  std::vector<uint64_t> state_, clamped_;
  std::vector<int32_t> field_;
  std::vector<uint32_t> colour_;
  std::vector<std::vector<uint32_t>> colour_members_;
  std::vector<uint32_t> free_per_colour_;
  double i0_ = -1;
  std::mt19937_64 start_rng_;
  PbitCounts counts_;
};

// Read-out over sweeps: sums of the spins of chosen p-bits, one sample per add().
class SpinTally {
 public:
  explicit SpinTally(std::vector<uint32_t> pbits) : pbits_(std::move(pbits)), sums_(pbits_.size(), 0) {}
  void add(const PbitEngine& engine);
  uint64_t samples() const { return samples_; }
  double mean(size_t k) const { return samples_ ? double(sums_[k]) / double(samples_) : 0.0; }
  // Sign of the sum (majority over the samples); +1 on a tie.
  int majority(size_t k) const { return sums_[k] >= 0 ? 1 : -1; }

 private:
  std::vector<uint32_t> pbits_;
  std::vector<int64_t> sums_;
  uint64_t samples_ = 0;
};

}  // namespace scbnn
