#include "scbnn/tlm/memory.h"

#include "scbnn/base/byte_enables.h"

namespace scbnn {

MemoryModel::MemoryModel(sc_core::sc_module_name name, uint64_t size_bytes, sc_core::sc_time read_latency,
                         sc_core::sc_time write_latency)
    : sc_core::sc_module(name), bytes_(size_bytes, 0), read_latency_(read_latency), write_latency_(write_latency) {}

tlm::tlm_response_status MemoryModel::access(tlm::tlm_generic_payload& tx) {
  const uint64_t address = tx.get_address();
  const uint32_t len = tx.get_data_length();
  if (tx.get_command() == tlm::TLM_IGNORE_COMMAND) return tlm::TLM_OK_RESPONSE;
  if (len == 0 || (tx.get_streaming_width() != 0 && tx.get_streaming_width() < len))
    return tlm::TLM_BURST_ERROR_RESPONSE;
  if (address >= bytes_.size() || len > bytes_.size() - address) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  const uint8_t* be = tx.get_byte_enable_ptr();
  const uint32_t be_len = tx.get_byte_enable_length();
  if (be && be_len == 0) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
  uint8_t* mem = bytes_.data() + address;
  uint8_t* data = tx.get_data_ptr();
  const bool write = tx.is_write();
  write ? copy_enabled_bytes(mem, data, len, be, be_len) : copy_enabled_bytes(data, mem, len, be, be_len);
  tx.set_dmi_allowed(true);
  return tlm::TLM_OK_RESPONSE;
}

void MemoryModel::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
  tx.set_response_status(access(tx));
  delay += tx.is_write() ? write_latency_ : read_latency_;
}

unsigned int MemoryModel::transport_dbg(tlm::tlm_generic_payload& tx) {
  return access(tx) == tlm::TLM_OK_RESPONSE ? tx.get_data_length() : 0;
}

bool MemoryModel::get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
  dmi.set_dmi_ptr(bytes_.data());
  dmi.set_start_address(0);
  dmi.set_end_address(bytes_.size() - 1);
  dmi.allow_read_write();
  dmi.set_read_latency(read_latency_);
  dmi.set_write_latency(write_latency_);
  return true;
}

}  // namespace scbnn
