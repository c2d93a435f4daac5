#pragma once
#include <systemc>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "scbnn/base/action_ledger.h"
#include "scbnn/models/cycle_ledger.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/models/log.h"
#include "scbnn/models/mram_array.h"
#include "scbnn/models/tiling.h"
#include "scbnn/platforms/config.h"
#include "scbnn/platforms/host_driver.h"
#include "scbnn/stimuli/idx.h"
#include "scbnn/stimuli/network.h"
#include "scbnn/tlm/accelerator.h"

namespace scbnn {

using MramSelection = MramParams;

struct PlatformParams {
  AcceleratorParams accel;
  MramSelection mram;
  FirstLayerMode input_mode = FirstLayerMode::fixed;
  unsigned bus_width_bits = 64;
  double bus_clock_mhz = 500;
  uint32_t bus_latency_cycles = 2;
  sc_core::sc_time memory_read_latency = sc_core::sc_time(20, sc_core::SC_NS);
  sc_core::sc_time memory_write_latency = sc_core::sc_time(20, sc_core::SC_NS);
  sc_core::sc_time quantum = sc_core::sc_time(1, sc_core::SC_US);
  bool protocol_checks = false;  // TLM base-protocol checkers on the host and accelerator links
  LogLevels log;                 // log.default and log.<instance>
};

// Hardware parameters from the configuration (accel.*, bus.*, memory.*, platform.*).
PlatformParams platform_params(const Config& config);
MramSelection mram_params(const Config& config);
LogLevels log_params(const Config& config);

inline constexpr uint64_t kMemoryBase = 0;
inline constexpr uint64_t kAcceleratorBase = 0x1'0000'0000;
inline constexpr uint64_t kAcceleratorSpan = 0x1'0000'0000;

struct RunOutcome {
  std::vector<InferenceRecord> records;
  CycleLedger cycles;     // accelerator cycles summed over all inferences
  ActionLedger actions;
  HardwareInventory hardware;  // what the accelerator instantiates (area and leakage)
  Mapping mapping;
  sc_core::sc_time simulated_time;
  sc_core::sc_time programming_time;
  sc_core::sc_time accelerator_busy_time;  // sum of START-to-interrupt times
  double host_seconds = 0;                // wall-clock time of elaboration + simulation
  uint64_t bus_transactions = 0;
  std::vector<std::string> protocol_violations;  // from the protocol checkers, if enabled
  uint64_t transactions_checked = 0;
  ErrorTally errors;           // per source, summed over the arrays
  uint64_t weights_wrong = 0;  // noiseless read differs from the network, at the end
  uint64_t weights_total = 0;
};

// The default platform: host driver -> router -> {system memory, accelerator}, with the
// accelerator's interrupt wired to the host. Images [first, first + count) of the data
// set are preloaded into system memory. One Platform per process (SystemC elaborates once).
class Platform {
 public:
  Platform(const PlatformParams& params, const Network& network, const Dataset& data, uint32_t first, uint32_t count);
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  // Runs the simulation to the end; throws InputError on a failed run.
  RunOutcome run();

  AcceleratorModel& accelerator();
  HostDriverModel& host();

  struct Assembly;

 private:
  std::unique_ptr<Assembly> assembly_;
  const Network* network_ = nullptr;
  double elaboration_seconds_ = 0;
};

}  // namespace scbnn
