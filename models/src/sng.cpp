#include "scbnn/models/sng.h"

#include <cmath>
#include <stdexcept>

#include "scbnn/models/random_stream.h"
#include "scbnn/models/row_kernels.h"

namespace scbnn {

void link_sng_source_variants();  // generated: keeps every file of sng_sources/ in the link

namespace {
Registry<SngSourceKind>& mutable_sng_sources() {
  static Registry<SngSourceKind> registry("SNG source kind", "accel.sng.source");
  return registry;
}
}  // namespace

const Registry<SngSourceKind>& sng_source_registry() {
  link_sng_source_variants();
  return mutable_sng_sources();
}

std::vector<std::string> sng_source_names() { return sng_source_registry().names(); }

const SngSourceKind& sng_source_kind(const std::string& name) { return sng_source_registry().at(name); }

SngSourceRegistrar::SngSourceRegistrar(const std::string& name, SngSourceKind kind) {
  if (!kind.component_class.action(kind.action))
    throw std::logic_error("SNG source kind '" + name + "' counts action '" + kind.action + "', which its class '" +
                           kind.component_class.name + "' does not declare");
  declare_component_class(kind.component_class);
  mutable_sng_sources().add(name, std::move(kind));
}

SngBank::SngBank(const std::string& name, const SngParams& p, uint32_t inputs)
    : params_(p), kind_(sng_source_kind(p.source)), events_per_step_(kind_.events_per_step(p)), inputs_(inputs) {
  if (p.comparators == 0) throw std::invalid_argument("accel.sng.comparators must be positive");
  if (kind_.validate) kind_.validate(p);
  const uint32_t count = p.sharing == SngSharing::per_input ? inputs : std::max(1u, std::min(p.shared_sources, inputs));
  for (uint32_t i = 0; i < count; ++i) sources_.push_back(make_source(name, i));
  if (p.sharing == SngSharing::shared_offset) history_.resize(count);
}

std::unique_ptr<RandomSource> SngBank::make_source(const std::string& name, uint32_t index) const {
  const uint64_t seed = stream_seed(params_.seed, name + ".source_" + std::to_string(index));
  return kind_.make(params_, seed, index);
}

void SngBank::seek_sources(uint64_t position) {
  if (kind_.seek_all) {
    kind_.seek_all(sources_, params_, position);
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
  // Every source steps once per sample: all samples' numbers first (at once when the kind
  // steps its sources together; shared_offset keeps its per-step history).
  batch_.resize(size_t(samples) * count);
  if (kind_.next_all && params_.sharing != SngSharing::shared_offset) {
    kind_.next_all(sources_, params_, samples, batch_.data());
    position_ += samples;
  } else {
    std::vector<uint8_t> step_values(count);
    for (uint32_t n = 0; n < samples; ++n) {
      step_sources(step_values);
      std::copy(step_values.begin(), step_values.end(), batch_.begin() + ptrdiff_t(n) * count);
    }
  }
  for (uint32_t n = 0; n < samples; ++n) {
    std::vector<uint64_t>& bits = out[n];
    bits.assign(words, 0);
    const uint8_t* values = batch_.data() + size_t(n) * count;
    source_steps_ += count;
    source_events_.add(uint64_t(count) * events_per_step_);
    comparisons_.add(inputs);
    if (params_.sharing == SngSharing::per_input) {  // input i against source i: 64 comparisons a step
      row_kernels().less_plane(values, pixels, inputs, bits.data());
      continue;
    }
    for (uint32_t i = 0; i < inputs; ++i) {
      uint8_t r = 0;
      switch (params_.sharing) {
        case SngSharing::per_input: break;  // handled above
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
  }
}

void StochasticNumberGenerators::collect_actions(ActionLedger& ledger) const {
  const std::string sources = name() + std::string(".sources"), comparators = name() + std::string(".comparators");
  const SngSourceKind& kind = bank.kind();
  ledger.add(sources, kind.component_class.name, kind.action, bank.source_event_counter().by_layer());
  ledger.add(comparators, "sng_comparator", "compare", bank.comparison_counter().by_layer());
}

void StochasticNumberGenerators::collect_hardware(HardwareInventory& inventory) const {
  const SngSourceKind& kind = bank.kind();
  const uint32_t n = bank.source_count();
  inventory.add(name() + std::string(".sources"), kind.component_class.name, kind.component_class.basis,
                double(n) * kind.units_per_source(bank.params()), kind.describe(n, bank.params()));
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
