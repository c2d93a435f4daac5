#pragma once
// How the host rescales a network's first-layer parameters for stochastic inputs
// (docs/stochastic-input.md). The network keeps them in the fixed-point domain, where the
// first layer's pre-activation is a = sum (2x - 255) w over 8-bit pixels x. A stochastic
// sample gives sum (2b - 1) w with E[2b - 1] = (2x - 256) / 256 ~ (2x - 255) / 255, so a
// decision on M summed samples (M = N in sum mode, 1 in vote mode) sees a x M / 255.
#include <cmath>
#include <cstdint>
#include <vector>

namespace scbnn {

// Samples summed before a first-layer decision: N in sum mode, 1 in vote mode.
inline uint32_t samples_per_decision(bool sum_mode, uint32_t stream_length) { return sum_mode ? stream_length : 1; }

// A hidden first layer's threshold x M / 255, rounded so that the neuron fires only when
// the scaled sum reaches the exact scaled threshold (up for >=, down for <=).
inline int32_t stochastic_threshold(int32_t threshold, int32_t direction, uint32_t samples) {
  const double scaled = double(threshold) * samples / 255.0;
  return int32_t(direction > 0 ? std::ceil(scaled) : std::floor(scaled));
}

// An output layer 0's offset x M / 255, rounded to nearest (halves away from zero): the
// score a x scale + offset' is then M / 255 times the fixed-point score, up to 1/2.
inline int64_t stochastic_offset(int32_t offset, uint32_t samples) {
  return std::llround(double(offset) * samples / 255.0);
}

// A hidden layer 0's thresholds, and an output layer 0's offsets, for M summed samples.
inline std::vector<int32_t> stochastic_thresholds(const std::vector<int32_t>& thresholds,
                                                  const std::vector<int32_t>& directions, uint32_t samples) {
  std::vector<int32_t> scaled(thresholds.size());
  for (size_t j = 0; j < thresholds.size(); ++j)
    scaled[j] = stochastic_threshold(thresholds[j], directions[j], samples);
  return scaled;
}
inline std::vector<int32_t> stochastic_offsets(const std::vector<int32_t>& offsets, uint32_t samples) {
  std::vector<int32_t> scaled(offsets.size());
  for (size_t j = 0; j < offsets.size(); ++j) scaled[j] = int32_t(stochastic_offset(offsets[j], samples));
  return scaled;
}

// Largest |score| an output layer 0 can produce on M samples of `inputs` pixels:
// |scale| x inputs x M + |offset'|.
inline int64_t stochastic_score_bound(int32_t scale, int32_t offset, uint32_t inputs, uint32_t samples) {
  const int64_t off = stochastic_offset(offset, samples);
  return std::abs(int64_t(scale)) * int64_t(inputs) * samples + (off < 0 ? -off : off);
}

}  // namespace scbnn
