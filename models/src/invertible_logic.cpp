#include "scbnn/models/invertible_logic.h"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <tuple>

namespace scbnn {

namespace {

// A gate of `roles` p-bits with couplings {a, b, J} and biases h.
GateHamiltonian make_gate(std::string name, std::vector<std::string> roles, uint32_t inputs, uint32_t outputs,
                          const std::vector<std::tuple<uint32_t, uint32_t, int32_t>>& couplings, std::vector<int32_t> h,
                          std::function<uint32_t(uint32_t)> function) {
  GateHamiltonian g;
  g.name = std::move(name);
  g.pbits = std::move(roles);
  g.inputs = inputs;
  g.outputs = outputs;
  g.j.assign(size_t(g.size()) * g.size(), 0);
  for (const auto& [a, b, j] : couplings) g.j[size_t(a) * g.size() + b] = g.j[size_t(b) * g.size() + a] = j;
  g.h = std::move(h);
  g.function = std::move(function);
  return g;
}

uint32_t bit(uint32_t v, uint32_t k) { return (v >> k) & 1; }

}  // namespace

GateHamiltonian and_gate() {
  return make_gate("and", {"a", "b", "c"}, 2, 1, {{0, 1, -1}, {0, 2, 2}, {1, 2, 2}}, {1, 1, -2},
                   [](uint32_t in) { return bit(in, 0) & bit(in, 1); });
}

GateHamiltonian or_gate() {
  return make_gate("or", {"a", "b", "c"}, 2, 1, {{0, 1, -1}, {0, 2, 2}, {1, 2, 2}}, {-1, -1, 2},
                   [](uint32_t in) { return bit(in, 0) | bit(in, 1); });
}

// Found by exhaustive search over J, h in {-2..2} (gap 2, the auxiliary unique per row):
// the auxiliary d is +1 exactly when a = b = +1.
GateHamiltonian xnor_gate() {
  return make_gate("xnor", {"a", "b", "c", "and_ab"}, 2, 1,
                   {{0, 1, -1}, {0, 2, -1}, {1, 2, -1}, {0, 3, 2}, {1, 3, 2}, {2, 3, 2}}, {1, 1, 1, -2},
                   [](uint32_t in) { return 1u ^ bit(in, 0) ^ bit(in, 1); });
}

GateHamiltonian full_adder() {
  return make_gate("full_adder", {"a", "b", "cin", "s", "cout"}, 3, 2,
                   {{0, 1, -1},
                    {0, 2, -1},
                    {1, 2, -1},
                    {0, 3, 1},
                    {1, 3, 1},
                    {2, 3, 1},
                    {0, 4, 2},
                    {1, 4, 2},
                    {2, 4, 2},
                    {3, 4, -2}},
                   {0, 0, 0, 0, 0}, [](uint32_t in) {
                     const uint32_t ones = bit(in, 0) + bit(in, 1) + bit(in, 2);
                     return (ones & 1) | uint32_t(ones >= 2) << 1;
                   });
}

GateHamiltonian threshold_gate(uint32_t n, uint32_t t, SlackCode code) {
  if (n == 0 || t > n + 1) throw std::invalid_argument("threshold_gate: needs n >= 1 and t <= n + 1");
  // Slack s in 0 .. K - 1: binary, K = 2^L >= max(t, n - t + 1) with L bits of weight 2^j;
  // unary, K = max(t, n - t + 1) with K - 1 bits of weight 1.
  const int64_t span = std::max(t, n - t + 1);
  int64_t k_big = 1;
  std::vector<int64_t> slack_weights;
  if (code == SlackCode::binary) {
    while (k_big < span) slack_weights.push_back(k_big), k_big *= 2;
  } else {
    k_big = span;
    slack_weights.assign(size_t(span - 1), 1);
  }
  const uint32_t levels = uint32_t(slack_weights.size());
  // L = sum_v a_v b_v + c0 with b_v = (m_v + 1) / 2, so 2 L^2 = (sum_v a_v m_v + C)^2 / 2
  // with C = sum_v a_v + 2 c0: J_uv = -a_u a_v, h_v = -C a_v (and a constant).
  std::vector<int64_t> a(n, 1);
  a.push_back(-k_big);  // y
  for (int64_t weight : slack_weights) a.push_back(-weight);
  const int64_t c0 = k_big - int64_t(t);
  int64_t c = 2 * c0;
  for (int64_t v : a) c += v;

  std::vector<std::string> roles;
  for (uint32_t k = 0; k < n; ++k) roles.push_back("p" + std::to_string(k));
  roles.push_back("y");
  for (uint32_t j = 0; j < levels; ++j) roles.push_back("slack" + std::to_string(j));
  std::vector<std::tuple<uint32_t, uint32_t, int32_t>> couplings;
  std::vector<int32_t> h;
  for (uint32_t u = 0; u < a.size(); ++u) {
    h.push_back(int32_t(-c * a[u]));
    for (uint32_t v = u + 1; v < a.size(); ++v) couplings.emplace_back(u, v, int32_t(-a[u] * a[v]));
  }
  return make_gate(std::string("threshold_") + enum_name(code) + "_" + std::to_string(n) + "_" + std::to_string(t),
                   std::move(roles), n, 1, couplings, std::move(h),
                   [t](uint32_t in) { return uint32_t(uint32_t(__builtin_popcount(in)) >= t); });
}

NeuronNodes add_binarized_neuron(IsingNetwork& net, const std::string& prefix, const std::vector<std::string>& x,
                                 const std::vector<std::string>& w, const std::string& y, uint32_t threshold,
                                 SlackCode code, int32_t xnor_scale, int32_t threshold_scale) {
  if (x.size() != w.size() || x.empty())
    throw std::invalid_argument("add_binarized_neuron: as many inputs as weights, at least one");
  NeuronNodes nodes{x, w, y, {}, {}, {}};
  const GateHamiltonian xnor = xnor_gate();
  for (size_t k = 0; k < x.size(); ++k) {
    nodes.p.push_back(prefix + ".p" + std::to_string(k));
    nodes.and_aux.push_back(prefix + ".and" + std::to_string(k));
    net.add_gate(xnor, {x[k], w[k], nodes.p.back(), nodes.and_aux.back()}, xnor_scale);
  }
  const GateHamiltonian thr = threshold_gate(uint32_t(x.size()), threshold, code);
  std::vector<std::string> thr_nodes = nodes.p;
  thr_nodes.push_back(y);
  for (uint32_t j = 0; j < thr.auxiliaries(); ++j) {
    nodes.slack.push_back(prefix + ".slack" + std::to_string(j));
    thr_nodes.push_back(nodes.slack.back());
  }
  net.add_gate(thr, thr_nodes, threshold_scale);
  return nodes;
}

NeuronNodes add_learning_neuron(IsingNetwork& net, const std::string& prefix, const std::vector<int>& x,
                                const std::vector<std::string>& w, const std::string& y, uint32_t threshold,
                                SlackCode code, int32_t threshold_scale) {
  if (x.size() != w.size() || x.empty())
    throw std::invalid_argument("add_learning_neuron: as many inputs as weights, at least one");
  NeuronNodes nodes{{}, w, y, {}, {}, {}};
  const GateHamiltonian thr = threshold_gate(uint32_t(x.size()), threshold, code);
  std::vector<std::string> thr_nodes = w;
  std::vector<int> signs = x;
  thr_nodes.push_back(y);
  signs.push_back(1);
  for (uint32_t j = 0; j < thr.auxiliaries(); ++j) {
    nodes.slack.push_back(prefix + ".slack" + std::to_string(j));
    thr_nodes.push_back(nodes.slack.back());
    signs.push_back(1);
  }
  net.add_gate(thr, thr_nodes, threshold_scale, signs);
  return nodes;
}

int binarized_neuron(const std::vector<int>& x, const std::vector<int>& w, uint32_t threshold) {
  uint32_t agree = 0;
  for (size_t k = 0; k < x.size(); ++k) agree += x[k] == w[k];
  return agree >= threshold ? 1 : -1;
}

}  // namespace scbnn
