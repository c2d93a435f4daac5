#pragma once
#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/models/cycle_ledger.h"
#include "scbnn/models/log.h"
#include "scbnn/models/mram_array.h"
#include "scbnn/models/rram_array.h"
#include "scbnn/models/tiling.h"
#include "scbnn/platforms/config.h"
#include "scbnn/platforms/host_driver.h"
#include "scbnn/platforms/memory_technology.h"
#include "scbnn/stimuli/dataset.h"
#include "scbnn/stimuli/idx.h"
#include "scbnn/stimuli/network.h"
#include "scbnn/tlm/accelerator.h"
#include "scbnn/tlm/mac_accelerator.h"

namespace scbnn {

// The network file to run (key network.path).
struct NetworkChoice {
  std::string path = "fmnist_bnn_fixed.scbnn";
  template <class V>
  void declare(V& v) {
    v("path", path, "network file; a bare file name is also looked up among the shipped networks",
      "simulation setting");
  }
};

// The data set to classify (keys dataset.*).
struct DatasetChoice {
  std::string format = "idx";  // a registered DatasetFormat: reads the directory
  std::string path = "/usr/share/datasets/fashion-mnist";
  std::string split = "test";
  template <class V>
  void declare(V& v) {
    v("format", format, Choices{dataset_format_names()},
      "format of the data set directory, a registered one (docs/datasets.md lists them)",
      "Debian package dataset-fashion-mnist (IDX files)");
    v("path", path, "directory holding the data set's files in the format dataset.format names",
      "Debian package dataset-fashion-mnist");
    v("split", split, Choices{{"test", "train"}}, "which split to classify", "simulation setting");
  }
};

// Which images of the split to classify (keys run.*).
struct ImageRange {
  uint32_t first_image = 0;
  uint32_t images = 0;  // 0: the rest of the split
  template <class V>
  void declare(V& v) {
    v("first_image", first_image, Range{0, 100000000}, "images", "index of the first image to classify",
      "simulation setting");
    v("images", images, Range{0, 100000000}, "images", "images to classify (0 = the rest of the split)",
      "simulation setting");
  }
};

// The interconnect (keys bus.*).
struct BusParams {
  unsigned width_bits = 64;
  double clock_mhz = 500;
  uint32_t latency_cycles = 2;
  template <class V>
  void declare(V& v) {
    v("width_bits", width_bits, Choices{{"32", "64"}}, "interconnect data width (also the sockets' BUSWIDTH)",
      "assumption");
    v("clock_mhz", clock_mhz, Range{1, 10000}, "MHz", "interconnect clock", "assumption: same as the accelerator");
    v("latency_cycles", latency_cycles, Range{0, 1000}, "cycles",
      "interconnect latency per transaction (plus one per beat)", "assumption");
  }
};

// The system memory holding the images (keys memory.*).
struct MemoryParams {
  double read_latency_ns = 20;
  double write_latency_ns = 20;
  template <class V>
  void declare(V& v) {
    v("read_latency_ns", read_latency_ns, Range{0, 1e6}, "ns", "system memory read latency per transaction",
      "assumption");
    v("write_latency_ns", write_latency_ns, Range{0, 1e6}, "ns", "system memory write latency per transaction",
      "assumption");
  }
};

// Simulation settings of the platform itself (keys platform.*).
struct PlatformOptions {
  double quantum_ns = 1000;
  bool protocol_checks = false;  // TLM base-protocol checkers on the host and accelerator links
  uint32_t accelerators = 1;
  std::string netlist = "none";
  template <class V>
  void declare(V& v) {
    v("netlist", netlist,
      "YAML file listing the accelerators (name, base address, the accel.* keys each sets differently); "
      "none: platform.accelerators identical ones (docs/platforms.md)",
      "simulation setting");
    v("accelerators", accelerators, Range{1, 64}, "accelerators",
      "accelerators on the bus, identical (accel.*), each with its own host driver and interrupt and a "
      "consecutive share of the images; they share the bus and the system memory (docs/platforms.md)",
      "simulation setting");
    v("quantum_ns", quantum_ns, Range{0.001, 1e9}, "ns", "TLM global quantum, set once by the platform",
      "simulation setting");
    v("protocol_checks", protocol_checks,
      "insert TLM-2.0 base-protocol checkers (tlm/protocol_checker.h) on the host's and the accelerator's "
      "links; a violation stops the run with its rule",
      "simulation setting");
  }
};

// Pricing of the run (keys power.*; read by the tool's power setup, power/ itself knows no
// configuration).
struct PowerChoice {
  std::string preset = "st-mram-28nm";
  template <class V>
  void declare(V& v) {
    v("preset", preset,
      "technology preset pricing energy, area and leakage: a shipped preset's name (power/presets/) or a "
      "YAML file",
      "docs/power-model.md");
    v.family("entry",
             "override one table entry: power.entry.<class>.<action> = '<number> <energy unit>', "
             "power.entry.<class>.area = '<number> <area unit>', power.entry.<class>.leakage = '<number> <power unit>'",
             "the user (reported as an override)");
    v.family("area_factor",
             "override one of the preset's area roll-up factors, a share in (0, 1]: "
             "power.area_factor.array_efficiency (weight-array cell area / array macro area), "
             "power.area_factor.logic_utilisation (standard-cell area / placed-and-routed area)",
             "the user (reported as an override)");
  }
};

struct PlatformParams;
// One accelerator of a netlist (platform.netlist): its instance name, base address and
// parameters (the run's with its own accel.* settings).
struct AcceleratorUnit {
  std::string name;
  uint64_t base = 0;
  std::shared_ptr<const PlatformParams> params;
};

// Every parameter of a run, each declared once by its owner: the configuration schema
// (platform_schema), `scbnn config` and docs/configuration.md are collected from declare().
struct PlatformParams {
  uint64_t seed = 1;
  NetworkChoice network;
  DatasetChoice dataset;
  ImageRange run;
  AcceleratorParams accel;
  std::string memory_technology = "st-mram";  // a registered MemoryTechnology: builds the weight arrays
  MramParams mram;  // the ST-MRAM technology's arrays (tlm never knows MRAM: the platform builds them)
  RramParams rram;  // the HfO2 RRAM technology's arrays
  BusParams bus;
  MemoryParams memory;
  PlatformOptions platform;
  PowerChoice power;
  LogLevels log;                       // log.default and the log.<instance> family
  std::vector<AcceleratorUnit> units;  // from platform.netlist (empty: platform.accelerators identical ones)

