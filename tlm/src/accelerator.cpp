#include "scbnn/tlm/accelerator.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "scbnn/base/byte_enables.h"

namespace scbnn {
namespace {
struct GeometryRegister {
  uint32_t word;
  const char* field;
  const char* what;
};
// The layer geometry descriptor's registers (tlm/address_map.h), named LAYERn_<field>.
constexpr GeometryRegister kGeometryRegisters[] = {
    {addr::kLayerKind, "KIND", "kind (0 dense, 1 conv2d)"},
    {addr::kLayerInHeight, "IN_HEIGHT", "convolution input rows"},
    {addr::kLayerInWidth, "IN_WIDTH", "convolution input columns"},
    {addr::kLayerInChannels, "IN_CHANNELS", "convolution input channels"},
    {addr::kLayerKernel, "KERNEL", "convolution kernel size (square)"},
    {addr::kLayerStride, "STRIDE", "convolution stride"},
    {addr::kLayerPadding, "PADDING", "bits 15:0 padding, bit 16 padded values are +1 (else -1)"},
    {addr::kLayerPool, "POOL", "bits 15:0 max-pool window (0 none), bits 31:16 pool stride"},
};
}  // namespace

using namespace addr;

AcceleratorModel::AcceleratorModel(sc_core::sc_module_name name, const AcceleratorParams& params,
                                   const WeightArrayFactory& make_array)
    : sc_core::sc_module(name),
      irq("irq"),
      core("core", params.core, sc_core::sc_time(1000.0 / params.clock_mhz, sc_core::SC_NS), make_array),
      params_(params),
      period_(sc_core::sc_time(1000.0 / params.clock_mhz, sc_core::SC_NS)) {
  if (params.core.max_layers > 64) throw std::invalid_argument("accel.max_layers must be at most 64");
  if (params.core.input_bytes > OUTPUT_WINDOW - INPUT_WINDOW)
    throw std::invalid_argument("accel.input_buffer.bytes must be at most 65536");
  if (uint64_t(params.core.max_classes) * 4 > PARAM_WINDOW - OUTPUT_WINDOW)
    throw std::invalid_argument("accel.max_classes is too large for the output window");
  if (uint64_t(params.core.param_entries) * 8 > WEIGHT_WINDOW - PARAM_WINDOW)
    throw std::invalid_argument("accel.param_entries is too large for the parameter window");
  if (WEIGHT_WINDOW + weight_window_bytes() > kWindowLimit)
    throw std::invalid_argument("the weight arrays (accel.array.*) exceed the 4 GiB address space");
  output_words_.assign(params.core.max_classes, 0);
  declare_registers();
  core.set_job_source([this] { return job_from_registers(); });
  SC_HAS_PROCESS(AcceleratorModel);
  SC_METHOD(finish_run);
  sensitive << core.done_event();
  dont_initialize();
  SC_METHOD(drive_irq);
  sensitive << irq_changed_;
  dont_initialize();
}

WritePulse AcceleratorModel::current_pulse() const {
  return {pulse_duration_->value / 1000.0, pulse_current_->value / 1000.0};
}

uint64_t AcceleratorModel::pulse_cycles() const {
  const double cycles = current_pulse().duration_ns / (period_.to_seconds() * 1e9);
  return std::max<uint64_t>(1, uint64_t(std::ceil(cycles - 1e-9)));
}

uint64_t AcceleratorModel::program_cycles_per_word() const {
  return uint64_t(core.array(0).pulse_phases_per_word()) * pulse_cycles();
}

uint64_t AcceleratorModel::weight_window_bytes() const {
  const auto& g = params_.core.array;
  return uint64_t(g.count) * g.rows * (g.columns / 8);
}

void AcceleratorModel::declare_registers() {
  regs_.add("ID", ID, kIdValue, RegAccess::read_only, "identification: 0x5CB11001");
  regs_.add("VERSION", VERSION, kVersionValue, RegAccess::read_only, "model version, 0x00MMmmpp");
  Register& ctrl =
      regs_.add("CTRL", CTRL, 0, RegAccess::read_write, "bit 0 START: write 1 to run one inference (reads 0)");
  regs_.add("STATUS", STATUS, 0, RegAccess::read_only, "bit 0 BUSY, bit 1 DONE (last run finished), bit 2 ERROR");
  Register& irq_enable =
      regs_.add("IRQ_ENABLE", IRQ_ENABLE, 0, RegAccess::read_write, "bit 0: raise irq when a run ends");
  Register& irq_status = regs_.add("IRQ_STATUS", IRQ_STATUS, 0, RegAccess::write_one_to_clear,
                                   "bit 0 DONE pending; write 1 to clear (irq stays high until cleared)");
  regs_.add("INPUT_MODE", INPUT_MODE, 0, RegAccess::read_write,
            "first-layer input: 0 fixed (bit-planes), 1 stochastic, popcounts summed over SC_LENGTH samples, "
            "2 stochastic, network run SC_LENGTH times and voted");
  Register& num_layers = regs_.add("NUM_LAYERS", NUM_LAYERS, 0, RegAccess::read_write, "layers in the program");
  regs_.add("CYCLES_LO", CYCLES_LO, 0, RegAccess::read_only, "cycles of the last run, bits 31:0");
  regs_.add("CYCLES_HI", CYCLES_HI, 0, RegAccess::read_only, "cycles of the last run, bits 63:32");
  regs_.add("RESULT", RESULT, 0, RegAccess::read_only, "class predicted by the last run (argmax of the scores)");
  regs_.add(
      "ERROR_CODE", ERROR_CODE, 0, RegAccess::read_only,
      "0 none, 1 layer program does not fit or input mode unsupported, 2 START while busy (kept until the next START)");
  const ArrayGeometry& g = params_.core.array;
  regs_.add("ARRAY_ROWS", ARRAY_ROWS, g.rows, RegAccess::read_only, "rows per weight array (hardware parameter)");
  regs_.add("ARRAY_COLUMNS", ARRAY_COLUMNS, g.columns, RegAccess::read_only, "columns per weight array");
  regs_.add("ARRAY_COUNT", ARRAY_COUNT, g.count, RegAccess::read_only, "number of weight arrays");
  regs_.add("MAX_LAYERS", MAX_LAYERS, params_.core.max_layers, RegAccess::read_only, "layer descriptor registers");
  pulse_duration_ =
      &regs_.add("PROG_PULSE_PS", PROG_PULSE_PS, uint32_t(std::llround(params_.pulse.duration_ns * 1000)),
                 RegAccess::read_write, "weight programming pulse duration, ps (applies to later weight writes)");
  pulse_current_ =
      &regs_.add("PROG_CURRENT_NA", PROG_CURRENT_NA, uint32_t(std::llround(params_.pulse.current_ua * 1000)),
                 RegAccess::read_write, "weight programming pulse current, nA");
  regs_.add("SC_LENGTH", SC_LENGTH, params_.stream_length, RegAccess::read_write,
            "stochastic stream length N (samples per pixel), 1 to the hardware maximum");
  regs_.add("IMAGE_INDEX", IMAGE_INDEX, 0, RegAccess::read_write,
            "index of the image the next START classifies; positions every random stream of the inference "
            "(SNGs, memory error draws); incremented when a run ends");
  for (uint32_t l = 0; l < params_.core.max_layers; ++l) {
    const std::string n = std::to_string(l);
    regs_.add("LAYER" + n + "_INPUTS", layer_inputs(l), 0, RegAccess::read_write, "inputs of layer " + n);
    regs_.add("LAYER" + n + "_OUTPUTS", layer_outputs(l), 0, RegAccess::read_write, "outputs of layer " + n);
  }
  // The geometry descriptors are hardware of a convolution-capable core (one with a line
  // buffer); an MLP accelerator has none.
  for (uint32_t l = 0; supports_convolution() && l < params_.core.max_layers; ++l)
    for (const auto& geometry : kGeometryRegisters)
      regs_.add("LAYER" + std::to_string(l) + "_" + geometry.field, layer_geometry(l, geometry.word), 0,
                RegAccess::read_write, std::string(geometry.what) + " of layer " + std::to_string(l));

  const auto mark_dirty = [this](uint32_t, uint32_t) { layers_dirty_ = true; };
  num_layers.write_hook = mark_dirty;
  for (uint32_t l = 0; l < params_.core.max_layers; ++l) {
    regs_["LAYER" + std::to_string(l) + "_INPUTS"].write_hook = mark_dirty;
    regs_["LAYER" + std::to_string(l) + "_OUTPUTS"].write_hook = mark_dirty;
    for (const auto& geometry : kGeometryRegisters)
      if (supports_convolution()) regs_["LAYER" + std::to_string(l) + "_" + geometry.field].write_hook = mark_dirty;
  }
  Register* ctrl_reg = &ctrl;
  ctrl.write_hook = [this, ctrl_reg](uint32_t value, uint32_t) {
    ctrl_reg->value = 0;  // START is a strobe
    if (value & CTRL_START) start();
  };
  irq_enable.write_hook = [this](uint32_t, uint32_t) { update_irq(); };
  irq_status.write_hook = [this](uint32_t, uint32_t) { update_irq(); };
}

AcceleratorModel::Decoded AcceleratorModel::decode(uint64_t address, uint64_t length) const {
  const struct {
    Window window;
    uint64_t base, size;
  } windows[] = {
      {Window::registers, 0, kRegisterBlockSize},
      {Window::input, INPUT_WINDOW, params_.core.input_bytes},
      {Window::output, OUTPUT_WINDOW, uint64_t(params_.core.max_classes) * 4},
      {Window::params, PARAM_WINDOW, uint64_t(params_.core.param_entries) * 8},
      {Window::weights, WEIGHT_WINDOW, weight_window_bytes()},
  };
  for (const auto& w : windows)
    if (address >= w.base && address < w.base + w.size) {
      if (length > w.base + w.size - address) return {};  // runs off the end of the window
      return {w.window, address - w.base, w.size};
    }
  return {};
}

void AcceleratorModel::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
  uint64_t cycles = 0;
  tx.set_response_status(access(tx, false, cycles));
  delay += period_ * double(cycles);
  if (start_pending_) {  // a START in this transaction begins at the caller's local time
    start_pending_ = false;
    core.start(delay);
  }
}

