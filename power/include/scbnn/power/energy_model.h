#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/power/catalogue.h"
#include "scbnn/power/technology.h"

namespace scbnn {

// Accelerator cycles by stage (index: size_t(Stage)).
using StageCycles = std::array<uint64_t, kStageCount>;

// The run's time base for leakage and per-inference figures.
struct RunTimes {
  double simulated_s = 0;  // whole simulation, programming included
  double inference_s = 0;  // simulated time spent on inferences (after programming)
  uint64_t inferences = 0;
  double clock_mhz = 0;          // accelerator clock (Accelergy's leak counts are cycles)
  double ops_per_inference = 0;  // binary operations of the network (2 per weight: XNOR + accumulate)
  // Accelerator cycles of each layer by stage, summed over the inferences: layer l's time in
  // stage s is layer_cycles[l][s] / clock (its leakage share); the tool maps the cycle
  // ledger's phases to stages (stage_of_cycle_phase).
  std::vector<StageCycles> layer_cycles;
  // Accelerators that ran those cycles side by side (platform.accelerators): a layer's share
  // of the simulated time is its cycles / clock / units, as the units overlap.
  uint32_t units = 1;
};

// Energy of one stage in one layer (or outside any layer, or in the whole run).
struct StageEnergy {
  uint64_t cycles = 0;    // accelerator cycles of the stage
  double dynamic_pj = 0;  // actions of the stage
  double leakage_pj = 0;  // leakage power x the stage's time
  double energy_pj() const { return dynamic_pj + leakage_pj; }
};

// The inferences' energy spent in one layer (or outside any layer), summed over the run.
struct LayerEnergy {
  uint64_t cycles = 0;    // the layer's accelerator cycles (the sum of RunTimes::layer_cycles[l])
  double dynamic_pj = 0;  // inference-phase actions counted during the layer
  double leakage_pj = 0;  // leakage power x the layer's time (cycles / clock)
  // The same by stage: dynamic by each action's stage, leakage by each stage's cycles (outside
  // any layer: the inference time no layer spent counts as control). They sum to the above.
  std::array<StageEnergy, kStageCount> stages{};
  double energy_pj() const { return dynamic_pj + leakage_pj; }
};

// How the area rolls up from the priced hardware (docs/power-model.md, "Area"): the bare sum
// of the parts by AreaRole, the preset's factors, and what they add.
struct AreaRollUp {
  std::array<double, 4> raw_by_role_um2{};  // index: size_t(AreaRole)
  double raw_um2 = 0;                       // bare sum of the priced hardware
  double array_efficiency = 1;              // in force (1 when no array cells were built)
  double logic_utilisation = 1;             // in force (1 when no logic was built)
  // Array macro = cells / array_efficiency; what it holds beyond the cells and the counted
  // periphery (never negative: counted periphery larger than the macro leaves 0).
  double array_periphery_added_um2 = 0;
  double logic_routing_added_um2 = 0;  // logic x (1 / logic_utilisation - 1)
  double total_um2() const { return raw_um2 + array_periphery_added_um2 + logic_routing_added_um2; }
  double raw(AreaRole r) const { return raw_by_role_um2[size_t(r)]; }
};

struct PricedAction {
  std::string component, component_class, action, entry_key;
  Phase phase = Phase::inference;
  Stage stage = Stage::array;
  uint64_t count = 0;
  double energy_per_count_pj = 0;
  double energy_pj = 0;
};

struct PricedHardware {
  HardwareItem item;
  std::string area_key, leakage_key;
  double area_um2 = 0;
  double leakage_nw = 0;
};

// Energy, area and leakage of one run, priced from a technology preset.
struct PowerReport {
  std::string preset;
  std::string preset_file;
  double feature_nm = 0;  // the preset's feature size (the Accelergy export's technology)
  RunTimes times;
  std::vector<PricedAction> actions;
  std::vector<PricedHardware> hardware;
  std::map<std::string, TableEntry> entries_used;  // "class.action", "class.area", "class.leakage"
  double programming_pj = 0;                       // dynamic energy of loading the network
  double inference_dynamic_pj = 0;                 // dynamic energy of all inferences
  double leakage_nw = 0;                           // leakage power of the instantiated hardware
  double area_um2 = 0;                             // total: area_roll_up.total_um2()
  AreaRollUp area_roll_up;
  // The inferences' energy by layer: inference_dynamic_pj and inference_leakage_pj() are
  // the sums over `layers` and `outside_layers` (programming energy stays apart).
  std::vector<LayerEnergy> layers;
  // What no layer accounts for: inference-phase actions counted outside any layer (the host
  // copying images in, register accesses) and the leakage of the inference time no layer
  // spent (bus transfers and interrupt handling between inferences).
  LayerEnergy outside_layers;
  // By stage, summed over the layers and outside_layers (the inferences' energy); the
  // programming slot holds the network load apart: its dynamic energy (programming_pj) and
  // the leakage of the programming time.
  std::array<StageEnergy, kStageCount> stages{};

  double leakage_total_pj() const { return leakage_nw * times.simulated_s * 1e3; }
  double inference_leakage_pj() const { return leakage_nw * times.inference_s * 1e3; }
  double programming_leakage_pj() const { return leakage_total_pj() - inference_leakage_pj(); }
  // Dynamic + leakage energy of the inferences, per inference.
  double energy_per_inference_pj() const;
  double total_pj() const { return programming_pj + inference_dynamic_pj + leakage_total_pj(); }
};

// Prices every counted action and rolls up area and leakage. An action that occurred, or a
// piece of hardware, without a table entry throws InputError naming the entry and how to
// supply it (never a silent zero).
PowerReport price_run(const TechnologyPreset& preset, const std::vector<ActionCount>& actions,
                      const std::vector<HardwareItem>& hardware, const RunTimes& times);

// Checked at start-up, before simulating: every action the built components count (each
// ledger entry, whatever its count) and every piece of built hardware has its entries in
// the preset (and its class and action in the catalogue). Throws the InputError price_run
// would throw after the run, naming the class and action (or area / leakage) and the
// component that needs it.
void require_preset_covers(const TechnologyPreset& preset, const std::vector<ActionCount>& actions,
                           const std::vector<HardwareItem>& hardware);

// JSON section of the run report: totals, per component class and action, per instance,
// area per component, efficiency, and every table entry used with its source.
nlohmann::ordered_json power_json(const PowerReport& report);
// Human-readable table of a power_json() section.
std::string format_power(const nlohmann::ordered_json& power);

}  // namespace scbnn
