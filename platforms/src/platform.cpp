#include "scbnn/platforms/platform.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>

#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"
#include "scbnn/base/text.h"
#include "scbnn/base/yaml_input.h"
#include "scbnn/models/accounting.h"
#include "scbnn/models/bit_kernels.h"
#include "scbnn/models/mram_array.h"
#include "scbnn/platforms/compiled_network.h"
#include "scbnn/platforms/configured_accelerator.h"
#include "scbnn/platforms/memory_technology.h"
#include "scbnn/platforms/program_image.h"
#include "scbnn/tlm/mac_accelerator.h"
#include "scbnn/tlm/memory.h"
#include "scbnn/tlm/protocol_checker.h"
#include "scbnn/tlm/router.h"

namespace scbnn {
namespace {

uint32_t cycles_of(double ns, double clock_mhz) {
  return uint32_t(std::max(1.0, std::ceil(ns * clock_mhz / 1000.0 - 1e-9)));
}

void collect_instance_names(const std::vector<sc_core::sc_object*>& objects, std::vector<std::string>& names) {
  for (const sc_core::sc_object* o : objects) {
    names.push_back(o->name());
    collect_instance_names(o->get_child_objects(), names);
  }
}

// Every log.<instance> key must name an instance of the built platform; a misspelt one is
// refused with the nearest names, rather than silently logging nothing.
void require_logged_instances_exist(const LogLevels& levels) {
  std::vector<std::string> names;
  collect_instance_names(sc_core::sc_get_top_level_objects(), names);
  for (const auto& entry : levels.instances) {
    const std::string& instance = entry.first;  // a named variable: lambdas cannot capture bindings in C++17
    if (std::find(names.begin(), names.end(), instance) != names.end()) continue;
    std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
      return edit_distance(instance, a) < edit_distance(instance, b);
    });
    std::string nearest;
    for (size_t i = 0; i < std::min<size_t>(names.size(), 5); ++i) nearest += (i ? ", " : "") + names[i];
    throw InputError("log." + instance + ": the platform has no instance '" + instance + "' (nearest: " + nearest +
                     ")");
  }
}

}  // namespace

void PlatformParams::derive() {
  accel.core.sng.seed = seed;
  accel.mac.seed = seed;
  mram.seed = seed;
  rram.seed = seed;
  rram.columns_per_sa = mram.sa.columns_per_sa;
  accel.core.read_cycles = cycles_of(mram.read_ns, accel.clock_mhz);
  mram.load_wer_table();
}

const std::vector<ParamSpec>& platform_schema() {
  // Collected once from a default-constructed tree (a named one: GCC 12 misreads the
  // temporary's string members as uninitialised at -O2).
  static const std::vector<ParamSpec> schema = [] {
    const PlatformParams defaults;
    return ParamSchema::of(defaults);
  }();
  return schema;
}

// The log.<instance> family, read as power.entry.* is by its consumer (log.default is a
// declared key of LogLevels).
std::map<std::string, LogLevel> log_instance_levels(const Config& c) {
  std::map<std::string, LogLevel> levels;
  for (const auto& f : c.family("log.*"))
    if (f.key != "log.default") enum_from_name(f.value, levels[f.key.substr(std::strlen("log."))]);
  return levels;
}

