#include "scbnn/platforms/configured_accelerator.h"

#include <algorithm>
#include <string>

#include "scbnn/base/errors.h"
#include "scbnn/platforms/compiled_network.h"
#include "scbnn/platforms/memory_technology.h"

namespace scbnn {
std::string network_name(const Network& network) {
  return network.file.empty() ? std::string("the network") : network.file;
}

void check_datapath(const PlatformParams& p, const Network& network) {
  const bool mac = p.accel.datapath == DatapathKind::mac;
  if (network.quantised() && !mac)
    throw InputError(network_name(network) + " is a quantised network (" + std::to_string(network.quant.weight_bits) +
                     "-bit weights, " + std::to_string(network.quant.activation_bits) +
                     "-bit activations): it runs on accel.datapath = mac, not bnn");
  if (!network.quantised() && mac)
    throw InputError(network_name(network) +
                     " is a binarized network: it runs on accel.datapath = bnn (accel.datapath = mac runs quantised "
                     "multi-bit networks)");
  if (mac && network.input.bits != 8)
    throw InputError(network_name(network) + " takes " + std::to_string(network.input.bits) +
                     "-bit inputs but the MAC array reads 8-bit pixels");
  if (!mac && network.input.bits != p.accel.core.input_bits)
    throw InputError("the network takes " + std::to_string(network.input.bits) +
                     "-bit inputs but the accelerator's first layer processes " +
                     std::to_string(p.accel.core.input_bits) + "-bit pixels");
  if (mac && network.quant.weight_bits > p.accel.mac.weight_bits)
    throw InputError(network_name(network) + " has " + std::to_string(network.quant.weight_bits) +
                     "-bit weights but accel.mac.weight_bits is " + std::to_string(p.accel.mac.weight_bits));
  if (mac && network.quant.activation_bits > p.accel.mac.activation_bits)
    throw InputError(network_name(network) + " has " + std::to_string(network.quant.activation_bits) +
                     "-bit activations but accel.mac.activation_bits is " +
                     std::to_string(p.accel.mac.activation_bits));
}

uint32_t first_layer_bits_per_value(const CoreParams& core, uint32_t stream_length) {
  switch (first_layer_mode(core)) {
    case FirstLayerMode::fixed: return core.input_bits;
    case FirstLayerMode::stochastic_sum: return stream_length;
    case FirstLayerMode::stochastic_vote: return 1;
  }
  return core.input_bits;
}

PlatformParams hardware_params_for(const PlatformParams& params, const Network& network) {
  PlatformParams sized = params;
  if (params.accel.datapath == DatapathKind::mac) return sized;
  CoreParams& core = sized.accel.core;
  if (core.line_buffer_bits == 0)
    core.line_buffer_bits = uint32_t(std::min<uint64_t>(
        line_buffer_bits_needed(layer_program(network),
                                first_layer_bits_per_value(params.accel.core, params.accel.stream_length)),
        UINT32_MAX));
  if (core.reduce.tree_inputs == 0 && core.array.columns > 0)
    for (const LayerShape& s : layer_program(network))
      core.reduce.tree_inputs = std::max(core.reduce.tree_inputs,
                                         uint32_t((uint64_t(s.inputs) + core.array.columns - 1) / core.array.columns));
  return sized;
}

WeightArrayFactory weight_array_factory(const PlatformParams& params) {
  return memory_technology(params.memory_technology).arrays(params);
}

ArrayMemoryTiming array_memory_timing(const PlatformParams& params) {
  ArrayMemoryTiming timing;
  timing.sense_ns = params.mram.read_ns;
  timing.pulse = params.accel.pulse;
  return timing;
}

template <unsigned int W>
ConfiguredAccelerator<W>::ConfiguredAccelerator(const char* name, const PlatformParams& params, const Network* network)
    : params_(params) {
  if (network) {
    check_datapath(params, *network);
    params_ = hardware_params_for(params, *network);
  }
  if (params_.accel.datapath == DatapathKind::mac)
    mac_ = std::make_unique<SocketedFace<MacAcceleratorModel, W>>(name, params_.accel);
  else
    bnn_ = std::make_unique<SocketedFace<AcceleratorModel, W>>(name, params_.accel, weight_array_factory(params_));
}

template <unsigned int W>
ConfiguredAccelerator<W>::~ConfiguredAccelerator() = default;

template <unsigned int W>
tlm::tlm_target_socket<W>& ConfiguredAccelerator<W>::socket() {
  if (bnn_) return bnn_->socket;
  return mac_->socket;
}

template <unsigned int W>
tlm::tlm_initiator_socket<W>* ConfiguredAccelerator<W>::dma_socket() {
  if (bnn_) return bnn_->dma_socket();
  return mac_->dma_socket();
}

template <unsigned int W>
AcceleratorFace& ConfiguredAccelerator<W>::face() {
  if (bnn_) return *bnn_;
  return *mac_;
}

template class ConfiguredAccelerator<32>;
template class ConfiguredAccelerator<64>;

}  // namespace scbnn
