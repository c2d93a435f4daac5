#include "scbnn/tools/power_setup.h"

#include "scbnn/base/data_files.h"

namespace scbnn {

std::string resolve_preset(const std::string& name) {
  return resolve_shipped_file(name, ShippedData::presets, "power.preset", ".yaml");
}

TechnologyPreset technology_from(const Config& config) {
  TechnologyPreset t = load_preset(resolve_preset(config.text("power.preset")));
  for (const auto& e : config.family("power.entry.*")) {
    const std::string where =
        e.origin == Origin::file ? "configuration file " + e.where : std::string("command line -p");
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
  for (const auto& l : outcome.cycles.layers()) times.layer_cycles.push_back(l.total());
  for (const auto& l : network.layers) times.ops_per_inference += 2.0 * double(l.inputs) * double(l.outputs);
  return price_run(technology, outcome.actions.entries(), outcome.hardware.items(), times);
}

}  // namespace scbnn
