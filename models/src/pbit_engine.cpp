#include "scbnn/models/pbit_engine.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <stdexcept>

#include "scbnn/models/random_stream.h"

namespace scbnn {

void link_pbit_unit_variants();  // generated: keeps every file of pbit_units/ in the link

namespace {
Registry<PbitUnitKind>& mutable_pbit_units() {
  static Registry<PbitUnitKind> registry("p-bit unit kind", "il.unit");
  return registry;
}

std::string joined(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return list;
}
}  // namespace

const Registry<PbitUnitKind>& pbit_unit_registry() {
  link_pbit_unit_variants();
  return mutable_pbit_units();
}

std::vector<std::string> pbit_unit_names() { return pbit_unit_registry().names(); }

const PbitUnitKind& pbit_unit_kind(const std::string& name) { return pbit_unit_registry().at(name); }

PbitUnitRegistrar::PbitUnitRegistrar(const std::string& name, PbitUnitKind kind) {
  mutable_pbit_units().add(name, std::move(kind));
}

std::vector<std::string> pbit_rng_names() {
  std::vector<std::string> names;
  for (const auto& [name, kind] : sng_source_registry().kinds())
    if (!kind.deterministic) names.push_back(name);
  return names;
}

void PbitParams::validate() const {
  pbit_unit_kind(unit);
  const auto rngs = pbit_rng_names();
  if (std::find(rngs.begin(), rngs.end(), rng) == rngs.end())
    throw InputError("il.rng = '" + rng + "' is not a random SNG source kind (expected one of: " + joined(rngs) + ")");
  if (rng == "lfsr" && (lfsr_width < 8 || lfsr_width > 32))
    throw InputError("il.lfsr_width = " + std::to_string(lfsr_width) + ": expected 8 to 32");
  if (rng_bits != 8 && rng_bits != 16)
    throw InputError("il.rng_bits = " + std::to_string(rng_bits) + ": expected 8 or 16");
  if (i0_min > i0_max)
    throw InputError("il.i0_min = " + shortest_number_text(i0_min) +
                     " exceeds il.i0_max = " + shortest_number_text(i0_max));
  if (schedule == AnnealShape::geometric && !(i0_min > 0))
    throw InputError("il.schedule = geometric needs il.i0_min > 0 (it is " + shortest_number_text(i0_min) + ")");
  if (sweeps == 0) throw InputError("il.sweeps must be at least 1");
  if (!(clock_mhz > 0)) throw InputError("il.clock_mhz must be positive");
  if (cycles_per_update == 0 || cycles_per_colour_step == 0)
    throw InputError("il.cycles_per_update and il.cycles_per_colour_step must be at least 1");
  if (itanh_depth == 0) throw InputError("il.itanh_depth must be at least 1");
}

std::vector<ParamSpec> pbit_schema() { return ParamSchema::of(PbitKeys{}); }

double anneal_i0(const PbitParams& p, uint32_t sweep) {
  const double f = p.sweeps > 1 ? double(std::min(sweep, p.sweeps - 1)) / double(p.sweeps - 1) : 1.0;
  switch (p.schedule) {
    case AnnealShape::linear: return p.i0_min + (p.i0_max - p.i0_min) * f;
    case AnnealShape::geometric: return p.i0_min * std::pow(p.i0_max / p.i0_min, f);
  }
  throw std::logic_error("anneal_i0: unknown schedule");
}

PbitRandomBank::PbitRandomBank(const PbitUnitContext& c) : bits_(c.params.rng_bits), numbers_(c.params.rng_bits / 8) {
  const SngSourceKind& kind = sng_source_kind(c.params.rng);
  SngParams sp;
  sp.source = c.params.rng;
  sp.lfsr_width = c.params.lfsr_width;
  sp.seed = c.params.seed;
  if (kind.validate) kind.validate(sp);
  const uint32_t fresh = std::max(1u, std::min(8u, kind.fresh_bits_per_step));
  steps_per_number_ = (8 + fresh - 1) / fresh;
  events_per_draw_ = numbers_ * steps_per_number_ * kind.events_per_step(sp);
  sources_.reserve(c.pbits);
  for (uint32_t i = 0; i < c.pbits; ++i)
    sources_.push_back(kind.make(sp, stream_seed(c.params.seed, c.name + ".pbit" + std::to_string(i) + ".rng"), i));
}

PbitRandomBank::~PbitRandomBank() = default;

PbitEngine::PbitEngine(const std::string& name, IsingGraph graph, const PbitParams& params)
    : graph_(std::move(graph)), params_(params), name_(name), start_rng_(stream_seed(params.seed, name + ".start")) {
  params_.validate();
  const uint32_t n = size();
  unit_ = pbit_unit_kind(params_.unit).make(PbitUnitContext{name_, params_, n, graph_.max_abs_field});
  const size_t words = (size_t(n) + 63) / 64;
  state_.assign(words, 0);
  clamped_.assign(words, 0);
  field_.resize(n);
  for (uint32_t i = 0; i < n; ++i) {  // every p-bit at -1
    int64_t f = graph_.bias[i];
    for (uint32_t e = graph_.offsets[i]; e < graph_.offsets[i + 1]; ++e) f -= graph_.weights[e];
    field_[i] = int32_t(f);
  }
  colour_graph();
  randomise();
  set_i0(anneal_i0(params_, 0));
}

PbitEngine::~PbitEngine() = default;

// Greedy colouring in order of decreasing degree (Welsh & Powell 1967): each p-bit takes
// the smallest colour none of its neighbours has.
void PbitEngine::colour_graph() {
  const uint32_t n = size();
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return graph_.degree(a) > graph_.degree(b); });
  colour_.assign(n, ~0u);
  std::vector<uint32_t> seen_by;  // seen_by[c] == i + 1: a neighbour of i has colour c
  for (uint32_t i : order) {
    for (uint32_t e = graph_.offsets[i]; e < graph_.offsets[i + 1]; ++e) {
      const uint32_t c = colour_[graph_.neighbours[e]];
      if (c == ~0u) continue;
      if (c >= seen_by.size()) seen_by.resize(c + 1, 0);
      seen_by[c] = i + 1;
    }
    uint32_t c = 0;
    while (c < seen_by.size() && seen_by[c] == i + 1) ++c;
    colour_[i] = c;
    if (c >= colour_members_.size()) colour_members_.resize(c + 1);
  }
  for (uint32_t i = 0; i < n; ++i) colour_members_[colour_[i]].push_back(i);
  free_per_colour_.resize(colour_members_.size());
  for (size_t c = 0; c < colour_members_.size(); ++c) free_per_colour_[c] = uint32_t(colour_members_[c].size());
}

