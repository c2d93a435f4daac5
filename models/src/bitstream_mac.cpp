#include "scbnn/models/bitstream_mac.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace scbnn {

uint32_t bit_reverse(uint32_t value, uint32_t bits) {
  uint32_t r = 0;
  for (uint32_t b = 0; b < bits; ++b, value >>= 1) r = (r << 1) | (value & 1u);
  return r;
}

bool weight_stream_bit(uint32_t magnitude, uint32_t magnitude_bits, uint64_t t) {
  const uint64_t period_mask = (uint64_t(1) << magnitude_bits) - 1;
  return bit_reverse(uint32_t(t & period_mask), magnitude_bits) < magnitude;
}

uint64_t weight_stream_ones(uint32_t magnitude, uint32_t magnitude_bits, uint64_t length) {
  const uint32_t m = magnitude_bits;
  uint64_t ones = (length >> m) * magnitude;
  const uint32_t rest = uint32_t(length & ((uint64_t(1) << m) - 1));
  // The partial period [0, rest) as aligned blocks of 2^j bits, one per set bit j of rest,
  // highest first. A block starts at `base` (low j bits zero); its t = base + u (u < 2^j)
  // reverse to bitrev_m(base) + bitrev_j(u) 2^(m-j): the offset off = bitrev_m(base) < 2^(m-j)
  // plus each multiple of s = 2^(m-j) below 2^m once. Those below v: ceil((v - off) / s).
  uint32_t base = 0;
  for (int j = int(m) - 1; j >= 0; --j) {
    const uint32_t block = 1u << j;
    if (!(rest & block)) continue;
    const uint32_t off = bit_reverse(base, m), s = 1u << (m - uint32_t(j));
    if (magnitude > off) ones += std::min<uint64_t>(block, (magnitude - off + s - 1) / s);
    base += block;
  }
  return ones;
}

int64_t sc_product(int32_t weight, uint32_t activation, uint32_t weight_bits) {
  const uint32_t m = weight_bits - 1;
  const uint32_t v = uint32_t(weight < 0 ? -int64_t(weight) : int64_t(weight));
  const int64_t count = int64_t(weight_stream_ones(v, m, activation));
  return (weight < 0 ? -count : count) * (int64_t(1) << m);
}

uint64_t sc_product_error_bound(uint32_t activation, uint32_t weight_bits) {
  // Block j of the partial period r = a mod 2^m (offset off_j, spacing s_j = 2^(m-j)) errs by
  // 2^j (s_j n_j - v), within [-2^j off_j, 2^j (s_j - 1 - off_j)] (docs/sc-cnn.md): the
  // error lies in [-low, high] with low and high the sums of those ends over the blocks.
  const uint32_t m = weight_bits - 1;
  const uint32_t rest = uint32_t(activation & ((uint64_t(1) << m) - 1));
  uint64_t low = 0, high = 0;
  uint32_t base = 0;
  for (int j = int(m) - 1; j >= 0; --j) {
    const uint32_t block = 1u << j;
    if (!(rest & block)) continue;
    const uint64_t off = bit_reverse(base, m), s = uint64_t(1) << (m - uint32_t(j));
    low += block * off;
    high += block * (s - 1 - off);
    base += block;
  }
  return std::max(low, high);
}

ScProductTable::ScProductTable(uint32_t weight_bits, uint32_t activation_bits)
    : weight_bits_(weight_bits), activation_bits_(activation_bits) {
  if (weight_bits < 2 || weight_bits > 8 || activation_bits < 1 || activation_bits > 8)
    throw std::invalid_argument("ScProductTable: weight bits " + std::to_string(weight_bits) + " and activation bits " +
                                std::to_string(activation_bits) + " (expected 2..8 and 1..8)");
  max_magnitude_ = (int32_t(1) << (weight_bits - 1)) - 1;
  weights_ = size_t(2 * max_magnitude_ + 1);
  table_.resize(weights_ << activation_bits);
  for (uint32_t a = 0; a < (1u << activation_bits); ++a)
    for (int32_t w = -max_magnitude_; w <= max_magnitude_; ++w)
      table_[a * weights_ + size_t(w + max_magnitude_)] = int16_t(sc_product(w, a, weight_bits));
}

}  // namespace scbnn
