#include "scbnn/tlm/accelerator_face.h"

#include <utility>

#include <algorithm>
#include <stdexcept>

#include "scbnn/base/byte_enables.h"
#include "scbnn/base/component_names.h"
#include "scbnn/tlm/address_map.h"

namespace scbnn {
namespace {
struct GeometryRegister {
  uint32_t word;
  const char* field;
  const char* what;
};
// The layer geometry descriptor's registers (tlm/address_map.h), named LAYERn_<field>; the
// PADDING word's text is the face's own.
constexpr GeometryRegister kGeometryRegisters[] = {
    {addr::kLayerKind, "KIND", "kind (0 dense, 1 conv2d)"},
    {addr::kLayerInHeight, "IN_HEIGHT", "convolution input rows"},
    {addr::kLayerInWidth, "IN_WIDTH", "convolution input columns"},
    {addr::kLayerInChannels, "IN_CHANNELS", "convolution input channels"},
    {addr::kLayerKernel, "KERNEL", "convolution kernel size (square)"},
    {addr::kLayerStride, "STRIDE", "convolution stride"},
    {addr::kLayerPadding, "PADDING", nullptr},
    {addr::kLayerPool, "POOL", "bits 15:0 max-pool window (0 none), bits 31:16 pool stride"},
};
}  // namespace

using namespace addr;

AcceleratorFace::AcceleratorFace(sc_core::sc_module_name name, const sc_core::sc_time& clock_period,
                                 uint32_t register_latency_cycles, uint32_t max_classes, uint32_t port_bytes)
    : sc_core::sc_module(name),
      irq("irq"),
      period_(clock_period),
      register_latency_cycles_(register_latency_cycles),
      port_bytes_(std::max(1u, port_bytes)),
      output_words_(max_classes, 0) {
  SC_HAS_PROCESS(AcceleratorFace);
  SC_METHOD(drive_irq);
  sensitive << irq_changed_;
  dont_initialize();
  SC_THREAD(dma_engine);
}

void AcceleratorFace::declare_head_registers(uint32_t id_value, const std::string& id_text) {
  regs_.add("ID", ID, id_value, RegAccess::read_only, id_text);
  regs_.add("VERSION", VERSION, kVersionValue, RegAccess::read_only, "model version, 0x00MMmmpp");
  Register& ctrl =
      regs_.add("CTRL", CTRL, 0, RegAccess::read_write,
                "bit 0 START: write 1 to run one inference; bit 1 PROG_COMMIT: write 1 to program a weight word "
                "written in part (BNN; reads 0)");
  regs_.add("STATUS", STATUS, 0, RegAccess::read_only, "bit 0 BUSY, bit 1 DONE (last run finished), bit 2 ERROR");
  Register& irq_enable =
      regs_.add("IRQ_ENABLE", IRQ_ENABLE, 0, RegAccess::read_write, "bit 0: raise irq when a run ends");
  Register& irq_status = regs_.add("IRQ_STATUS", IRQ_STATUS, 0, RegAccess::write_one_to_clear,
                                   "bit 0 DONE pending; write 1 to clear (irq stays high until cleared)");
  Register* ctrl_reg = &ctrl;
  ctrl.writable = CTRL_START | CTRL_PROG_COMMIT;
  ctrl.write_hook = [this, ctrl_reg](uint32_t value, uint32_t) {
    ctrl_reg->value = 0;  // strobes
    if (value & CTRL_PROG_COMMIT) add_register_cycles(commit_pending_writes());
    if (value & CTRL_START) start();
  };
  irq_enable.writable = IRQ_DONE;
  irq_status.writable = IRQ_DONE;
  irq_enable.write_hook = [this](uint32_t, uint32_t) { update_irq(); };
  irq_status.write_hook = [this](uint32_t, uint32_t) { update_irq(); };
}

void AcceleratorFace::declare_run_registers(const std::string& error_text) {
  regs_.add("NUM_LAYERS", NUM_LAYERS, 0, RegAccess::read_write, "layers in the program").write_hook =
      [this](uint32_t, uint32_t) { mark_layers_dirty(); };
  regs_.add("CYCLES_LO", CYCLES_LO, 0, RegAccess::read_only, "cycles of the last run, bits 31:0");
  regs_.add("CYCLES_HI", CYCLES_HI, 0, RegAccess::read_only, "cycles of the last run, bits 63:32");
  regs_.add("RESULT", RESULT, 0, RegAccess::read_only, "class predicted by the last run (argmax of the scores)");
  regs_.add("ERROR_CODE", ERROR_CODE, 0, RegAccess::read_only, error_text);
}

void AcceleratorFace::declare_image_index(const std::string& text) {
  regs_.add("IMAGE_INDEX", IMAGE_INDEX, 0, RegAccess::read_write, text);
}

void AcceleratorFace::declare_layer_registers(uint32_t max_layers, bool geometry, const std::string& padding_text) {
  const auto mark_dirty = [this](uint32_t, uint32_t) { mark_layers_dirty(); };
  for (uint32_t l = 0; l < max_layers; ++l) {
    const std::string n = std::to_string(l);
    regs_.add("LAYER" + n + "_INPUTS", layer_inputs(l), 0, RegAccess::read_write, "inputs of layer " + n).write_hook =
        mark_dirty;
    regs_.add("LAYER" + n + "_OUTPUTS", layer_outputs(l), 0, RegAccess::read_write, "outputs of layer " + n)
        .write_hook = mark_dirty;
  }
  for (uint32_t l = 0; geometry && l < max_layers; ++l)
    for (const auto& g : kGeometryRegisters)
      regs_
          .add("LAYER" + std::to_string(l) + "_" + g.field, layer_geometry(l, g.word), 0, RegAccess::read_write,
               std::string(g.what ? g.what : padding_text.c_str()) + " of layer " + std::to_string(l))
          .write_hook = mark_dirty;
}

std::optional<std::vector<LayerShape>> AcceleratorFace::changed_layer_program(uint32_t max_layers,
                                                                              const std::string& max_layers_key,
                                                                              bool geometry) {
  if (!layers_dirty_) return std::nullopt;
  const uint32_t n = regs_["NUM_LAYERS"].value;
  if (n > max_layers)
    throw std::invalid_argument("NUM_LAYERS is " + std::to_string(n) + " but " + max_layers_key + " is " +
                                std::to_string(max_layers));
  std::vector<LayerShape> shapes;
  for (uint32_t l = 0; l < n; ++l) {
    const std::string name = "LAYER" + std::to_string(l) + "_";
    const auto reg = [&](const char* field) { return regs_[name + field].value; };
    LayerShape s;
    s.inputs = reg("INPUTS");
    s.outputs = reg("OUTPUTS");
    if (geometry) {
      const uint32_t kind = reg("KIND");
      if (kind > uint32_t(LayerType::conv2d))
        throw std::invalid_argument(name + "KIND " + std::to_string(kind) + " is not supported (0 dense, 1 conv2d)");
      s.type = LayerType(kind);
    }
    if (s.is_conv()) {
      s.conv.in_height = reg("IN_HEIGHT");
      s.conv.in_width = reg("IN_WIDTH");
      s.conv.in_channels = reg("IN_CHANNELS");
      s.conv.kernel = reg("KERNEL");
      s.conv.stride = reg("STRIDE");
      s.conv.padding = reg("PADDING") & 0xffff;
      s.conv.padding_value = (reg("PADDING") & kLayerPadWithOnes) ? 1 : -1;
      s.pool.window = reg("POOL") & 0xffff;
      s.pool.stride = reg("POOL") >> 16;
    }
    shapes.push_back(s);
  }
  layers_dirty_ = false;
  return shapes;
}

namespace {
enum BufferWindow : uint32_t { kInputWindow = 0, kParamWindow = 1 };
}  // namespace

void AcceleratorFace::add_buffer_windows(InputBuffer& input, ParamMemory& params, bool param_read_dmi) {
  input_buffer_ = &input;
  param_memory_ = &params;
  add_window({kInputWindow, INPUT_WINDOW, input.capacity()});
  add_window({kParamWindow, PARAM_WINDOW, params.size_bytes(), param_read_dmi ? params.data() : nullptr});
}

tlm::tlm_response_status AcceleratorFace::access_buffer(uint32_t id, bool write, uint64_t offset, uint8_t* data,
                                                        uint32_t len, const uint8_t* be, uint32_t be_len, bool debug) {
  if (id == kInputWindow && write) input_buffer_->write(uint32_t(offset), data, len, be, be_len, !debug);
  if (id == kInputWindow && !write) input_buffer_->read(uint32_t(offset), data, len, !debug);
  if (id == kParamWindow && write) param_memory_->write(uint32_t(offset), data, len, be, be_len, !debug);
  if (id == kParamWindow && !write) param_memory_->read(uint32_t(offset), data, len);
  return tlm::TLM_OK_RESPONSE;
}

AcceleratorFace::Target AcceleratorFace::decode(uint64_t address, uint64_t length) const {
  const auto within = [&](uint64_t base, uint64_t size) { return address >= base && address < base + size; };
  Target t;
  const uint64_t output_size = uint64_t(output_words_.size()) * 4;
  if (within(0, kRegisterBlockSize))
    t = {Decoded::registers, nullptr, 0, address, kRegisterBlockSize};
  else if (within(OUTPUT_WINDOW, output_size))
    t = {Decoded::output, nullptr, OUTPUT_WINDOW, address - OUTPUT_WINDOW, output_size};
  for (const Window& w : windows_)
    if (within(w.base, w.size)) t = {Decoded::window, &w, w.base, address - w.base, w.size};
  if (t.kind != Decoded::none && length > t.size - t.offset) return {};  // runs off the end of the window
  return t;
}

void AcceleratorFace::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
  ++bus_accesses_;
  uint64_t cycles = 0;
  tx.set_response_status(access(tx, false, cycles));
  delay += period_ * double(cycles);
  if (start_pending_) {  // a START in this transaction begins at the caller's local time
    start_pending_ = false;
    start_core(delay);
  }
}

