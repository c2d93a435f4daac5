#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace scbnn {

// Deterministic bitstream multiplication of the SC-CNN PE (Sim & Lee 2020; docs/sc-cnn.md,
// "The bitstream multiply"). A weight w of B bits (|w| <= 2^(B-1) - 1, m = B - 1 magnitude
// bits) becomes the van der Corput stream of its magnitude v:
//   S_v(t) = [bitrev_m(t mod 2^m) < v],  t = 0, 1, 2, ...
// which has exactly v ones in every aligned period of 2^m bits and ceil(v / 2^(m-j)) ones in
// its prefix of 2^j bits. A down counter loaded with the activation a lets the first a bits
// through (k per cycle in the bit-parallel PE); the PE counts their ones,
//   c(a, v) = #{t < a : S_v(t) = 1},
// and the product is sign(w) 2^m c(a, |w|), which approximates w a with
//   |sc_product(w, a) - w a| <= 2^m popcount(a mod 2^m) - (a mod 2^m)   (proved in docs/sc-cnn.md,
// with a sharper form in sc_product_error_bound),
// exact when a is a multiple of 2^m or |w| is 0.

// The `bits` low bits of `value` in reverse order (bits 0..32; higher bits are ignored).
uint32_t bit_reverse(uint32_t value, uint32_t bits);

// Bit t of the stream of `magnitude` (0 .. 2^magnitude_bits) with `magnitude_bits` bits (0..31).
bool weight_stream_bit(uint32_t magnitude, uint32_t magnitude_bits, uint64_t t);

// Ones among the stream's first `length` bits, in closed form: (length >> m) v plus the
// partial period block by block over the set bits of (length mod 2^m), O(m).
uint64_t weight_stream_ones(uint32_t magnitude, uint32_t magnitude_bits, uint64_t length);

// The SC PE's signed product of a weight of `weight_bits` bits (2..32) and an unsigned activation.
int64_t sc_product(int32_t weight, uint32_t activation, uint32_t weight_bits);

// The proven bound on |sc_product(w, a) - w a| over the weights of `weight_bits` bits,
// from the blocks of r = a mod 2^m (docs/sc-cnn.md): max(L, U) with U + L = 2^m popcount(r) - r,
// so at most 2^m popcount(r) - r; 0 when r = 0; attained when r is a power of two.
uint64_t sc_product_error_bound(uint32_t activation, uint32_t weight_bits);

// Cycles of one bitstream multiply of `activation` with `stream_bits_per_cycle` bits per
// cycle: ceil(activation / k) (a zero activation costs nothing).
inline uint64_t sc_multiply_cycles(uint32_t activation, uint32_t stream_bits_per_cycle) {
  return (uint64_t(activation) + stream_bits_per_cycle - 1) / stream_bits_per_cycle;
}

// sc_product for every (weight, activation) of a precision (weight_bits 2..8, activation_bits
// 1..8): what the hot loops use. Every product fits 16 bits (|product| <= 2^7 (2^8 - 1)).
// Operands outside the precision are a programming error (not checked).
class ScProductTable {
 public:
  ScProductTable(uint32_t weight_bits, uint32_t activation_bits);
  int64_t operator()(int32_t w, uint32_t a) const { return by_activation(a)[w]; }
  // The products of activation a: by_activation(a)[w] is sc_product(w, a) for |w| <= 2^(B-1) - 1
  // (a step takes one pointer per column and indexes it with each row's weight).
  const int16_t* by_activation(uint32_t a) const { return table_.data() + size_t(a) * weights_ + max_magnitude_; }

  uint32_t weight_bits() const { return weight_bits_; }
  uint32_t activation_bits() const { return activation_bits_; }

 private:
  uint32_t weight_bits_, activation_bits_;
  int32_t max_magnitude_;
  size_t weights_;              // 2 max_magnitude + 1
  std::vector<int16_t> table_;  // 2^activation_bits rows of `weights_` products
};

}  // namespace scbnn
