#pragma once
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <memory>

#include "scbnn/models/bnn_core.h"
#include "scbnn/models/weight_array.h"

namespace scbnn {

// The timing of an ArrayMemory: one sense step per read word (times the array's sense
// steps), the programming pulse per written word (times its pulse phases, plus any
// write-verify sense steps), and the epoch after which the array ages (retention over the
// elapsed simulated time) and redraws its per-epoch errors. array_memory_timing
// (scbnn/platforms/configured_accelerator.h) takes the sense step and pulse from a
// configuration (accel.array.read_ns, accel.mram.pulse_*); the defaults here are the same
// values. The epoch is an assumption of this model (no configuration key).
struct ArrayMemoryTiming {
  double sense_ns = 2.0;  // one sense step of a word
  WritePulse pulse;       // the programming pulse of every write
  double epoch_ns = 1000;
};

// A byte-addressed memory over a weight array of any memory technology, as a TLM-2.0
// loosely-timed target: a main memory or scratchpad whose words are the array's rows of
// 64 bits (bytes [8 r, 8 r + 8) are row r, little-endian). Reads sense the words they touch
// (read errors and read disturb of the technology act on them); writes program the bytes
// they carry, one pulse per word touched with the other bytes masked (write errors from the
// pulse); every `epoch_ns` of simulated time the array ages (retention) and repositions its
// per-epoch random draws (epoch k is drawn like the accelerator's image k). DMI is never
// granted: error injection must see every access. The array counts its actions (word
// writes, row reads, bits sensed) and describes its hardware like the accelerator's arrays,
// so collect_actions_below / collect_hardware_below and power/ price it the same way.
class ArrayMemoryModel : public sc_core::sc_module {
 public:
  ArrayMemoryModel(sc_core::sc_module_name name, uint64_t size_bytes, const ArrayMemoryTiming& timing,
                   const WeightArrayFactory& make_array);
  ArrayMemoryModel(const ArrayMemoryModel&) = delete;
  ArrayMemoryModel& operator=(const ArrayMemoryModel&) = delete;

  uint64_t size() const { return uint64_t(array_->rows()) * 8; }
  WeightArray& array() { return *array_; }
  uint64_t epoch() const { return epoch_; }

  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  // Debug reads return the stored contents without side effects; debug writes are refused
  // (programming has physical effects).
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi&) { return false; }

 private:
  tlm::tlm_response_status access(tlm::tlm_generic_payload& tx, bool debug, sc_core::sc_time& busy);
  void age_to(const sc_core::sc_time& now);

  ArrayMemoryTiming timing_;
  std::unique_ptr<WeightArray> array_;
  uint64_t epoch_ = 0;
  sc_core::sc_time epoch_start_ = sc_core::SC_ZERO_TIME;
};

template <unsigned int BUSWIDTH = 64>
class ArrayMemory : public ArrayMemoryModel {
 public:
  tlm_utils::simple_target_socket<ArrayMemory, BUSWIDTH> socket;
  ArrayMemory(sc_core::sc_module_name name, uint64_t size_bytes, const ArrayMemoryTiming& timing,
              const WeightArrayFactory& make_array = {})
      : ArrayMemoryModel(name, size_bytes, timing, make_array), socket("socket") {
    socket.register_b_transport(this, &ArrayMemory::b_transport);
    socket.register_transport_dbg(this, &ArrayMemory::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &ArrayMemory::get_direct_mem_ptr);
  }
};

}  // namespace scbnn
