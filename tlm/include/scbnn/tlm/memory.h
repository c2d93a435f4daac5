#pragma once
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <vector>

namespace scbnn {

// Plain system memory (e.g. where the host keeps the images): byte-addressed, any
// length, byte enables, DMI for the whole range with the same latencies.
class MemoryModel : public sc_core::sc_module {
 public:
  MemoryModel(sc_core::sc_module_name name, uint64_t size_bytes, sc_core::sc_time read_latency,
              sc_core::sc_time write_latency);
  MemoryModel(const MemoryModel&) = delete;
  MemoryModel& operator=(const MemoryModel&) = delete;

  uint64_t size() const { return bytes_.size(); }
  uint8_t* data() { return bytes_.data(); }

  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);

 private:
  tlm::tlm_response_status access(tlm::tlm_generic_payload& tx);
  std::vector<uint8_t> bytes_;
  sc_core::sc_time read_latency_, write_latency_;
};

template <unsigned int BUSWIDTH = 64>
class Memory : public MemoryModel {
 public:
  tlm_utils::simple_target_socket<Memory, BUSWIDTH> socket;
  Memory(sc_core::sc_module_name name, uint64_t size_bytes, sc_core::sc_time read_latency,
         sc_core::sc_time write_latency)
      : MemoryModel(name, size_bytes, read_latency, write_latency), socket("socket") {
    socket.register_b_transport(this, &Memory::b_transport);
    socket.register_transport_dbg(this, &Memory::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &Memory::get_direct_mem_ptr);
  }
};

}  // namespace scbnn
