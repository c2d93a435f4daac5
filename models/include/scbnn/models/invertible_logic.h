#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "scbnn/base/params.h"
#include "scbnn/models/ising.h"

namespace scbnn {

// Invertible gates (docs/invertible-logic.md has their J and h tables). Each one's ground
// states are exactly its truth table; tests/test_pbit.cpp enumerates every state.

// c = a AND b (Camsari et al., PRX 2017): J_ab = -1, J_ac = J_bc = 2; h = (1, 1, -2).
GateHamiltonian and_gate();
// c = a OR b: AND with every spin inverted (De Morgan), i.e. h negated.
GateHamiltonian or_gate();
// c = a XNOR b (in spins c = a b), with one auxiliary p-bit that holds a AND b.
GateHamiltonian xnor_gate();
// s = a XOR b XOR cin, cout = majority(a, b, cin), no auxiliary (Camsari et al., PRX 2017):
// H = (a + b + cin - s - 2 cout)^2 / 2 up to a constant.
GateHamiltonian full_adder();
// How a threshold gate's slack is coded in auxiliary p-bits: binary (fewest p-bits, one
// slack state per row, but a unit change of the count may flip every slack bit) or unary
// (K - 1 p-bits of weight 1: any unit change is one flip; rows have several slack states).
enum class SlackCode { binary, unary };
inline constexpr std::array<EnumName<SlackCode>, 2> kSlackCodeNames{
    {{SlackCode::binary, "binary"}, {SlackCode::unary, "unary"}}};
constexpr const auto& enum_names(SlackCode) { return kSlackCodeNames; }

// y = (number of +1 among p_0 .. p_{n-1} >= t) for 0 <= t <= n + 1, with slack p-bits z_j
// (auxiliaries): the penalty 2 L^2 of the linear form L = sum_k b_k - t + K (1 - y) - s over
// bits b = (m + 1) / 2, s the slack's value, is zero exactly on the valid rows. K is
// max(t, n - t + 1) (unary) or the next power of two (binary).
GateHamiltonian threshold_gate(uint32_t n, uint32_t t, SlackCode code = SlackCode::unary);

// Node names of one binarized neuron in a network.
struct NeuronNodes {
  std::vector<std::string> x, w;               // inputs and weights (given)
  std::string y;                               // output (given)
  std::vector<std::string> p, and_aux, slack;  // created: XNOR products, their AND auxiliaries, the threshold's slack
};

// Adds a binarized neuron y = (popcount_k(x_k XNOR w_k) >= threshold) to `net`: one XNOR
// gate per input (product p_k = x_k w_k) and a threshold gate over the products. Node
// names not given are `prefix` + ".p<k>", ".and<k>", ".slack<j>". Forward mode clamps x
// and w; learning mode clamps x and y (for every example, sharing the w nodes) and lets
// w settle. Scales multiply the gates' Hamiltonians.
NeuronNodes add_binarized_neuron(IsingNetwork& net, const std::string& prefix, const std::vector<std::string>& x,
                                 const std::vector<std::string>& w, const std::string& y, uint32_t threshold,
                                 SlackCode code = SlackCode::unary, int32_t xnor_scale = 1,
                                 int32_t threshold_scale = 1);

// Learning mode of one example with known inputs x (+-1): each XNOR gate with a clamped
// input is a wire (x_k = +1) or an inverter (x_k = -1) from w_k to its product, so the
// product is substituted, p_k = x_k w_k (IsingNetwork::add_gate's signs), and the XNOR
// gates with their auxiliaries drop out. Over (w, y, slack) the ground states are those
// of the composed neuron with x clamped; without the per-example (p, and) pairs that a
// weight flip must drag along, annealing reaches them (docs/invertible-logic.md).
// Returns the nodes, p and and_aux empty.
NeuronNodes add_learning_neuron(IsingNetwork& net, const std::string& prefix, const std::vector<int>& x,
                                const std::vector<std::string>& w, const std::string& y, uint32_t threshold,
                                SlackCode code = SlackCode::unary, int32_t threshold_scale = 1);

// The neuron's reference function on +-1 vectors.
int binarized_neuron(const std::vector<int>& x, const std::vector<int>& w, uint32_t threshold);

}  // namespace scbnn