unsigned int AcceleratorModel::transport_dbg(tlm::tlm_generic_payload& tx) {
  uint64_t cycles = 0;
  return access(tx, true, cycles) == tlm::TLM_OK_RESPONSE ? tx.get_data_length() : 0;
}

tlm::tlm_response_status AcceleratorModel::access(tlm::tlm_generic_payload& tx, bool debug, uint64_t& cycles) {
  const tlm::tlm_command cmd = tx.get_command();
  if (cmd == tlm::TLM_IGNORE_COMMAND) return tlm::TLM_OK_RESPONSE;
  const uint32_t len = tx.get_data_length();
  const uint8_t* be = tx.get_byte_enable_ptr();
  const uint32_t be_len = tx.get_byte_enable_length();
  if (len == 0) return tlm::TLM_BURST_ERROR_RESPONSE;
  if (!debug && tx.get_streaming_width() != 0 && tx.get_streaming_width() < len) return tlm::TLM_BURST_ERROR_RESPONSE;
  if (be) {
    if (be_len == 0) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    for (uint32_t i = 0; i < be_len; ++i)
      if (be[i] != 0x00 && be[i] != 0xff) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
  }
  const Decoded d = decode(tx.get_address(), len);
  uint8_t* data = tx.get_data_ptr();
  const bool write = cmd == tlm::TLM_WRITE_COMMAND;
  const uint32_t port_bytes = std::max(1u, params_.core.buffer_port_bits / 8);
  const uint64_t buffer_cycles = (len + port_bytes - 1) / port_bytes;
  switch (d.window) {
    case Window::registers:
      cycles = params_.register_latency_cycles;
      if (!debug) ++(write ? register_writes_ : register_reads_);
      return regs_.access(cmd, d.offset, data, len, be, be_len, debug);
    case Window::input:
      cycles = buffer_cycles;
      if (write)
        core.input_buffer.write(uint32_t(d.offset), data, len, be, be_len, !debug);
      else
        core.input_buffer.read(uint32_t(d.offset), data, len, !debug);
      break;
    case Window::output:
      if (write) return tlm::TLM_COMMAND_ERROR_RESPONSE;
      cycles = buffer_cycles;
      copy_enabled_bytes(data, reinterpret_cast<const uint8_t*>(output_words_.data()) + d.offset, len, be, be_len);
      break;
    case Window::params:
      cycles = buffer_cycles;
      if (write)
        core.param_memory.write(uint32_t(d.offset), data, len, be, be_len, !debug);
      else
        core.param_memory.read(uint32_t(d.offset), data, len);
      break;
    case Window::weights: {
      uint64_t program_cycles = 0;
      const auto status = access_weights(cmd, d.offset, data, len, be, be_len, debug, program_cycles);
      cycles = write ? program_cycles : buffer_cycles;
      return status;
    }
    case Window::none: return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  }
  if (d.window == Window::output) tx.set_dmi_allowed(true);
  return tlm::TLM_OK_RESPONSE;
}

