#include "scbnn/tlm/array_memory.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "scbnn/base/byte_enables.h"

namespace scbnn {

ArrayMemoryModel::ArrayMemoryModel(sc_core::sc_module_name name, uint64_t size_bytes, const ArrayMemoryTiming& timing,
                                   const WeightArrayFactory& make_array)
    : sc_core::sc_module(name), timing_(timing) {
  if (size_bytes == 0 || size_bytes % 8 != 0 || size_bytes / 8 > UINT32_MAX)
    throw std::invalid_argument("an array memory holds a whole number of 64-bit words, at most 2^32 of them (" +
                                std::to_string(size_bytes) + " bytes asked)");
  const auto rows = uint32_t(size_bytes / 8);
  array_ = make_array ? make_array("array", rows, 64) : std::make_unique<WeightArray>("array", rows, 64);
  array_->begin_inference(sc_core::SC_ZERO_TIME, epoch_);  // epoch 0's draws
}

void ArrayMemoryModel::age_to(const sc_core::sc_time& now) {
  if (now - epoch_start_ < sc_core::sc_time(timing_.epoch_ns, sc_core::SC_NS)) return;
  epoch_start_ = now;
  array_->begin_inference(now, ++epoch_);
}

tlm::tlm_response_status ArrayMemoryModel::access(tlm::tlm_generic_payload& tx, bool debug, sc_core::sc_time& busy) {
  const tlm::tlm_command cmd = tx.get_command();
  if (cmd == tlm::TLM_IGNORE_COMMAND) return tlm::TLM_OK_RESPONSE;
  const uint64_t address = tx.get_address(), length = tx.get_data_length();
  if (length == 0 || (!debug && tx.get_streaming_width() != 0 && tx.get_streaming_width() < length))
    return tlm::TLM_BURST_ERROR_RESPONSE;
  if (address >= size() || length > size() - address) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  const bool write = cmd == tlm::TLM_WRITE_COMMAND;
  if (write && debug) return tlm::TLM_COMMAND_ERROR_RESPONSE;
  uint8_t* data = tx.get_data_ptr();
  const uint8_t* be = tx.get_byte_enable_ptr();
  const uint32_t be_len = tx.get_byte_enable_length();
  if (be && be_len == 0) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
  const sc_core::sc_time sense(timing_.sense_ns, sc_core::SC_NS), pulse(timing_.pulse.duration_ns, sc_core::SC_NS);
  uint64_t i = 0;
  while (i < length) {
    const uint64_t at = address + i;
    const auto row = uint32_t(at / 8);
    const auto first_byte = uint32_t(at % 8);
    const auto n = uint32_t(std::min<uint64_t>(8 - first_byte, length - i));
    if (write) {
      uint64_t value = 0, mask = 0;
      for (uint32_t b = 0; b < n; ++b) {
        if (!byte_enabled(be, be_len, uint32_t(i + b))) continue;
        value |= uint64_t(data[i + b]) << (8 * (first_byte + b));
        mask |= uint64_t(0xff) << (8 * (first_byte + b));
      }
      if (mask) {
        array_->program(row, 0, value, mask, timing_.pulse);
        const ProgramSteps steps = array_->last_program_steps();
        busy += pulse * double(steps.pulse_phases) + sense * double(steps.verify_steps);
      }
    } else {
      const uint64_t word = debug ? array_->peek(row, 0) : array_->sense(row, 1)[0];
      if (!debug) busy += sense * double(array_->sense_steps());
      for (uint32_t b = 0; b < n; ++b)
        if (byte_enabled(be, be_len, uint32_t(i + b))) data[i + b] = uint8_t(word >> (8 * (first_byte + b)));
    }
    i += n;
  }
  return tlm::TLM_OK_RESPONSE;
}

void ArrayMemoryModel::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
  age_to(sc_core::sc_time_stamp() + delay);
  sc_core::sc_time busy = sc_core::SC_ZERO_TIME;
  tx.set_response_status(access(tx, false, busy));
  tx.set_dmi_allowed(false);
  delay += busy;
}

unsigned int ArrayMemoryModel::transport_dbg(tlm::tlm_generic_payload& tx) {
  sc_core::sc_time ignored = sc_core::SC_ZERO_TIME;
  return access(tx, true, ignored) == tlm::TLM_OK_RESPONSE ? tx.get_data_length() : 0;
}

}  // namespace scbnn
