#pragma once
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <vector>

#include "scbnn/models/sng.h"
#include "scbnn/tlm/register_bank.h"

namespace scbnn {

// The stochastic number generators as a small TLM-2.0 peripheral (docs/stochastic-input.md,
// "The SNG bank as a peripheral"): software writes pixels and a sample count, strobes
// GENERATE, and reads the bit streams the accelerator's first layer would see for that image.
namespace sng_addr {
inline constexpr uint32_t ID = 0x000;             // RO, kIdValue
inline constexpr uint32_t INPUTS = 0x004;         // RO, pixels (inputs of the bank)
inline constexpr uint32_t COMPARATORS = 0x008;    // RO, comparators in parallel
inline constexpr uint32_t MAX_SAMPLES = 0x00C;    // RO, longest stream the output window holds
inline constexpr uint32_t SAMPLES = 0x010;        // RW, samples N of the next generation
inline constexpr uint32_t IMAGE = 0x014;          // RW, image index: positions the sources at IMAGE x SAMPLES
inline constexpr uint32_t CTRL = 0x018;           // bit 0 GENERATE (strobe, reads 0)
inline constexpr uint32_t STATUS = 0x01C;         // RO, bit 0 DONE (streams valid), bit 1 ERROR (SAMPLES out of range)
inline constexpr uint32_t CYCLES = 0x020;         // RO, cycles of the last generation
inline constexpr uint32_t PIXEL_WINDOW = 0x1000;  // RW, one byte per input
inline constexpr uint32_t STREAM_WINDOW = 0x10000;  // RO, sample n, word w at 8 (n x ceil(INPUTS / 64) + w)
inline constexpr uint32_t kIdValue = 0x5CB15001;
inline constexpr uint32_t CTRL_GENERATE = 1u << 0;
inline constexpr uint32_t STATUS_DONE = 1u << 0, STATUS_ERROR = 1u << 1;
}  // namespace sng_addr

class SngPeripheralModel : public sc_core::sc_module {
 public:
  // `inputs` pixels (at most 0xF000), streams of up to `max_samples` samples; a generation
  // takes SAMPLES x ceil(INPUTS / comparators) cycles of `clock_period`, annotated on the
  // CTRL write that starts it.
  SngPeripheralModel(sc_core::sc_module_name name, const SngParams& params, uint32_t inputs, uint32_t max_samples,
                     const sc_core::sc_time& clock_period, uint32_t register_latency_cycles = 1);

  StochasticNumberGenerators sngs;
  const RegisterBank& registers() const { return regs_; }

  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi&) { return false; }

 private:
  tlm::tlm_response_status access(tlm::tlm_generic_payload& tx, bool debug, uint64_t& cycles);
  void generate();

  RegisterBank regs_;
  uint32_t max_samples_, words_per_sample_;
  sc_core::sc_time period_;
  uint32_t register_latency_cycles_;
  uint64_t generation_cycles_ = 0;  // of a GENERATE in the access being decoded
  std::vector<uint8_t> pixels_;
  std::vector<uint64_t> streams_;
  std::vector<std::vector<uint64_t>> scratch_;
};

template <unsigned int BUSWIDTH = 64>
class SngPeripheral : public SngPeripheralModel {
 public:
  tlm_utils::simple_target_socket<SngPeripheral, BUSWIDTH> socket;
  template <class... Args>
  explicit SngPeripheral(sc_core::sc_module_name name, const Args&... args)
      : SngPeripheralModel(name, args...), socket("socket") {
    socket.register_b_transport(this, &SngPeripheral::b_transport);
    socket.register_transport_dbg(this, &SngPeripheral::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &SngPeripheral::get_direct_mem_ptr);
  }
};

}  // namespace scbnn
