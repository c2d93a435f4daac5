#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "scbnn/stimuli/network.h"

namespace scbnn {

// The folded integer network evaluated plainly (one multiply-add per weight, no bit
// packing, no SystemC): the reference the trainer's and the platform's evaluations are
// checked against. Tensors are HWC vectors of int64: a fixed-point first layer reads
// 2x - (2^bits - 1) per pixel, later layers read +-1. A network trained for stochastic
// inputs is evaluated with fixed-point inputs here.

// The first layer's input values of an image (rows x cols x channels pixels, HWC).
std::vector<int64_t> input_values(const Network& net, const uint8_t* pixels);

// The value a padded position of layer `index` reads: padding_value for hidden layers; for
// the first layer, the pixel 0 (-1) or 2^bits - 1 (+1) in the fixed-point scale.
int64_t padding_input(const Network& net, size_t index);

// Layer `index`'s pre-activations a on its input tensor `x`: dense, `outputs` values;
// conv2d, out_height x out_width x outputs values (HWC, before pooling).
std::vector<int64_t> layer_preactivations(const Network& net, size_t index, const std::vector<int64_t>& x);

// A hidden layer's +-1 outputs: the threshold compare, then a convolution's max-pool (the
// OR of the bits over each window). HWC.
std::vector<int64_t> hidden_layer_outputs(const Network& net, size_t index, const std::vector<int64_t>& x);

// The output layer's scores (scale x a + offset; validate_network guarantees they fit int32).
std::vector<int32_t> integer_scores(const Network& net, const uint8_t* pixels);

// The first index of the maximum score, as the hardware's argmax.
uint32_t predicted_class(const std::vector<int32_t>& scores);

// ---- Quantised networks (Network::quantised(); docs/network-format.md, version 3) ----
//
// The exact integer semantics: the first layer reads pixel p as the activation p >> (8 - A);
// a weighted layer accumulates acc = sum_i product(w_i, a_i) in int64 over its inputs (a
// convolution's padded positions read the activation 0, and their products count too); a
// hidden layer outputs q = requantise(acc, ...) per output, then a convolution's max-pool takes
// the max of q over each window; the output layer scores int32(scale x acc + offset). With
// exact_product this is plain integer arithmetic; the platform's SC-CNN datapath substitutes
// its rounded product. Activations are HWC vectors of values 0 .. 2^A - 1.

// One product of a weight (|w| <= 2^(B-1) - 1) and an activation (0 .. 2^A - 1).
using ProductRule = std::function<int64_t(int32_t w, uint32_t a)>;
int64_t exact_product(int32_t w, uint32_t a);

// clamp((acc x multiplier + bias) >> kRequantShift, 0, 2^activation_bits - 1), in int64 with
// >> rounding down (validate_network guarantees no overflow for every accumulator in range).
uint32_t requantise(int64_t acc, int32_t multiplier, int64_t bias, uint32_t activation_bits);

// The output layer's scores of an image (rows x cols x channels pixels, HWC). Builds a
// QuantisedEvaluator per call: to score many images, build one and call it.
std::vector<int32_t> quantised_scores(const Network& net, const uint8_t* pixels,
                                      const ProductRule& product = exact_product);

// The same inference with everything precomputed once per network and rule (weights widened,
// a table of the rule's products, an int32 fast path where no sum can overflow it); the
// accuracy reference over whole test sets. Scores equal quantised_scores' exactly.
// Thread-compatible: scores() is const and may run concurrently on one evaluator.
class QuantisedEvaluator {
 public:
  explicit QuantisedEvaluator(const Network& net, const ProductRule& product = exact_product);
  ~QuantisedEvaluator();
  QuantisedEvaluator(QuantisedEvaluator&&) noexcept;
  QuantisedEvaluator& operator=(QuantisedEvaluator&&) noexcept;
  std::vector<int32_t> scores(const uint8_t* pixels) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Layer by layer, written out plainly (one rule call per product): for tests and traces.
// The first layer's activations of an image: p >> (8 - A) per pixel.
std::vector<uint32_t> quantised_input(const Network& net, const uint8_t* pixels);
// Layer `index`'s accumulators on its input activations `x`: dense, `outputs` values; conv2d,
// out_height x out_width x outputs values (HWC, before pooling).
std::vector<int64_t> quantised_accumulators(const Network& net, size_t index, const std::vector<uint32_t>& x,
                                            const ProductRule& product = exact_product);
// A hidden layer's activations: requantised accumulators, then a convolution's max-pool. HWC.
std::vector<uint32_t> quantised_hidden_outputs(const Network& net, size_t index, const std::vector<uint32_t>& x,
                                               const ProductRule& product = exact_product);

}  // namespace scbnn
