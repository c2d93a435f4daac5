#pragma once
#include <systemc>
#include <tlm>

#include <cstdint>

#include "scbnn/models/mac_core.h"
#include "scbnn/tlm/accelerator.h"
#include "scbnn/tlm/accelerator_face.h"

namespace scbnn {

// The MAC-array accelerator's bus face (docs/registers.md, "MAC-array accelerator"): the
// registers and run control every face shares (AcceleratorFace), QUANT_BITS, the hardware
// registers MAC_ROWS / MAC_COLUMNS / MAC_PRECISION, per layer its descriptor, geometry and
// LAYERn_WEIGHT_BASE, and the windows INPUT (pixel bytes), OUTPUT (int32 scores), PARAM (16
// bytes a neuron) and WEIGHT (int8 weights). START runs one inference in the core's sequencer;
// its done event sets the result registers and the interrupt. Uses accel.mac.*, accel.clock_mhz
// and accel.register_latency_cycles of the parameters.
class MacAcceleratorModel : public AcceleratorFace {
 public:
  MacCore core;

  MacAcceleratorModel(sc_core::sc_module_name name, const AcceleratorParams& params);

  const MacParams& params() const { return core.params(); }
  const CycleLedger& core_cycles() const override { return core.cycles(); }
  const int32_t& active_layer() const override { return core.active_layer(); }

 private:
  static constexpr uint32_t kWeights = kFirstOwnWindow;
  tlm::tlm_response_status access_window(uint32_t id, tlm::tlm_command cmd, uint64_t offset, uint8_t* data,
                                         uint32_t len, const uint8_t* be, uint32_t be_len, bool debug,
                                         uint64_t& cycles) override;
  void start_core(const sc_core::sc_time& delay) override { core.start(delay); }
  void declare_registers();
  MacCore::Job job_from_registers();
  void finish_run() { finish(core.last_run(), core.predicted_class(), core.scores()); }
};

template <unsigned int BUSWIDTH = 64>
using MacAccelerator = SocketedFace<MacAcceleratorModel, BUSWIDTH>;

}  // namespace scbnn
