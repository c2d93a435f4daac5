#include <boost/program_options.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <unistd.h>

#include "scbnn/base/atomic_file.h"
#include "scbnn/base/data_files.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"
#include "scbnn/base/text.h"
#include "scbnn/platforms/config.h"
#include "scbnn/platforms/configured_accelerator.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/platforms/program_image.h"
#include "scbnn/power/accelergy.h"
#include "scbnn/tlm/c_header.h"
#include "scbnn/tools/commands.h"
#include "scbnn/tools/outputs.h"
#include "scbnn/tools/power_setup.h"
#include "scbnn/tools/progress.h"
#include "scbnn/tools/report.h"
#include "scbnn/tools/timeline.h"

namespace po = boost::program_options;

namespace scbnn {
namespace {

// A bare file name that is not in the working directory is looked up among the shipped networks.
std::string resolve_network(const std::string& path) {
  return resolve_shipped_file(path, ShippedData::networks, "network.path");
}

// -c and -p, as `run` and `registers` take them.
void add_config_options(po::options_description& desc, std::string& config_file, std::vector<std::string>& overrides) {
  desc.add_options()("config,c", po::value(&config_file), "YAML configuration file (scbnn config lists the keys)")(
      "param,p", po::value(&overrides)->composing(), "override one key, e.g. -p accel.array.rows=128 (repeatable)");
}

Config load_config(const std::string& config_file, const std::vector<std::string>& overrides) {
  Config config;
  if (!config_file.empty()) config.load_yaml_file(config_file);
  for (const auto& o : overrides) config.apply_override(o);
  return config;
}

// A scratch file removed when this goes out of scope (an empty path: none).
class ScratchFile {
 public:
  explicit ScratchFile(std::string path) : path_(std::move(path)) {}
  ~ScratchFile() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove(path_, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

 private:
  std::string path_;
};

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  std::string config_file, report_file, predictions_file, accelergy_dir, trace_file, timeline_file;
  std::vector<std::string> overrides;
  bool quiet = false;
  int64_t progress_every = 0;
  double timeline_window_ns = 10000;
  po::options_description desc(
      "scbnn run: simulate one design point (platform, network, data set) and report accuracy, cycles and\n"
      "latency. Without options it classifies the Fashion-MNIST test set with the shipped network.\n"
      "Result files appear together once the whole run has succeeded; a run that fails writes none.\n\nOptions");
  desc.add_options()("help,h", "show this help");
  add_config_options(desc, config_file, overrides);
  desc.add_options()("report", po::value(&report_file), "write the JSON report to this file")(
      "predictions", po::value(&predictions_file), "write per-image predictions (CSV) to this file")(
      "accelergy", po::value(&accelergy_dir),
      "write the run in Accelergy's input formats into this directory: architecture.yaml, components.yaml, "
      "ERT.yaml, ART.yaml, action_counts.yaml and the table-based plug-in's tables (docs/power-model.md)")(
      "quiet,q", po::bool_switch(&quiet), "print the result on one line instead of the report table")(
      "progress", po::value(&progress_every),
      "print a progress line to standard error every N images, also when it is not a terminal")(
      "trace", po::value(&trace_file),
      "write a VCD waveform of the run to this file: the accelerator's busy flag, layer being timed, bus "
      "accesses and interrupt, the bus's transactions (docs/traces.md)")(
      "timeline", po::value(&timeline_file),
      "write energy and average power per window of simulated time (CSV) to this file (docs/traces.md)")(
      "timeline-window", po::value(&timeline_window_ns)->default_value(timeline_window_ns),
      "window of --timeline, ns of simulated time");
  po::variables_map vm;
  if (!parse_options(args, desc, vm)) return 0;
  if (!(timeline_window_ns >= 1 && timeline_window_ns <= 1e12))
    throw InputError("--timeline-window " + fmt("%g", timeline_window_ns) +
                     ": expected a window between 1 and 1e12 ns of simulated time");
  const uint64_t progress_lines = checked_count(progress_every, "--progress", 0, "images between lines (0: off)");
  // Every output is checked before anything is read or simulated.
  OutputSet outputs;
  outputs.declare_file("--report", report_file);
  outputs.declare_file("--predictions", predictions_file);
  outputs.declare_directory("--accelergy", accelergy_dir, accelergy_file_names());
  outputs.declare_file("--trace", trace_file);
  outputs.declare_file("--timeline", timeline_file);

