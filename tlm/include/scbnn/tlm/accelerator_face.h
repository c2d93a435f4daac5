#pragma once
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/base/layer_shape.h"
#include "scbnn/models/buffers.h"
#include "scbnn/models/core_sequencer.h"
#include "scbnn/models/cycle_ledger.h"
#include "scbnn/tlm/at_target.h"
#include "scbnn/tlm/register_bank.h"

namespace scbnn {

// What every accelerator's bus face shares (the BNN's AcceleratorModel, the MAC array's
// MacAcceleratorModel; docs/registers.md): the register block and the output window it
// decodes itself, the access rules (lengths, streaming width, byte enables), the run control
// (CTRL.START, STATUS, ERROR_CODE, CYCLES, RESULT, IMAGE_INDEX), the layer descriptor
// registers, and a level interrupt held until IRQ_STATUS is cleared. Loosely timed:
// b_transport annotates latencies and never waits. A derived face adds its memory windows
// (access_window) and starts its core (start_core).
class AcceleratorFace : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  sc_core::sc_out<bool> irq;

  AcceleratorFace(const AcceleratorFace&) = delete;
  AcceleratorFace& operator=(const AcceleratorFace&) = delete;

  sc_core::sc_time clock_period() const { return period_; }
  const RegisterBank& registers() const { return regs_; }
  // Message of the last failed START (ERROR_CODE != 0), for the platform's error report.
  const std::string& last_error() const { return last_error_; }
  // Simulated time the last inference took, from START to the interrupt.
  sc_core::sc_time last_inference_time() const { return last_inference_time_; }
  uint64_t last_inference_cycles() const { return last_cycles_; }
  // Simulated time of all runs, START to interrupt, summed.
  sc_core::sc_time busy_time() const { return busy_time_; }
  // The DMA engine (accel.dma.enabled): whether it exists, transfers done and bytes moved.
  bool dma_enabled() const { return dma_burst_bytes_ > 0; }
  uint64_t dma_transfers() const { return dma_transfers_; }
  uint64_t dma_bytes() const { return dma_bytes_; }
  // The core's cycles per layer and phase, summed over its runs.
  virtual const CycleLedger& core_cycles() const = 0;
  // Traces the face's activity into `file` under `prefix` (sc_trace): busy (START to the end
  // of the run), the layer being timed (-1 outside the layers) and the bus accesses it served.
  void trace(sc_core::sc_trace_file* file, const std::string& prefix) const;
  // The layer the core is timing now (-1 outside the layers).
  virtual const int32_t& active_layer() const = 0;