namespace {
// platform.netlist: each listed accelerator's parameters are the run's with its `set` keys
// (accel.* only: an accelerator's own hardware) applied as a file would apply them.
std::vector<AcceleratorUnit> netlist_units(const Config& c, const std::string& path) {
  const YAML::Node root = parse_yaml(read_file(path, "netlist (platform.netlist)"), path);
  const YAML::Node list = root["accelerators"];
  if (!root.IsMap() || !list || !list.IsSequence() || list.size() == 0)
    throw InputError(path + ": expected a mapping with 'accelerators', a non-empty list (platform.netlist)");
  if (list.size() > 64) throw InputError(path + ": at most 64 accelerators (platform.netlist)");
  std::vector<AcceleratorUnit> units;
  for (const YAML::Node& entry : list) {
    const std::string at = yaml_location(path, entry);
    if (!entry.IsMap()) throw InputError(at + ": an accelerator is a mapping of name, base and set");
    for (const auto& field : entry) {
      const std::string key = field.first.as<std::string>();
      if (key != "name" && key != "base" && key != "set")
        throw InputError(at + ": unknown key '" + key + "' (expected name, base, set)");
    }
    AcceleratorUnit unit;
    if (!entry["name"] || !entry["name"].IsScalar()) throw InputError(at + ": 'name' is required");
    unit.name = entry["name"].as<std::string>();
    if (unit.name.empty() || unit.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
      throw InputError(at + ": name '" + unit.name + "' must be lower-case letters, digits and _");
    for (const AcceleratorUnit& u : units)
      if (u.name == unit.name) throw InputError(at + ": a second accelerator named '" + unit.name + "'");
    if (!entry["base"] || !entry["base"].IsScalar()) throw InputError(at + ": 'base' (an address) is required");
    const std::string base_text = entry["base"].as<std::string>();
    try {
      size_t used = 0;
      unit.base = std::stoull(base_text, &used, 0);
      if (used != base_text.size()) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      throw InputError(at + ": base '" + base_text + "' is not an address (e.g. 0x100000000)");
    }
    if (unit.base < kAcceleratorBase || unit.base % kAcceleratorSpan != 0)
      throw InputError(at + ": base " + base_text +
                       " must be a multiple of 0x100000000 from 0x100000000 on (each "
                       "accelerator decodes 4 GiB; system memory is below)");
    for (const AcceleratorUnit& u : units)
      if (u.base == unit.base) throw InputError(at + ": base " + base_text + " is also " + u.name + "'s");
    Config own = c;
    own.set("platform.netlist", "none", Origin::file, path);
    if (const YAML::Node set = entry["set"]) {
      if (!set.IsMap()) throw InputError(at + ": 'set' is a mapping of accel.* keys to values");
      for (const auto& kv : set) {
        const std::string key = kv.first.as<std::string>();
        if (key.rfind("accel.", 0) != 0)
          throw InputError(at + ": set: " + key + " is not an accel.* key (an accelerator sets its own hardware only)");
        if (!kv.second.IsScalar()) throw InputError(at + ": set: " + key + " takes one value");
        own.set(key, kv.second.as<std::string>(), Origin::file, path);
      }
    }
    unit.params = std::make_shared<const PlatformParams>(platform_params(own));
    units.push_back(std::move(unit));
  }
  return units;
}
}  // namespace

PlatformParams platform_params(const Config& c) {
  PlatformParams p;
  ParamSetter setter([&c](const std::string& key) { return c.value_text(key); });
  p.declare(setter);
  p.validate();
  p.derive();
  p.log.instances = log_instance_levels(c);
  if (p.platform.netlist != "none") p.units = netlist_units(c, p.platform.netlist);
  return p;
}

MramParams mram_params(const Config& c) { return platform_params(c).mram; }

// Weights whose noiseless read (the sense amplifiers' static decision) differs from the
// network: what programming, disturb and retention left in the arrays.
// Stored weights that differ from the network, every copy of the first layer's arrays included.
uint64_t count_wrong_weights(const Network& net, const Mapping& mapping, BnnCore& core) {
  uint64_t wrong = 0;
  for (size_t l = 0; l < net.layers.size(); ++l)
    for (const Tile& t : mapping.layers[l].tiles)
      for (uint32_t copy = 0; copy < (l == 0 ? mapping.first_layer.copies : 1); ++copy) {
        const WeightArray& array = core.array(mapping.copy_array(t, copy));
        for (uint32_t r = 0; r < t.outputs; ++r) {
          const uint64_t* expected = net.layers[l].weights.row(t.first_output + r) + t.first_input / 64;
          const uint32_t words = (t.inputs + 63) / 64;
          for (uint32_t w = 0; w < words; ++w) {
            const uint64_t mask = w + 1 == words ? tail_mask(t.inputs) : ~uint64_t(0);
            wrong += uint64_t(popcount64((array.peek(r, w) ^ expected[w]) & mask));
          }
        }
      }
  return wrong;
}

struct Platform::Assembly {
  virtual ~Assembly() = default;
  // Accelerators (platform.accelerators), each with its own host driver.
  virtual size_t units() const = 0;
  virtual AcceleratorFace& face(size_t unit) = 0;
  virtual HostDriverModel& host(size_t unit) = 0;
  virtual MemoryModel& memory() = 0;
  virtual uint64_t bus_transactions() const = 0;
  virtual sc_core::sc_time bus_busy_time() const = 0;
  virtual sc_core::sc_time bus_waiting_time() const = 0;
  virtual std::vector<std::string> protocol_violations() const = 0;
  virtual uint64_t transactions_checked() const = 0;
  // Adds the accelerator's, its interrupt line's and the bus's signals to `file`.
  virtual void trace(sc_core::sc_trace_file* file) = 0;
  // What only the datapaths know: placement (the first accelerator's), error tallies and
  // weights read wrong (summed).
  virtual void fill_outcome(RunOutcome& out, const Network& network, const Mapping& planned) = 0;
};

namespace {

// The BNN accelerator's part of the outcome: the mapping (the core's own once it has
// loaded; a run of no image leaves it unloaded, while the host has programmed the weights
// where the planned mapping puts them), the arrays' error tallies and the weights they
// read wrong at the end.
void fill_datapath_outcome(AcceleratorModel& accel, RunOutcome& out, const Network& network, const Mapping& planned) {
  out.mapping = accel.core.configured() ? accel.core.mapping() : planned;
  out.errors = accel.core.collect_errors();
  out.weights_wrong = count_wrong_weights(network, out.mapping, accel.core);
  out.weights_total = 0;
  for (size_t l = 0; l < network.layers.size(); ++l)  // stored weights: copies of the first layer's included
    out.weights_total +=
        uint64_t(network.layers[l].inputs) * network.layers[l].outputs * (l == 0 ? out.mapping.first_layer.copies : 1);
}

// The MAC array's: no array mapping and no memory errors (SRAM weights); the faults the PE
// array injected.
void fill_datapath_outcome(MacAcceleratorModel& accel, RunOutcome& out, const Network&, const Mapping&) {
  out.errors = accel.core.collect_errors();
}

// One accelerator of the platform with its host driver's job and instance names: "host",
// "accel", ... for one accelerator (the names every report and log key has always used),
// "host0", "accel0", ... for several, "host_<name>", "accel_<name>", ... for a netlist's.
struct PlatformUnit {
  PlatformParams params;  // sized for the network (hardware_params_for)
  HostJob job;
  std::string suffix;  // "" (one accelerator), "0", "1", ... or "_<netlist name>"
  std::string name(const char* base) const { return base + suffix; }
};

template <unsigned int W>
struct BusAssembly : Platform::Assembly {
  // Constructed in this order (hosts, bus, memory, accelerators, lines), which is the order
  // the accounting walks and reports list them.
  std::vector<std::unique_ptr<HostDriver<W>>> hosts;
  Router<W> bus;
  Memory<W> system_memory;
  std::vector<std::unique_ptr<ConfiguredAccelerator<W>>> accelerators;
  std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> irq_lines;
  // platform.protocol_checks: base-protocol checkers on each host's and accelerator's link.
  std::vector<std::unique_ptr<ProtocolChecker<W>>> checkers;

