#pragma once
#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/component_class.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/base/params.h"
#include "scbnn/base/registry.h"

namespace scbnn {

// Names of the registered SNG source kinds (the choices of accel.sng.source).
std::vector<std::string> sng_source_names();

enum class SngSharing { per_input, shared_offset, shared_rotate };
inline constexpr std::array<EnumName<SngSharing>, 3> kSngSharingNames{{{SngSharing::per_input, "per_input"},
                                                                       {SngSharing::shared_offset, "shared_offset"},
                                                                       {SngSharing::shared_rotate, "shared_rotate"}}};
constexpr const auto& enum_names(SngSharing) { return kSngSharingNames; }

// The first layer's stochastic number generators (keys accel.sng.*).
struct SngParams {
  std::string source = "lfsr";  // a registered SNG source kind (sng_source_names())
  uint32_t lfsr_width = 16;
  SngSharing sharing = SngSharing::per_input;
  uint32_t shared_sources = 1;  // sources when shared (input i uses source i mod S)
  uint32_t comparators = 1024;  // 8-bit comparators working in parallel
  uint64_t seed = 1;            // master seed (the configuration's top-level seed)

  template <class V>
  void declare(V& v) {
    v("source", source, Choices{sng_source_names()},
      "random source of the comparator SNGs, a registered kind (docs/stochastic-input.md lists them)",
      "Alaghi & Hayes 2013 (LFSR + comparator)");
    v("lfsr_width", lfsr_width, Range{8, 32}, "bits", "LFSR width (maximal-length taps, XAPP052)", "assumption");
    v("sharing", sharing,
      "one source per input, or accel.sng.shared_sources sources shared with delays or rotated wiring", "assumption");
    v("shared_sources", shared_sources, Range{1, 65536}, "sources", "sources when shared (input i uses i mod S)",
      "assumption");
    v("comparators", comparators, Range{1, 65536}, "comparators",
      "8-bit comparators in parallel: one sample of K pixels takes ceil(K / comparators) cycles",
      "assumption: one per input of the shipped network");
  }
  // Cross-field rules; throws InputError naming the keys.
  void validate() const {
    if (sharing == SngSharing::per_input && shared_sources != 1)
      throw InputError("accel.sng.shared_sources applies only to accel.sng.sharing = shared_offset or shared_rotate");
  }
};

// Maximal-length feedback taps (Xilinx XAPP052) for widths 8 to 32; throws
// std::invalid_argument naming accel.sng.lfsr_width for other widths.
uint64_t lfsr_tap_mask(uint32_t width);

// A source of 8-bit random numbers, one per step. A source's stream is a function of its
// seed and of the stream position only: position p of image k is k x N + n for sample n
// of an image of N samples (docs/stochastic-input.md).
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // The number at the current position; then moves one position on.
  virtual uint8_t next() = 0;
  // The last of the next `steps` numbers (as many next() calls; one virtual call).
  virtual uint8_t next_after(uint32_t steps) {
    uint8_t v = 0;
    for (uint32_t s = 0; s < steps; ++s) v = next();
    return v;
  }
  // Moves to `position` of a stream of `steps_per_image` positions per image.
  virtual void seek(uint64_t position, uint32_t steps_per_image) = 0;
};

// The Galois LFSR's step as a GF(2) matrix (the step is linear), raised to a power by
// square-and-multiply: applying it to a start state jumps `steps` steps at once.
class LfsrJump {
 public:
  LfsrJump(uint32_t width, uint64_t steps);
  uint64_t apply(uint64_t state) const;

 private:
  std::vector<uint64_t> columns_;  // column j: the image of state bit j
};

// Galois LFSR of `width` bits (period 2^width - 1), shifting right: the state steps once
// before each number, which is the new state's top 8 bits. Free-running: position p has
// stepped p times from the start state.
class LfsrSource : public RandomSource {
 public:
  LfsrSource(uint32_t width, uint64_t seed);
  uint8_t next() override;
  uint8_t next_after(uint32_t steps) override;
  void seek(uint64_t position, uint32_t) override { jump_from_start(LfsrJump(width_, position)); }
  // Sets the state to `jump` applied to the start state (one jump serves every source).
  void jump_from_start(const LfsrJump& jump) { state_ = jump.apply(start_); }
  uint64_t state() const { return state_; }
  void set_state(uint64_t state) { state_ = state; }  // a state stepped elsewhere (a bank's batch)
  uint64_t step();                                    // one shift; returns the new state

