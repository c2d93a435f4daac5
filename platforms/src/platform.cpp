#include "scbnn/platforms/platform.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "scbnn/models/bit_kernels.h"
#include "scbnn/models/mram_array.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/text.h"
#include "scbnn/tlm/memory.h"
#include "scbnn/tlm/protocol_checker.h"
#include "scbnn/tlm/router.h"

namespace scbnn {
namespace {

uint32_t cycles_of(double ns, double clock_mhz) { return uint32_t(std::max(1.0, std::ceil(ns * clock_mhz / 1000.0 - 1e-9))); }

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

MramSelection mram_params(const Config& c) {
  MramSelection m;
  const std::string& mode = c.text("accel.mram.error_mode");
  m.mode = mode == "per_inference" ? MramErrorMode::per_inference
           : mode == "ideal"         ? MramErrorMode::ideal
                                     : MramErrorMode::physical;
  m.cell = c.text("accel.mram.cell") == "1T1R" ? CellType::one_t_one_r : CellType::two_t_two_r;
  const std::string& source = c.text("accel.mram.write_errors");
  m.write_source = source == "table" ? WriteErrorSource::table
                   : source == "ber" ? WriteErrorSource::ber
                                     : WriteErrorSource::pulse;
  m.ber = c.real("accel.mram.ber");
  if (m.write_source == WriteErrorSource::table) {
    const std::string& table = c.text("accel.mram.wer_table");
    if (table == "none")
      throw InputError("accel.mram.write_errors = table needs accel.mram.wer_table (a CSV of pulse_ns,wer)");
    m.wer_table = WerTable::load(table, "accel.mram.wer_table");
  }
  m.mtj.r_p_ohm = c.real("accel.mram.mtj.r_p_ohm");
  m.mtj.tmr = c.real("accel.mram.mtj.tmr");
  m.mtj.sigma_r = c.real("accel.mram.mtj.sigma_r");
  m.mtj.delta = c.real("accel.mram.mtj.delta");
  m.mtj.ic0_ua = c.real("accel.mram.mtj.ic0_ua");
  m.mtj.tau_d_ns = c.real("accel.mram.mtj.tau_d_ns");
  m.mtj.tau0_ns = c.real("accel.mram.mtj.tau0_ns");
  m.mtj.area_f2 = c.real("accel.mram.mtj.area_f2");
  m.read_current_ua = c.real("accel.mram.read_current_ua");
  m.read_ns = c.real("accel.array.read_ns");
  m.sa_offset_sigma_ohm = c.real("accel.sa.offset_sigma_ohm");
  m.columns_per_sa = uint32_t(c.integer("accel.sa.columns_per_sa"));
  m.seed = uint64_t(c.integer("seed"));
  return m;
}

LogLevels log_params(const Config& c) {
  LogLevels levels;
  parse_log_level(c.text("log.default"), levels.fallback);
  for (const auto& f : c.family("log.*"))
    if (f.key != "log.default") parse_log_level(f.value, levels.instances[f.key.substr(std::strlen("log."))]);
  return levels;
}

PlatformParams platform_params(const Config& c) {
  PlatformParams p;
  CoreParams& core = p.accel.core;
  core.array.rows = uint32_t(c.integer("accel.array.rows"));
  core.array.columns = uint32_t(c.integer("accel.array.columns"));
  core.array.count = uint32_t(c.integer("accel.array.count"));
  if (core.array.columns % 64 != 0)
    throw InputError("accel.array.columns = " + std::to_string(core.array.columns) + " must be a multiple of 64");
  const double weight_bytes = double(core.array.count) * core.array.rows * core.array.columns / 8;
  if (weight_bytes > double(1u << 30))
    throw InputError("accel.array.count x rows x columns asks for " + std::to_string(uint64_t(weight_bytes)) +
                     " bytes of weights; at most 1 GiB is simulated");
  p.accel.clock_mhz = c.real("accel.clock_mhz");
  core.read_cycles = cycles_of(c.real("accel.array.read_ns"), p.accel.clock_mhz);
  p.accel.pulse = {c.real("accel.mram.pulse_ns"), c.real("accel.mram.pulse_ua")};
  p.accel.stream_length = uint32_t(c.integer("accel.sc.stream_length"));
  core.max_stream_length = uint32_t(c.integer("accel.sc.max_stream_length"));
  const bool stochastic = c.text("accel.input_mode") == "stochastic";
  if (stochastic && p.accel.stream_length > core.max_stream_length)
    throw InputError("accel.sc.stream_length = " + std::to_string(p.accel.stream_length) +
                     " exceeds accel.sc.max_stream_length = " + std::to_string(core.max_stream_length) +
                     " (the accumulators are sized for it; raise accel.sc.max_stream_length)");
  const std::string& built = c.text("accel.first_layer_hardware");
  core.first_layer_hardware = built == "both"         ? FirstLayerHardware::both
                              : built == "fixed"      ? FirstLayerHardware::fixed
                              : built == "stochastic" ? FirstLayerHardware::stochastic
                              : stochastic            ? FirstLayerHardware::stochastic
                                                      : FirstLayerHardware::fixed;
  if ((built == "fixed" && stochastic) || (built == "stochastic" && !stochastic))
    throw InputError("accel.input_mode = " + c.text("accel.input_mode") + " cannot run on accel.first_layer_hardware = " +
                     built + " (use auto, both, or the matching datapath)");
  if (!stochastic && c.origin("accel.sc.combine") != Origin::default_value)
    throw InputError("accel.sc.combine applies only to accel.input_mode = stochastic (it is fixed)");
  p.input_mode = !stochastic                         ? FirstLayerMode::fixed
                 : c.text("accel.sc.combine") == "vote" ? FirstLayerMode::stochastic_vote
                                                        : FirstLayerMode::stochastic_sum;
  SngParams& sng = core.sng;
  const std::string& source = c.text("accel.sng.source");
  sng.source = source == "sobol" ? SngSource::sobol : source == "ideal" ? SngSource::ideal
             : source == "smtj"  ? SngSource::smtj  : SngSource::lfsr;
  sng.lfsr_width = uint32_t(c.integer("accel.sng.lfsr_width"));
  const std::string& sharing = c.text("accel.sng.sharing");
  sng.sharing = sharing == "shared_offset" ? SngSharing::shared_offset
              : sharing == "shared_rotate" ? SngSharing::shared_rotate : SngSharing::per_input;
  if (sng.sharing == SngSharing::per_input && c.origin("accel.sng.shared_sources") != Origin::default_value)
    throw InputError("accel.sng.shared_sources applies only to accel.sng.sharing = shared_offset or shared_rotate");
  sng.shared_sources = uint32_t(c.integer("accel.sng.shared_sources"));
  sng.comparators = uint32_t(c.integer("accel.sng.comparators"));
  sng.seed = uint64_t(c.integer("seed"));
  p.mram = mram_params(c);
  core.pe_width_bits = uint32_t(c.integer("accel.pe.width_bits"));
  core.buffer_port_bits = uint32_t(c.integer("accel.buffer.port_bits"));
  core.activation_bits = uint32_t(c.integer("accel.buffer.activation_bits"));
  core.input_bytes = uint32_t(c.integer("accel.input_buffer.bytes"));
  core.param_entries = uint32_t(c.integer("accel.param_entries"));
  core.max_classes = uint32_t(c.integer("accel.max_classes"));
  core.max_layers = uint32_t(c.integer("accel.max_layers"));
  p.accel.register_latency_cycles = uint32_t(c.integer("accel.register_latency_cycles"));
  p.bus_width_bits = unsigned(std::stoul(c.text("bus.width_bits")));
  p.bus_clock_mhz = c.real("bus.clock_mhz");
  p.bus_latency_cycles = uint32_t(c.integer("bus.latency_cycles"));
  p.memory_read_latency = sc_core::sc_time(c.real("memory.read_latency_ns"), sc_core::SC_NS);
  p.memory_write_latency = sc_core::sc_time(c.real("memory.write_latency_ns"), sc_core::SC_NS);
  p.quantum = sc_core::sc_time(c.real("platform.quantum_ns"), sc_core::SC_NS);
  p.protocol_checks = c.boolean("platform.protocol_checks");
  p.log = log_params(c);
  return p;
}

struct Platform::Assembly {
  virtual ~Assembly() = default;
  virtual AcceleratorModel& accel() = 0;
  virtual HostDriverModel& host() = 0;
  virtual MemoryModel& memory() = 0;
  virtual uint64_t bus_transactions() const = 0;
  virtual std::vector<std::string> protocol_violations() const = 0;
  virtual uint64_t transactions_checked() const = 0;
};

namespace {

WeightArrayFactory weight_array_factory(const MramSelection& m) {
  return [params = MramParams(m)](const char* name, uint32_t rows, uint32_t columns) -> std::unique_ptr<WeightArray> {
    return std::make_unique<MramArray>(name, rows, columns, params);
  };
}

template <unsigned int W>
struct BusAssembly : Platform::Assembly {
  HostDriver<W> host_driver;
  Router<W> bus;
  Memory<W> system_memory;
  Accelerator<W> accelerator;
  sc_core::sc_signal<bool> irq_line;
  // platform.protocol_checks: base-protocol checkers on the host's and the accelerator's links.
  std::unique_ptr<ProtocolChecker<W>> host_checker, accel_checker;

