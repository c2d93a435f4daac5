#include "scbnn/tlm/sng_peripheral.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "scbnn/base/byte_enables.h"

namespace scbnn {

using namespace sng_addr;

SngPeripheralModel::SngPeripheralModel(sc_core::sc_module_name name, const SngParams& params, uint32_t inputs,
                                       uint32_t max_samples, const sc_core::sc_time& clock_period,
                                       uint32_t register_latency_cycles)
    : sc_core::sc_module(name),
      sngs("sngs", params, inputs),
      max_samples_(max_samples),
      words_per_sample_((inputs + 63) / 64),
      period_(clock_period),
      register_latency_cycles_(register_latency_cycles),
      pixels_(inputs, 0) {
  if (inputs == 0 || inputs > STREAM_WINDOW - PIXEL_WINDOW)
    throw std::invalid_argument("the SNG peripheral takes 1 to " + std::to_string(STREAM_WINDOW - PIXEL_WINDOW) +
                                " inputs (" + std::to_string(inputs) + " asked)");
  if (max_samples == 0 || uint64_t(max_samples) * words_per_sample_ * 8 > (uint64_t(1) << 30))
    throw std::invalid_argument("the SNG peripheral's stream window must hold 1 to 1 GiB");
  streams_.assign(size_t(max_samples) * words_per_sample_, 0);
  regs_.add("ID", ID, kIdValue, RegAccess::read_only, "identification: 0x5CB15001 (the SNG bank)");
  regs_.add("INPUTS", INPUTS, inputs, RegAccess::read_only, "pixels (inputs of the bank)");
  regs_.add("COMPARATORS", COMPARATORS, params.comparators, RegAccess::read_only, "comparators in parallel");
  regs_.add("MAX_SAMPLES", MAX_SAMPLES, max_samples, RegAccess::read_only, "longest stream the stream window holds");
  regs_.add("SAMPLES", SAMPLES, 1, RegAccess::read_write, "samples N of the next generation, 1 to MAX_SAMPLES");
  regs_.add("IMAGE", IMAGE, 0, RegAccess::read_write,
            "image index: the next generation starts at stream position IMAGE x SAMPLES");
  Register& ctrl = regs_.add("CTRL", CTRL, 0, RegAccess::read_write, "bit 0 GENERATE: write 1 (reads 0)");
  regs_.add("STATUS", STATUS, 0, RegAccess::read_only, "bit 0 DONE: streams valid; bit 1 ERROR: SAMPLES out of range");
  regs_.add("CYCLES", CYCLES, 0, RegAccess::read_only, "cycles of the last generation");
  Register* ctrl_reg = &ctrl;
  ctrl.writable = CTRL_GENERATE;
  ctrl.write_hook = [this, ctrl_reg](uint32_t value, uint32_t) {
    ctrl_reg->value = 0;
    if (value & CTRL_GENERATE) generate();
  };
}

void SngPeripheralModel::generate() {
  const uint32_t samples = regs_["SAMPLES"].value;
  if (samples == 0 || samples > max_samples_) {
    regs_["STATUS"].value = STATUS_ERROR;
    return;
  }
  SngBank& bank = sngs.bank;
  bank.seek_image(regs_["IMAGE"].value, samples);
  bank.generate(pixels_.data(), bank.inputs(), samples, scratch_);
  std::fill(streams_.begin(), streams_.end(), 0);
  for (uint32_t n = 0; n < samples; ++n)
    std::copy(scratch_[n].begin(), scratch_[n].begin() + words_per_sample_,
              streams_.begin() + int64_t(n) * words_per_sample_);
  generation_cycles_ = uint64_t(samples) * bank.cycles_per_sample(bank.inputs());
  regs_["CYCLES"].value = uint32_t(std::min<uint64_t>(generation_cycles_, UINT32_MAX));
  regs_["STATUS"].value = STATUS_DONE;
}

tlm::tlm_response_status SngPeripheralModel::access(tlm::tlm_generic_payload& tx, bool debug, uint64_t& cycles) {
  const tlm::tlm_command cmd = tx.get_command();
  if (cmd == tlm::TLM_IGNORE_COMMAND) return tlm::TLM_OK_RESPONSE;
  const uint64_t address = tx.get_address();
  const uint32_t length = tx.get_data_length();
  uint8_t* data = tx.get_data_ptr();
  const uint8_t* be = tx.get_byte_enable_ptr();
  const uint32_t be_len = tx.get_byte_enable_length();
  if (length == 0) return tlm::TLM_BURST_ERROR_RESPONSE;
  if (be && be_len == 0) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
  const bool write = cmd == tlm::TLM_WRITE_COMMAND;
  cycles = register_latency_cycles_;
  if (address < PIXEL_WINDOW) {
    generation_cycles_ = 0;
    const auto status = regs_.access(cmd, address, data, length, be, be_len, debug);
    cycles += generation_cycles_;
    return status;
  }
  const auto within = [&](uint64_t base, uint64_t size) {
    return address >= base && address - base < size && length <= size - (address - base);
  };
  if (within(PIXEL_WINDOW, pixels_.size())) {
    uint8_t* at = pixels_.data() + (address - PIXEL_WINDOW);
    if (write && debug) return tlm::TLM_COMMAND_ERROR_RESPONSE;
    if (write)
      copy_enabled_bytes(at, data, length, be, be_len);
    else
      copy_enabled_bytes(data, at, length, be, be_len);
    return tlm::TLM_OK_RESPONSE;
  }
  if (within(STREAM_WINDOW, streams_.size() * 8)) {
    if (write) return tlm::TLM_COMMAND_ERROR_RESPONSE;
    const uint64_t offset = address - STREAM_WINDOW;
    for (uint32_t i = 0; i < length; ++i)
      if (byte_enabled(be, be_len, i)) data[i] = uint8_t(streams_[(offset + i) / 8] >> (8 * ((offset + i) % 8)));
    return tlm::TLM_OK_RESPONSE;
  }
  return tlm::TLM_ADDRESS_ERROR_RESPONSE;
}

void SngPeripheralModel::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
  uint64_t cycles = 0;
  tx.set_response_status(access(tx, false, cycles));
  tx.set_dmi_allowed(false);
  delay += period_ * double(cycles);
}

unsigned int SngPeripheralModel::transport_dbg(tlm::tlm_generic_payload& tx) {
  uint64_t cycles = 0;
  return access(tx, true, cycles) == tlm::TLM_OK_RESPONSE ? tx.get_data_length() : 0;
}

}  // namespace scbnn
