#include <boost/program_options.hpp>

#include <filesystem>
#include <iostream>

#include "scbnn/platforms/commands.h"
#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/platforms/power_setup.h"
#include "scbnn/platforms/progress.h"
#include "scbnn/power/accelergy.h"
#include "scbnn/platforms/report.h"
#include "scbnn/stimuli/atomic_file.h"
#include "scbnn/stimuli/data_files.h"
#include "scbnn/stimuli/errors.h"
#include "scbnn/stimuli/text.h"

namespace po = boost::program_options;

namespace scbnn {
namespace {

// A bare file name that is not in the working directory is looked up among the shipped networks.
std::string resolve_network(const std::string& path) {
  return resolve_shipped_file(path, ShippedData::networks, "network.path");
}

void check_writable(const std::string& path, const char* option) {
  if (path.empty()) return;
  const auto dir = std::filesystem::absolute(path).parent_path();
  if (!std::filesystem::is_directory(dir))
    throw InputError(std::string(option) + " " + path + ": directory " + dir.string() + " does not exist");
}

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  std::string config_file, report_file, predictions_file, accelergy_dir;
  std::vector<std::string> overrides;
  bool quiet = false;
  po::options_description desc(
      "scbnn run: simulate one design point (platform, network, data set) and report accuracy, cycles and\n"
      "latency. Without options it classifies the Fashion-MNIST test set with the shipped network.\n\nOptions");
  desc.add_options()("help,h", "show this help")
      ("config,c", po::value(&config_file), "YAML configuration file (scbnn config lists the keys)")
      ("param,p", po::value(&overrides)->composing(), "override one key, e.g. -p accel.array.rows=128 (repeatable)")
      ("report", po::value(&report_file), "write the JSON report to this file")
      ("predictions", po::value(&predictions_file), "write per-image predictions (CSV) to this file")
      ("accelergy", po::value(&accelergy_dir),
       "write the energy/area tables and action counts in Accelergy's layout (ERT.yaml, ART.yaml, "
       "action_counts.yaml) into this directory")
      ("quiet,q", po::bool_switch(&quiet), "do not print the report table");
  po::variables_map vm;
  if (!parse_options(args, desc, vm)) return 0;
  check_writable(report_file, "--report");
  check_writable(predictions_file, "--predictions");

  Config config;
  if (!config_file.empty()) config.load_yaml_file(config_file);
  for (const auto& o : overrides) config.apply_override(o);

  RunInputs in;
  in.config = &config;
  in.network_path = resolve_network(config.text("network.path"));
  const Network network = load_network(in.network_path);
  in.network = &network;
  in.dataset_path = config.text("dataset.path");
  const Dataset data = load_mnist_format(in.dataset_path, config.text("dataset.split"));
  in.dataset = &data;
  in.first_image = uint32_t(config.integer("run.first_image"));
  if (in.first_image >= data.count())
    throw InputError("run.first_image = " + std::to_string(in.first_image) + " but the split holds " +
                     std::to_string(data.count()) + " images");
  const uint64_t requested = uint64_t(config.integer("run.images"));
  const uint32_t count = uint32_t(requested ? requested : data.count() - in.first_image);

  const PlatformParams params = platform_params(config);
  const TechnologyPreset technology = technology_from(config);  // a bad preset fails before simulating
  in.clock_mhz = params.accel.clock_mhz;
  in.params = &params;
  Platform platform(params, network, data, in.first_image, count);
  Progress progress("images", count);
  if (progress.enabled()) platform.host().on_image_done([&](uint32_t done) { progress.update(done); });
  const RunOutcome outcome = platform.run();
  progress.finish();

  const PowerReport power = price_outcome(technology, params, network, outcome);
  in.power = &power;
  const nlohmann::ordered_json report = make_report(in, outcome);
  // Results are written only once the run has succeeded, each file atomically.
  if (!report_file.empty()) write_file_atomically(report_file, to_json_text(report));
  if (!predictions_file.empty()) write_file_atomically(predictions_file, predictions_csv(in, outcome));
  if (!accelergy_dir.empty()) write_accelergy(power, accelergy_dir);
  if (!quiet) std::cout << format_report(report);
  return 0;
}

int cmd_registers(const std::vector<std::string>& args) {
  po::options_description desc(
      "scbnn registers: print the accelerator's register map (default configuration)\n\nOptions");
  desc.add_options()("help,h", "show this help")("markdown", "Markdown table (as embedded in docs/registers.md)");
  po::variables_map vm;
  if (!parse_options(args, desc, vm)) return 0;
  const Accelerator<64> accel("accel", platform_params(Config()).accel);
  std::cout << to_markdown(accel.registers());
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
  for (const auto& s : platform_schema())
    std::cout << s.key << " = " << s.default_value << (s.unit.empty() ? "" : " " + s.unit) << "\n    " << s.description
              << "\n    source: " << s.source << "\n";
  return 0;
}

int cmd_presets(const std::vector<std::string>& args) {
  std::string preset = "st-mram-28nm";
  po::options_description desc(
      "scbnn presets: print the power model's component classes and a technology preset's entries with their\n"
      "units and sources (docs/power-model.md embeds both)\n\nOptions");
  desc.add_options()("help,h", "show this help")
      ("preset", po::value(&preset), "shipped preset name or YAML file (default st-mram-28nm)")
      ("markdown", "Markdown tables (the default output)")
      ("catalogue", "print only the component classes");
  po::variables_map vm;
  if (!parse_options(args, desc, vm)) return 0;
  if (vm.count("catalogue")) {
    std::cout << catalogue_markdown();
    return 0;
  }
  std::cout << preset_markdown(load_preset(resolve_preset(preset)));
  return 0;
}

}  // namespace scbnn