 private:
  uint32_t width_;
  uint64_t mask_, taps_, start_, state_;
};

// Base-2 van der Corput sequence (the first Sobol dimension): the bit-reversed 8-bit
// value of (counter + offset) mod 256, the counter restarting at 0 for every image.
// N consecutive values from a multiple of N are N distinct multiples of 256/N (N a power
// of two <= 256): counts are exact.
class VanDerCorputSource : public RandomSource {
 public:
  explicit VanDerCorputSource(uint32_t offset) : offset_(offset) {}
  uint8_t next() override;
  void seek(uint64_t position, uint32_t steps_per_image) override;

 private:
  uint32_t offset_, counter_ = 0, steps_per_image_ = 0;  // 0: the counter never restarts
};

// Ideal uniform random numbers (software reference) or a superparamagnetic MTJ (ideal
// statistics, one random bit per MTJ read: eight reads per number). Counter-based: the
// number at position p is the top 8 bits of splitmix64(seed + (p + 1) x 0x9e3779b97f4a7c15),
// i.e. SplitMix64's p-th output, so any position is reached in O(1).
class IdealSource : public RandomSource {
 public:
  explicit IdealSource(uint64_t seed) : seed_(seed) {}
  uint8_t next() override;
  void seek(uint64_t position, uint32_t) override { position_ = position; }

 private:
  uint64_t seed_, position_ = 0;
};

// A kind of random source (accel.sng.source), registered by its own file in
// models/src/sng_sources/ with an SngSourceRegistrar: how to build one, how its work is
// counted, and the component class the power model prices it as (declared to the
// catalogue at registration, so a new kind needs only its preset entries besides).
struct SngSourceKind {
  std::string description;             // one line for the docs: what the source is
  std::string reference;               // where the design comes from
  bool deterministic = false;          // the same numbers for every seed
  bool uses_lfsr_width = false;        // its numbers depend on accel.sng.lfsr_width (reported with it)
  ComponentClassSpec component_class;  // priced per component_class.basis
  std::string action;                  // the action counted per source step (one of component_class's)
  // Source `index` of a bank, seeded with `seed` (drawn from the master seed and the index).
  std::function<std::unique_ptr<RandomSource>(const SngParams&, uint64_t seed, uint32_t index)> make;
  // Events of `action` per source step (a w-bit register: w bit steps; an SMTJ: 8 reads).
  std::function<uint32_t(const SngParams&)> events_per_step;
  // Register bits of one source (0: none).
  std::function<uint32_t(const SngParams&)> register_bits;
  // Units of component_class.basis one source occupies, and how `sources` sources read in
  // the hardware inventory.
  std::function<double(const SngParams&)> units_per_source;
  std::function<std::string(uint32_t sources, const SngParams&)> describe;
  // Optional: checks the parameters the kind uses (throws InputError naming the key).
  std::function<void(const SngParams&)> validate;
  // Optional: moves every source of a bank to `position` at once (the LFSRs share one
  // jump matrix); without it each source seeks on its own.
  std::function<void(const std::vector<std::unique_ptr<RandomSource>>&, const SngParams&, uint64_t position)> seek_all;
  // Bits of each number that were not in the previous one (an LFSR's 8-bit window moves
  // one bit per step): a p-bit steps its source until a whole number is fresh.
  uint32_t fresh_bits_per_step = 8;
  // Optional: the next `samples` numbers of every source of a bank at once, values[n x
  // sources + s] (as `samples` next() calls on each source); word-parallel kinds step all
  // their sources together. Without it the bank calls next().
  std::function<void(const std::vector<std::unique_ptr<RandomSource>>&, const SngParams&, uint32_t samples,
                     uint8_t* values)>
      next_all = nullptr;
};

