// Learning Hamiltonians of the invertible-logic trainer: disjoint copies of a block with
// shared couplings, their quantisation to J words, and the anneal with majority read-out.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "scbnn/il_trainer/il_train.h"

namespace scbnn {

namespace {
int64_t labs64(int64_t v) { return v < 0 ? -v : v; }
}  // namespace

QuantisedHamiltonian quantise(const BlockHamiltonian& ham, uint32_t j_bits, double bias_bound) {
  const uint32_t n = ham.n;
  if (ham.j.size() != size_t(n) * n || ham.h.size() != size_t(n) * ham.copies)
    throw std::invalid_argument("quantise: J must be n x n and h copies x n");
  double j_max = 0;
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t k = 0; k < n; ++k)
      if (i != k) j_max = std::max(j_max, std::fabs(ham.j[size_t(i) * n + k]));
  double h_max = 0;
  for (double h : ham.h) h_max = std::max(h_max, std::fabs(h));
  // No coupling at all: the largest bias takes the role of the largest coupling.
  const double reference = j_max > 0 ? j_max : (h_max > 0 ? h_max : 1.0);
  QuantisedHamiltonian q;
  q.scale = double((int64_t(1) << (j_bits - 1)) - 1) / reference;

  std::vector<int32_t> j(size_t(n) * n, 0);
  std::vector<uint32_t> row_nonzero(n, 0);
  int64_t row_sum_max = 0;
  for (uint32_t i = 0; i < n; ++i) {
    int64_t row_sum = 0;
    for (uint32_t k = 0; k < n; ++k) {
      if (i == k) continue;
      const int64_t v = std::llround(ham.j[size_t(i) * n + k] * q.scale);
      j[size_t(i) * n + k] = int32_t(v);
      row_nonzero[i] += v != 0;
      row_sum += labs64(v);
    }
    row_sum_max = std::max(row_sum_max, row_sum);
  }
  IsingGraph& g = q.graph;
  g.bias.resize(size_t(n) * ham.copies);
  int64_t bias_max = std::llround(bias_bound);
  for (size_t i = 0; i < g.bias.size(); ++i) {
    const int64_t b = std::llround(ham.h[i] * q.scale);
    if (labs64(b) > std::numeric_limits<int32_t>::max() / 2)
      throw std::overflow_error("quantise: a bias leaves the field's int32 range (lower il_train.j_bits)");
    g.bias[i] = int32_t(b);
    bias_max = std::max(bias_max, labs64(b));
  }
  if (row_sum_max + bias_max > std::numeric_limits<int32_t>::max() / 2)
    throw std::overflow_error("quantise: the field bound leaves int32 (lower il_train.j_bits)");
  g.max_abs_field = int32_t(row_sum_max + bias_max);

  g.offsets.assign(1, 0);
  size_t entries = 0;
  for (uint32_t i = 0; i < n; ++i) entries += row_nonzero[i];
  g.neighbours.reserve(entries * ham.copies);
  g.weights.reserve(entries * ham.copies);
  g.names.reserve(g.bias.size());
  for (uint32_t c = 0; c < ham.copies; ++c)
    for (uint32_t i = 0; i < n; ++i) {
      for (uint32_t k = 0; k < n; ++k) {
        const int32_t v = j[size_t(i) * n + k];
        if (v == 0 || i == k) continue;
        g.neighbours.push_back(c * n + k);
        g.weights.push_back(v);
      }
      g.offsets.push_back(uint32_t(g.neighbours.size()));
      g.names.push_back("c" + std::to_string(c) + ".m" + std::to_string(i));
      g.index_of.emplace(g.names.back(), uint32_t(g.names.size() - 1));
    }
  return q;
}

int32_t quantised_bias(double h, double scale) {
  const int64_t b = std::llround(h * scale);
  if (labs64(b) > std::numeric_limits<int32_t>::max() / 2)
    throw std::overflow_error("quantised_bias: the bias leaves the field's int32 range");
  return int32_t(b);
}

std::vector<int8_t> anneal_majority(PbitEngine& engine, double scale, double i0_min, double i0_max, uint32_t sweeps,
                                    uint32_t readout) {
  PbitParams p = engine.params();
  std::vector<int64_t> sums(engine.size(), 0);
  const uint32_t from = sweeps > readout ? sweeps - readout : 0;
  for (uint32_t s = 0; s < sweeps; ++s) {
    p.i0_min = i0_min / scale;
    p.i0_max = i0_max / scale;
    p.sweeps = sweeps;
    engine.set_i0(anneal_i0(p, s));
    engine.sweep();
    if (s < from) continue;
    const auto& words = engine.state_words();
    for (uint32_t i = 0; i < engine.size(); ++i) sums[i] += ((words[i >> 6] >> (i & 63)) & 1) ? 1 : -1;
  }
  std::vector<int8_t> majority(engine.size());
  for (uint32_t i = 0; i < engine.size(); ++i) majority[i] = sums[i] >= 0 ? 1 : -1;
  return majority;
}

BlockHamiltonian output_hamiltonian(const std::vector<std::vector<int8_t>>& z, const std::vector<uint8_t>& labels,
                                    uint32_t classes, double margin, double other, IlTrainCounts* counts) {
  if (z.size() != labels.size()) throw std::invalid_argument("output_hamiltonian: one label per example");
  const uint32_t n = z.empty() ? 0 : uint32_t(z.front().size());
  BlockHamiltonian ham;
  ham.n = n;
  ham.copies = classes;
  // Sums of products of +-1 values are integers: accumulate exactly, convert once.
  std::vector<int64_t> gram(size_t(n) * n, 0), sum_by_class(size_t(classes) * n, 0), sum_all(n, 0);
  for (size_t e = 0; e < z.size(); ++e) {
    const int8_t* x = z[e].data();
    for (uint32_t i = 0; i < n; ++i) {
      int64_t* row = &gram[size_t(i) * n];
      if (x[i] > 0)
        for (uint32_t k = i + 1; k < n; ++k) row[k] += x[k];
      else
        for (uint32_t k = i + 1; k < n; ++k) row[k] -= x[k];
      sum_all[i] += x[i];
      sum_by_class[size_t(labels[e]) * n + i] += x[i];
    }
  }
  ham.j.assign(size_t(n) * n, 0);
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t k = i + 1; k < n; ++k)
      ham.j[size_t(i) * n + k] = ham.j[size_t(k) * n + i] = -double(gram[size_t(i) * n + k]);
  // t = +1 for the class, `other` otherwise: sum t z = sum_class z + other (sum_all z - sum_class z).
  ham.h.assign(size_t(classes) * n, 0);
  for (uint32_t j = 0; j < classes; ++j)
    for (uint32_t i = 0; i < n; ++i)
      ham.h[size_t(j) * n + i] = margin * (double(sum_by_class[size_t(j) * n + i]) +
                                           other * double(sum_all[i] - sum_by_class[size_t(j) * n + i]));
  if (counts) {
    counts->coupling_updates += uint64_t(z.size()) * n * (n ? n - 1 : 0);
    counts->bias_updates += uint64_t(z.size()) * n * classes;
  }
  return ham;
}

}  // namespace scbnn
