#include "scbnn/models/sng.h"

#include <cmath>
#include <stdexcept>

#include "scbnn/models/random_stream.h"

namespace scbnn {

uint64_t lfsr_tap_mask(uint32_t width) {
  static const std::vector<std::vector<uint32_t>> taps = {
      {8, 6, 5, 4},   {9, 5},     {10, 7},       {11, 9},       {12, 6, 4, 1}, {13, 4, 3, 1}, {14, 5, 3, 1},
      {15, 14},       {16, 15, 13, 4}, {17, 14}, {18, 11},      {19, 6, 2, 1}, {20, 17},      {21, 19},
      {22, 21},       {23, 18},   {24, 23, 22, 17}, {25, 22},   {26, 6, 2, 1}, {27, 5, 2, 1}, {28, 25},
      {29, 27},       {30, 6, 4, 1}, {31, 28},   {32, 22, 2, 1}};
  if (width < 8 || width > 32)
    throw std::invalid_argument("accel.sng.lfsr_width = " + std::to_string(width) +
                                " has no tap table (supported: 8 to 32)");
  uint64_t mask = 0;
  for (uint32_t t : taps[width - 8]) mask |= uint64_t(1) << (t - 1);
  return mask;
}

LfsrSource::LfsrSource(uint32_t width, uint64_t seed)
    : width_(width), mask_((uint64_t(1) << width) - 1), taps_(lfsr_tap_mask(width)), start_(seed & mask_) {
  if (start_ == 0) start_ = 1;  // the all-zero state is the LFSR's only fixed point
  state_ = start_;
}

uint64_t LfsrSource::step() {
  state_ = (state_ >> 1) ^ (-(state_ & 1) & taps_);
  return state_;
}

uint8_t LfsrSource::next() { return uint8_t(step() >> (width_ - 8)); }

namespace {
// Product of two GF(2) matrices given by their columns: column j of a x b is a (b_j).
uint64_t apply_columns(const std::vector<uint64_t>& columns, uint64_t v) {
  uint64_t out = 0;
  for (size_t j = 0; v; ++j, v >>= 1)
    if (v & 1) out ^= columns[j];
  return out;
}
std::vector<uint64_t> multiply(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  std::vector<uint64_t> c(b.size());
  for (size_t j = 0; j < b.size(); ++j) c[j] = apply_columns(a, b[j]);
  return c;
}
}  // namespace

LfsrJump::LfsrJump(uint32_t width, uint64_t steps) : columns_(width) {
  std::vector<uint64_t> base(width);  // one step: bit j moves to j - 1; bit 0 feeds the taps
  base[0] = lfsr_tap_mask(width);
  for (uint32_t j = 1; j < width; ++j) base[j] = uint64_t(1) << (j - 1);
  for (uint32_t j = 0; j < width; ++j) columns_[j] = uint64_t(1) << j;
  for (; steps; steps >>= 1) {
    if (steps & 1) columns_ = multiply(base, columns_);
    if (steps > 1) base = multiply(base, base);
  }
}

uint64_t LfsrJump::apply(uint64_t state) const { return apply_columns(columns_, state); }

uint8_t VanDerCorputSource::next() {
  uint32_t v = (counter_ + offset_) & 0xff, r = 0;
  for (int b = 0; b < 8; ++b, v >>= 1) r = (r << 1) | (v & 1);
  if (++counter_ == steps_per_image_) counter_ = 0;
  return uint8_t(r);
}

void VanDerCorputSource::seek(uint64_t position, uint32_t steps_per_image) {
  steps_per_image_ = steps_per_image;
  counter_ = steps_per_image ? uint32_t(position % steps_per_image) : uint32_t(position);
}

uint8_t IdealSource::next() { return uint8_t(splitmix64(seed_ + ++position_ * 0x9e3779b97f4a7c15ull) >> 56); }

SngBank::SngBank(const std::string& name, const SngParams& p, uint32_t inputs) : params_(p), inputs_(inputs) {
  if (p.comparators == 0) throw std::invalid_argument("accel.sng.comparators must be positive");
  if (p.source == SngSource::lfsr) lfsr_tap_mask(p.lfsr_width);  // validates the width
  const uint32_t count = p.sharing == SngSharing::per_input ? inputs : std::max(1u, std::min(p.shared_sources, inputs));
  for (uint32_t i = 0; i < count; ++i) sources_.push_back(make_source(name, i));
  if (p.sharing == SngSharing::shared_offset) history_.resize(count);
}

std::unique_ptr<RandomSource> SngBank::make_source(const std::string& name, uint32_t index) const {
  const uint64_t seed = stream_seed(params_.seed, name + ".source_" + std::to_string(index));
  switch (params_.source) {
    case SngSource::lfsr: return std::make_unique<LfsrSource>(params_.lfsr_width, seed);
    case SngSource::sobol: return std::make_unique<VanDerCorputSource>(uint32_t(index * 37u));
    case SngSource::ideal:
    case SngSource::smtj: return std::make_unique<IdealSource>(seed);
  }
  return nullptr;
}

void SngBank::seek_sources(uint64_t position) {
  if (params_.source == SngSource::lfsr) {  // one matrix power serves every LFSR
    const LfsrJump jump(params_.lfsr_width, position);
    for (auto& s : sources_) static_cast<LfsrSource&>(*s).jump_from_start(jump);
  } else {
    for (auto& s : sources_) s->seek(position, steps_per_image_);
  }
  position_ = position;
}

void SngBank::step_sources(std::vector<uint8_t>& values) {
  const uint32_t count = uint32_t(sources_.size());
  values.resize(count);
  for (uint32_t s = 0; s < count; ++s) values[s] = sources_[s]->next();
  ++position_;
  if (params_.sharing == SngSharing::shared_offset)
    for (uint32_t s = 0; s < count; ++s) {
      auto& h = history_[s];
      h.insert(h.begin(), values[s]);
      if (h.size() > inputs_ / count + 1) h.pop_back();
    }
}

void SngBank::seek_image(uint64_t image, uint32_t samples) {
  const uint64_t target = image * samples;
  if (samples == steps_per_image_ && target == position_) return;
  steps_per_image_ = samples;
  if (params_.sharing != SngSharing::shared_offset) {
    seek_sources(target);
    return;
  }
  // shared_offset delays reach back up to inputs / S positions: replay them.
  const uint64_t depth = inputs_ / sources_.size();
  for (auto& h : history_) h.clear();
  seek_sources(target > depth ? target - depth : 0);
  std::vector<uint8_t> values;
  while (position_ < target) step_sources(values);
}

void SngBank::generate(const uint8_t* pixels, uint32_t inputs, uint32_t samples,
                       std::vector<std::vector<uint64_t>>& out) {
  const size_t words = (size_t(inputs) + 63) / 64;
  out.resize(samples);
  const uint32_t count = uint32_t(sources_.size());
  std::vector<uint8_t> values(count);
  for (uint32_t n = 0; n < samples; ++n) {
    std::vector<uint64_t>& bits = out[n];
    bits.assign(words, 0);
    // Every source steps once per sample; inputs read their source's value.
    step_sources(values);
    source_steps_ += count;
    if (params_.source == SngSource::smtj) smtj_reads_ += uint64_t(count) * 8;
    for (uint32_t i = 0; i < inputs; ++i) {
      uint8_t r = 0;
      switch (params_.sharing) {
        case SngSharing::per_input: r = values[i]; break;
        case SngSharing::shared_rotate: {
          const uint32_t k = (i / count) % 8;
          const uint8_t v = values[i % count];
          r = uint8_t((v << k) | (v >> ((8 - k) % 8)));
          break;
        }
        case SngSharing::shared_offset: {
          const auto& h = history_[i % count];
          const size_t delay = std::min<size_t>(i / count, h.size() - 1);
          r = h[delay];
          break;
        }
      }
      if (r < pixels[i]) bits[i / 64] |= uint64_t(1) << (i % 64);
    }
    comparisons_ += inputs;
  }
}

namespace {

const char* source_class(SngSource s) {
  switch (s) {
    case SngSource::lfsr: return "lfsr";
    case SngSource::sobol: return "vdc_counter";
    case SngSource::smtj: return "smtj_rng";
    case SngSource::ideal: return "ideal_rng";
  }
  return "?";
}

}  // namespace

uint32_t StochasticNumberGenerators::source_register_bits() const {
  switch (bank.params().source) {
    case SngSource::lfsr:
    case SngSource::ideal: return bank.params().lfsr_width;
    case SngSource::sobol: return 8;
    case SngSource::smtj: return 0;
  }
  return 0;
}

void StochasticNumberGenerators::collect_actions(ActionLedger& ledger) const {
  const std::string sources = name() + std::string(".sources"), comparators = name() + std::string(".comparators");
  const SngSource s = bank.params().source;
  if (s == SngSource::smtj)
    ledger.add(sources, source_class(s), "smtj_read", bank.smtj_reads());
  else
    ledger.add(sources, source_class(s), "bit_step", bank.source_steps() * source_register_bits());
  ledger.add(comparators, "sng_comparator", "compare", bank.comparisons());
}

void StochasticNumberGenerators::collect_hardware(HardwareInventory& inventory) const {
  const SngSource s = bank.params().source;
  const uint32_t n = bank.source_count();
  if (s == SngSource::smtj)
    inventory.add(name() + std::string(".sources"), source_class(s), "instance", n, std::to_string(n) + " SMTJ sources");
  else
    inventory.add(name() + std::string(".sources"), source_class(s), "bit", double(n) * source_register_bits(),
                  std::to_string(n) + " sources of " + std::to_string(source_register_bits()) + " bits");
  inventory.add(name() + std::string(".comparators"), "sng_comparator", "instance", bank.params().comparators,
                std::to_string(bank.params().comparators) + " 8-bit comparators");
}

double stochastic_cross_correlation(const std::vector<bool>& a, const std::vector<bool>& b) {
  const double n = double(a.size());
  double p1 = 0, p2 = 0, p11 = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    p1 += a[i];
    p2 += b[i];
    p11 += a[i] && b[i];
  }
  p1 /= n, p2 /= n, p11 /= n;
  const double delta = p11 - p1 * p2;
  const double denom = delta > 0 ? std::min(p1, p2) - p1 * p2 : p1 * p2 - std::max(p1 + p2 - 1, 0.0);
  return denom <= 0 ? 0.0 : delta / denom;
}

