#pragma once
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scbnn/models/log.h"
#include "scbnn/models/weight_array.h"
#include "scbnn/stimuli/network.h"

namespace scbnn {

// What the host software does: the images sit in system memory; the driver programs
// the network into the accelerator (a binarized network into the BNN accelerator, a
// quantised one into the MAC-array accelerator), then per image copies it in, starts the
// accelerator, sleeps until the interrupt, reads the scores and clears the interrupt.
struct HostJob {
  const Network* network = nullptr;
  uint64_t accel_base = 0;
  uint64_t image_base = 0;  // images back to back in system memory
  uint32_t image_bytes = 0;
  uint32_t images = 0;
  WritePulse pulse;            // programming pulse written to PROG_* before the weights
  uint32_t input_mode = 0;     // INPUT_MODE
  uint32_t stream_length = 1;  // SC_LENGTH
  uint32_t first_image = 0;    // IMAGE_INDEX: the data set index of the first image (positions the random streams)
  // accel.dma.enabled: images and the program image's larger records (kDmaMinBytes and up,
  // preloaded at program_base by the platform, dma_layout) move by the accelerator's DMA.
  bool dma = false;
  uint64_t program_base = 0;
};
inline constexpr uint32_t kDmaMinBytes = 16;

// Throws std::invalid_argument naming accel.sc.stream_length when the job's network is a
// single output layer whose stochastic scores could overflow the accelerator's 32-bit
// scorer at this stream length (docs/stochastic-input.md).
void check_stochastic_scores(const HostJob& job);

struct InferenceRecord {
  uint32_t predicted = 0;
  std::vector<int32_t> scores;
  uint64_t cycles = 0;       // accelerator CYCLES register
  sc_core::sc_time latency;  // host view: input copy to interrupt cleared
};

class HostDriverModel : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> irq;

  HostDriverModel(sc_core::sc_module_name name, const HostJob& job);
  HostDriverModel(const HostDriverModel&) = delete;
  HostDriverModel& operator=(const HostDriverModel&) = delete;

  bool finished() const { return finished_; }
  // Notified when the driver stops, finished or failed.
  const sc_core::sc_event& stopped_event() const { return stopped_; }
  const std::string& error() const { return error_; }
  const std::vector<InferenceRecord>& records() const { return records_; }
  // Called after each classified image with the number done (progress display).
  void on_image_done(std::function<void(uint32_t)> callback) { on_image_done_ = std::move(callback); }
  sc_core::sc_time programming_time() const { return programming_time_; }
  uint64_t transactions() const { return transactions_; }

 protected:
  virtual void bus_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) = 0;

 private:
  std::function<void(uint32_t)> on_image_done_;
  void run();
  void program_network();  // plays the network's program image (program_image.h)
  // One DMA transfer by the accelerator, waited for by polling DMA_STATUS.
  void dma(uint64_t system_address, uint32_t local_offset, uint32_t length, bool to_system);
  void classify(uint32_t image);
  void transfer(tlm::tlm_command cmd, uint64_t address, void* data, uint32_t length);
  void write32(uint64_t offset, uint32_t value) {
    transfer(tlm::TLM_WRITE_COMMAND, job_.accel_base + offset, &value, 4);
  }
  uint32_t read32(uint64_t offset);
  sc_core::sc_time now() const { return sc_core::sc_time_stamp() + quantum_keeper_.get_local_time(); }

  HostJob job_;
  tlm_utils::tlm_quantumkeeper quantum_keeper_;
  std::vector<InferenceRecord> records_;
  std::string error_;
  bool finished_ = false;
  sc_core::sc_event stopped_;
  sc_core::sc_time programming_time_;
  uint64_t transactions_ = 0;
  Logger log_{*this, "scbnn/host"};
};

template <unsigned int BUSWIDTH = 64>
class HostDriver : public HostDriverModel {
 public:
  tlm_utils::simple_initiator_socket<HostDriver, BUSWIDTH> socket;
  HostDriver(sc_core::sc_module_name name, const HostJob& job) : HostDriverModel(name, job), socket("socket") {}

 protected:
  void bus_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) override { socket->b_transport(tx, delay); }
};

}  // namespace scbnn