  BusAssembly(const PlatformParams& p, const HostJob& job, uint64_t memory_bytes)
      : host_driver("host", job),
        bus("bus", sc_core::sc_time(1000.0 / p.bus_clock_mhz, sc_core::SC_NS), p.bus_latency_cycles),
        system_memory("memory", memory_bytes, p.memory_read_latency, p.memory_write_latency),
        accelerator("accel", p.accel, weight_array_factory(p.mram)),
        irq_line("irq_line") {
    if (p.protocol_checks) {
      host_checker = std::make_unique<ProtocolChecker<W>>("host_checker");
      accel_checker = std::make_unique<ProtocolChecker<W>>("accel_checker");
      host_driver.socket.bind(host_checker->target_socket);
      host_checker->initiator_socket.bind(bus.target_socket);
      bus.initiator_socket.bind(system_memory.socket);             // port 0
      bus.initiator_socket.bind(accel_checker->target_socket);     // port 1
      accel_checker->initiator_socket.bind(accelerator.socket);
    } else {
      host_driver.socket.bind(bus.target_socket);
      bus.initiator_socket.bind(system_memory.socket);  // port 0
      bus.initiator_socket.bind(accelerator.socket);    // port 1
    }
    bus.map(0, kMemoryBase, memory_bytes, "memory");
    bus.map(1, kAcceleratorBase, kAcceleratorSpan, "accel");
    accelerator.irq.bind(irq_line);
    host_driver.irq.bind(irq_line);
  }
  AcceleratorModel& accel() override { return accelerator; }
  HostDriverModel& host() override { return host_driver; }
  MemoryModel& memory() override { return system_memory; }
  uint64_t bus_transactions() const override { return bus.transactions(); }
  std::vector<std::string> protocol_violations() const override {
    std::vector<std::string> v;
    for (const auto* c : {host_checker.get(), accel_checker.get()})
      if (c) v.insert(v.end(), c->violations().begin(), c->violations().end());
    return v;
  }
  uint64_t transactions_checked() const override {
    return (host_checker ? host_checker->transactions_checked() : 0) +
           (accel_checker ? accel_checker->transactions_checked() : 0);
  }
};

}  // namespace

Platform::Platform(const PlatformParams& params, const Network& network, const Dataset& data, uint32_t first,
                   uint32_t count) {
  const auto t0 = std::chrono::steady_clock::now();
  network_ = &network;
  if (data.pixels() != network.input.values())
    throw InputError((network.file.empty() ? "the network" : network.file) + " takes " +
                     std::to_string(network.input.values()) + " inputs (" + input_shape(network.input) + ") but " +
                     (data.images_file.empty() ? std::string("the data set") : data.images_file) + " holds images of" +
                     " " + std::to_string(data.rows) + " x " + std::to_string(data.cols) + " = " +
                     std::to_string(data.pixels()) + " pixels");
  if (network.input.bits != params.accel.core.input_bits)
    throw InputError("the network takes " + std::to_string(network.input.bits) +
                     "-bit inputs but the accelerator's first layer processes " +
                     std::to_string(params.accel.core.input_bits) + "-bit pixels");
  if (uint64_t(first) + count > data.count())
    throw InputError("run.first_image + run.images = " + std::to_string(uint64_t(first) + count) + " but the " +
                     data.split + " split holds " + std::to_string(data.count()) + " images");
  // The global quantum is set once, here, by the platform.
  tlm_utils::tlm_quantumkeeper::set_global_quantum(params.quantum);

  HostJob job;
  job.network = &network;
  job.accel_base = kAcceleratorBase;
  job.image_base = kMemoryBase;
  job.image_bytes = uint32_t(data.pixels());
  job.images = count;
  job.pulse = params.accel.pulse;
  job.input_mode = uint32_t(params.input_mode);
  job.stream_length = params.accel.stream_length;
  job.first_image = first;
  try {
    check_stochastic_scores(job);
  } catch (const std::invalid_argument& e) {
    throw InputError(e.what());
  }
  const uint64_t memory_bytes = std::max<uint64_t>(uint64_t(count) * data.pixels(), 4096);
  set_log_levels(params.log);  // modules read their level when constructed
  if (params.bus_width_bits == 32)
    assembly_ = std::make_unique<BusAssembly<32>>(params, job, memory_bytes);
  else
    assembly_ = std::make_unique<BusAssembly<64>>(params, job, memory_bytes);
  require_logged_instances_exist(params.log);
  // Preload the images, as a loader puts a program's data in memory before reset.
  std::memcpy(assembly_->memory().data(), data.image(first), size_t(count) * data.pixels());

  // Refuse a network the hardware cannot hold before simulating anything.
  std::vector<LayerShape> shapes;
  for (const auto& l : network.layers) shapes.push_back({l.inputs, l.outputs});
  try {
    accelerator().core.configure(shapes);
  } catch (const std::invalid_argument& e) {
    throw InputError(std::string("the network does not fit the hardware: ") + e.what());
  }
  elaboration_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

Platform::~Platform() = default;

// Weights whose noiseless read (the sense amplifiers' static decision) differs from the
// network: what programming, disturb and retention left in the arrays.
uint64_t count_wrong_weights(const Network& net, BnnCore& core) {
  uint64_t wrong = 0;
  for (size_t l = 0; l < net.layers.size(); ++l)
    for (const Tile& t : core.mapping().layers[l].tiles)
      for (uint32_t r = 0; r < t.outputs; ++r) {
        const uint64_t* expected = net.layers[l].weights.row(t.first_output + r) + t.first_input / 64;
        const uint32_t words = (t.inputs + 63) / 64;
        for (uint32_t w = 0; w < words; ++w) {
          const uint64_t mask = w + 1 == words ? tail_mask(t.inputs) : ~uint64_t(0);
          wrong += uint64_t(popcount64((core.array(t.array).peek(r, w) ^ expected[w]) & mask));
        }
      }
  return wrong;
}

AcceleratorModel& Platform::accelerator() { return assembly_->accel(); }
HostDriverModel& Platform::host() { return assembly_->host(); }

RunOutcome Platform::run() {
  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  RunOutcome out;
  out.host_seconds = elaboration_seconds_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  HostDriverModel& h = host();
  if (!h.error().empty()) {
    const std::string detail = accelerator().last_error();
    throw InputError("simulation failed: " + h.error() + (detail.empty() ? "" : " (" + detail + ")"));
  }
  if (!h.finished()) throw InputError("simulation ended before the host driver finished (deadlock?)");
  out.records = h.records();
  out.cycles = accelerator().core.cycles();
  accelerator().collect_actions(out.actions);
  accelerator().collect_hardware(out.hardware);
  out.mapping = accelerator().core.mapping();
  out.simulated_time = sc_core::sc_time_stamp();
  out.programming_time = h.programming_time();
  out.accelerator_busy_time = accelerator().busy_time();
  out.bus_transactions = assembly_->bus_transactions();
  out.protocol_violations = assembly_->protocol_violations();
  out.transactions_checked = assembly_->transactions_checked();
  out.errors = accelerator().core.collect_errors();
  out.weights_wrong = count_wrong_weights(*network_, accelerator().core);
  out.weights_total = 0;
  for (const auto& l : network_->layers) out.weights_total += uint64_t(l.inputs) * l.outputs;
  return out;
}

}  // namespace scbnn
