#pragma once
// Pieces both MAC PE kinds share (docs/sc-cnn.md): the row accumulators with their fault
// injection, the registers class, the adder-tree sizing and the precision checks.
#include <cstdint>
#include <string>
#include <vector>

#include "scbnn/base/component_class.h"
#include "scbnn/base/component_names.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/layer_counter.h"
#include "scbnn/models/mac_pe.h"
#include "scbnn/models/random_stream.h"

namespace scbnn::mac_pe_detail {

inline ComponentClassSpec accumulator_class() {
  return {component_class::kMacAccumulator,
          "bit",
          "MAC-array row accumulators (adder and register, accel.mac accumulator width), per bit",
          {{action::kAddBit, Pricing::per_event, Stage::array,
            "one accumulator bit added and written (the accumulator width per row and array step)"}}};
}

inline ComponentClassSpec register_class() {
  return {component_class::kMacPeRegister,
          "bit",
          "operand, pipeline and step registers of a MAC PE array (flip-flops), per bit",
          {{action::kBitWrite, Pricing::per_event, Stage::array, "one register bit written"}}};
}

// Full-adder bits of a pairwise adder tree over `inputs` operands of `width` bits (level l
// adds pairs of width + l bits; an odd operand passes to the next level), and its output width.
inline uint64_t adder_tree_bits(uint32_t inputs, uint32_t width) {
  uint64_t bits = 0;
  for (uint32_t n = inputs, w = width; n > 1; n -= n / 2, ++w) bits += uint64_t(n / 2) * w;
  return bits;
}
inline uint32_t adder_tree_output_bits(uint32_t inputs, uint32_t width) {
  uint32_t w = width;
  for (uint32_t n = inputs; n > 1; n -= n / 2) ++w;
  return w;
}

// v with bit `bit` of its two's-complement representation flipped (bit < 63; in a register
// of more than `bit` bits holding v, the same as flipping the register's bit).
inline int64_t flip_bit(int64_t v, uint32_t bit) {
  const int64_t weight = int64_t(1) << bit;
  return ((uint64_t(v) >> bit) & 1u) ? v - weight : v + weight;
}
// The same in a `width`-bit two's-complement register: its top bit weighs -2^(width-1).
inline int64_t flip_register_bit(int64_t v, uint32_t bit, uint32_t width) {
  if (bit + 1 < width) return flip_bit(v, bit);
  const int64_t weight = int64_t(1) << bit;  // the sign bit: set in a negative value
  return v < 0 ? v + weight : v - weight;
}

// Each row's accumulator register written once per array step: every bit flips with
// accel.mac.fault.accumulator_ber, drawn per image from the component's own stream.
class AccumulatorFaults {
 public:
  AccumulatorFaults(uint64_t master_seed, const std::string& name, double rate, uint32_t bits)
      : seed_(stream_seed(master_seed, name + ".accumulator_flip")), bits_(bits), flips_(seed_, rate) {}
  bool enabled() const { return flips_.probability() > 0; }
  void start_image(uint64_t image) { flips_.reseed(image_stream_seed(seed_, image)); }
  // Flips the bits the process picks among rows x width positions; returns how many.
  uint64_t apply(int64_t* sums, uint32_t rows) {
    uint64_t n = 0;
    flips_.for_each_event(uint64_t(rows) * bits_, [&](uint64_t p) {
      const uint32_t r = uint32_t(p / bits_), b = uint32_t(p % bits_);
      sums[r] = flip_register_bit(sums[r], b, bits_);
      ++n;
    });
    return n;
  }

 private:
  uint64_t seed_;
  uint32_t bits_;
  BernoulliGaps flips_;
};

// Checks shared by the kinds (the ranges the MAC-array keys document).
inline void validate_common(const MacPrecision& p, const MacFaultParams& f) {
  if (p.weight_bits < 2 || p.weight_bits > 8)
    throw InputError("accel.mac.weight_bits = " + std::to_string(p.weight_bits) + ": expected 2 to 8");
  if (p.activation_bits < 1 || p.activation_bits > 8)
    throw InputError("accel.mac.activation_bits = " + std::to_string(p.activation_bits) + ": expected 1 to 8");
  if (p.accumulator_bits < p.weight_bits + p.activation_bits || p.accumulator_bits > 62)
    throw InputError("the MAC-array accumulator width " + std::to_string(p.accumulator_bits) +
                     " must hold a product (weight_bits + activation_bits) and be at most 62 bits");
  const auto rate = [](double r, const char* key) {
    if (!(r >= 0 && r <= 1)) throw InputError(std::string(key) + " = " + std::to_string(r) + ": expected 0 to 1");
  };
  rate(f.stream_ber, "accel.mac.fault.stream_ber");
  rate(f.product_ber, "accel.mac.fault.product_ber");
  rate(f.accumulator_ber, "accel.mac.fault.accumulator_ber");
}

}  // namespace scbnn::mac_pe_detail