std::vector<StreamMetrics> measure_streams(const SngParams& params, const std::vector<uint32_t>& lengths) {
  std::vector<StreamMetrics> out;
  for (uint32_t n : lengths) {
    SngBank sng("stream_probe", params, 256);
    std::vector<uint8_t> pixels(256);
    double sq = 0;
    std::vector<std::vector<uint64_t>> streams;
    for (uint32_t x = 0; x < 256; ++x) pixels[x] = uint8_t(x);
    sng.seek_image(0, n);
    sng.generate(pixels.data(), 256, n, streams);
    for (uint32_t x = 0; x < 256; ++x) {
      uint32_t ones = 0;
      for (const auto& s : streams) ones += (s[x / 64] >> (x % 64)) & 1;
      const double e = double(ones) / n - x / 256.0;
      sq += e * e;
    }
    // SCC between two inputs holding the same mid-range values, over many values.
    double scc = 0;
    int pairs = 0;
    for (uint32_t x = 32; x < 224; x += 16) {
      std::vector<uint8_t> two(256, 0);
      two[0] = two[1] = uint8_t(x);
      sng.seek_image(0, std::max(n, 64u));
      sng.generate(two.data(), 256, std::max(n, 64u), streams);
      std::vector<bool> a, b;
      for (const auto& s : streams) {
        a.push_back(s[0] & 1);
        b.push_back((s[0] >> 1) & 1);
      }
      scc += std::abs(stochastic_cross_correlation(a, b));
      ++pairs;
    }
    out.push_back({n, std::sqrt(sq / 256), scc / pairs});
  }
  return out;
}

}  // namespace scbnn