tlm::tlm_response_status AcceleratorModel::access_weights(tlm::tlm_command cmd, uint64_t offset, uint8_t* data,
                                                          uint32_t len, const uint8_t* be, uint32_t be_len, bool debug,
                                                          uint64_t& program_cycles) {
  const auto& g = params_.core.array;
  const uint64_t row_bytes = g.columns / 8, array_bytes = row_bytes * g.rows;
  const bool write = cmd == tlm::TLM_WRITE_COMMAND;
  const WritePulse pulse = current_pulse();
  const uint64_t cycles_per_pulse = pulse_cycles();
  uint32_t i = 0;
  while (i < len) {
    const uint64_t addr = offset + i;
    const uint32_t array_index = uint32_t(addr / array_bytes);
    const WeightArray& array = core.array(array_index);
    const uint32_t row = uint32_t((addr % array_bytes) / row_bytes);
    const uint32_t word = uint32_t((addr % row_bytes) / 8);
    const uint32_t first_byte = uint32_t(addr % 8);
    const uint32_t n = std::min<uint32_t>(8 - first_byte, len - i);
    uint64_t value = 0, mask = 0;
    for (uint32_t b = 0; b < n; ++b) {
      const uint32_t shift = (first_byte + b) * 8;
      if (write) {
        if (be && be[(i + b) % be_len] == 0) continue;
        value |= uint64_t(data[i + b]) << shift;
        mask |= uint64_t(0xff) << shift;
      } else {
        data[i + b] = uint8_t(array.peek(row, word) >> shift);
      }
    }
    if (write && mask) {
      if (debug) return tlm::TLM_COMMAND_ERROR_RESPONSE;  // programming has physical effects
      // The array, and any copies the first-layer hardware wires to it (a broadcast write, in
      // parallel); its pulse phases one after another, then any write-verify sense steps.
      core.program_weight(array_index, row, word, value, mask, pulse);
      const ProgramSteps steps = array.last_program_steps();
      program_cycles += steps.pulse_phases * cycles_per_pulse + uint64_t(steps.verify_steps) * params_.core.read_cycles;
    }
    i += n;
  }
  return tlm::TLM_OK_RESPONSE;
}