  template <class V>
  void declare(V& v) {
    v("seed", seed, Range{0, 9007199254740991.0}, "",
      "master seed: each component's random stream derives from it and the component's hierarchical name",
      "simulation setting");
    v.group("network", network);
    v.group("dataset", dataset);
    v.group("run", run);
    v.group("accel", accel);
    v("accel.memory.technology", memory_technology, Choices{memory_technology_names()},
      "memory technology of the weight arrays, a registered one (docs/architecture.md lists them)",
      "Hirtzlin et al., Frontiers 2020 (ST-MRAM)");
    v.group("accel", mram);
    v.group("accel", rram);
    v.group("bus", bus);
    v.group("memory", memory);
    v.group("platform", platform);
    v.group("power", power);
    v.group("log", log);  // log.default must precede the log.* family
  }

  // Values that follow from declared ones: the master seed of the SNGs and the arrays, the
  // sense latency in cycles, the WER table's points, the RRAM arrays' sense-amplifier sharing.
  void derive();
  // Cross-field rules of every owner; throws InputError naming the keys.
  void validate() const {
    accel.validate();
    mram.validate();
  }
};

// The parameters of a configuration: defaults, then its values, derived and validated.
PlatformParams platform_params(const Config& config);
MramParams mram_params(const Config& config);

inline constexpr uint64_t kMemoryBase = 0;
inline constexpr uint64_t kAcceleratorBase = 0x1'0000'0000;
inline constexpr uint64_t kAcceleratorSpan = 0x1'0000'0000;

// Every action counter of the platform at one simulated time (the counts of
// RunOutcome::actions' entries, in their order): `scbnn run --timeline`.
struct ActionSample {
  sc_core::sc_time time;
  std::vector<uint64_t> counts;
};

struct RunOutcome {
  std::vector<InferenceRecord> records;
  CycleLedger cycles;  // accelerator cycles summed over all inferences
  ActionLedger actions;
  HardwareInventory hardware;  // what the accelerator instantiates (area and leakage)
  Mapping mapping;             // the BNN's array placement (empty on the MAC array)
  sc_core::sc_time simulated_time;
  sc_core::sc_time programming_time;
  sc_core::sc_time accelerator_busy_time;  // sum of START-to-interrupt times
  double host_seconds = 0;                 // wall-clock time of elaboration + simulation
  uint64_t bus_transactions = 0;
  size_t accelerators = 1;            // platform.accelerators
  sc_core::sc_time bus_busy_time;     // the interconnect occupied by transactions
  sc_core::sc_time bus_waiting_time;  // transactions waiting for it (contention)
  bool dma = false;                   // accel.dma.enabled: transfers the accelerators' DMA engines made, bytes moved
  uint64_t dma_transfers = 0, dma_bytes = 0;
  std::vector<std::string> protocol_violations;  // from the protocol checkers, if enabled
  uint64_t transactions_checked = 0;
  ErrorTally errors;                         // per source, summed over the arrays (MAC array: the PE array's faults)
  uint64_t weights_wrong = 0;                // noiseless read differs from the network, at the end (BNN)
  uint64_t weights_total = 0;                // weights stored (copies of the first layer's arrays included; BNN)
  std::vector<ActionSample> action_samples;  // with sample_actions(): from time 0 to the end
};

// The default platform: host driver -> router -> {system memory, accelerator}, with the
// accelerator's interrupt wired to the host; the accelerator is the BNN's (AcceleratorModel)
// or, with accel.datapath = mac, the MAC array's (MacAcceleratorModel). Images [first, first + count) of the data
// set are preloaded into system memory. One Platform per process (SystemC elaborates once).
class Platform {
 public:
  Platform(const PlatformParams& params, const Network& network, const Dataset& data, uint32_t first, uint32_t count);
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  // Before run(): trace the run into `vcd_base`.vcd (SystemC appends the extension): per
  // accelerator its busy flag, the layer being timed, the bus accesses it served and its
  // interrupt line, and the bus's transactions. The file is complete when run() returns.
  void trace(const std::string& vcd_base);
  // Before run(): record every action counter every `window` of simulated time (and at the
  // end) into RunOutcome::action_samples. Sampling stops when nothing else is left to happen.
  void sample_actions(const sc_core::sc_time& window);

