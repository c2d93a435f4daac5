#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace scbnn {

// Cycles spent per layer and phase, accumulated from the work executed. Phases keep
// their first-seen order so reports read in execution order.
class CycleLedger {
 public:
  struct Layer {
    std::string name;
    std::vector<std::pair<std::string, uint64_t>> phases;
    uint64_t total() const {
      uint64_t t = 0;
      for (const auto& p : phases) t += p.second;
      return t;
    }
  };

  void add(size_t layer, const std::string& name, const std::string& phase, uint64_t cycles) {
    if (layers_.size() <= layer) layers_.resize(layer + 1);
    Layer& l = layers_[layer];
    if (l.name.empty()) l.name = name;
    for (auto& p : l.phases)
      if (p.first == phase) {
        p.second += cycles;
        return;
      }
    l.phases.emplace_back(phase, cycles);
  }
  const std::vector<Layer>& layers() const { return layers_; }
  uint64_t total() const {
    uint64_t t = 0;
    for (const auto& l : layers_) t += l.total();
    return t;
  }

 private:
  std::vector<Layer> layers_;
};

}  // namespace scbnn