bool AcceleratorModel::get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
  const Decoded d = decode(tx.get_address(), 1);
  const uint64_t base = tx.get_address() - d.offset;
  const sc_core::sc_time per_byte = period_ / double(std::max(1u, params_.core.buffer_port_bits / 8));
  dmi.set_read_latency(per_byte);
  dmi.set_write_latency(per_byte);
  dmi.set_start_address(base);
  dmi.set_end_address(base + std::max<uint64_t>(d.size, 1) - 1);
  // Only the output window, which counts nothing: registers have side effects, weight
  // programming has physical effects (the memory's error model), and the input and
  // parameter buffers count every bit the bus moves for the power model, which a direct
  // pointer would bypass (docs/registers.md).
  switch (d.window) {
    case Window::output:
      dmi.set_dmi_ptr(reinterpret_cast<unsigned char*>(output_words_.data()));
      dmi.allow_read();
      return true;
    case Window::none:
      dmi.set_start_address(tx.get_address());
      dmi.set_end_address(tx.get_address());
      [[fallthrough]];
    default: dmi.allow_none(); return false;
  }
}

void AcceleratorModel::start() {
  if (busy_) {
    regs_["ERROR_CODE"].value = kErrStartWhileBusy;
    return;
  }
  busy_ = true;
  start_pending_ = true;
  regs_["STATUS"].value = STATUS_BUSY;
}