  static std::vector<std::unique_ptr<HostDriver<W>>> make_hosts(const std::vector<PlatformUnit>& units) {
    std::vector<std::unique_ptr<HostDriver<W>>> made;
    for (const PlatformUnit& u : units) made.push_back(std::make_unique<HostDriver<W>>(u.name("host").c_str(), u.job));
    return made;
  }
  static std::vector<std::unique_ptr<ConfiguredAccelerator<W>>> make_accelerators(
      const std::vector<PlatformUnit>& units) {
    std::vector<std::unique_ptr<ConfiguredAccelerator<W>>> made;
    for (const PlatformUnit& u : units)
      made.push_back(std::make_unique<ConfiguredAccelerator<W>>(u.name("accel").c_str(), u.params));
    return made;
  }

  // `p` holds the bus, memory and platform settings; one unit per accelerator.
  BusAssembly(const PlatformParams& p, const std::vector<PlatformUnit>& units, uint64_t memory_bytes)
      : hosts(make_hosts(units)),
        bus("bus", sc_core::sc_time(1000.0 / p.bus.clock_mhz, sc_core::SC_NS), p.bus.latency_cycles),
        system_memory("memory", memory_bytes, sc_core::sc_time(p.memory.read_latency_ns, sc_core::SC_NS),
                      sc_core::sc_time(p.memory.write_latency_ns, sc_core::SC_NS)),
        accelerators(make_accelerators(units)) {
    const size_t n = units.size();
    for (size_t k = 0; k < n; ++k)
      irq_lines.push_back(std::make_unique<sc_core::sc_signal<bool>>(units[k].name("irq_line").c_str()));
    bus.initiator_socket.bind(system_memory.socket);  // port 0
    for (size_t k = 0; k < n; ++k) {
      ConfiguredAccelerator<W>& accel = *accelerators[k];
      if (p.platform.protocol_checks) {
        auto host_checker = std::make_unique<ProtocolChecker<W>>(units[k].name("host_checker").c_str());
        auto accel_checker = std::make_unique<ProtocolChecker<W>>(units[k].name("accel_checker").c_str());
        hosts[k]->socket.bind(host_checker->target_socket);
        host_checker->initiator_socket.bind(bus.target_socket);
        bus.initiator_socket.bind(accel_checker->target_socket);  // port k + 1
        accel_checker->initiator_socket.bind(accel.socket());
        checkers.push_back(std::move(host_checker));
        checkers.push_back(std::move(accel_checker));
      } else {
        hosts[k]->socket.bind(bus.target_socket);
        bus.initiator_socket.bind(accel.socket());  // port k + 1
      }
      if (auto* dma = accel.dma_socket()) dma->bind(bus.target_socket);  // the DMA engine: another initiator
      bus.map(unsigned(k + 1), units[k].job.accel_base, kAcceleratorSpan, units[k].name("accel"));
      accel.irq().bind(*irq_lines[k]);
      hosts[k]->irq.bind(*irq_lines[k]);
    }
    bus.map(0, kMemoryBase, memory_bytes, "memory");
  }
  size_t units() const override { return accelerators.size(); }
  AcceleratorFace& face(size_t k) override { return accelerators[k]->face(); }
  HostDriverModel& host(size_t k) override { return *hosts[k]; }
  MemoryModel& memory() override { return system_memory; }
  uint64_t bus_transactions() const override { return bus.transactions(); }
  sc_core::sc_time bus_busy_time() const override { return bus.busy_time(); }
  sc_core::sc_time bus_waiting_time() const override { return bus.waiting_time(); }
  std::vector<std::string> protocol_violations() const override {
    std::vector<std::string> v;
    for (const auto& c : checkers) v.insert(v.end(), c->violations().begin(), c->violations().end());
    return v;
  }
  void trace(sc_core::sc_trace_file* file) override {
    for (size_t k = 0; k < units(); ++k) {
      const std::string prefix = accelerators[k]->face().name();
      accelerators[k]->face().trace(file, prefix);
      sc_core::sc_trace(file, *irq_lines[k], prefix + ".irq");
    }
    sc_core::sc_trace(file, bus.transaction_counter(), "bus.transactions");
  }
  uint64_t transactions_checked() const override {
    uint64_t n = 0;
    for (const auto& c : checkers) n += c->transactions_checked();
    return n;
  }
  void fill_outcome(RunOutcome& out, const Network& network, const Mapping& planned) override {
    for (size_t k = 0; k < units(); ++k) {
      RunOutcome one;
      if (AcceleratorModel* bnn = accelerators[k]->bnn())
        fill_datapath_outcome(*bnn, one, network, planned);
      else
        fill_datapath_outcome(*accelerators[k]->mac(), one, network, planned);
      if (k == 0) out.mapping = one.mapping;
      for (const auto& [source, e] : one.errors) {
        ErrorCount& t = out.errors[source];
        t.events += e.events;
        t.opportunities += e.opportunities;
        t.probability = e.probability;
      }
      out.weights_wrong += one.weights_wrong;
      out.weights_total += one.weights_total;
    }
  }
};

// The platform on a bus of bus.width_bits.
std::unique_ptr<Platform::Assembly> make_assembly(const PlatformParams& p, const std::vector<PlatformUnit>& units,
                                                  uint64_t memory_bytes) {
  if (p.bus.width_bits == 32) return std::make_unique<BusAssembly<32>>(p, units, memory_bytes);
  return std::make_unique<BusAssembly<64>>(p, units, memory_bytes);
}

}  // namespace

Platform::Platform(const PlatformParams& configured, const Network& network, const Dataset& data, uint32_t first,
                   uint32_t count) {
  check_datapath(configured, network);
  const bool mac = configured.accel.datapath == DatapathKind::mac;
  const PlatformParams params = hardware_params_for(configured, network);
  const auto t0 = std::chrono::steady_clock::now();
  network_ = &network;
  const InputSpec& in = network.input;
  if (data.rows != in.rows || data.cols != in.cols || data.channels != in.channels)
    throw InputError(network_name(network) + " takes " + input_shape(in) + " = " + std::to_string(in.values()) +
                     " inputs but " + (data.images_file.empty() ? std::string("the data set") : data.images_file) +
                     " holds images of " + dataset_shape(data) + " = " + std::to_string(data.values()) + " values");
  if (uint64_t(first) + count > data.count())
    throw InputError("run.first_image + run.images = " + std::to_string(uint64_t(first) + count) + " but the " +
                     data.split + " split holds " + std::to_string(data.split_count()) + " images");
  // The global quantum is set once, here, by the platform.
  tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_core::sc_time(params.platform.quantum_ns, sc_core::SC_NS));

