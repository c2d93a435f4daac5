#include "scbnn/tlm/accelerator.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "scbnn/base/byte_enables.h"

namespace scbnn {
using namespace addr;

AcceleratorModel::AcceleratorModel(sc_core::sc_module_name name, const AcceleratorParams& params,
                                   const WeightArrayFactory& make_array)
    : AcceleratorFace(name, sc_core::sc_time(1000.0 / params.clock_mhz, sc_core::SC_NS), params.register_latency_cycles,
                      params.core.max_classes, params.core.buffer_port_bits / 8),
      core("core", params.core, sc_core::sc_time(1000.0 / params.clock_mhz, sc_core::SC_NS), make_array),
      params_(params) {
  if (params.core.max_layers > 64) throw std::invalid_argument("accel.max_layers must be at most 64");
  if (params.core.input_bytes > OUTPUT_WINDOW - INPUT_WINDOW)
    throw std::invalid_argument("accel.input_buffer.bytes must be at most 65536");
  if (uint64_t(params.core.max_classes) * 4 > PARAM_WINDOW - OUTPUT_WINDOW)
    throw std::invalid_argument("accel.max_classes is too large for the output window");
  if (uint64_t(params.core.param_entries) * 8 > WEIGHT_WINDOW - PARAM_WINDOW)
    throw std::invalid_argument("accel.param_entries is too large for the parameter window");
  if (WEIGHT_WINDOW + weight_window_bytes() > kWindowLimit)
    throw std::invalid_argument("the weight arrays (accel.array.*) exceed the 4 GiB address space");
  add_buffer_windows(core.input_buffer, core.param_memory, false);
  add_window({kWeights, WEIGHT_WINDOW, weight_window_bytes()});
  set_at_cycles(params.at_accept_cycles, params.at_response_cycles);
  declare_registers();
  if (params.dma_enabled) enable_dma(params.dma_burst_bytes);
  core.set_job_source([this] { return job_from_registers(); });
  SC_HAS_PROCESS(AcceleratorModel);
  SC_METHOD(finish_run);
  sensitive << core.done_event();
  dont_initialize();
}

WritePulse AcceleratorModel::current_pulse() const {
  return {pulse_duration_->value / 1000.0, pulse_current_->value / 1000.0};
}

uint64_t AcceleratorModel::pulse_cycles() const {
  const double cycles = current_pulse().duration_ns / (clock_period().to_seconds() * 1e9);
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
  declare_head_registers(kIdValue, "identification: 0x5CB11001");
  regs_.add("INPUT_MODE", INPUT_MODE, 0, RegAccess::read_write,
            "first-layer input: 0 fixed (bit-planes), 1 stochastic, popcounts summed over SC_LENGTH samples, "
            "2 stochastic, network run SC_LENGTH times and voted");
  declare_run_registers(
      "0 none, 1 layer program does not fit or input mode unsupported, 2 START while busy (kept until the next "
      "START)");
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
  declare_image_index(
      "index of the image the next START classifies; positions every random stream of the inference "
      "(SNGs, memory error draws); incremented when a run ends");
  // The geometry descriptors are hardware of a convolution-capable core (one with a line
  // buffer); an MLP accelerator has none.
  declare_layer_registers(params_.core.max_layers, supports_convolution(),
                          "bits 15:0 padding, bit 16 padded values are +1 (else -1)");
}

// The weight window (the only one of the face's own).
tlm::tlm_response_status AcceleratorModel::access_window(uint32_t, tlm::tlm_command cmd, uint64_t offset, uint8_t* data,
                                                         uint32_t len, const uint8_t* be, uint32_t be_len, bool debug,
                                                         uint64_t& cycles) {
  uint64_t program_cycles = 0;
  const auto status = access_weights(cmd, offset, data, len, be, be_len, debug, program_cycles);
  if (cmd == tlm::TLM_WRITE_COMMAND) cycles = program_cycles;
  return status;
}

tlm::tlm_response_status AcceleratorModel::access_weights(tlm::tlm_command cmd, uint64_t offset, uint8_t* data,
                                                          uint32_t len, const uint8_t* be, uint32_t be_len, bool debug,
                                                          uint64_t& program_cycles) {
  const auto& g = params_.core.array;
  const uint64_t row_bytes = g.columns / 8, array_bytes = row_bytes * g.rows;
  const bool write = cmd == tlm::TLM_WRITE_COMMAND;
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
      const bool same_word =
          pending_.valid && pending_.array == array_index && pending_.row == row && pending_.word == word;
      if (pending_.valid && !same_word) program_cycles += commit_pending_word();
      if (same_word) {
        pending_.value = (pending_.value & ~mask) | value;
        pending_.mask |= mask;
      } else {
        pending_ = {true, array_index, row, word, value, mask};
      }
      if (pending_.mask == ~uint64_t(0)) program_cycles += commit_pending_word();
    }
    i += n;
  }
  return tlm::TLM_OK_RESPONSE;
}

// Programs one word with the pulse the PROG_* registers hold: the array, and any copies the
// first-layer hardware wires to it (a broadcast write, in parallel); its pulse phases one
// after another, then any write-verify sense steps. Returns the cycles it took.
uint64_t AcceleratorModel::program_word(uint32_t array, uint32_t row, uint32_t word, uint64_t value, uint64_t mask) {
  core.program_weight(array, row, word, value, mask, current_pulse());
  const ProgramSteps steps = core.array(array).last_program_steps();
  return steps.pulse_phases * pulse_cycles() + uint64_t(steps.verify_steps) * params_.core.read_cycles;
}

uint64_t AcceleratorModel::commit_pending_word() {
  if (!pending_.valid) return 0;
  pending_.valid = false;
  return program_word(pending_.array, pending_.row, pending_.word, pending_.value, pending_.mask);
}

// Called by the sequencer when a run begins: the registers as they are then.
BnnCore::Job AcceleratorModel::job_from_registers() {
  begin_job();
  const uint32_t mode = regs_["INPUT_MODE"].value;
  if (mode > kInputModeStochasticVote)
    throw std::invalid_argument("INPUT_MODE " + std::to_string(mode) +
                                " is not supported (0 fixed, 1 stochastic sum, 2 stochastic vote)");
  if (auto shapes = changed_layer_program(params_.core.max_layers, "accel.max_layers", supports_convolution()))
    core.load_program(std::move(*shapes));  // loads at this run, or stays pending until one loads it
  return BnnCore::job_for(FirstLayerMode(mode), regs_["SC_LENGTH"].value, regs_["IMAGE_INDEX"].value);
}

}  // namespace scbnn
