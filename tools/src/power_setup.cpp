#include "scbnn/tools/power_setup.h"

#include <stdexcept>

#include "scbnn/base/data_files.h"
#include "scbnn/models/mac_pe.h"

namespace scbnn {

std::string resolve_preset(const std::string& name) {
  mac_pe_registry();  // links the MAC PE kinds, whose component classes a preset prices
  return resolve_shipped_file(name, ShippedData::presets, "power.preset", ".yaml");
}

TechnologyPreset technology_from(const Config& config) {
  TechnologyPreset t = load_preset(resolve_preset(config.text("power.preset")));
  for (const auto& e : config.family("power.entry.*")) {
    const std::string where =
        e.origin == Origin::file ? "configuration file " + e.where : std::string("command line -p");
    override_entry(t, e.key.substr(std::string("power.entry.").size()), e.value, where);
  }
  for (const auto& e : config.family("power.area_factor.*")) {
    const std::string where =
        e.origin == Origin::file ? "configuration file " + e.where : std::string("command line -p");
    override_area_factor(t, e.key.substr(std::string("power.area_factor.").size()), e.value, where);
  }
  return t;
}

std::vector<StageCycles> stage_cycles(const CycleLedger& ledger) {
  std::vector<StageCycles> layers;
  for (const auto& l : ledger.layers()) {
    StageCycles c{};
    for (const auto& [phase, cycles] : l.phases) {
      const Stage* stage = stage_of_cycle_phase(phase);
      if (!stage)
        throw std::logic_error("cycle phase '" + phase + "' of " + l.name +
                               " has no energy stage: declare it with declare_cycle_phase_stage "
                               "(scbnn/base/component_class.h) where the phase is counted");
      c[size_t(*stage)] += cycles;
    }
    layers.push_back(c);
  }
  return layers;
}

PowerReport price_outcome(const TechnologyPreset& technology, const PlatformParams& params, const Network& network,
                          const RunOutcome& outcome) {
  RunTimes times;
  times.simulated_s = outcome.simulated_time.to_seconds();
  times.inference_s = std::max(0.0, (outcome.simulated_time - outcome.programming_time).to_seconds());
  times.inferences = outcome.records.size();
  times.clock_mhz = params.accel.clock_mhz;
  times.layer_cycles = stage_cycles(outcome.cycles);
  times.units = uint32_t(outcome.accelerators);
  for (const auto& l : network.layers) times.ops_per_inference += 2.0 * double(l.inputs) * double(l.outputs);
  return price_run(technology, outcome.actions.entries(), outcome.hardware.items(), times);
}

}  // namespace scbnn