  // Runs the simulation to the end; throws InputError on a failed run.
  RunOutcome run();

  // Accelerators on the bus (platform.accelerators); the following refer to the first.
  size_t accelerators() const;
  // Called after each classified image with the number done, over all host drivers.
  void on_image_done(std::function<void(uint32_t)> callback);
  // The accelerator's bus face (either datapath), the BNN accelerator (std::logic_error when
  // accel.datapath = mac), and the MAC-array accelerator (nullptr when accel.datapath = bnn).
  AcceleratorFace& face();
  AcceleratorModel& accelerator();
  MacAcceleratorModel* mac_accelerator();
  HostDriverModel& host();
  // What the built modules count and instantiate, collected by walking the SystemC
  // hierarchy (scbnn/models/accounting.h); before the run every count is zero, which is
  // what the start-up check of the technology preset needs.
  ActionLedger actions() const;
  HardwareInventory hardware() const;

  struct Assembly;

 private:
  std::unique_ptr<Assembly> assembly_;
  sc_core::sc_trace_file* trace_file_ = nullptr;
  struct ActionSampler;
  std::unique_ptr<ActionSampler> sampler_;
  const Network* network_ = nullptr;
  Mapping mapping_;  // where the host places the network (the core's own once it has run)
  double elaboration_seconds_ = 0;
};

}  // namespace scbnn