// The registered kinds, by name (their names are accel.sng.source's choices, sng_source_names()).
const Registry<SngSourceKind>& sng_source_registry();
// The kind called `name`; InputError naming accel.sng.source and the choices otherwise.
const SngSourceKind& sng_source_kind(const std::string& name);

// Registers a kind (and declares its component class) when the program starts: one
// static registrar next to each kind's definition, e.g.
//   SngSourceRegistrar registrar("lfsr", {...});  // in an anonymous namespace
struct SngSourceRegistrar {
  SngSourceRegistrar(const std::string& name, SngSourceKind kind);
};

// Comparator SNGs: input i's bit for sample n is (r_i[n] < x_i), with r_i from its own
// source (per_input) or from shared source i mod S, delayed by i / S steps
// (shared_offset) or with its bits rotated by (i / S) mod 8 (shared_rotate). Sources
// draw their seeds from the master seed and `name`.
class SngBank {
 public:
  SngBank(const std::string& name, const SngParams& params, uint32_t inputs);

  const SngParams& params() const { return params_; }
  uint32_t inputs() const { return inputs_; }
  // One pass of generation: cycles for `inputs_` comparator decisions.
  uint32_t cycles_per_sample(uint32_t count) const { return (count + params_.comparators - 1) / params_.comparators; }

  // Positions every source at image `image` of `samples` samples (stream position
  // image x samples) and rebuilds shared_offset's history of the positions before it.
  // Nothing moves when the bank is already there (consecutive images).
  void seek_image(uint64_t image, uint32_t samples);
  // Streams of `count` <= inputs() pixels from the current position on: out[n] holds
  // sample n packed over the inputs (n < samples).
  void generate(const uint8_t* pixels, uint32_t count, uint32_t samples, std::vector<std::vector<uint64_t>>& out);

  const SngSourceKind& kind() const { return kind_; }
  uint64_t source_steps() const { return source_steps_; }
  uint64_t comparisons() const { return comparisons_.total(); }
  const LayerCounter& comparison_counter() const { return comparisons_; }
  // Actions of the kind's counted action so far (source steps x events per step).
  uint64_t source_events() const { return source_events_.total(); }
  const LayerCounter& source_event_counter() const { return source_events_; }
  uint32_t source_count() const { return uint32_t(sources_.size()); }

 private:
  std::unique_ptr<RandomSource> make_source(const std::string& name, uint32_t index) const;
  void seek_sources(uint64_t position);
  void step_sources(std::vector<uint8_t>& values);  // one number from every source

  SngParams params_;
  const SngSourceKind& kind_;
  uint32_t events_per_step_;
  uint32_t inputs_;
  std::vector<std::unique_ptr<RandomSource>> sources_;
  std::vector<std::vector<uint8_t>> history_;  // shared_offset: recent values per source
  std::vector<uint8_t> batch_;                 // generate(): every sample's numbers, sample-major
  uint64_t position_ = 0;
  uint32_t steps_per_image_ = 0;
  uint64_t source_steps_ = 0;
  LayerCounter comparisons_, source_events_;
};

// The first layer's SNGs as a hardware module (counts its actions).
class StochasticNumberGenerators : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  StochasticNumberGenerators(sc_core::sc_module_name name, const SngParams& params, uint32_t inputs)
      : sc_core::sc_module(name), bank(this->name(), params, inputs) {}
  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;
  // Register bits of one source (the kind's register_bits).
  uint32_t source_register_bits() const { return bank.kind().register_bits(bank.params()); }
  SngBank bank;
};

// Stream quality for a source configuration, measured on fresh generators:
// RMS over x in 0..255 of (stream mean - x/256), and the mean stochastic cross
// correlation (SCC, Alaghi & Hayes 2013) between the streams of inputs 0 and 1.
struct StreamMetrics {
  uint32_t length;
  double rms_value_error;
  double mean_abs_scc;
};
std::vector<StreamMetrics> measure_streams(const SngParams& params, const std::vector<uint32_t>& lengths);

// SCC of two equal-length bit streams (0 when either is constant).
double stochastic_cross_correlation(const std::vector<bool>& a, const std::vector<bool>& b);

}  // namespace scbnn