// A layer descriptor as the registers hold it (the geometry words all 0: a dense layer).
LayerShape AcceleratorModel::layer_from_registers(uint32_t l) {
  const std::string n = "LAYER" + std::to_string(l) + "_";
  const auto reg = [&](const char* field) { return regs_[n + field].value; };
  LayerShape s;
  s.inputs = regs_[n + "INPUTS"].value;
  s.outputs = regs_[n + "OUTPUTS"].value;
  if (!supports_convolution()) return s;
  const uint32_t kind = reg("KIND");
  if (kind > uint32_t(LayerType::conv2d))
    throw std::invalid_argument(n + "KIND " + std::to_string(kind) + " is not supported (0 dense, 1 conv2d)");
  s.type = LayerType(kind);
  if (!s.is_conv()) return s;
  s.conv.in_height = reg("IN_HEIGHT");
  s.conv.in_width = reg("IN_WIDTH");
  s.conv.in_channels = reg("IN_CHANNELS");
  s.conv.kernel = reg("KERNEL");
  s.conv.stride = reg("STRIDE");
  s.conv.padding = reg("PADDING") & 0xffff;
  s.conv.padding_value = (reg("PADDING") & kLayerPadWithOnes) ? 1 : -1;
  s.pool.window = reg("POOL") & 0xffff;
  s.pool.stride = reg("POOL") >> 16;
  return s;
}

// Called by the core's sequencer when a run begins: the registers as they are then.
BnnCore::Job AcceleratorModel::job_from_registers() {
  regs_["ERROR_CODE"].value = kErrNone;
  const uint32_t mode = regs_["INPUT_MODE"].value;
  if (mode > kInputModeStochasticVote)
    throw std::invalid_argument("INPUT_MODE " + std::to_string(mode) +
                                " is not supported (0 fixed, 1 stochastic sum, 2 stochastic vote)");
  if (layers_dirty_) {
    std::vector<LayerShape> shapes;
    const uint32_t n = regs_["NUM_LAYERS"].value;
    if (n > params_.core.max_layers)
      throw std::invalid_argument("NUM_LAYERS is " + std::to_string(n) + " but accel.max_layers is " +
                                  std::to_string(params_.core.max_layers));
    for (uint32_t l = 0; l < n; ++l) shapes.push_back(layer_from_registers(l));
    core.load_program(std::move(shapes));  // loads at this run, or stays pending until one loads it
    layers_dirty_ = false;
  }
  return BnnCore::job_for(FirstLayerMode(mode), regs_["SC_LENGTH"].value, regs_["IMAGE_INDEX"].value);
}

// The core's done event: the result registers, the output window and the interrupt.
void AcceleratorModel::finish_run() {
  const BnnCore::RunResult& run = core.last_run();
  const uint32_t error = run.error.empty() ? kErrNone : kErrBadProgram;
  if (error) last_error_ = run.error;
  const uint64_t cycles = run.cycles;
  last_cycles_ = cycles;
  last_inference_time_ = run.duration;
  busy_time_ += last_inference_time_;
  regs_["CYCLES_LO"].value = uint32_t(cycles);
  regs_["CYCLES_HI"].value = uint32_t(cycles >> 32);
  regs_["RESULT"].value = error ? 0 : core.predicted_class();
  std::fill(output_words_.begin(), output_words_.end(), 0);
  if (!error) std::copy(core.scores().begin(), core.scores().end(), output_words_.begin());
  // A START refused while busy stays visible until the next START.
  if (error || regs_["ERROR_CODE"].value != kErrStartWhileBusy) regs_["ERROR_CODE"].value = error;
  regs_["STATUS"].value = STATUS_DONE | (error ? STATUS_ERROR : 0);
  regs_["IRQ_STATUS"].value |= IRQ_DONE;
  ++regs_["IMAGE_INDEX"].value;  // the next image's streams follow on
  busy_ = false;
  update_irq();
}

// Register writes arrive in the initiator's process; the irq port is driven only from
// this module's own method so the signal has a single driver.
void AcceleratorModel::update_irq() { irq_changed_.notify(sc_core::SC_ZERO_TIME); }

void AcceleratorModel::drive_irq() {
  irq.write((regs_["IRQ_STATUS"].value & regs_["IRQ_ENABLE"].value & IRQ_DONE) != 0);
}

void AcceleratorModel::collect_actions(ActionLedger& ledger) const {
  const std::string bank = name() + std::string(".registers");
  ledger.add(bank, component_class::kRegisterBank, action::kRegisterRead, register_reads_);
  ledger.add(bank, component_class::kRegisterBank, action::kRegisterWrite, register_writes_);
}

void AcceleratorModel::collect_hardware(HardwareInventory& inventory) const {
  const size_t n = regs_.registers().size();
  inventory.add(name() + std::string(".registers"), component_class::kRegisterBank, "bit", 32.0 * double(n),
                std::to_string(n) + " 32-bit registers");
}

}  // namespace scbnn
