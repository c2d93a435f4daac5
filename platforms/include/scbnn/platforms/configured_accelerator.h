#pragma once
#include <systemc>
#include <tlm>

#include <memory>

#include "scbnn/platforms/platform.h"
#include "scbnn/stimuli/network.h"
#include "scbnn/tlm/accelerator.h"
#include "scbnn/tlm/array_memory.h"
#include "scbnn/tlm/mac_accelerator.h"

namespace scbnn {

// How messages name a network: its file, or "the network" when it has none.
std::string network_name(const Network& network);

// accel.datapath must suit the network (quantised networks run on the MAC array, binarized
// ones on the BNN accelerator) and its input and operand widths the hardware's; throws
// InputError naming the keys otherwise.
void check_datapath(const PlatformParams& params, const Network& network);

// Bits the BNN's first layer carries per input value in its input passes (accel.input_bits in
// fixed mode, N stochastic samples in sum mode, 1 in vote mode).
uint32_t first_layer_bits_per_value(const CoreParams& core, uint32_t stream_length);

// The parameters `scbnn run` builds the hardware with for `network`: accel.line_buffer.bits = 0
// becomes the line buffer the network's largest convolution needs (none for an MLP) and
// accel.reduce.tree_inputs = 0 the adder trees of its widest layer. The MAC array's are used
// as given.
PlatformParams hardware_params_for(const PlatformParams& params, const Network& network);

// The accelerator exactly as `scbnn run` builds it from a parameter tree: the datapath
// (accel.datapath), and for the BNN the weight arrays of the memory technology
// (accel.memory.technology, e.g. ST-MRAM with its error model accel.mram.*), the SNGs and the
// first-layer datapath. `scbnn run` builds its own through this class. Give the network
// the accelerator will run to size the hardware for it (hardware_params_for) and to check
// the datapath; without one, the parameters are used as they are (line_buffer.bits = 0: no
// line buffer, MLPs only).
//
//   scbnn::Config config;                               // scbnn/platforms/config.h
//   config.load_yaml_file("accel.yaml");                 // the keys of docs/configuration.md
//   config.apply_override("accel.mram.ber=1e-3");
//   scbnn::ConfiguredAccelerator<32> accel("accel", scbnn::platform_params(config));
//   bus.initiator_socket.bind(accel.socket());
//   accel.irq().bind(irq_signal);
template <unsigned int BUSWIDTH = 64>
class ConfiguredAccelerator {
 public:
  ConfiguredAccelerator(const char* name, const PlatformParams& params, const Network* network = nullptr);
  ~ConfiguredAccelerator();
  ConfiguredAccelerator(const ConfiguredAccelerator&) = delete;
  ConfiguredAccelerator& operator=(const ConfiguredAccelerator&) = delete;

  tlm::tlm_target_socket<BUSWIDTH>& socket();
  // The DMA engine's initiator socket (accel.dma.enabled), to bind to the system bus; nullptr
  // without the engine.
  tlm::tlm_initiator_socket<BUSWIDTH>* dma_socket();
  sc_core::sc_out<bool>& irq() { return face().irq; }
  // The bus face of either datapath; the BNN accelerator (nullptr when accel.datapath = mac)
  // and the MAC array's (nullptr when accel.datapath = bnn).
  AcceleratorFace& face();
  AcceleratorModel* bnn() { return bnn_.get(); }
  MacAcceleratorModel* mac() { return mac_.get(); }
  // The parameters the hardware was built with (sized for the network when one was given).
  const PlatformParams& params() const { return params_; }

 private:
  PlatformParams params_;
  std::unique_ptr<SocketedFace<AcceleratorModel, BUSWIDTH>> bnn_;
  std::unique_ptr<SocketedFace<MacAcceleratorModel, BUSWIDTH>> mac_;
};

// The weight arrays of the configured memory technology (accel.memory.technology with its
// error model, e.g. accel.mram.*), as `scbnn run` builds them, and the timing of an
// ArrayMemory over them (accel.array.read_ns per sense step, the programming pulse
// accel.mram.pulse_ns / pulse_ua): an error-prone main memory or scratchpad for a VP,
//   scbnn::ArrayMemory<32> mram("mram", 1 << 20, scbnn::array_memory_timing(params),
//                               scbnn::weight_array_factory(params));
WeightArrayFactory weight_array_factory(const PlatformParams& params);
ArrayMemoryTiming array_memory_timing(const PlatformParams& params);

extern template class ConfiguredAccelerator<32>;
extern template class ConfiguredAccelerator<64>;

}  // namespace scbnn
