#pragma once
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <string>

#include "scbnn/models/bnn_core.h"
#include "scbnn/tlm/address_map.h"
#include "scbnn/tlm/register_bank.h"

namespace scbnn {

// The accelerator's parameters (keys accel.*): its core's, then the bus face's.
struct AcceleratorParams {
  CoreParams core;
  uint32_t stream_length = 16;  // reset value of SC_LENGTH
  double clock_mhz = 500.0;
  WritePulse pulse;  // reset value of the PROG_* registers; the arrays apply it to a 64-bit word in their pulse phases
  uint32_t register_latency_cycles = 1;

  template <class V>
  void declare(V& v) {
    v.group("", core);
    v("sc.stream_length", stream_length, Range{1, 1024}, "samples",
      "stochastic samples per pixel N (SC_LENGTH); at most accel.sc.max_stream_length",
      "assumption: open in the publication");
    v("clock_mhz", clock_mhz, Range{1, 10000}, "MHz", "accelerator clock",
      "assumption: a conservative clock for 28 nm logic beside MRAM arrays");
    v("mram.pulse_ns", pulse.duration_ns, Range{1e-3, 1e6}, "ns",
      "programming pulse duration (reset value of PROG_PULSE_PS)",
      "assumption: strong programming, WER ~3e-7 with the default MTJ");
    v("mram.pulse_ua", pulse.current_ua, Range{1e-3, 1e6}, "uA",
      "programming pulse current (reset value of PROG_CURRENT_NA)", "assumption: 2 x Ic0");
    v("register_latency_cycles", register_latency_cycles, Range{0, 1000}, "cycles", "register access latency",
      "assumption");
  }
  // Cross-field rules, the core's included; throws InputError naming the keys.
  void validate() const {
    core.validate();
    if (core.input_mode == InputMode::stochastic && stream_length > core.sc.max_stream_length)
      throw InputError("accel.sc.stream_length = " + std::to_string(stream_length) +
                       " exceeds accel.sc.max_stream_length = " + std::to_string(core.sc.max_stream_length) +
                       " (the accumulators are sized for it; raise accel.sc.max_stream_length)");
  }
};

// The SC-BNN accelerator's bus face: registers (docs/registers.md), input / output /
// parameter / weight windows, and a level interrupt held until IRQ_STATUS is cleared.
// Loosely timed: b_transport annotates latencies and never waits. The inference runs in
// the core's own sequencer process: START starts it, the registers give it its job, and
// its done event sets the result registers and the interrupt. The socket's bus width is
// the template parameter of Accelerator<>.
class AcceleratorModel : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  sc_core::sc_out<bool> irq;
  BnnCore core;

  AcceleratorModel(sc_core::sc_module_name name, const AcceleratorParams& params,
                   const WeightArrayFactory& make_array = {});
  AcceleratorModel(const AcceleratorModel&) = delete;
  AcceleratorModel& operator=(const AcceleratorModel&) = delete;

  const AcceleratorParams& params() const { return params_; }
  // A core with a line buffer runs convolutions and has the LAYERn geometry descriptors.
  bool supports_convolution() const { return params_.core.line_buffer_bits > 0; }
  sc_core::sc_time clock_period() const { return period_; }
  const RegisterBank& registers() const { return regs_; }
  // Message of the last failed START (ERROR_CODE != 0), for the platform's error report.
  const std::string& last_error() const { return last_error_; }
  // Simulated time the last inference took, from START to the interrupt.
  sc_core::sc_time last_inference_time() const { return last_inference_time_; }
  uint64_t last_inference_cycles() const { return last_cycles_; }
  // Simulated time of all runs, START to interrupt, summed.
  sc_core::sc_time busy_time() const { return busy_time_; }

  uint64_t weight_window_bytes() const;
  // The pulse the PROG_* registers hold now, the cycles one pulse takes, and the cycles of
  // one word's pulse phases without write-verify (the arrays' pulse_phases_per_word pulses).
  WritePulse current_pulse() const;
  uint64_t pulse_cycles() const;
  uint64_t program_cycles_per_word() const;

  // The register bank's accesses and hardware (the core and its parts count for themselves).
  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);

 private:
  enum class Window { registers, input, output, params, weights, none };
  struct Decoded {
    Window window = Window::none;
    uint64_t offset = 0;
    uint64_t size = 0;
  };
  Decoded decode(uint64_t address, uint64_t length) const;
  tlm::tlm_response_status access(tlm::tlm_generic_payload& tx, bool debug, uint64_t& cycles);
  tlm::tlm_response_status access_weights(tlm::tlm_command cmd, uint64_t offset, uint8_t* data, uint32_t len,
                                          const uint8_t* be, uint32_t be_len, bool debug, uint64_t& program_cycles);
  void declare_registers();
  void start();
  BnnCore::Job job_from_registers();
  LayerShape layer_from_registers(uint32_t layer);
  void finish_run();
  void update_irq();
  void drive_irq();

  AcceleratorParams params_;
  sc_core::sc_time period_;
  RegisterBank regs_;
  const Register* pulse_duration_ = nullptr;
  const Register* pulse_current_ = nullptr;
  sc_core::sc_event irq_changed_;
  bool busy_ = false, start_pending_ = false, layers_dirty_ = true;
  std::vector<int32_t> output_words_;  // the output window: last run's scores
  std::string last_error_;
  sc_core::sc_time last_inference_time_ = sc_core::SC_ZERO_TIME;
  uint64_t last_cycles_ = 0;  // of the last run, START to interrupt
  sc_core::sc_time busy_time_ = sc_core::SC_ZERO_TIME;
  uint64_t register_reads_ = 0, register_writes_ = 0;
};

template <unsigned int BUSWIDTH = 64>
class Accelerator : public AcceleratorModel {
 public:
  tlm_utils::simple_target_socket<Accelerator, BUSWIDTH> socket;

  Accelerator(sc_core::sc_module_name name, const AcceleratorParams& params, const WeightArrayFactory& make_array = {})
      : AcceleratorModel(name, params, make_array), socket("socket") {
    socket.register_b_transport(this, &Accelerator::b_transport);
    socket.register_transport_dbg(this, &Accelerator::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &Accelerator::get_direct_mem_ptr);
  }
};

}  // namespace scbnn