void AcceleratorFace::trace(sc_core::sc_trace_file* file, const std::string& prefix) const {
  sc_core::sc_trace(file, busy_, prefix + ".busy");
  sc_core::sc_trace(file, active_layer(), prefix + ".layer");
  sc_core::sc_trace(file, bus_accesses_, prefix + ".bus_accesses");
}

unsigned int AcceleratorFace::transport_dbg(tlm::tlm_generic_payload& tx) {
  uint64_t cycles = 0;
  return access(tx, true, cycles) == tlm::TLM_OK_RESPONSE ? tx.get_data_length() : 0;
}

tlm::tlm_response_status AcceleratorFace::access(tlm::tlm_generic_payload& tx, bool debug, uint64_t& cycles) {
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
  const Target t = decode(tx.get_address(), len);
  uint8_t* data = tx.get_data_ptr();
  const bool write = cmd == tlm::TLM_WRITE_COMMAND;
  cycles = (len + port_bytes_ - 1) / port_bytes_;
  switch (t.kind) {
    case Decoded::registers: {
      if (!debug) ++(write ? register_writes_ : register_reads_);
      const auto status = regs_.access(cmd, t.offset, data, len, be, be_len, debug);
      cycles = register_latency_cycles_ + std::exchange(register_extra_cycles_, 0);
      return status;
    }
    case Decoded::output:
      if (write) return tlm::TLM_COMMAND_ERROR_RESPONSE;
      copy_enabled_bytes(data, reinterpret_cast<const uint8_t*>(output_words_.data()) + t.offset, len, be, be_len);
      tx.set_dmi_allowed(true);
      return tlm::TLM_OK_RESPONSE;
    case Decoded::window: {
      const uint32_t id = t.window->id;
      const auto status = id < kFirstOwnWindow ? access_buffer(id, write, t.offset, data, len, be, be_len, debug)
                                               : access_window(id, cmd, t.offset, data, len, be, be_len, debug, cycles);
      if (status == tlm::TLM_OK_RESPONSE && !write && t.window->dmi_read) tx.set_dmi_allowed(true);
      return status;
    }
    case Decoded::none: break;
  }
  return tlm::TLM_ADDRESS_ERROR_RESPONSE;
}

