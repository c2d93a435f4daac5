#include "scbnn/models/ising.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#include "scbnn/base/errors.h"

namespace scbnn {

namespace {
int spin_of(uint64_t state, uint32_t i) { return (state >> i) & 1 ? 1 : -1; }

int32_t checked_int32(int64_t v, const std::string& what) {
  if (v > std::numeric_limits<int32_t>::max() || v < std::numeric_limits<int32_t>::min())
    throw std::overflow_error(what + " = " + std::to_string(v) + " does not fit in 32 bits");
  return int32_t(v);
}
}  // namespace

int64_t GateHamiltonian::energy(uint64_t state) const {
  if (size() > 64) throw std::logic_error("GateHamiltonian::energy takes gates of at most 64 p-bits");
  int64_t e = 0;
  for (uint32_t a = 0; a < size(); ++a) {
    e -= int64_t(h[a]) * spin_of(state, a);
    for (uint32_t b = a + 1; b < size(); ++b) e -= int64_t(coupling(a, b)) * spin_of(state, a) * spin_of(state, b);
  }
  return e;
}

uint32_t IsingGraph::index(const std::string& name) const {
  const auto it = index_of.find(name);
  if (it == index_of.end()) throw InputError("the Ising network has no p-bit called '" + name + "'");
  return it->second;
}

int64_t IsingGraph::field(uint32_t i, const std::vector<int8_t>& spins) const {
  int64_t f = bias[i];
  for (uint32_t e = offsets[i]; e < offsets[i + 1]; ++e) f += int64_t(weights[e]) * spins[neighbours[e]];
  return f;
}

int64_t IsingGraph::energy(const std::vector<int8_t>& spins) const {
  int64_t e = 0;
  for (uint32_t i = 0; i < size(); ++i) {
    e -= int64_t(bias[i]) * spins[i];
    for (uint32_t k = offsets[i]; k < offsets[i + 1]; ++k)
      if (neighbours[k] > i) e -= int64_t(weights[k]) * spins[i] * spins[neighbours[k]];
  }
  return e;
}

uint32_t IsingNetwork::node(const std::string& name) {
  const auto [it, fresh] = index_.emplace(name, uint32_t(names_.size()));
  if (fresh) {
    names_.push_back(name);
    bias_.push_back(0);
  }
  return it->second;
}

void IsingNetwork::add_coupling(uint32_t a, uint32_t b, int64_t j) {
  if (a >= size() || b >= size() || a == b)
    throw std::logic_error("IsingNetwork::add_coupling(" + std::to_string(a) + ", " + std::to_string(b) +
                           "): no such pair of distinct p-bits");
  if (j != 0) couplings_.push_back({std::min(a, b), std::max(a, b), j});
}

void IsingNetwork::add_bias(uint32_t a, int64_t h) { bias_.at(a) += h; }

void IsingNetwork::add_gate(const GateHamiltonian& gate, const std::vector<std::string>& nodes, int32_t scale,
                            const std::vector<int>& signs) {
  if (nodes.size() != gate.size() || (!signs.empty() && signs.size() != gate.size()))
    throw std::logic_error("gate '" + gate.name + "' has " + std::to_string(gate.size()) + " p-bits, given " +
                           std::to_string(nodes.size()) + " nodes and " + std::to_string(signs.size()) + " signs");
  std::vector<uint32_t> at(nodes.size());
  std::vector<int64_t> sign(nodes.size(), 1);
  for (size_t k = 0; k < nodes.size(); ++k) {
    at[k] = node(nodes[k]);
    if (!signs.empty()) {
      if (signs[k] != 1 && signs[k] != -1) throw std::logic_error("gate '" + gate.name + "': a sign is +1 or -1");
      sign[k] = signs[k];
    }
  }
  for (uint32_t a = 0; a < gate.size(); ++a) {
    add_bias(at[a], scale * sign[a] * gate.h[a]);
    for (uint32_t b = a + 1; b < gate.size(); ++b)
      if (at[a] == at[b]) {
        if (gate.coupling(a, b)) throw std::logic_error("gate '" + gate.name + "': two coupled p-bits on one node");
      } else {
        add_coupling(at[a], at[b], scale * sign[a] * sign[b] * gate.coupling(a, b));
      }
  }
}

IsingGraph IsingNetwork::compile() const {
  std::vector<Coupling> merged = couplings_;
  std::sort(merged.begin(), merged.end(),
            [](const Coupling& x, const Coupling& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  size_t out = 0;
  for (size_t k = 0; k < merged.size(); ++k) {
    if (out && merged[out - 1].a == merged[k].a && merged[out - 1].b == merged[k].b)
      merged[out - 1].j += merged[k].j;
    else
      merged[out++] = merged[k];
  }
  merged.resize(out);
  merged.erase(std::remove_if(merged.begin(), merged.end(), [](const Coupling& c) { return c.j == 0; }), merged.end());

  IsingGraph g;
  g.names = names_;
  g.index_of = index_;
  const uint32_t n = size();
  g.bias.resize(n);
  std::vector<uint32_t> degree(n, 0);
  for (const auto& c : merged) ++degree[c.a], ++degree[c.b];
  g.offsets.assign(n + 1, 0);
  for (uint32_t i = 0; i < n; ++i) g.offsets[i + 1] = g.offsets[i] + degree[i];
  g.neighbours.resize(g.offsets[n]);
  g.weights.resize(g.offsets[n]);
  std::vector<uint32_t> fill(g.offsets.begin(), g.offsets.end() - 1);
  std::vector<int64_t> bound(n);
  for (const auto& c : merged) {
    const int32_t j = checked_int32(c.j, "J(" + names_[c.a] + ", " + names_[c.b] + ")");
    g.neighbours[fill[c.a]] = c.b, g.weights[fill[c.a]++] = j;
    g.neighbours[fill[c.b]] = c.a, g.weights[fill[c.b]++] = j;
    bound[c.a] += std::abs(c.j), bound[c.b] += std::abs(c.j);
  }
  for (uint32_t i = 0; i < n; ++i) {
    g.bias[i] = checked_int32(bias_[i], "h(" + names_[i] + ")");
    bound[i] += std::abs(bias_[i]);
    // Fields move by 2 |J| per flip: keep head-room below the int32 limit.
    g.max_abs_field = std::max(g.max_abs_field, checked_int32(2 * bound[i], "2 x field bound of " + names_[i]) / 2);
  }
  return g;
}

}  // namespace scbnn