  const std::string started = utc_now();
  const Config config = load_config(config_file, overrides);

  const PlatformParams params = platform_params(config);
  RunInputs in;
  in.config = &config;
  in.network_path = resolve_network(params.network.path);
  const Network network = load_network(in.network_path);
  in.network = &network;
  in.dataset_path = params.dataset.path;
  // Only the images the run classifies are decoded (docs/performance.md, "Start-up").
  const size_t needed = params.run.images ? size_t(params.run.first_image) + params.run.images : 0;
  const Dataset data = load_dataset(params.dataset.format, in.dataset_path, params.dataset.split, needed);
  in.dataset = &data;
  in.started_utc = started;
  in.files = {in.network_path, data.files, resolve_preset(config.text("power.preset"))};
  in.first_image = params.run.first_image;
  if (in.first_image >= data.split_count())
    throw InputError("run.first_image = " + std::to_string(in.first_image) + " but the split holds " +
                     std::to_string(data.split_count()) + " images");
  const uint32_t count = params.run.images ? params.run.images : uint32_t(data.count() - in.first_image);

  const TechnologyPreset technology = technology_from(config);  // a bad preset fails before simulating
  in.clock_mhz = params.accel.clock_mhz;
  in.params = &params;
  Platform platform(params, network, data, in.first_image, count);
  require_preset_covers(technology, platform.actions().entries(), platform.hardware().items());
  Progress progress("images", count, progress_lines);
  if (progress.enabled()) platform.on_image_done([&](uint32_t done) { progress.update(done); });
  // SystemC writes the trace as it goes: into a scratch file beside the target, staged with the
  // other outputs once the run has succeeded and removed in any case.
  const std::string trace_scratch = trace_file + ".tmp-trace-" + std::to_string(getpid());
  const ScratchFile trace_scratch_file(trace_file.empty() ? "" : trace_scratch + ".vcd");
  if (!trace_file.empty()) platform.trace(trace_scratch);
  if (!timeline_file.empty()) platform.sample_actions(sc_core::sc_time(timeline_window_ns, sc_core::SC_NS));
  const RunOutcome outcome = platform.run();
  progress.finish();