std::vector<int8_t> PbitEngine::spins() const {
  std::vector<int8_t> s(size());
  for (uint32_t i = 0; i < size(); ++i) s[i] = int8_t(spin(i));
  return s;
}

void PbitEngine::flip(uint32_t i) {
  state_[i >> 6] ^= uint64_t(1) << (i & 63);
  const int32_t delta = up(i) ? 2 : -2;
  const uint32_t end = graph_.offsets[i + 1];
  for (uint32_t e = graph_.offsets[i]; e < end; ++e) field_[graph_.neighbours[e]] += delta * graph_.weights[e];
}

void PbitEngine::set_spin(uint32_t i, int spin) {
  if (i >= size()) throw std::out_of_range("PbitEngine::set_spin: no p-bit " + std::to_string(i));
  if (spin != 1 && spin != -1) throw std::invalid_argument("PbitEngine::set_spin: a spin is -1 or +1");
  if ((spin > 0) != up(i)) flip(i);
  unit_->state_set(i, spin > 0);
}

void PbitEngine::set_bias(uint32_t i, int32_t h) {
  if (i >= size()) throw std::out_of_range("PbitEngine::set_bias: no p-bit " + std::to_string(i));
  int64_t bound = std::abs(int64_t(h));
  for (uint32_t e = graph_.offsets[i]; e < graph_.offsets[i + 1]; ++e) bound += std::abs(int64_t(graph_.weights[e]));
  if (bound > graph_.max_abs_field)
    throw std::out_of_range("PbitEngine::set_bias: |h| + sum |J| = " + std::to_string(bound) + " of p-bit " +
                            std::to_string(i) + " exceeds the field bound " + std::to_string(graph_.max_abs_field));
  field_[i] += h - graph_.bias[i];
  graph_.bias[i] = h;
}

void PbitEngine::randomise() {
  for (uint32_t i = 0; i < size(); ++i)
    if (!clamped(i)) set_spin(i, (start_rng_() >> 63) ? 1 : -1);
}

void PbitEngine::clamp(uint32_t i, int spin) {
  set_spin(i, spin);
  if (!clamped(i)) {
    clamped_[i >> 6] |= uint64_t(1) << (i & 63);
    --free_per_colour_[colour_[i]];
  }
}

void PbitEngine::release(uint32_t i) {
  if (i >= size()) throw std::out_of_range("PbitEngine::release: no p-bit " + std::to_string(i));
  if (clamped(i)) {
    clamped_[i >> 6] &= ~(uint64_t(1) << (i & 63));
    ++free_per_colour_[colour_[i]];
  }
}

void PbitEngine::release_all() {
  for (uint32_t i = 0; i < size(); ++i) release(i);
}

void PbitEngine::set_i0(double i0) {
  if (!(i0 >= 0) || !std::isfinite(i0)) throw std::invalid_argument("PbitEngine::set_i0: I0 must be finite and >= 0");
  if (i0 == i0_) return;
  i0_ = i0;
  unit_->set_i0(i0);
}

inline void PbitEngine::decide(uint32_t i) {
  ++counts_.updates;
  counts_.weight_reads += graph_.offsets[i + 1] - graph_.offsets[i];
  if (unit_->decide(i, field_[i], counts_) != up(i)) {
    flip(i);
    ++counts_.flips;
  }
}

void PbitEngine::sweep() {
  if (params_.update == PbitUpdate::sequential) {
    for (uint32_t i = 0; i < size(); ++i)
      if (!clamped(i)) {
        decide(i);
        counts_.cycles += params_.cycles_per_update;
      }
  } else {
    for (size_t c = 0; c < colour_members_.size(); ++c) {
      const uint32_t free = free_per_colour_[c];
      if (free == 0) continue;
      for (uint32_t i : colour_members_[c])
        if (!clamped(i)) decide(i);
      const uint64_t steps = params_.pbit_units ? (free + params_.pbit_units - 1) / params_.pbit_units : 1;
      counts_.colour_steps += steps;
      counts_.cycles += steps * params_.cycles_per_colour_step;
    }
  }
  ++counts_.sweeps;
}

void PbitEngine::anneal(const std::function<void(uint32_t)>& after_sweep) {
  for (uint32_t s = 0; s < params_.sweeps; ++s) {
    set_i0(anneal_i0(params_, s));
    sweep();
    if (after_sweep) after_sweep(s);
  }
}

void SpinTally::add(const PbitEngine& engine) {
  for (size_t k = 0; k < pbits_.size(); ++k) sums_[k] += engine.spin(pbits_[k]);
  ++samples_;
}

}  // namespace scbnn
