#include "scbnn/tlm/mac_accelerator.h"

#include <stdexcept>
#include <string>

#include "scbnn/tlm/address_map.h"

namespace scbnn {

using namespace addr;

namespace {
sc_core::sc_time period_of(const AcceleratorParams& p) {
  return sc_core::sc_time(1000.0 / p.clock_mhz, sc_core::SC_NS);
}
}  // namespace

MacAcceleratorModel::MacAcceleratorModel(sc_core::sc_module_name name, const AcceleratorParams& params)
    : AcceleratorFace(name, period_of(params), params.register_latency_cycles, params.mac.max_classes,
                      params.mac.activation_port() / 8),
      core("core", params.mac, period_of(params)) {
  const MacParams& p = params.mac;
  if (p.max_layers > 64) throw std::invalid_argument("accel.mac.max_layers must be at most 64");
  if (p.input_bytes > OUTPUT_WINDOW - INPUT_WINDOW)
    throw std::invalid_argument("accel.mac.input_bytes must be at most 65536");
  if (uint64_t(p.max_classes) * 4 > PARAM_WINDOW - OUTPUT_WINDOW)
    throw std::invalid_argument("accel.mac.max_classes is too large for the output window");
  if (uint64_t(p.param_entries) * 16 > WEIGHT_WINDOW - PARAM_WINDOW)
    throw std::invalid_argument("accel.mac.param_entries is too large for the parameter window");
  if (WEIGHT_WINDOW + p.weight_memory_bytes > kWindowLimit)
    throw std::invalid_argument("accel.mac.weight_memory_bytes exceeds the 4 GiB address space");
  add_buffer_windows(core.input_buffer, core.param_memory, true);
  add_window({kWeights, WEIGHT_WINDOW, p.weight_memory_bytes, core.weight_memory.data()});
  set_at_cycles(params.at_accept_cycles, params.at_response_cycles);
  declare_registers();
  if (params.dma_enabled) enable_dma(params.dma_burst_bytes);
  core.set_job_source([this] { return job_from_registers(); });
  SC_HAS_PROCESS(MacAcceleratorModel);
  SC_METHOD(finish_run);
  sensitive << core.done_event();
  dont_initialize();
}

void MacAcceleratorModel::declare_registers() {
  const MacParams& p = params();
  declare_head_registers(kMacIdValue, "identification: 0x5CB11002 (the MAC-array accelerator)");
  declare_run_registers(
      "0 none, 1 layer program does not fit, unsupported QUANT_BITS or a weight outside its range, 2 START while "
      "busy (kept until the next START)");
  regs_.add("MAC_ROWS", MAC_ROWS, p.rows, RegAccess::read_only, "PE rows: output channels in parallel");
  regs_.add("MAC_COLUMNS", MAC_COLUMNS, p.columns, RegAccess::read_only, "PE columns: input terms in parallel");
  regs_.add("MAC_PRECISION", MAC_PRECISION, p.weight_bits | (p.activation_bits << 8) | (p.stream_bits_per_cycle << 16),
            RegAccess::read_only,
            "bits 7:0 most weight bits, 15:8 most activation bits, 23:16 SC stream bits per cycle (hardware)");
  regs_.add("MAX_LAYERS", MAX_LAYERS, p.max_layers, RegAccess::read_only, "layer descriptor registers");
  declare_image_index(
      "index of the image the next START classifies; positions the PE array's fault-injection streams; "
      "incremented when a run ends");
  regs_
      .add("QUANT_BITS", QUANT_BITS, p.weight_bits | (p.activation_bits << 8), RegAccess::read_write,
           "network precision: bits 7:0 weight bits B (2 to MAC_PRECISION's), 15:8 activation bits A")
      .write_hook = [this](uint32_t, uint32_t) { mark_layers_dirty(); };
  declare_layer_registers(p.max_layers, true, "bits 15:0 padding (padded positions read the activation 0)");
  for (uint32_t l = 0; l < p.max_layers; ++l)
    regs_
        .add("LAYER" + std::to_string(l) + "_WEIGHT_BASE", layer_weight_base(l), 0, RegAccess::read_write,
             "byte offset of layer " + std::to_string(l) + "'s weights in the WEIGHT window (8-byte aligned)")
        .write_hook = [this](uint32_t, uint32_t) { mark_layers_dirty(); };
}

// The weight window (the only one of the face's own): SRAM writes and uncounted reads, one
// cycle per weight-port width.
tlm::tlm_response_status MacAcceleratorModel::access_window(uint32_t, tlm::tlm_command cmd, uint64_t offset,
                                                            uint8_t* data, uint32_t len, const uint8_t* be,
                                                            uint32_t be_len, bool debug, uint64_t& cycles) {
  const uint32_t port_bytes = std::max(1u, params().weight_port() / 8);
  cycles = (len + port_bytes - 1) / port_bytes;
  if (cmd == tlm::TLM_WRITE_COMMAND)
    core.weight_memory.write(uint32_t(offset), data, len, be, be_len, !debug);
  else
    core.weight_memory.read(uint32_t(offset), data, len);
  return tlm::TLM_OK_RESPONSE;
}

// Called by the sequencer when a run begins: the registers as they are then.
MacCore::Job MacAcceleratorModel::job_from_registers() {
  begin_job();
  if (auto shapes = changed_layer_program(params().max_layers, "accel.mac.max_layers", true)) {
    MacProgram program;
    const uint32_t bits = regs_["QUANT_BITS"].value;
    program.weight_bits = bits & 0xff;
    program.activation_bits = (bits >> 8) & 0xff;
    for (uint32_t l = 0; l < shapes->size(); ++l) {
      LayerShape& s = (*shapes)[l];
      const std::string n = "LAYER" + std::to_string(l) + "_";
      if (s.is_conv() && (regs_[n + "PADDING"].value & kLayerPadWithOnes))
        throw std::invalid_argument(n +
                                    "PADDING bit 16 (padding with +1) is not supported: the MAC array pads "
                                    "with the activation 0");
      if (s.is_conv()) s.conv.padding_value = 0;
      const uint32_t base = regs_[n + "WEIGHT_BASE"].value;
      if (base % 8 != 0)
        throw std::invalid_argument(n + "WEIGHT_BASE " + std::to_string(base) + " is not 8-byte aligned");
      program.weight_bases.push_back(base);
    }
    program.layers = std::move(*shapes);
    core.load_program(std::move(program));  // loads at this run, or stays pending until one loads it
  }
  return {regs_["IMAGE_INDEX"].value};
}

}  // namespace scbnn
