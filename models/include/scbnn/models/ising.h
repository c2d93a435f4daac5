#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace scbnn {

// Ising models of p-bit networks (docs/invertible-logic.md). Spins m_i are -1 or +1 and
//
//   H(m) = - sum_{i<j} J_ij m_i m_j - sum_i h_i m_i ,
//
// with integer J (symmetric, zero diagonal) and h: fixed-point weights are integers of a
// scale 2^-F that the caller folds into I0. A p-bit's local field is
// I_i = h_i + sum_j J_ij m_j; flipping m_i changes H by 2 m_i I_i.

// A gate's Hamiltonian over its own p-bits: inputs first, then outputs, then auxiliaries.
// Its ground states are exactly the rows of its truth table (each with one assignment of
// the auxiliaries), all at the same energy, so gates composed over shared nodes keep
// exactly the circuit's consistent assignments as ground states.
struct GateHamiltonian {
  std::string name;
  std::vector<std::string> pbits;  // role names, e.g. {"a", "b", "c", "and_ab"}
  uint32_t inputs = 0, outputs = 0;
  std::vector<int32_t> j;  // size() x size(), row-major, symmetric, zero diagonal
  std::vector<int32_t> h;
  // The function: bit o of the result is output o, from bit k = input k (1 = +1).
  std::function<uint32_t(uint32_t inputs)> function;

  uint32_t size() const { return uint32_t(pbits.size()); }
  uint32_t auxiliaries() const { return size() - inputs - outputs; }
  int32_t coupling(uint32_t a, uint32_t b) const { return j[size_t(a) * size() + b]; }
  // H of a state given as bits (bit i = p-bit i, 1 = +1).
  int64_t energy(uint64_t state) const;
};

// A compiled network: couplings in compressed rows (both directions), for the engine.
struct IsingGraph {
  std::vector<std::string> names;  // p-bit names (index = p-bit)
  std::unordered_map<std::string, uint32_t> index_of;
  std::vector<uint32_t> offsets;  // row i: entries offsets[i] .. offsets[i + 1]
  std::vector<uint32_t> neighbours;
  std::vector<int32_t> weights;  // J_ij of each entry
  std::vector<int32_t> bias;     // h_i
  int32_t max_abs_field = 0;     // max_i |h_i| + sum_j |J_ij|: a bound on every |I_i|

  uint32_t size() const { return uint32_t(bias.size()); }
  uint32_t degree(uint32_t i) const { return offsets[i + 1] - offsets[i]; }
  uint64_t couplings() const { return neighbours.size() / 2; }
  // The p-bit called `name`; InputError naming it otherwise.
  uint32_t index(const std::string& name) const;
  // I_i and H for spins given as -1 / +1 (reference computations, O(degree) and O(edges)).
  int64_t field(uint32_t i, const std::vector<int8_t>& spins) const;
  int64_t energy(const std::vector<int8_t>& spins) const;
};

// A network Hamiltonian over named p-bits, built by adding couplings, biases and whole
// gates; couplings added twice add up. compile() merges them into an IsingGraph.
class IsingNetwork {
 public:
  // The p-bit called `name`, created (with no coupling) when new.
  uint32_t node(const std::string& name);
  bool contains(const std::string& name) const { return index_.count(name) != 0; }
  uint32_t size() const { return uint32_t(names_.size()); }
  const std::string& name(uint32_t i) const { return names_.at(i); }

  void add_coupling(uint32_t a, uint32_t b, int64_t j);
  void add_bias(uint32_t a, int64_t h);
  // Adds `scale` x the gate's Hamiltonian with gate p-bit k on network node nodes[k]
  // (created when new): the composition of invertible gates over shared nodes. With
  // `signs`, gate p-bit k is signs[k] x node k (-1: through an inverter, which in an Ising
  // model is free: J_ab -> s_a s_b J_ab, h_a -> s_a h_a).
  void add_gate(const GateHamiltonian& gate, const std::vector<std::string>& nodes, int32_t scale = 1,
                const std::vector<int>& signs = {});

  // Merged couplings; std::overflow_error if a weight or a field bound leaves int32.
  IsingGraph compile() const;

 private:
  struct Coupling {
    uint32_t a, b;  // a < b
    int64_t j;
  };
  std::vector<std::string> names_;
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<Coupling> couplings_;
  std::vector<int64_t> bias_;
};

}  // namespace scbnn