  // The register bank's accesses and hardware (the core and its parts count for themselves).
  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);

 protected:
  // `port_bytes`: bytes the buffers move per cycle (an access's default latency).
  AcceleratorFace(sc_core::sc_module_name name, const sc_core::sc_time& clock_period, uint32_t register_latency_cycles,
                  uint32_t max_classes, uint32_t port_bytes);

  // A memory window of the derived face: `id` (kFirstOwnWindow or above) is passed back to
  // access_window; a non-null `dmi_read` grants read-only DMI to that storage (its reads
  // count nothing).
  struct Window {
    uint32_t id = 0;
    uint64_t base = 0, size = 0;
    uint8_t* dmi_read = nullptr;
  };
  static constexpr uint32_t kFirstOwnWindow = 2;  // 0, 1: the input and parameter windows
  void add_window(const Window& window) { windows_.push_back(window); }
  // The input window (INPUT_WINDOW, the core's input buffer) and the parameter window
  // (PARAM_WINDOW, its parameter memory), which every face has and this class serves: writes
  // honour byte enables and are counted unless debug; input reads are counted, parameter
  // reads are not (with `param_read_dmi`, read-only DMI to the parameters).
  void add_buffer_windows(InputBuffer& input, ParamMemory& params, bool param_read_dmi);
  // A non-debug or debug access of `len` bytes at `offset` in window `id`; `cycles` comes in
  // as the buffer-port latency of the access and may be changed.
  virtual tlm::tlm_response_status access_window(uint32_t id, tlm::tlm_command cmd, uint64_t offset, uint8_t* data,
                                                 uint32_t len, const uint8_t* be, uint32_t be_len, bool debug,
                                                 uint64_t& cycles) = 0;
  // CTRL.START was written: the core's run begins `delay` from now.
  virtual void start_core(const sc_core::sc_time& delay) = 0;
  // CTRL.PROG_COMMIT was written: program what a write buffer holds; returns the cycles taken.
  virtual uint64_t commit_pending_writes() { return 0; }

  // The shared registers, in the order of the BNN's map: ID to IRQ_STATUS; NUM_LAYERS to
  // ERROR_CODE; IMAGE_INDEX; the layer descriptors (with their geometry words when
  // `geometry`; `padding_text` describes the PADDING word).
  void declare_head_registers(uint32_t id_value, const std::string& id_text);
  void declare_run_registers(const std::string& error_text);
  void declare_image_index(const std::string& text);
  void declare_layer_registers(uint32_t max_layers, bool geometry, const std::string& padding_text);
  // The AT protocol's delays (accel.at.*): END_REQ after the accept delay, BEGIN_RESP after the
  // access's latency and the response delay.
  void set_at_cycles(uint32_t accept, uint32_t response) { at_accept_cycles_ = accept, at_response_cycles_ = response; }
  sc_core::sc_time at_accept_delay() const { return period_ * double(at_accept_cycles_); }
  sc_core::sc_time at_response_delay() const { return period_ * double(at_response_cycles_); }
  // Builds the DMA engine (accel.dma.*): its registers, its interrupt bit and its process; the
  // socketed face then has an initiator socket (dma_socket) that must be bound to the bus.
  void enable_dma(uint32_t burst_bytes);
  // One transaction of the DMA engine on the system bus (the socketed face's initiator socket).
  virtual void dma_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    (void)delay;
    tx.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
  }
  // Cycles a register write hook spent beyond the register latency (e.g. a programming pulse);
  // the access that ran the hook is annotated with them.
  void add_register_cycles(uint64_t cycles) { register_extra_cycles_ += cycles; }
  // Marks the layer program changed (a write hook for descriptors of the derived face's own).
  void mark_layers_dirty() { layers_dirty_ = true; }
  // The layer program the descriptor registers hold, when they changed since the last call
  // (else nothing); throws std::invalid_argument when NUM_LAYERS exceeds `max_layers`
  // (`max_layers_key` names the parameter) or a KIND is unknown. Pads with -1 or +1 as the
  // PADDING word's bit 16 says.
  std::optional<std::vector<LayerShape>> changed_layer_program(uint32_t max_layers, const std::string& max_layers_key,
                                                               bool geometry);
  // The core's run began: ERROR_CODE cleared.
  void begin_job() { regs_["ERROR_CODE"].value = 0; }
  // The core's run ended: the result registers, the output window and the interrupt.
  void finish(const CoreRunResult& run, uint32_t predicted, const std::vector<int32_t>& scores);

  RegisterBank regs_;

 private:
  enum class Decoded { registers, output, window, none };
  struct Target {
    Decoded kind = Decoded::none;
    const Window* window = nullptr;
    uint64_t base = 0, offset = 0, size = 0;
  };
  Target decode(uint64_t address, uint64_t length) const;
  tlm::tlm_response_status access(tlm::tlm_generic_payload& tx, bool debug, uint64_t& cycles);
  tlm::tlm_response_status access_buffer(uint32_t id, bool write, uint64_t offset, uint8_t* data, uint32_t len,
                                         const uint8_t* be, uint32_t be_len, bool debug);
  void start();
  void update_irq();
  void drive_irq();

  sc_core::sc_time period_;
  uint32_t register_latency_cycles_, port_bytes_;
  std::vector<Window> windows_;
  InputBuffer* input_buffer_ = nullptr;
  ParamMemory* param_memory_ = nullptr;
  sc_core::sc_event irq_changed_;
  bool busy_ = false, start_pending_ = false, layers_dirty_ = true;
  std::vector<int32_t> output_words_;  // the output window: last run's scores
  std::string last_error_;
  sc_core::sc_time last_inference_time_ = sc_core::SC_ZERO_TIME;
  uint64_t last_cycles_ = 0;  // of the last run, START to interrupt
  sc_core::sc_time busy_time_ = sc_core::SC_ZERO_TIME;
  uint64_t register_reads_ = 0, register_writes_ = 0;
  uint64_t register_extra_cycles_ = 0;
  uint64_t bus_accesses_ = 0;  // b_transport calls served (traced)
  uint32_t at_accept_cycles_ = 1, at_response_cycles_ = 1;
  void dma_engine();  // the DMA process: one transfer per DMA_CTRL START
  uint32_t dma_burst_bytes_ = 0;
  sc_core::sc_event dma_start_;
  uint64_t dma_transfers_ = 0, dma_bytes_ = 0;
  std::vector<uint8_t> dma_burst_;
};

// A face with its TLM target socket of BUSWIDTH bits (Accelerator<>, MacAccelerator<>): the
// blocking (LT) and the 4-phase non-blocking (AT) base protocol, with the face's accept and
// response delays (accel.at.*).
template <class Face, unsigned int BUSWIDTH>
class SocketedFace : public Face {
 public:
  tlm_utils::simple_target_socket<SocketedFace, BUSWIDTH> socket;

  template <class... Args>
  explicit SocketedFace(sc_core::sc_module_name name, const Args&... args)
      : Face(name, args...),
        socket("socket"),
        at_(
            "at_peq", [this](tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) { this->b_transport(tx, delay); },
            [this](tlm::tlm_generic_payload& tx, tlm::tlm_phase& phase, sc_core::sc_time& delay) {
              return socket->nb_transport_bw(tx, phase, delay);
            },
            this->at_accept_delay(), this->at_response_delay()) {
    socket.register_b_transport(this, &SocketedFace::b_transport);
    socket.register_nb_transport_fw(this, &SocketedFace::nb_transport_fw);
    socket.register_transport_dbg(this, &SocketedFace::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &SocketedFace::get_direct_mem_ptr);
    if (this->dma_enabled())
      dma_socket_ = std::make_unique<tlm_utils::simple_initiator_socket<SocketedFace, BUSWIDTH>>("dma_socket");
  }

  // The DMA engine's initiator socket (accel.dma.enabled; nullptr otherwise): bind it to the
  // system bus.
  tlm_utils::simple_initiator_socket<SocketedFace, BUSWIDTH>* dma_socket() { return dma_socket_.get(); }

 private:
  void dma_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) override {
    (*dma_socket_)->b_transport(tx, delay);
  }
  std::unique_ptr<tlm_utils::simple_initiator_socket<SocketedFace, BUSWIDTH>> dma_socket_;
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& tx, tlm::tlm_phase& phase, sc_core::sc_time& delay) {
    return at_.nb_transport_fw(tx, phase, delay);
  }
  AtTargetAdapter at_;
};

}  // namespace scbnn