  // The accelerators: platform.accelerators identical ones at consecutive 4 GiB windows, or
  // the netlist's (platform.netlist) with their own parameters and bases. Each takes a
  // consecutive share of the images with its own host driver.
  std::vector<PlatformUnit> units;
  const size_t n = params.units.empty() ? params.platform.accelerators : params.units.size();
  for (size_t k = 0; k < n; ++k) {
    PlatformUnit u;
    if (params.units.empty()) {
      u.params = params;
      u.suffix = n == 1 ? "" : std::to_string(k);
      u.job.accel_base = kAcceleratorBase + uint64_t(k) * kAcceleratorSpan;
    } else {
      const AcceleratorUnit& listed = params.units[k];
      check_datapath(*listed.params, network);
      u.params = hardware_params_for(*listed.params, network);
      u.suffix = "_" + listed.name;
      u.job.accel_base = listed.base;
    }
    units.push_back(std::move(u));
  }
  uint64_t memory_end = uint64_t(count) * data.values();
  std::vector<DmaLayout> dma_data(n);
  for (uint32_t k = 0, start = 0; k < n; ++k) {
    PlatformUnit& u = units[k];
    const PlatformParams& up = u.params;
    const uint32_t share = uint32_t(count / n + (k < count % n ? 1 : 0));
    HostJob& job = u.job;
    job.network = &network;
    job.image_base = kMemoryBase + uint64_t(start) * data.values();
    job.image_bytes = uint32_t(data.values());
    job.images = share;
    job.pulse = up.accel.pulse;
    job.input_mode = uint32_t(first_layer_mode(up.accel.core));
    job.stream_length = up.accel.stream_length;
    job.first_image = first + start;
    start += share;
    try {
      if (!mac) check_stochastic_scores(job);
      // Refuse a network the hardware cannot hold before simulating anything (the core
      // loads the program itself when the host starts it).
      if (mac) {
        check_mac_program(up.accel.mac, compile_quantised_network(network).program);
      } else {
        const Mapping mapping = map_program(up.accel.core, layer_program(network));
        if (k == 0) mapping_ = mapping;
        check_line_buffer(layer_program(network), first_layer_bits_per_value(up.accel.core, up.accel.stream_length),
                          up.accel.core.line_buffer_bits);
      }
      // With the DMA engine the program image's larger records sit in system memory after
      // the images (as a loader would put them), where the host's DMA descriptors point.
      if (up.accel.dma_enabled) {
        const ProgramSettings settings = program_settings(up, job.first_image);
        dma_data[k] = dma_layout(mac ? quantised_program_image(network, settings)
                                     : binarized_program_image(network, up.accel.core.array, settings),
                                 kDmaMinBytes);
        job.dma = true;
        job.program_base = (memory_end + 63) / 64 * 64;
        memory_end = job.program_base + dma_data[k].bytes.size();
      }
    } catch (const std::invalid_argument& e) {
      throw InputError((n == 1 ? std::string() : u.name("accel") + ": ") +
                       "the network does not fit the hardware: " + e.what());
    }
  }
  const uint64_t memory_bytes = std::max<uint64_t>(memory_end, 4096);
  set_log_levels(params.log);  // modules read their level when constructed
  assembly_ = make_assembly(params, units, memory_bytes);
  require_logged_instances_exist(params.log);
  // Preload the images, as a loader puts a program's data in memory before reset.
  std::memcpy(assembly_->memory().data(), data.image(first), size_t(count) * data.values());
  for (size_t k = 0; k < n; ++k)
    if (!dma_data[k].bytes.empty())
      std::memcpy(assembly_->memory().data() + units[k].job.program_base, dma_data[k].bytes.data(),
                  dma_data[k].bytes.size());
  elaboration_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Samples every action counter of the platform every `window` and when the host driver
// stops; it stops sampling when no other process has anything left to do, so it never keeps
// a finished (or deadlocked) simulation running.
struct Platform::ActionSampler : sc_core::sc_module {
  ActionSampler(sc_core::sc_module_name name, const sc_core::sc_time& window, const sc_core::sc_event_or_list& stop,
                std::function<bool()> all_stopped)
      : sc_core::sc_module(name), window_(window), stop_(stop), all_stopped_(std::move(all_stopped)) {
    SC_HAS_PROCESS(ActionSampler);
    SC_THREAD(sample);
    take();  // before the simulation: every counter is zero at time 0
  }
  std::vector<ActionSample> samples;