bool AcceleratorFace::get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
  const Target t = decode(tx.get_address(), 1);
  const sc_core::sc_time per_byte = period_ / double(port_bytes_);
  dmi.set_read_latency(per_byte);
  dmi.set_write_latency(per_byte);
  dmi.set_start_address(t.base);
  dmi.set_end_address(t.base + std::max<uint64_t>(t.size, 1) - 1);
  // Read-only DMI to the output window and to windows whose reads count nothing: registers
  // have side effects, and writes (and the other windows' reads) are counted for the power
  // model, which a direct pointer would bypass (docs/registers.md).
  uint8_t* pointer = nullptr;
  if (t.kind == Decoded::output) pointer = reinterpret_cast<uint8_t*>(output_words_.data());
  if (t.kind == Decoded::window) pointer = t.window->dmi_read;
  if (pointer) {
    dmi.set_dmi_ptr(pointer);
    dmi.allow_read();
    return true;
  }
  if (t.kind == Decoded::none) {
    dmi.set_start_address(tx.get_address());
    dmi.set_end_address(tx.get_address());
  }
  dmi.allow_none();
  return false;
}

void AcceleratorFace::start() {
  if (busy_) {
    regs_["ERROR_CODE"].value = kErrStartWhileBusy;
    return;
  }
  busy_ = true;
  start_pending_ = true;
  regs_["STATUS"].value = STATUS_BUSY;
}

