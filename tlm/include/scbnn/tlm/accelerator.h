#pragma once
#include <systemc>
#include <tlm>

#include <cstdint>
#include <string>

#include "scbnn/models/bnn_core.h"
#include "scbnn/models/mac_core.h"
#include "scbnn/tlm/accelerator_face.h"
#include "scbnn/tlm/address_map.h"
#include "scbnn/tlm/register_bank.h"

namespace scbnn {

// Which accelerator the platform builds (accel.datapath): the in-memory XNOR/popcount BNN
// (AcceleratorModel, BnnCore) for binarized networks, or the MAC array (MacAcceleratorModel,
// MacCore) for quantised multi-bit networks.
enum class DatapathKind : uint32_t { bnn = 0, mac = 1 };
inline constexpr std::array<EnumName<DatapathKind>, 2> kDatapathNames{
    {{DatapathKind::bnn, "bnn"}, {DatapathKind::mac, "mac"}}};
constexpr const auto& enum_names(DatapathKind) { return kDatapathNames; }

// The accelerator's parameters (keys accel.*): its core's, then the bus face's, then the
// datapath choice and the MAC array's (accel.mac.*).
struct AcceleratorParams {
  CoreParams core;
  uint32_t stream_length = 16;  // reset value of SC_LENGTH
  double clock_mhz = 500.0;
  WritePulse pulse;  // reset value of the PROG_* registers; the arrays apply it to a 64-bit word in their pulse phases
  uint32_t register_latency_cycles = 1;
  uint32_t at_accept_cycles = 1, at_response_cycles = 1;  // the AT protocol's END_REQ and BEGIN_RESP delays
  bool dma_enabled = false;                               // the DMA engine and its initiator socket
  uint32_t dma_burst_bytes = 64;                          // bytes per DMA bus transaction
  DatapathKind datapath = DatapathKind::bnn;
  MacParams mac;

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
    v("at.accept_cycles", at_accept_cycles, Range{0, 1000}, "cycles",
      "non-blocking (AT) transport: END_REQ this long after BEGIN_REQ", "assumption");
    v("at.response_cycles", at_response_cycles, Range{0, 1000}, "cycles",
      "non-blocking (AT) transport: BEGIN_RESP this long after the access's own latency", "assumption");
    v("dma.enabled", dma_enabled,
      "build the DMA engine: an initiator socket that moves images, network parameters and results between "
      "system memory and the accelerator's windows (registers DMA_*, docs/registers.md); the host driver then "
      "uses it",
      "simulation setting");
    v("dma.burst_bytes", dma_burst_bytes, Range{4, 4096}, "bytes", "bytes per DMA bus transaction", "assumption");
    v("datapath", datapath,
      "accelerator built: bnn = the in-memory XNOR/popcount BNN (binarized networks); mac = the MAC array of "
      "accel.mac.pe PEs (quantised multi-bit networks, docs/timing.md)",
      "scbnn: bnn, the SC-BNN of Hirtzlin et al.; mac after Sim & Lee 2020");
    v.group("mac", mac);
  }
  // Cross-field rules, the core's included; throws InputError naming the keys.
  void validate() const {
    core.validate();
    mac.validate();
    if (core.input_mode == InputMode::stochastic && stream_length > core.sc.max_stream_length)
      throw InputError("accel.sc.stream_length = " + std::to_string(stream_length) +
                       " exceeds accel.sc.max_stream_length = " + std::to_string(core.sc.max_stream_length) +
                       " (the accumulators are sized for it; raise accel.sc.max_stream_length)");
  }
};

// The SC-BNN accelerator's bus face (AcceleratorFace: registers, output window, run control,
// interrupt; docs/registers.md) with its input / parameter / weight windows. The inference
// runs in the core's own sequencer process: START starts it, the registers give it its job,
// and its done event sets the result registers and the interrupt. The socket's bus width is
// the template parameter of Accelerator<>.
class AcceleratorModel : public AcceleratorFace {
 public:
  BnnCore core;

  AcceleratorModel(sc_core::sc_module_name name, const AcceleratorParams& params,
                   const WeightArrayFactory& make_array = {});

  const AcceleratorParams& params() const { return params_; }
  // A core with a line buffer runs convolutions and has the LAYERn geometry descriptors.
  bool supports_convolution() const { return params_.core.line_buffer_bits > 0; }
  const CycleLedger& core_cycles() const override { return core.cycles(); }
  const int32_t& active_layer() const override { return core.active_layer(); }

  uint64_t weight_window_bytes() const;
  // The pulse the PROG_* registers hold now, the cycles one pulse takes, and the cycles of
  // one word's pulse phases without write-verify (the arrays' pulse_phases_per_word pulses).
  WritePulse current_pulse() const;
  uint64_t pulse_cycles() const;
  uint64_t program_cycles_per_word() const;

 private:
  static constexpr uint32_t kWeights = kFirstOwnWindow;
  tlm::tlm_response_status access_window(uint32_t id, tlm::tlm_command cmd, uint64_t offset, uint8_t* data,
                                         uint32_t len, const uint8_t* be, uint32_t be_len, bool debug,
                                         uint64_t& cycles) override;
  tlm::tlm_response_status access_weights(tlm::tlm_command cmd, uint64_t offset, uint8_t* data, uint32_t len,
                                          const uint8_t* be, uint32_t be_len, bool debug, uint64_t& program_cycles);
  void start_core(const sc_core::sc_time& delay) override { core.start(delay); }
  void declare_registers();
  BnnCore::Job job_from_registers();
  void finish_run() { finish(core.last_run(), core.predicted_class(), core.scores()); }

  // The weight window's write buffer: one 64-bit word written in parts (a 32-bit bus, byte
  // enables) is collected here and programmed with one pulse when its last byte arrives, when
  // a write to another word comes, or on CTRL.PROG_COMMIT (docs/registers.md, "Weight window").
  // It is the word latch the arrays' write drivers hold for a word's pulse (priced with the
  // array periphery).
  struct PendingWord {
    bool valid = false;
    uint32_t array = 0, row = 0, word = 0;
    uint64_t value = 0, mask = 0;
  };
  uint64_t program_word(uint32_t array, uint32_t row, uint32_t word, uint64_t value, uint64_t mask);
  uint64_t commit_pending_word();
  uint64_t commit_pending_writes() override { return commit_pending_word(); }

  AcceleratorParams params_;
  PendingWord pending_;
  const Register* pulse_duration_ = nullptr;
  const Register* pulse_current_ = nullptr;
};

template <unsigned int BUSWIDTH = 64>
using Accelerator = SocketedFace<AcceleratorModel, BUSWIDTH>;

}  // namespace scbnn
