#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace scbnn {

// Kinds of weighted layer the accelerator runs (the network file's layer types, and the
// LAYERn_KIND register's values).
enum class LayerType : uint32_t { dense = 0, conv2d = 1 };
const char* to_string(LayerType t);

// A binarized convolution's geometry (square kernel and stride). Tensors are laid out
// height x width x channels with the channel fastest (HWC): value (y, x, c) is element
// (y x width + x) x channels + c. A neuron's weight row is its kernel unrolled in the
// same order: weight (ky, kx, c) is column (ky x kernel + kx) x in_channels + c.
struct ConvGeometry {
  uint32_t in_height = 0, in_width = 0, in_channels = 0;
  uint32_t kernel = 0, stride = 1, padding = 0;
  // The value of padded positions: binarized networks +1 (bit 1) or -1 (bit 0); quantised
  // networks 0 (zero padding: the activation 0).
  int32_t padding_value = -1;

  uint32_t out_height() const { return (in_height + 2 * padding - kernel) / stride + 1; }
  uint32_t out_width() const { return (in_width + 2 * padding - kernel) / stride + 1; }
  bool pads_with_ones() const { return padding_value > 0; }
};

// Max-pooling of a convolution's thresholded output bits (window x window, stride);
// window 0: none. For sign activations max-pooling is the OR of the bits (bit 1 = +1).
struct PoolGeometry {
  uint32_t window = 0, stride = 0;
  bool present() const { return window > 0; }
};

// One weighted layer as the accelerator runs it: `outputs` neurons (a convolution's output
// channels) of `inputs` weights each (a convolution's unrolled kernel, kernel^2 x
// in_channels), applied once (dense) or at every output position (conv2d, followed by its
// optional max-pool). `{inputs, outputs}` alone is a dense layer.
struct LayerShape {
  uint32_t inputs = 0, outputs = 0;
  LayerType type = LayerType::dense;
  ConvGeometry conv;
  PoolGeometry pool;

  LayerShape() = default;
  LayerShape(uint32_t weights_per_neuron, uint32_t neurons) : inputs(weights_per_neuron), outputs(neurons) {}

  bool is_conv() const { return type == LayerType::conv2d; }
  // Values of the tensor it reads: a dense layer's inputs, a convolution's input tensor.
  uint64_t input_values() const {
    return is_conv() ? uint64_t(conv.in_height) * conv.in_width * conv.in_channels : inputs;
  }
  // Positions at which the neurons are evaluated: 1 for a dense layer.
  uint64_t positions() const { return is_conv() ? uint64_t(conv.out_height()) * conv.out_width() : 1; }
  // Spatial size after the convolution and its pooling.
  uint32_t output_height() const { return pooled(conv.out_height()); }
  uint32_t output_width() const { return pooled(conv.out_width()); }
  // Values it writes: a dense layer's outputs, a convolution's (pooled) output tensor.
  uint64_t output_values() const { return is_conv() ? uint64_t(output_height()) * output_width() * outputs : outputs; }
  // "conv2d 3x3 stride 1 pad 1 (-1), 28 x 28 x 1 -> 28 x 28 x 32, maxpool 2 stride 2 -> 14 x 14 x 32",
  // "dense 784 -> 1024": for messages and reports.
  std::string describe() const;
  // Empty when the geometry is consistent (kernel fits the padded input, stride and pool
  // windows positive, inputs = kernel^2 x in_channels, ...), else what is wrong.
  std::string geometry_error() const;

 private:
  uint32_t pooled(uint32_t size) const {
    return pool.present() ? (size >= pool.window ? (size - pool.window) / pool.stride + 1 : 0) : size;
  }
};

// Why layer `l` of a layer program cannot run: a zero size, an inconsistent geometry,
// inputs that are not layer l - 1's outputs (a convolution's input tensor, its output
// tensor), or a convolution as the output layer; "" when it can (what both cores check).
std::string program_layer_error(const std::vector<LayerShape>& layers, size_t l);

// Limits every reader and the hardware share.
inline constexpr uint32_t kMaxKernel = 64;
inline constexpr uint32_t kMaxSpatial = 65536;
inline constexpr uint64_t kMaxTensorValues = uint64_t(1) << 24;

}  // namespace scbnn