void AcceleratorFace::finish(const CoreRunResult& run, uint32_t predicted, const std::vector<int32_t>& scores) {
  const uint32_t error = run.error.empty() ? kErrNone : kErrBadProgram;
  if (error) last_error_ = run.error;
  last_cycles_ = run.cycles;
  last_inference_time_ = run.duration;
  busy_time_ += last_inference_time_;
  regs_["CYCLES_LO"].value = uint32_t(run.cycles);
  regs_["CYCLES_HI"].value = uint32_t(run.cycles >> 32);
  regs_["RESULT"].value = error ? 0 : predicted;
  std::fill(output_words_.begin(), output_words_.end(), 0);
  if (!error) std::copy(scores.begin(), scores.end(), output_words_.begin());
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
void AcceleratorFace::update_irq() { irq_changed_.notify(sc_core::SC_ZERO_TIME); }

void AcceleratorFace::drive_irq() {
  irq.write((regs_["IRQ_STATUS"].value & regs_["IRQ_ENABLE"].value & (IRQ_DONE | IRQ_DMA)) != 0);
}

void AcceleratorFace::enable_dma(uint32_t burst_bytes) {
  dma_burst_bytes_ = std::max(4u, burst_bytes);
  regs_["IRQ_ENABLE"].writable = IRQ_DONE | IRQ_DMA;
  regs_["IRQ_STATUS"].writable = IRQ_DONE | IRQ_DMA;
  regs_.add("DMA_SYSTEM_LO", DMA_SYSTEM_LO, 0, RegAccess::read_write, "DMA: system bus address, bits 31:0");
  regs_.add("DMA_SYSTEM_HI", DMA_SYSTEM_HI, 0, RegAccess::read_write, "DMA: system bus address, bits 63:32");
  regs_.add("DMA_LOCAL", DMA_LOCAL, 0, RegAccess::read_write, "DMA: offset in the accelerator's map (a window)");
  regs_.add("DMA_LENGTH", DMA_LENGTH, 0, RegAccess::read_write, "DMA: bytes to move");
  Register& ctrl = regs_.add("DMA_CTRL", DMA_CTRL, 0, RegAccess::read_write,
                             "DMA: bit 0 START (reads 0), bit 1 TO_SYSTEM (else system to accelerator)");
  regs_.add("DMA_STATUS", DMA_STATUS, 0, RegAccess::read_only, "DMA: bit 0 BUSY, bit 1 DONE, bit 2 ERROR");
  Register* ctrl_reg = &ctrl;
  ctrl.writable = DMA_CTRL_START | DMA_CTRL_TO_SYSTEM;
  ctrl.write_hook = [this, ctrl_reg](uint32_t value, uint32_t) {
    ctrl_reg->value = value & DMA_CTRL_TO_SYSTEM;  // START is a strobe; the direction stays
    if (!(value & DMA_CTRL_START)) return;
    if (regs_["DMA_STATUS"].value & STATUS_BUSY) {
      regs_["DMA_STATUS"].value |= STATUS_ERROR;  // a START while busy is dropped
      return;
    }
    regs_["DMA_STATUS"].value = STATUS_BUSY;
    dma_start_.notify(sc_core::SC_ZERO_TIME);
  };
}

// One transfer: bursts of dma_burst_bytes_ over the system bus, each written into (or read
// from) the accelerator's own map as a bus write (or read) would be, with its cycles; the
// transfer's time is spent before DMA_STATUS says DONE and IRQ bit 1 rises.
void AcceleratorFace::dma_engine() {
  std::vector<uint8_t>& burst = dma_burst_;  // a member: the thread is never unwound
  for (;;) {
    sc_core::wait(dma_start_);
    const uint64_t system = regs_["DMA_SYSTEM_LO"].value | (uint64_t(regs_["DMA_SYSTEM_HI"].value) << 32);
    const uint64_t local = regs_["DMA_LOCAL"].value, length = regs_["DMA_LENGTH"].value;
    const bool to_system = regs_["DMA_CTRL"].value & DMA_CTRL_TO_SYSTEM;
    sc_core::sc_time spent = sc_core::SC_ZERO_TIME;
    bool ok = true;
    for (uint64_t done = 0; ok && done < length;) {
      const auto n = uint32_t(std::min<uint64_t>(dma_burst_bytes_, length - done));
      burst.assign(n, 0);
      const auto move = [&](bool on_bus, tlm::tlm_command cmd, uint64_t address) {
        tlm::tlm_generic_payload tx;
        tx.set_command(cmd);
        tx.set_address(address);
        tx.set_data_ptr(burst.data());
        tx.set_data_length(n);
        tx.set_streaming_width(n);
        tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        if (on_bus) {
          dma_transport(tx, spent);
          return tx.is_response_ok();
        }
        uint64_t cycles = 0;
        const bool good = access(tx, false, cycles) == tlm::TLM_OK_RESPONSE;
        spent += period_ * double(cycles);
        return good;
      };
      ok = to_system
               ? move(false, tlm::TLM_READ_COMMAND, local + done) && move(true, tlm::TLM_WRITE_COMMAND, system + done)
               : move(true, tlm::TLM_READ_COMMAND, system + done) && move(false, tlm::TLM_WRITE_COMMAND, local + done);
      done += n;
    }
    sc_core::wait(spent);
    ++dma_transfers_;
    dma_bytes_ += length;
    regs_["DMA_STATUS"].value = STATUS_DONE | (ok ? 0 : STATUS_ERROR);
    regs_["IRQ_STATUS"].value |= IRQ_DMA;
    update_irq();
  }
}

void AcceleratorFace::collect_actions(ActionLedger& ledger) const {
  const std::string bank = name() + std::string(".registers");
  ledger.add(bank, component_class::kRegisterBank, action::kRegisterRead, register_reads_);
  ledger.add(bank, component_class::kRegisterBank, action::kRegisterWrite, register_writes_);
}

void AcceleratorFace::collect_hardware(HardwareInventory& inventory) const {
  const size_t n = regs_.registers().size();
  inventory.add(name() + std::string(".registers"), component_class::kRegisterBank, "bit", 32.0 * double(n),
                std::to_string(n) + " 32-bit registers");
}

}  // namespace scbnn