 private:
  void take() {
    ActionLedger ledger;
    collect_all_actions(ledger);
    ActionSample s{sc_core::sc_time_stamp(), {}};
    for (const auto& e : ledger.entries()) s.counts.push_back(e.count);
    if (!samples.empty() && samples.back().time == s.time)
      samples.back() = std::move(s);
    else
      samples.push_back(std::move(s));
  }
  void sample() {
    for (;;) {
      if (!sc_core::sc_pending_activity_at_current_time() && !sc_core::sc_pending_activity_at_future_time()) return;
      sc_core::wait(window_, stop_);
      take();
      if (all_stopped_()) return;
    }
  }
  sc_core::sc_time window_;
  sc_core::sc_event_or_list stop_;  // any host driver stopped
  std::function<bool()> all_stopped_;
};

void Platform::trace(const std::string& vcd_base) {
  if (trace_file_) throw std::logic_error("Platform::trace called twice");
  // The kernel's notes about the trace's timescale are not the user's business.
  sc_core::sc_report_handler::set_actions("tracing timescale unit set", sc_core::SC_DO_NOTHING);
  trace_file_ = sc_core::sc_create_vcd_trace_file(vcd_base.c_str());
  if (!trace_file_) throw InputError("cannot create the trace file " + vcd_base + ".vcd");
  trace_file_->set_time_unit(1, sc_core::SC_NS);
  assembly_->trace(trace_file_);
}

void Platform::sample_actions(const sc_core::sc_time& window) {
  if (sampler_) throw std::logic_error("Platform::sample_actions called twice");
  sc_core::sc_event_or_list stops;
  for (size_t k = 0; k < assembly_->units(); ++k) stops |= assembly_->host(k).stopped_event();
  sampler_ = std::make_unique<ActionSampler>("action_sampler", window, stops, [this] {
    for (size_t k = 0; k < assembly_->units(); ++k)
      if (!assembly_->host(k).finished() && assembly_->host(k).error().empty()) return false;
    return true;
  });
}

Platform::~Platform() {
  if (trace_file_) sc_core::sc_close_vcd_trace_file(trace_file_);
}

AcceleratorFace& Platform::face() { return assembly_->face(0); }

size_t Platform::accelerators() const { return assembly_->units(); }

void Platform::on_image_done(std::function<void(uint32_t)> callback) {
  auto done = std::make_shared<uint32_t>(0);
  for (size_t k = 0; k < assembly_->units(); ++k)
    assembly_->host(k).on_image_done([callback, done](uint32_t) { callback(++*done); });
}

AcceleratorModel& Platform::accelerator() {
  auto* bnn = dynamic_cast<AcceleratorModel*>(&face());
  if (!bnn) throw std::logic_error("the platform's accelerator is the MAC array (accel.datapath = mac)");
  return *bnn;
}

MacAcceleratorModel* Platform::mac_accelerator() { return dynamic_cast<MacAcceleratorModel*>(&face()); }

HostDriverModel& Platform::host() { return assembly_->host(0); }

ActionLedger Platform::actions() const {
  ActionLedger ledger;
  collect_all_actions(ledger);
  return ledger;
}

HardwareInventory Platform::hardware() const {
  HardwareInventory inventory;
  collect_all_hardware(inventory);
  return inventory;
}

RunOutcome Platform::run() {
  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  if (trace_file_) {
    sc_core::sc_close_vcd_trace_file(trace_file_);
    trace_file_ = nullptr;
  }
  RunOutcome out;
  out.host_seconds =
      elaboration_seconds_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (size_t k = 0; k < assembly_->units(); ++k) {
    HostDriverModel& h = assembly_->host(k);
    AcceleratorFace& accel = assembly_->face(k);
    if (!h.error().empty()) {
      const std::string detail = accel.last_error();
      throw InputError("simulation failed: " + h.error() + (detail.empty() ? "" : " (" + detail + ")"));
    }
    if (!h.finished())
      throw InputError("simulation ended before the host driver " + std::string(h.name()) + " finished (deadlock?)");
  }
  // The accelerators' shares, in image order; their cycles, busy times and transfers summed.
  for (size_t k = 0; k < assembly_->units(); ++k) {
    const HostDriverModel& h = assembly_->host(k);
    const AcceleratorFace& accel = assembly_->face(k);
    out.records.insert(out.records.end(), h.records().begin(), h.records().end());
    for (size_t l = 0; l < accel.core_cycles().layers().size(); ++l) {
      const CycleLedger::Layer& layer = accel.core_cycles().layers()[l];
      for (const auto& [phase, cycles] : layer.phases) out.cycles.add(l, layer.name, phase, cycles);
    }
    out.programming_time = std::max(out.programming_time, h.programming_time());
    out.accelerator_busy_time += accel.busy_time();
    out.dma = accel.dma_enabled();
    out.dma_transfers += accel.dma_transfers();
    out.dma_bytes += accel.dma_bytes();
  }
  out.accelerators = assembly_->units();
  out.actions = actions();
  out.hardware = hardware();
  out.simulated_time = sc_core::sc_time_stamp();
  out.bus_transactions = assembly_->bus_transactions();
  out.bus_busy_time = assembly_->bus_busy_time();
  out.bus_waiting_time = assembly_->bus_waiting_time();
  out.protocol_violations = assembly_->protocol_violations();
  out.transactions_checked = assembly_->transactions_checked();
  assembly_->fill_outcome(out, *network_, mapping_);
  if (sampler_) out.action_samples = sampler_->samples;
  return out;
}

}  // namespace scbnn
