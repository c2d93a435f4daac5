#pragma once
#include <cstdint>
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

}  // namespace scbnn