  const PowerReport power = price_outcome(technology, params, network, outcome);
  in.power = &power;
  in.accelerator = &platform.face();
  const nlohmann::ordered_json report = make_report(in, outcome);
  if (outputs.declared("--report")) outputs.stage_file("--report", to_json_text(report));
  if (outputs.declared("--predictions")) outputs.stage_file("--predictions", predictions_csv(in, outcome));
  if (outputs.declared("--accelergy")) outputs.stage_directory("--accelergy", accelergy_files(power));
  if (outputs.declared("--trace")) outputs.stage_file("--trace", read_file(trace_scratch + ".vcd", "the trace"));
  if (outputs.declared("--timeline")) outputs.stage_file("--timeline", timeline_csv(power, outcome));
  outputs.commit();
  std::cout << (quiet ? format_summary(report) : format_report(report));
  return 0;
}

int cmd_registers(const std::vector<std::string>& args) {
  std::string config_file;
  std::vector<std::string> overrides;
  po::options_description desc(
      "scbnn registers: print the accelerator's register map for a configuration (the default one unless -c or\n"
      "-p say otherwise; -p accel.datapath=mac: the MAC-array accelerator's)\n\nOptions");
  desc.add_options()("help,h", "show this help");
  add_config_options(desc, config_file, overrides);
  desc.add_options()("markdown", "Markdown table (as embedded in docs/registers.md)")(
      "c-header", "the C99 header for firmware, both accelerators (driver/include/scbnn/driver/scbnn_regs.h)");
  po::variables_map vm;
  if (!parse_options(args, desc, vm)) return 0;
  const AcceleratorParams params = platform_params(load_config(config_file, overrides)).accel;
  if (vm.count("c-header")) {
    AcceleratorParams bnn_params = params, mac_params = params;
    bnn_params.datapath = DatapathKind::bnn;
    mac_params.datapath = DatapathKind::mac;
    bnn_params.dma_enabled = mac_params.dma_enabled = true;  // the header names the optional DMA registers too
    const Accelerator<64> bnn("bnn", bnn_params);
    const MacAccelerator<64> mac("mac", mac_params);
    std::cout << registers_c_header(bnn.registers(), mac.registers());
    return 0;
  }
  const auto print = [&](const AcceleratorFace& accel) {
    std::cout << (vm.count("markdown") ? to_markdown(accel.registers()) : to_text(accel.registers()));
  };
  if (params.datapath == DatapathKind::mac)
    print(MacAccelerator<64>("accel", params));
  else
    print(Accelerator<64>("accel", params));
  return 0;
}

int cmd_program_image(const std::vector<std::string>& args) {
  std::string config_file, output;
  std::vector<std::string> overrides;
  po::options_description desc(
      "scbnn program-image: the program image of the configured network (network.path) for the configured\n"
      "accelerator, which firmware plays with the C driver's scbnn_program (docs/registers.md, \"Program images\")\n\n"
      "Options");
  desc.add_options()("help,h", "show this help");
  add_config_options(desc, config_file, overrides);
  desc.add_options()("output,o", po::value(&output), "image file to write");
  po::variables_map vm;
  if (!parse_options(args, desc, vm)) return 0;
  if (output.empty()) throw InputError("-o FILE is required (the program image to write)");
  const PlatformParams configured = platform_params(load_config(config_file, overrides));
  const Network net = load_network(resolve_network(configured.network.path));
  check_datapath(configured, net);
  const PlatformParams p = hardware_params_for(configured, net);
  const ProgramSettings settings = program_settings(p, p.run.first_image);
  ProgramImage image;
  try {
    image = net.quantised() ? quantised_program_image(net, settings)
                            : binarized_program_image(net, p.accel.core.array, settings);
  } catch (const std::invalid_argument& e) {
    throw InputError("the network does not fit the hardware: " + std::string(e.what()));
  }
  const std::vector<uint8_t> bytes = serialise(image);
  write_file_atomically(output, std::string(bytes.begin(), bytes.end()));
  std::cout << "wrote " << output << ": " << image.records.size() << " records, " << bytes.size() << " bytes, for the "
            << (net.quantised() ? "MAC-array" : "SC-BNN") << " accelerator\n";
  return 0;
}

int cmd_config(const std::vector<std::string>& args) {
  po::options_description desc("scbnn config: list every configuration key\n\nOptions");
  desc.add_options()("help,h", "show this help")("markdown", "print the Markdown table of docs/configuration.md");
  po::variables_map vm;
  if (!parse_options(args, desc, vm)) return 0;
  if (vm.count("markdown")) {
    std::cout << schema_markdown(platform_schema());
    return 0;
  }
  std::cout << schema_text(platform_schema());
  return 0;
}

int cmd_presets(const std::vector<std::string>& args) {
  std::string preset = "st-mram-28nm";
  po::options_description desc(
      "scbnn presets: print the power model's component classes and a technology preset's entries with their\n"
      "units and sources (docs/power-model.md embeds both)\n\nOptions");
  desc.add_options()("help,h", "show this help")("preset", po::value(&preset),
                                                 "shipped preset name or YAML file (default st-mram-28nm)")(
      "markdown", "Markdown tables (the default output)")(
      "all", "every shipped preset (power/presets/*.yaml), the default first")("catalogue",
                                                                               "print only the component classes");
  po::variables_map vm;
  if (!parse_options(args, desc, vm)) return 0;
  if (vm.count("catalogue")) {
    std::cout << catalogue_markdown();
    return 0;
  }
  if (vm.count("all")) {
    std::vector<std::string> names = shipped_data_names(ShippedData::presets, ".yaml");
    std::stable_partition(names.begin(), names.end(), [&](const std::string& n) { return n == preset; });
    for (size_t i = 0; i < names.size(); ++i)
      std::cout << (i ? "\n" : "") << preset_markdown(load_preset(resolve_preset(names[i])));
    return 0;
  }
  std::cout << preset_markdown(load_preset(resolve_preset(preset)));
  return 0;
}

}  // namespace scbnn
