// Programming a weight array with a seeded pseudo-random pattern (the memory-model tests).
#pragma once
#include <cstdint>
#include <random>
#include <vector>

#include "scbnn/models/weight_array.h"

namespace scbnn::test {

// Programs every word of `a` with a pseudo-random pattern from `seed`; returns the pattern,
// row-major.
inline std::vector<uint64_t> program_random_pattern(WeightArray& a, const WritePulse& pulse, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> pattern(size_t(a.rows()) * a.words_per_row());
  for (uint32_t r = 0; r < a.rows(); ++r)
    for (uint32_t w = 0; w < a.words_per_row(); ++w) {
      pattern[size_t(r) * a.words_per_row() + w] = rng();
      a.program(r, w, pattern[size_t(r) * a.words_per_row() + w], ~uint64_t(0), pulse);
    }
  return pattern;
}

}  // namespace scbnn::test
