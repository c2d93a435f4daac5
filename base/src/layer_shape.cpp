#include "scbnn/base/layer_shape.h"

namespace scbnn {
namespace {
std::string tensor(uint64_t h, uint64_t w, uint64_t c) {
  return std::to_string(h) + " x " + std::to_string(w) + " x " + std::to_string(c);
}
}  // namespace

const char* to_string(LayerType t) { return t == LayerType::conv2d ? "conv2d" : "dense"; }

std::string LayerShape::describe() const {
  if (!is_conv()) return "dense " + std::to_string(inputs) + " -> " + std::to_string(outputs);
  const std::string k = std::to_string(conv.kernel);
  std::string s = "conv2d " + k + "x" + k + " stride " + std::to_string(conv.stride) + " pad " +
                  std::to_string(conv.padding) +
                  (conv.padding ? (conv.pads_with_ones()    ? " (+1)"
                                   : conv.padding_value < 0 ? " (-1)"
                                                            : " (0)")
                                : "") +
                  ", " + tensor(conv.in_height, conv.in_width, conv.in_channels) + " -> " +
                  tensor(conv.out_height(), conv.out_width(), outputs);
  if (pool.present())
    s += ", maxpool " + std::to_string(pool.window) + " stride " + std::to_string(pool.stride) + " -> " +
         tensor(output_height(), output_width(), outputs);
  return s;
}

std::string LayerShape::geometry_error() const {
  if (!is_conv()) return pool.present() ? "a dense layer cannot be max-pooled" : "";
  const ConvGeometry& c = conv;
  if (c.in_height == 0 || c.in_width == 0 || c.in_channels == 0 || c.in_height > kMaxSpatial ||
      c.in_width > kMaxSpatial || c.in_channels > kMaxSpatial)
    return "input tensor " + tensor(c.in_height, c.in_width, c.in_channels) + " must have 1 to " +
           std::to_string(kMaxSpatial) + " rows, columns and channels";
  if (input_values() > kMaxTensorValues)
    return "input tensor " + tensor(c.in_height, c.in_width, c.in_channels) + " exceeds " +
           std::to_string(kMaxTensorValues) + " values";
  if (c.kernel == 0 || c.kernel > kMaxKernel) return "kernel must be 1 to " + std::to_string(kMaxKernel);
  if (c.stride == 0 || c.stride > kMaxKernel) return "stride must be 1 to " + std::to_string(kMaxKernel);
  if (c.padding >= c.kernel) return "padding must be smaller than the kernel";
  if (c.padding_value < -1 || c.padding_value > 1) return "padding_value must be -1, 0 or +1";
  if (uint64_t(c.in_height) + 2 * c.padding < c.kernel || uint64_t(c.in_width) + 2 * c.padding < c.kernel)
    return "kernel " + std::to_string(c.kernel) + " is larger than the padded input " +
           tensor(c.in_height + 2 * c.padding, c.in_width + 2 * c.padding, c.in_channels);
  if (uint64_t(c.kernel) * c.kernel * c.in_channels != inputs)
    return "weights per neuron " + std::to_string(inputs) +
           " differ from kernel^2 x in_channels = " + std::to_string(uint64_t(c.kernel) * c.kernel * c.in_channels);
  if (outputs == 0 || outputs > kMaxSpatial) return "out_channels must be 1 to " + std::to_string(kMaxSpatial);
  if (pool.present()) {
    if (pool.window > kMaxKernel || pool.stride == 0 || pool.stride > kMaxKernel)
      return "maxpool window and stride must be 1 to " + std::to_string(kMaxKernel);
    if (c.out_height() < pool.window || c.out_width() < pool.window)
      return "maxpool window " + std::to_string(pool.window) + " is larger than its input " +
             tensor(c.out_height(), c.out_width(), outputs);
  }
  if (uint64_t(c.out_height()) * c.out_width() * outputs > kMaxTensorValues)
    return "output tensor exceeds " + std::to_string(kMaxTensorValues) + " values";
  return "";
}

std::string program_layer_error(const std::vector<LayerShape>& layers, size_t l) {
  const LayerShape& s = layers[l];
  const std::string name = "layer " + std::to_string(l) + " (" + s.describe() + ")";
  if (s.inputs == 0 || s.outputs == 0) return "layer " + std::to_string(l) + " has a zero size";
  const std::string geometry = s.geometry_error();
  if (!geometry.empty()) return name + ": " + geometry;
  if (l > 0) {
    const LayerShape& prev = layers[l - 1];
    if (s.input_values() != prev.output_values())
      return "layer " + std::to_string(l) + " inputs do not match layer " + std::to_string(l - 1) + " outputs";
    if (s.is_conv() && !(prev.is_conv() && s.conv.in_height == prev.output_height() &&
                         s.conv.in_width == prev.output_width() && s.conv.in_channels == prev.outputs))
      return name + ": its input tensor is not layer " + std::to_string(l - 1) + "'s output tensor";
  }
  if (l + 1 == layers.size() && s.is_conv()) return name + ": the output layer must be dense";
  return "";
}

}  // namespace scbnn
