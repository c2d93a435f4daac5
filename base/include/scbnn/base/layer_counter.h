#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace scbnn {

// Counts of one action by the layer during which they happened.
struct LayerCounts {
  uint64_t outside = 0;          // outside any layer: programming, host traffic, between inferences
  std::vector<uint64_t> layers;  // layers[l]: during layer l (missing trailing layers: 0)

  uint64_t layer(size_t l) const { return l < layers.size() ? layers[l] : 0; }
  uint64_t total() const {
    uint64_t t = outside;
    for (uint64_t c : layers) t += c;
    return t;
  }
};

// The layer the hardware is working on, for every LayerCounter: a sequencer opens a
// CurrentLayer for the synchronous work of a layer (the scope must not span a wait(), or
// another process's counts would land in it); outside any such scope counts go to
// "outside". Scopes nest (the innermost wins) and restore what they found.
class CurrentLayer {
 public:
  explicit CurrentLayer(size_t layer) : saved_(active_slot) { active_slot = layer + 1; }
  ~CurrentLayer() { active_slot = saved_; }
  CurrentLayer(const CurrentLayer&) = delete;
  CurrentLayer& operator=(const CurrentLayer&) = delete;

  // 0: outside any layer; l + 1: layer l.
  static size_t slot() { return active_slot; }

 private:
  size_t saved_;
  static inline size_t active_slot = 0;
};

// A counter of one action that keeps its counts per layer (CurrentLayer): what a model
// uses instead of a plain integer, so its ledger entries carry the per-layer breakdown.
// add() is an index and an add (the hot paths of the simulator count with it).
class LayerCounter {
 public:
  void add(uint64_t n = 1) {
    const size_t s = CurrentLayer::slot();
    if (s >= slots_.size()) slots_.resize(s + 1, 0);
    slots_[s] += n;
  }
  uint64_t total() const {
    uint64_t t = 0;
    for (uint64_t c : slots_) t += c;
    return t;
  }
  // The counts per layer, each multiplied by `scale` (an action counted in units of another).
  LayerCounts by_layer(uint64_t scale = 1) const {
    LayerCounts c;
    if (slots_.empty()) return c;
    c.outside = slots_[0] * scale;
    for (size_t s = 1; s < slots_.size(); ++s) c.layers.push_back(slots_[s] * scale);
    return c;
  }

 private:
  std::vector<uint64_t> slots_;  // [0]: outside any layer; [l + 1]: layer l
};

}  // namespace scbnn
