#include "scbnn/tools/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "scbnn/base/statistics.h"
#include "scbnn/base/text.h"
#include "scbnn/models/row_kernels.h"
#include "scbnn/platforms/compiled_network.h"
#include "scbnn/tools/provenance.h"

namespace scbnn {
namespace {

// The memory model in force and the probabilities its formulas give, as the arrays
// report them (every array has the same device parameters: array 0 speaks for all).
nlohmann::ordered_json memory_report(const PlatformParams& p, const AcceleratorModel& accel) {
  using json = nlohmann::ordered_json;
  const MramParams& m = p.mram;
  if (m.error_mode == MramErrorMode::ideal) return {{"model", "ideal"}, {"cell", enum_name(m.cell)}};
  json j = {{"model", enum_name(m.error_mode)}, {"cell", enum_name(m.cell)}};
  if (m.error_mode == MramErrorMode::per_inference) {
    j["weight_flip_probability"] = m.ber;
    return j;
  }
  const auto* array = dynamic_cast<const MramArray*>(&accel.core.array(0));
  if (!array) throw std::logic_error("the accelerator's arrays are not MRAM arrays");
  j["write_errors"] = enum_name(m.write_errors);
  j["pulse"] = {{"duration_ns", p.accel.pulse.duration_ns}, {"current_ua", p.accel.pulse.current_ua}};
  j["mtj_write_error_probability"] = array->write_error_probability(p.accel.pulse);
  j["read_decision_error_probability"] = array->read_decision_error_probability();
  j["read_disturb_probability"] = array->read_disturb_probability();
  j["retention_time_constant_s"] = array->retention_time_constant_s();
  j["mtj"] = {{"r_p_ohm", m.mtj.r_p_ohm}, {"tmr", m.mtj.tmr},        {"sigma_r", m.mtj.sigma_r},
              {"delta", m.mtj.delta},     {"ic0_ua", m.mtj.ic0_ua},  {"tau_d_ns", m.mtj.tau_d_ns},
              {"tau0_ns", m.mtj.tau0_ns}, {"area_f2", m.mtj.area_f2}};
  return j;
}

// The first layer's input mode; for stochastic inputs, the SNGs and their stream quality.
nlohmann::ordered_json input_report(const PlatformParams& p, const AcceleratorModel& accel) {
  using json = nlohmann::ordered_json;
  const CoreParams& core = p.accel.core;
  if (core.input_mode == InputMode::fixed)
    return {{"mode", "fixed"}, {"bit_planes", core.input_bits}, {"organisation", core.fixed.organisation}};
  const SngParams& s = core.sng;
  json j = {{"mode", enum_name(core.input_mode)},
            {"combine", enum_name(core.sc.combine)},
            {"stream_length", p.accel.stream_length},
            {"source", s.source},
            {"sharing", enum_name(s.sharing)}};
  if (sng_source_kind(s.source).uses_lfsr_width) j["lfsr_width"] = s.lfsr_width;
  std::vector<uint32_t> lengths = {1, 2, 4, 8, 16, 32, 64};
  if (std::find(lengths.begin(), lengths.end(), p.accel.stream_length) == lengths.end())
    lengths.push_back(p.accel.stream_length);
  json metrics = json::array();
  for (const auto& m : accel.core.stream_quality(lengths))
    metrics.push_back(
        {{"stream_length", m.length}, {"rms_value_error", m.rms_value_error}, {"mean_abs_scc", m.mean_abs_scc}});
  j["stream_quality"] = metrics;
  return j;
}

// The MAC array (accel.datapath = mac): its PEs and the precision the network runs at.
nlohmann::ordered_json mac_report(const MacAcceleratorModel& accel, const Network& network) {
  const MacParams& m = accel.params();
  const std::vector<LayerShape> layers = accel.core.configured() ? accel.core.program().layers : layer_program(network);
  return {{"kind", "mac"},
          {"pe", m.pe},
          {"pe_description", mac_pe_kind(m.pe).description},
          {"rows", m.rows},
          {"columns", m.columns},
          {"stream_bits_per_cycle", m.stream_bits_per_cycle},
          {"early_termination", m.early_termination},
          {"built_weight_bits", m.weight_bits},
          {"built_activation_bits", m.activation_bits},
          {"accumulator_bits", m.accumulator_bits},
          {"weight_bits", network.quant.weight_bits},
          {"activation_bits", network.quant.activation_bits},
          {"weight_memory_bytes", m.weight_memory_bytes},
          {"weight_bytes_used", mac_weight_bytes(layers)}};
}

// The datapath's own sections: "datapath", "first_layer" and "memory".
void datapath_sections(const RunInputs& in, nlohmann::ordered_json& report) {
  if (const auto* bnn = dynamic_cast<const AcceleratorModel*>(in.accelerator)) {
    report["datapath"] = {{"kind", "bnn"}};
    report["first_layer"] = input_report(*in.params, *bnn);
    const MemoryTechnology& technology = memory_technology(in.params->memory_technology);
    report["memory"] = technology.report ? technology.report(*in.params, *bnn) : memory_report(*in.params, *bnn);
    return;
  }
  const auto* mac = dynamic_cast<const MacAcceleratorModel*>(in.accelerator);
  if (!mac) throw std::logic_error("the report needs the run's accelerator");
  const uint32_t a = in.network->quant.activation_bits;
  report["datapath"] = mac_report(*mac, *in.network);
  report["first_layer"] = {{"mode", "quantised"}, {"activation_bits", a}, {"pixel_shift", 8 - a}};
  report["memory"] = {{"model", "sram"}};
}

// Traffic of one layer (or outside any layer), summed over the run's inferences.
struct LayerTraffic {
  uint64_t row_reads = 0, bits_sensed = 0, buffer_bits_read = 0, buffer_bits_written = 0;
};

// A buffer is any component class named "..._buffer" (input, activation, line buffers).
bool is_buffer(const std::string& component_class) {
  const std::string suffix = "_buffer";
  return component_class.size() >= suffix.size() &&
         component_class.compare(component_class.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void add_traffic(LayerTraffic& t, const ActionCount& a, uint64_t count) {
  if (a.action == action::kRowRead) t.row_reads += count;
  if (a.action == action::kBitSensed) t.bits_sensed += count;
  if (is_buffer(a.component_class) && a.action == action::kBitRead) t.buffer_bits_read += count;
  if (is_buffer(a.component_class) && a.action == action::kBitWrite) t.buffer_bits_written += count;
}

// Per-layer costs, per inference: cycles (the cycle ledger), energy split into dynamic and
// leakage (the priced run, when there is one), weight-array row reads and bits sensed, and
// buffer bits read and written (the action counts by layer). `outside` gets what no layer
// accounts for (no cycles: the accelerator is idle outside its layers).
nlohmann::ordered_json layer_costs(const RunOutcome& out, const PowerReport* power, double denom,
                                   nlohmann::ordered_json& outside) {
  using json = nlohmann::ordered_json;
  const auto& cycles = out.cycles.layers();
  size_t count = cycles.size();
  for (const auto& a : out.actions.entries()) count = std::max(count, a.by_layer.layers.size());
  if (power) count = std::max(count, power->layers.size());
  std::vector<LayerTraffic> traffic(count);
  LayerTraffic outside_traffic;
  for (const auto& a : out.actions.entries()) {
    uint64_t in_layers = 0;
    for (size_t l = 0; l < a.by_layer.layers.size(); ++l) {
      add_traffic(traffic[l], a, a.by_layer.layers[l]);
      in_layers += a.by_layer.layers[l];
    }
    add_traffic(outside_traffic, a, a.count - std::min(a.count, in_layers));
  }
  const auto entry = [&](const LayerTraffic& t, const LayerEnergy* e) {
    json j;
    if (e) {
      j["energy_pj"] = e->energy_pj() / denom;
      j["dynamic_pj"] = e->dynamic_pj / denom;
      j["leakage_pj"] = e->leakage_pj / denom;
      j["leakage_share"] = e->energy_pj() != 0 ? e->leakage_pj / e->energy_pj() : 0.0;
      json stages = json::object();
      for (Stage s : inference_stages()) stages[stage_name(s)] = e->stages[size_t(s)].energy_pj() / denom;
      j["stage_energy_pj"] = stages;
    }
    j["row_reads"] = double(t.row_reads) / denom;
    j["bits_sensed"] = double(t.bits_sensed) / denom;
    j["buffer_bits_read"] = double(t.buffer_bits_read) / denom;
    j["buffer_bits_written"] = double(t.buffer_bits_written) / denom;
    return j;
  };
  json layers = json::array();
  for (size_t l = 0; l < count; ++l) {
    json j = {{"layer", l < cycles.size() && !cycles[l].name.empty() ? cycles[l].name : "layer" + std::to_string(l)},
              {"index", l},
              {"cycles", l < cycles.size() ? double(cycles[l].total()) / denom : 0.0}};
    j.update(entry(traffic[l], power && l < power->layers.size() ? &power->layers[l] : nullptr));
    layers.push_back(j);
  }
  outside = entry(outside_traffic, power ? &power->outside_layers : nullptr);
  return layers;
}

// The per-layer cost table: energy (when priced) and traffic per inference, one row per
// layer and one for what happens outside the layers.
void format_layer_costs(std::ostringstream& o, const nlohmann::ordered_json& r) {
  if (!r.contains("layers")) return;
  const bool priced = r.contains("power");
  o << "\n  layer     ";
  if (priced) o << "  energy nJ  dynamic nJ  leakage nJ";
  o << "   row reads  bits sensed  buffer bits read  buffer bits written\n";
  const auto row = [&](const std::string& name, const nlohmann::ordered_json& l) {
    o << "  " << name << std::string(std::max<int>(1, 10 - int(name.size())), ' ');
    if (priced)
      o << fmt("%11.3f", l["energy_pj"].get<double>() / 1e3) << fmt("%12.3f", l["dynamic_pj"].get<double>() / 1e3)
        << fmt("%12.3f", l["leakage_pj"].get<double>() / 1e3);
    o << fmt("%12.0f", l["row_reads"].get<double>()) << fmt("%13.0f", l["bits_sensed"].get<double>())
      << fmt("%18.0f", l["buffer_bits_read"].get<double>()) << fmt("%21.0f", l["buffer_bits_written"].get<double>())
      << "\n";
  };
  for (const auto& l : r["layers"]) row(l["layer"].get<std::string>(), l);
  row("outside", r["outside_layers"]);
  if (!priced || !r["outside_layers"].contains("stage_energy_pj")) return;
  // Energy per inference by layer and stage; the total row is the report's energy by stage.
  o << "\n  stage nJ  ";
  for (const auto& [stage, e] : r["outside_layers"]["stage_energy_pj"].items())
    o << std::string(std::max<int>(1, 11 - int(stage.size())), ' ') << stage;
  o << "\n";
  const auto stage_row = [&](const std::string& name, const nlohmann::ordered_json& stages) {
    o << "  " << name << std::string(std::max<int>(1, 10 - int(name.size())), ' ');
    for (const auto& [stage, e] : stages.items()) o << fmt("%11.3f", e.get<double>() / 1e3);
    o << "\n";
  };
  for (const auto& l : r["layers"]) stage_row(l["layer"].get<std::string>(), l["stage_energy_pj"]);
  stage_row("outside", r["outside_layers"]["stage_energy_pj"]);
  nlohmann::ordered_json total = nlohmann::ordered_json::object();
  for (const auto& [stage, e] : r["power"]["per_stage"].items()) total[stage] = e["energy_pj_per_inference"];
  stage_row("total", total);
}

}  // namespace

nlohmann::ordered_json make_report(const RunInputs& in, const RunOutcome& out) {
  using json = nlohmann::ordered_json;
  const size_t n = out.records.size();
  size_t correct = 0;
  for (size_t i = 0; i < n; ++i)
    if (out.records[i].predicted == in.dataset->labels[in.first_image + i]) ++correct;
  const double period_ns = 1000.0 / in.clock_mhz;
  const double denom = n ? double(n) : 1.0;

  json layers = json::array();
  for (const auto& l : out.cycles.layers()) {
    json phases = json::object();
    for (const auto& [phase, cycles] : l.phases) phases[phase] = double(cycles) / denom;
    layers.push_back({{"layer", l.name}, {"cycles", double(l.total()) / denom}, {"phases", phases}});
  }
  uint64_t record_cycles = 0;
  double host_latency_ns = 0;
  for (const auto& r : out.records) {
    record_cycles += r.cycles;
    host_latency_ns += r.latency.to_seconds() * 1e9;
  }
  json actions = json::array();
  for (const auto& a : out.actions.entries())
    if (a.count)
      actions.push_back({{"component", a.component},
                         {"class", a.component_class},
                         {"action", a.action},
                         {"count", a.count},
                         {"by_layer",
                          {{"outside", a.count - std::min(a.count, a.by_layer.total() - a.by_layer.outside)},
                           {"layers", a.by_layer.layers}}}});
  json outside_layers;
  const json layer_table = layer_costs(out, in.power, denom, outside_layers);

  json mapping = json::array();
  for (size_t l = 0; l < out.mapping.layers.size(); ++l) {
    const auto& lm = out.mapping.layers[l];
    mapping.push_back({{"layer", l},
                       {"type", to_string(lm.shape.type)},
                       {"inputs", lm.shape.inputs},
                       {"outputs", lm.shape.outputs},
                       {"positions", lm.shape.positions()},
                       {"row_tiles", lm.row_tiles},
                       {"col_tiles", lm.col_tiles},
                       {"first_array", lm.tiles.front().array}});
  }
  json report;
  report["schema_version"] = kReportSchemaVersion;
  report["tool"] = tool_stamp();
  report["provenance"] = run_provenance(in.files, in.started_utc);
  report["config"] = in.config->effective();
  report["seeds"] = {{"master", in.config->integer("seed")}};
  report["network"] = {{"path", in.network_path},
                       {"layers",
                        [&] {
                          json a = json::array();
                          a.push_back(in.network->input.values());
                          for (const auto& l : in.network->layers) a.push_back(l.output_values());
                          return a;
                        }()},
                       {"graph",
                        [&] {
                          json a = json::array();
                          for (const auto& l : in.network->layers) a.push_back(l.describe());
                          return a;
                        }()},
                       {"input_mode", to_string(in.network->input.mode)},
                       {"provenance", in.network->provenance}};
  report["dataset"] = {{"path", in.dataset_path},
                       {"format", in.dataset->format},
                       {"shape", {in.dataset->rows, in.dataset->cols, in.dataset->channels}},
                       {"split", in.dataset->split},
                       {"first_image", in.first_image},
                       {"images", n}};
  const ProportionInterval interval = wilson_interval(correct, n);
  report["accuracy"] = {{"correct", correct},
                        {"images", n},
                        {"accuracy", n ? double(correct) / double(n) : 0.0},
                        {"ci95_low", interval.low},
                        {"ci95_high", interval.high},
                        {"interval", "Wilson score, 95 %"}};
  report["cycles"] = {{"clock_mhz", in.clock_mhz},
                      {"per_inference", double(out.cycles.total()) / denom},
                      {"total", out.cycles.total()},
                      {"per_layer", layers},
                      {"register_total", record_cycles}};
  report["latency"] = {{"accelerator_ns_per_inference", double(out.cycles.total()) / denom * period_ns},
                       {"accelerator_simulated_ns_per_inference", out.accelerator_busy_time.to_seconds() * 1e9 / denom},
                       {"host_ns_per_inference", host_latency_ns / denom},
                       {"programming_ns", out.programming_time.to_seconds() * 1e9},
                       {"simulated_ns", out.simulated_time.to_seconds() * 1e9}};
  report["mapping"] = {{"arrays_used", out.mapping.arrays_used},
                       {"arrays", out.mapping.geometry.count},
                       {"rows", out.mapping.geometry.rows},
                       {"columns", out.mapping.geometry.columns},
                       {"layers", mapping}};
  report["layers"] = layer_table;
  report["outside_layers"] = outside_layers;
  report["actions"] = actions;
  datapath_sections(in, report);
  json injected = json::object();
  for (const auto& [source, e] : out.errors)
    injected[source] = {{"events", e.events},
                        {"opportunities", e.opportunities},
                        {"realised_rate", e.opportunities ? double(e.events) / double(e.opportunities) : 0.0},
                        {"configured_probability", e.probability}};
  report["errors_injected"] = {
      {"per_source", injected},
      {"weights_wrong_at_end", out.weights_wrong},
      {"weights", out.weights_total},
      {"weight_error_rate_at_end", out.weights_total ? double(out.weights_wrong) / double(out.weights_total) : 0.0}};
  if (in.power) report["power"] = power_json(*in.power);
  if (in.params->platform.protocol_checks)
    report["protocol_checks"] = {{"transactions_checked", out.transactions_checked},
                                 {"violations", out.protocol_violations}};
  report["simulation"] = {{"host_seconds", out.host_seconds},
                          {"inferences_per_host_second", out.host_seconds > 0 ? double(n) / out.host_seconds : 0.0},
                          {"bus_transactions", out.bus_transactions}};
  const double simulated_s = out.simulated_time.to_seconds();
  report["simulation"]["bus_busy_ns"] = out.bus_busy_time.to_seconds() * 1e9;
  report["simulation"]["bus_utilisation"] = simulated_s > 0 ? out.bus_busy_time.to_seconds() / simulated_s : 0.0;
  report["simulation"]["bus_waiting_ns"] = out.bus_waiting_time.to_seconds() * 1e9;
  report["simulation"]["accelerators"] = out.accelerators;
  report["simulation"]["kernels"] = row_kernels().name;  // the instruction set the bit kernels ran in
  if (out.dma) {
    report["simulation"]["dma_transfers"] = out.dma_transfers;
    report["simulation"]["dma_bytes"] = out.dma_bytes;
  }
  return report;
}

std::string format_report(const nlohmann::ordered_json& r) {
  std::ostringstream o;
  const auto& acc = r["accuracy"];
  const auto& cyc = r["cycles"];
  const auto& lat = r["latency"];
  o << "scbnn run report (schema " << r["schema_version"].get<int>() << ")\n";
  o << "  network      " << r["network"]["path"].get<std::string>() << "  [";
  for (size_t i = 0; i < r["network"]["layers"].size(); ++i)
    o << (i ? "-" : "") << r["network"]["layers"][i].get<uint64_t>();
  o << "], trained for " << r["network"]["input_mode"].get<std::string>() << " inputs\n";
  const auto& graph = r["network"]["graph"];
  const bool convolutional = std::any_of(
      graph.begin(), graph.end(), [](const auto& l) { return l.template get<std::string>().rfind("conv2d", 0) == 0; });
  for (size_t i = 0; convolutional && i < graph.size(); ++i)
    o << "  layer" << i << (i < 10 ? "       " : "      ") << graph[i].get<std::string>() << "\n";
  const auto& fl = r["first_layer"];
  o << "  first layer  " << fl["mode"].get<std::string>();
  if (fl["mode"] == "stochastic")
    o << ", N = " << fl["stream_length"].get<uint32_t>() << ", " << fl["combine"].get<std::string>() << ", "
      << fl["source"].get<std::string>() << " SNGs (" << fl["sharing"].get<std::string>() << ")";
  else if (fl["mode"] == "quantised")
    o << ", 8-bit pixels >> " << fl["pixel_shift"].get<uint32_t>() << " = " << fl["activation_bits"].get<uint32_t>()
      << "-bit activations";
  else
    o << ", " << fl["bit_planes"].get<uint32_t>() << " bit-planes, " << fl["organisation"].get<std::string>();
  o << "\n";
  o << "  data set     " << r["dataset"]["path"].get<std::string>() << " (" << r["dataset"]["split"].get<std::string>()
    << ", images " << r["dataset"]["first_image"].get<uint64_t>() << ".."
    << r["dataset"]["first_image"].get<uint64_t>() + r["dataset"]["images"].get<uint64_t>() << ")\n";
  o << "  seed         " << r["seeds"]["master"].get<int64_t>() << "\n\n";
  o << "  accuracy     " << fmt("%.2f %%", 100 * acc["accuracy"].get<double>()) << "  ("
    << acc["correct"].get<uint64_t>() << " / " << acc["images"].get<uint64_t>() << "; 95 % interval "
    << fmt("%.2f", 100 * acc["ci95_low"].get<double>()) << " to "
    << fmt("%.2f %%", 100 * acc["ci95_high"].get<double>()) << ", Wilson)\n";
  o << "  cycles       " << fmt("%.0f", cyc["per_inference"].get<double>()) << " per inference at "
    << fmt("%g", cyc["clock_mhz"].get<double>())
    << " MHz = " << fmt("%.1f ns", lat["accelerator_ns_per_inference"].get<double>()) << " (simulated "
    << fmt("%.1f ns", lat["accelerator_simulated_ns_per_inference"].get<double>()) << ")\n";
  o << "  host latency " << fmt("%.1f ns", lat["host_ns_per_inference"].get<double>())
    << " per inference (copy in, run, interrupt, read scores)\n";
  o << "  programming  " << fmt("%.1f us", lat["programming_ns"].get<double>() / 1000) << " to load the network\n\n";
  o << "  layer      cycles";
  std::vector<std::string> phases;
  for (const auto& l : cyc["per_layer"])
    for (const auto& [k, v] : l["phases"].items())
      if (std::find(phases.begin(), phases.end(), k) == phases.end()) phases.push_back(k);
  for (const auto& p : phases) o << "  " << std::string(std::max<int>(0, 9 - int(p.size())), ' ') << p;
  o << "\n";
  for (const auto& l : cyc["per_layer"]) {
    o << "  " << l["layer"].get<std::string>()
      << std::string(std::max<int>(1, 9 - int(l["layer"].get<std::string>().size())), ' ')
      << fmt("%8.0f", l["cycles"].get<double>());
    for (const auto& p : phases) o << "  " << fmt("%9.0f", l["phases"].value(p, 0.0));
    o << "\n";
  }
  format_layer_costs(o, r);
  const auto& dp = r["datapath"];
  const bool mac = dp["kind"] == "mac";
  if (mac) {
    o << "\n  MAC array    " << dp["rows"].get<uint32_t>() << " x " << dp["columns"].get<uint32_t>() << " "
      << dp["pe"].get<std::string>() << " PEs";
    if (dp["pe"] == "sc_cnn")
      o << ", k = " << dp["stream_bits_per_cycle"].get<uint32_t>() << ", early termination "
        << (dp["early_termination"].get<bool>() ? "on" : "off");
    o << "; " << dp["weight_bits"].get<uint32_t>() << "-bit weights, " << dp["activation_bits"].get<uint32_t>()
      << "-bit activations (built for " << dp["built_weight_bits"].get<uint32_t>() << " / "
      << dp["built_activation_bits"].get<uint32_t>() << ")\n";
    o << "  memory       SRAM weights, " << dp["weight_bytes_used"].get<uint64_t>() << " of "
      << dp["weight_memory_bytes"].get<uint64_t>() << " bytes used";
  } else {
    const auto& map = r["mapping"];
    o << "\n  arrays       " << map["arrays_used"].get<uint64_t>() << " of " << map["arrays"].get<uint64_t>() << " ("
      << map["rows"].get<uint64_t>() << " x " << map["columns"].get<uint64_t>() << ") used\n";
    o << "  memory       " << r["memory"]["model"].get<std::string>();
  }
  const auto& mem = r["memory"];
  if (mem.contains("cell")) o << " " << mem["cell"].get<std::string>();
  if (mem.contains("mtj_write_error_probability"))
    o << ", MTJ WER " << fmt("%.3g", mem["mtj_write_error_probability"].get<double>()) << " at "
      << fmt("%g ns", mem["pulse"]["duration_ns"].get<double>()) << " / "
      << fmt("%g uA", mem["pulse"]["current_ua"].get<double>());
  if (mem.contains("write_error_probability"))
    o << ", programming error " << fmt("%.3g", mem["write_error_probability"].get<double>()) << " at "
      << fmt("%g ns", mem["pulse"]["duration_ns"].get<double>()) << " / "
      << fmt("%g uA", mem["pulse"]["current_ua"].get<double>()) << ", read error "
      << fmt("%.3g", mem["read_error_probability"].get<double>());
  if (mem.contains("weight_flip_probability"))
    o << ", weight flip probability " << fmt("%.3g", mem["weight_flip_probability"].get<double>()) << " per inference";
  o << "\n";
  const auto& inj = r["errors_injected"];
  for (const auto& [source, e] : inj["per_source"].items())
    o << "  errors       " << source << ": " << e["events"].get<uint64_t>() << " of "
      << e["opportunities"].get<uint64_t>() << " (realised " << fmt("%.3g", e["realised_rate"].get<double>())
      << ", configured " << fmt("%.3g", e["configured_probability"].get<double>()) << ")\n";
  if (!mac)
    o << "  weights      " << inj["weights_wrong_at_end"].get<uint64_t>() << " of " << inj["weights"].get<uint64_t>()
      << " read wrong at the end of the run (noiseless read)\n";
  if (r.contains("power")) o << format_power(r["power"]);
  const auto& sim = r["simulation"];
  o << "  speed        " << fmt("%.0f", sim["inferences_per_host_second"].get<double>())
    << " inferences per host second (" << fmt("%.2f s", sim["host_seconds"].get<double>())
    << (sim.contains("kernels") ? ", " + sim["kernels"].get<std::string>() + " kernels" : std::string()) << ")\n";
  size_t defaults = 0;
  for (const auto& [k, v] : r["config"].items())
    if (v["origin"] == "default") ++defaults;
  if (fl.contains("stream_quality"))  // the configured N (the JSON report has the other lengths too)
    for (const auto& m : fl["stream_quality"])
      if (m["stream_length"] == fl["stream_length"])
        o << "  SNG streams  N = " << m["stream_length"].get<uint32_t>() << ": RMS value error "
          << fmt("%.3f", m["rms_value_error"].get<double>()) << ", mean |SCC| between inputs "
          << fmt("%.2f", m["mean_abs_scc"].get<double>()) << "\n";
  o << "  config       " << r["config"].size() << " keys, " << defaults
    << " at their defaults (the JSON report lists each value and its origin)\n";
  if (r.contains("provenance")) {
    const auto& tool = r["tool"];
    const std::string revision = tool["revision"].get<std::string>();
    o << "  provenance   scbnn " << tool["version"].get<std::string>() << " at " << revision.substr(0, 12)
      << (tool["tree_modified"].get<bool>() ? " (modified)" : "") << ", " << tool["build_type"].get<std::string>()
      << " build, " << tool["compiler"].get<std::string>() << "; on " << r["provenance"]["host"].get<std::string>()
      << " at " << r["provenance"]["started_utc"].get<std::string>();
    const auto& files = r["provenance"]["files"];
    if (files.contains("network"))
      o << "; network sha256 " << files["network"]["sha256"].get<std::string>().substr(0, 12);
    o << "\n";
  }
  return o.str();
}

std::string format_summary(const nlohmann::ordered_json& r) {
  const auto& acc = r["accuracy"];
  std::string line = "accuracy " + fmt("%.2f %%", 100 * acc["accuracy"].get<double>()) + " (" +
                     std::to_string(acc["correct"].get<uint64_t>()) + " / " +
                     std::to_string(acc["images"].get<uint64_t>()) + "), " +
                     fmt("%.0f", r["cycles"]["per_inference"].get<double>()) + " cycles per inference";
  if (r.contains("power"))
    line += ", " + fmt("%.1f nJ", r["power"]["energy_per_inference_pj"].get<double>() / 1e3) + " per inference";
  return line + "\n";
}

std::string predictions_csv(const RunInputs& in, const RunOutcome& out) {
  std::ostringstream o;
  o << "index,label,predicted";
  for (uint32_t c = 0; c < in.network->classes(); ++c) o << ",score_" << c;
  o << "\n";
  for (size_t i = 0; i < out.records.size(); ++i) {
    const auto& r = out.records[i];
    o << in.first_image + i << "," << int(in.dataset->labels[in.first_image + i]) << "," << r.predicted;
    for (int32_t s : r.scores) o << "," << s;
    o << "\n";
  }
  return o.str();
}

}  // namespace scbnn
