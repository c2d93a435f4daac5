#include "scbnn/platforms/power_setup.h"

#include <filesystem>

#include "scbnn/stimuli/errors.h"

namespace scbnn {

std::string resolve_preset(const std::string& name) {
  if (std::filesystem::exists(name) || name.find('/') != std::string::npos) return name;
  const std::string file = name.size() > 5 && name.compare(name.size() - 5, 5, ".yaml") == 0 ? name : name + ".yaml";
  for (const char* dir : {SCBNN_SOURCE_PRESET_DIR, SCBNN_INSTALLED_PRESET_DIR}) {
    const auto candidate = std::filesystem::path(dir) / file;
    if (std::filesystem::exists(candidate)) return candidate.string();
  }
  throw InputError("power.preset = '" + name + "': no such file, and no shipped preset of that name in " +
                   SCBNN_SOURCE_PRESET_DIR + " or " + SCBNN_INSTALLED_PRESET_DIR);
}

TechnologyPreset technology_from(const Config& config) {
  TechnologyPreset t = load_preset(resolve_preset(config.text("power.preset")));
  for (const auto& e : config.family("power.entry.*")) {
    const std::string where = e.origin == Origin::file ? "configuration file " + e.where : std::string("command line -p");
    override_entry(t, e.key.substr(std::string("power.entry.").size()), e.value, where);
  }
  return t;
}

PowerReport price_outcome(const TechnologyPreset& technology, const PlatformParams& params, const Network& network,
                          const RunOutcome& outcome) {
  RunTimes times;
  times.simulated_s = outcome.simulated_time.to_seconds();
  times.inference_s = std::max(0.0, (outcome.simulated_time - outcome.programming_time).to_seconds());
  times.inferences = outcome.records.size();
  times.clock_mhz = params.accel.clock_mhz;
  for (const auto& l : network.layers) times.ops_per_inference += 2.0 * double(l.inputs) * double(l.outputs);
  return price_run(technology, outcome.actions.entries(), outcome.hardware.items(), times);
}

}  // namespace scbnn
