#include "scbnn/models/random_stream.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace scbnn {

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t stream_seed(uint64_t master_seed, const std::string& name) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a of the name
  for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ull;
  return splitmix64(splitmix64(master_seed) ^ h);
}

void BernoulliGaps::reseed_together(BernoulliGaps* const* processes, const uint64_t* seeds, size_t n) {
  constexpr size_t kBatch = 8;
  for (size_t from = 0; from < n; from += kBatch) {
    Mt19937_64* engines[kBatch];
    const size_t count = std::min(kBatch, n - from);
    for (size_t j = 0; j < count; ++j) engines[j] = &processes[from + j]->rng_;
    Mt19937_64::seed_together(engines, seeds + from, count);
    for (size_t j = 0; j < count; ++j) processes[from + j]->gap_ = processes[from + j]->draw_gap();
  }
}

void BernoulliGaps::set_probability(double p) {
  p_ = p;
  log_q_ = p > 0 && p < 1 ? std::log1p(-p) : 0;
  gap_ = draw_gap();
}

// std::generate_canonical<double, 53> of a 64-bit engine, computed as libstdc++ does it
// (the draw converted to double, scaled by 2^-64, kept below 1) without the long-double
// logarithms it evaluates on every call; tested equal to it.
double canonical_double(uint64_t draw) {
  const double u = double(draw) * 0x1p-64;
  return u < 1.0 ? u : std::nextafter(1.0, 0.0);
}

// Inverse-transform geometric sampling. std::geometric_distribution computes log(1 - p),
// which is 0 for p below ~1e-16 (and then divides by it); log1p keeps tiny rates exact.
uint64_t BernoulliGaps::draw_gap() {
  if (p_ <= 0) return kNever;
  if (p_ >= 1) return 0;
  const double u = canonical_double(rng_());
  const double g = std::floor(std::log1p(-u) / log_q_);  // u in [0,1): log1p(-u) in (-inf, 0]
  return g >= 1.8e19 ? kNever : uint64_t(g);
}

}  // namespace scbnn
