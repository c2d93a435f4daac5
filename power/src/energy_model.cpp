#include "scbnn/power/energy_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "scbnn/base/errors.h"
#include "scbnn/base/text.h"

namespace scbnn {
namespace {

const ComponentClassSpec& class_spec(const std::string& cls, const std::string& component) {
  const ComponentClassSpec* spec = find_component_class(cls);
  if (!spec) throw InputError("component " + component + " has class '" + cls + "', unknown to the power model");
  return *spec;
}

std::string missing(const TechnologyPreset& preset, const std::string& key, const std::string& why,
                    const std::string& example) {
  return "technology preset '" + preset.name + "' (" + preset.file + ") has no entry for " + key + ", needed by " +
         why + "; add it to the preset or set -p power.entry." + key + "='" + example + "'";
}

TableEntry table_area(const TechnologyPreset& preset, const std::string& key, const std::string& why,
                      const ComponentClassSpec& spec) {
  const auto table = preset.components.find(spec.name);
  if (table == preset.components.end() || !table->second.area)
    throw InputError(missing(preset, key, why, "1.0 um^2/" + spec.basis));
  return *table->second.area;
}

// The area per unit that the hardware's device parameters fix, at the preset's feature size.
TableEntry device_area(const TechnologyPreset& preset, const HardwareItem& h, const ComponentClassSpec& spec) {
  if (!(h.device_area.f2 > 0))
    throw InputError("component " + h.component + " of class " + spec.name + " gives no cell area (" +
                     spec.area_parameter + ")");
  TableEntry e;
  e.written = h.device_area.f2;
  e.unit = "F^2";
  e.per = spec.basis;
  e.value = to_canonical(e.written, e.unit, UnitKind::area, preset.feature_nm, spec.name + ".area");
  e.source = h.device_area.source + ", F = " + fmt("%g", preset.feature_nm) + " nm (" + preset.name + ")";
  e.origin = spec.area_parameter;
  e.from_device = true;
  return e;
}

// The energy of one device-derived action (ActionSpec::energy_parameter), as the model gives it.
TableEntry device_energy(const ActionCount& a, const ActionSpec& action) {
  if (a.device_energy.source.empty() || !(a.device_energy.fj >= 0))
    throw InputError("component " + a.component + " of class " + a.component_class + " gives no device energy for " +
                     a.action + " (" + action.energy_parameter + ")");
  TableEntry e;
  e.written = a.device_energy.fj;
  e.unit = "fJ";
  e.value = to_canonical(e.written, e.unit, UnitKind::energy, 0, a.component_class + "." + a.action);
  e.source = a.device_energy.source;
  e.origin = action.energy_parameter;
  e.from_device = true;
  return e;
}

// The catalogue's action and the entry that prices `a` (the preset's, the one of the action
// it is priced as, or the device energy the model gave); throws naming the class, the action
// and `why` (who needs it) when one is missing.
struct ActionPrice {
  const ActionSpec* action;
  TableEntry entry;
  std::string key;  // "class.action" of the entry
};
ActionPrice action_price(const TechnologyPreset& preset, const ActionCount& a, const std::string& why) {
  const ComponentClassSpec& spec = class_spec(a.component_class, a.component);
  const ActionSpec* action = spec.action(a.action);
  if (!action)
    throw InputError("component " + a.component + " counted action '" + a.action + "', unknown to class " +
                     a.component_class);
  if (!action->energy_parameter.empty()) return {action, device_energy(a, *action), a.component_class + "." + a.action};
  const std::string& priced = action->priced_as.empty() ? a.action : action->priced_as;
  const std::string key = a.component_class + "." + priced;
  const TableEntry* e = preset.action_entry(a.component_class, priced);
  if (!e) throw InputError(missing(preset, key, why, action->pricing == Pricing::per_charge ? "1.0 V" : "1.0 fJ"));
  return {action, *e, key};
}

// The area (table or device) and the leakage entry of a piece of hardware; throws naming
// the entry and the component when one is missing.
struct HardwarePrice {
  const ComponentClassSpec* spec;
  TableEntry area;
  std::string area_key, leakage_key;
};
HardwarePrice hardware_price(const TechnologyPreset& preset, const HardwareItem& h) {
  const ComponentClassSpec& spec = class_spec(h.component_class, h.component);
  if (h.basis != spec.basis)
    throw InputError("component " + h.component + " is sized per '" + h.basis + "' but class " + h.component_class +
                     " is priced per '" + spec.basis + "'");
  const auto table = preset.components.find(h.component_class);
  const std::string why = h.component + " (" + h.detail + ")";
  const std::string area_key = h.component_class + ".area", leak_key = h.component_class + ".leakage";
  TableEntry area =
      spec.area_parameter.empty() ? table_area(preset, area_key, why, spec) : device_area(preset, h, spec);
  if (table == preset.components.end() || !table->second.leakage)
    throw InputError(missing(preset, leak_key, why, "1.0 nW/" + spec.basis));
  return {&spec, std::move(area), area_key, leak_key};
}

const char* phase_name(Phase p) { return p == Phase::programming ? "programming" : "inference"; }

std::string entry_text(const std::string& key, const TableEntry& e) {
  return key + " = " + fmt("%g", e.written) + " " + e.unit + (e.per.empty() ? "" : "/" + e.per) + " (" + e.origin + ")";
}

// Every energy, area, power and ratio of a priced run is finite: one that is not stops the
// run, naming the table entry that made it so (the largest contribution for a total).
void require_finite(double value, const std::string& quantity, const std::string& cause) {
  if (std::isfinite(value)) return;
  throw InputError(quantity + " is not finite (" + fmt("%g", value) + "), from entry " + cause +
                   ": the entry's value is out of range");
}

// The entry behind the largest of `items` by `size` (a NaN or infinity counts as largest).
template <typename Item, typename Size, typename Key>
std::string largest(const std::vector<Item>& items, Size size, Key key, const PowerReport& r) {
  const Item* top = nullptr;
  for (const auto& i : items)
    if (!top || !(size(i) <= size(*top))) top = &i;
  return top ? entry_text(key(*top), r.entries_used.at(key(*top))) : "(none)";
}

void require_finite_totals(const PowerReport& r) {
  const std::string top_leakage = largest(
      r.hardware, [](const PricedHardware& h) { return h.leakage_nw; },
      [](const PricedHardware& h) { return h.leakage_key; }, r);
  const std::string top_dynamic = largest(
      r.actions, [](const PricedAction& a) { return a.phase == Phase::inference ? a.energy_pj : 0.0; },
      [](const PricedAction& a) { return a.entry_key; }, r);
  require_finite(r.leakage_total_pj(), "leakage energy of the run", top_leakage);
  const std::string top_energy = r.inference_leakage_pj() > r.inference_dynamic_pj ? top_leakage : top_dynamic;
  require_finite(r.energy_per_inference_pj(), "energy per inference", top_energy);
  require_finite(r.total_pj(), "total energy of the run", top_energy);
  const double e_inf = r.energy_per_inference_pj();
  if (e_inf > 0) {
    require_finite(r.times.ops_per_inference / e_inf, "TOPS/W (operations per pJ)", top_energy);
    require_finite(1e6 / e_inf, "inferences per uJ", top_energy);
  }
}

// Splits the inferences' energy by layer and stage: each inference action's energy by the
// layer its counts were made in (a count its breakdown does not cover is outside any layer)
// and by its catalogue stage; the leakage by each layer's stages' share of the simulated
// time, the inference time no layer spent counting as control.
void price_layers(PowerReport& r, const std::vector<ActionCount>& actions) {
  const RunTimes& t = r.times;
  size_t layers = t.layer_cycles.size();
  for (const auto& a : actions) layers = std::max(layers, a.by_layer.layers.size());
  r.layers.assign(layers, LayerEnergy{});
  r.outside_layers = LayerEnergy{};
  size_t priced = 0;  // r.actions follows `actions` without the zero counts
  for (const auto& a : actions) {
    if (a.count == 0) continue;
    const PricedAction& p = r.actions[priced++];
    if (p.phase != Phase::inference) continue;
    const size_t s = size_t(p.stage);
    uint64_t in_layers = 0;
    for (size_t l = 0; l < a.by_layer.layers.size(); ++l) {
      const double e = p.energy_per_count_pj * double(a.by_layer.layers[l]);
      r.layers[l].dynamic_pj += e;
      r.layers[l].stages[s].dynamic_pj += e;
      in_layers += a.by_layer.layers[l];
    }
    const double outside = p.energy_per_count_pj * double(a.count - std::min(a.count, in_layers));
    r.outside_layers.dynamic_pj += outside;
    r.outside_layers.stages[s].dynamic_pj += outside;
  }
  double layer_leakage = 0;
  for (size_t l = 0; l < t.layer_cycles.size(); ++l) {
    LayerEnergy& e = r.layers[l];
    for (size_t s = 0; s < kStageCount; ++s) {
      StageEnergy& stage = e.stages[s];
      stage.cycles = t.layer_cycles[l][s];
      if (t.clock_mhz > 0)
        stage.leakage_pj =
            r.leakage_nw * (double(stage.cycles) / (t.clock_mhz * 1e6 * double(std::max(1u, t.units)))) * 1e3;
      e.cycles += stage.cycles;
      e.leakage_pj += stage.leakage_pj;
    }
    layer_leakage += e.leakage_pj;
  }
  r.outside_layers.leakage_pj = r.inference_leakage_pj() - layer_leakage;
  r.outside_layers.stages[size_t(Stage::control)].leakage_pj = r.outside_layers.leakage_pj;
  r.stages = {};
  for (const LayerEnergy* e = r.layers.data(); e != r.layers.data() + r.layers.size(); ++e)
    for (size_t s = 0; s < kStageCount; ++s) {
      r.stages[s].cycles += e->stages[s].cycles;
      r.stages[s].dynamic_pj += e->stages[s].dynamic_pj;
      r.stages[s].leakage_pj += e->stages[s].leakage_pj;
    }
  for (size_t s = 0; s < kStageCount; ++s) {
    r.stages[s].dynamic_pj += r.outside_layers.stages[s].dynamic_pj;
    r.stages[s].leakage_pj += r.outside_layers.stages[s].leakage_pj;
  }
  StageEnergy& programming = r.stages[size_t(Stage::programming)];
  programming.dynamic_pj = r.programming_pj;
  programming.leakage_pj = r.leakage_nw * std::max(0.0, t.simulated_s - t.inference_s) * 1e3;
}

// The area factor `name` of the preset, required when `role` hardware was built: its entry,
// or an InputError naming the factor, the hardware that needs it and how to supply it.
const TableEntry& area_factor(const TechnologyPreset& preset, const char* name, const std::string& why) {
  const TableEntry* e = preset.area_factor(name);
  if (!e)
    throw InputError("technology preset '" + preset.name + "' (" + preset.file + ") has no area factor " + name +
                     ", needed by " + why + "; add area_factors." + name +
                     " to the preset or set -p power.area_factor." + name + "=<share in (0, 1]>");
  return *e;
}

// The first component of `role` among the priced hardware, for error messages.
std::string first_of_role(const std::vector<PricedHardware>& hardware, AreaRole role) {
  for (const auto& h : hardware)
    if (find_component_class(h.item.component_class)->area_role == role)
      return h.item.component + " (" + h.item.component_class + ", " + area_role_name(role) + ")";
  return area_role_name(role);
}

// Rolls the priced hardware's area up (docs/power-model.md, "Area"): the bare sum by role,
// the weight arrays' macro from the cells and array_efficiency, the logic's placed area
// from logic_utilisation.
void roll_up_area(PowerReport& r, const TechnologyPreset& preset) {
  AreaRollUp& a = r.area_roll_up;
  a = AreaRollUp{};
  for (const auto& h : r.hardware) {
    a.raw_by_role_um2[size_t(find_component_class(h.item.component_class)->area_role)] += h.area_um2;
    a.raw_um2 += h.area_um2;
  }
  const double cells = a.raw(AreaRole::array_cell), logic = a.raw(AreaRole::logic);
  if (cells > 0) {
    const TableEntry& e = area_factor(preset, kArrayEfficiency, first_of_role(r.hardware, AreaRole::array_cell));
    a.array_efficiency = e.value;
    r.entries_used[std::string("area_factors.") + kArrayEfficiency] = e;
    a.array_periphery_added_um2 = std::max(0.0, cells / e.value - cells - a.raw(AreaRole::array_periphery));
  }
  if (logic > 0) {
    const TableEntry& e = area_factor(preset, kLogicUtilisation, first_of_role(r.hardware, AreaRole::logic));
    a.logic_utilisation = e.value;
    r.entries_used[std::string("area_factors.") + kLogicUtilisation] = e;
    a.logic_routing_added_um2 = logic * (1 / e.value - 1);
  }
  r.area_um2 = a.total_um2();
  require_finite(r.area_um2, "area",
                 "area_factors (array efficiency " + fmt("%g", a.array_efficiency) + ", logic utilisation " +
                     fmt("%g", a.logic_utilisation) + ")");
}

}  // namespace

double PowerReport::energy_per_inference_pj() const {
  if (times.inferences == 0) return 0;
  return (inference_dynamic_pj + inference_leakage_pj()) / double(times.inferences);
}

PowerReport price_run(const TechnologyPreset& preset, const std::vector<ActionCount>& actions,
                      const std::vector<HardwareItem>& hardware, const RunTimes& times) {
  PowerReport r;
  r.preset = preset.name;
  r.preset_file = preset.file;
  r.feature_nm = preset.feature_nm;
  r.times = times;
  for (const auto& a : actions) {
    if (a.count == 0) continue;
    const ActionPrice price = action_price(preset, a, std::to_string(a.count) + " counts by " + a.component);
    const ActionSpec* action = price.action;
    const TableEntry* e = &price.entry;
    const std::string& key = price.key;
    PricedAction p{a.component, a.component_class, a.action, key, action->phase(), action->stage, a.count, 0, 0};
    // per_charge: the count is in fC and the entry a voltage; 1 fC x 1 V = 1e-3 pJ.
    p.energy_per_count_pj = action->pricing == Pricing::per_charge ? e->value * 1e-3 : e->value;
    p.energy_pj = p.energy_per_count_pj * double(a.count);
    double& phase_total = action->phase() == Phase::programming ? r.programming_pj : r.inference_dynamic_pj;
    phase_total += p.energy_pj;
    const std::string cause = entry_text(key, *e) + ", " + std::to_string(a.count) + " counts by " + a.component;
    require_finite(p.energy_pj, "energy of " + key, cause);
    require_finite(phase_total, std::string(phase_name(action->phase())) + " energy", cause);
    r.entries_used[key] = *e;
    r.actions.push_back(p);
  }
  for (const auto& h : hardware) {
    if (h.quantity <= 0) continue;
    const HardwarePrice price = hardware_price(preset, h);
    const std::string &area_key = price.area_key, &leak_key = price.leakage_key;
    const TableEntry& area = price.area;
    const auto table = preset.components.find(h.component_class);
    const ComponentClassSpec& spec = *price.spec;
    PricedHardware p{h, area_key, leak_key, h.quantity * area.value, h.quantity * table->second.leakage->value};
    r.area_um2 += p.area_um2;
    r.leakage_nw += p.leakage_nw;
    const std::string quantity = fmt("%g ", h.quantity) + spec.basis + " of " + h.component;
    require_finite(r.area_um2, "area", entry_text(area_key, area) + ", " + quantity);
    require_finite(r.leakage_nw, "leakage power", entry_text(leak_key, *table->second.leakage) + ", " + quantity);
    r.entries_used[area_key] = area;
    r.entries_used[leak_key] = *table->second.leakage;
    r.hardware.push_back(p);
  }
  roll_up_area(r, preset);
  require_finite_totals(r);
  price_layers(r, actions);
  return r;
}

void require_preset_covers(const TechnologyPreset& preset, const std::vector<ActionCount>& actions,
                           const std::vector<HardwareItem>& hardware) {
  for (const auto& a : actions) action_price(preset, a, a.component + " (built in this configuration)");
  for (const auto& h : hardware) {
    if (!(h.quantity > 0)) continue;
    const HardwarePrice price = hardware_price(preset, h);
    const std::string why = h.component + " (" + h.component_class + ", built in this configuration)";
    if (price.spec->area_role == AreaRole::array_cell) area_factor(preset, kArrayEfficiency, why);
    if (price.spec->area_role == AreaRole::logic) area_factor(preset, kLogicUtilisation, why);
  }
}

nlohmann::ordered_json power_json(const PowerReport& r) {
  using json = nlohmann::ordered_json;
  const double n = r.times.inferences ? double(r.times.inferences) : 1.0;
  // Per component class: inference energy per inference, by action, and area.
  json classes = json::object();
  for (const auto& a : r.actions) {
    json& c = classes[a.component_class];
    if (!c.contains("inference_pj_per_inference")) {
      c["inference_pj_per_inference"] = 0.0;
      c["programming_pj"] = 0.0;
      c["actions"] = json::object();
    }
    json& act = c["actions"][a.action];
    if (act.is_null())
      act = {{"phase", phase_name(a.phase)}, {"stage", stage_name(a.stage)}, {"count", 0}, {"energy_pj", 0.0}};
    act["count"] = act["count"].get<uint64_t>() + a.count;
    act["energy_pj"] = act["energy_pj"].get<double>() + a.energy_pj;
    const char* field = a.phase == Phase::programming ? "programming_pj" : "inference_pj_per_inference";
    c[field] = c[field].get<double>() + (a.phase == Phase::programming ? a.energy_pj : a.energy_pj / n);
  }
  json area = json::object();
  for (const auto& h : r.hardware) {
    json& c = area[h.item.component_class];
    if (c.is_null())
      c = {{"basis", h.item.basis}, {"quantity", 0.0}, {"area_um2", 0.0}, {"leakage_nw", 0.0}, {"instances", 0}};
    c["quantity"] = c["quantity"].get<double>() + h.item.quantity;
    c["area_um2"] = c["area_um2"].get<double>() + h.area_um2;
    c["leakage_nw"] = c["leakage_nw"].get<double>() + h.leakage_nw;
    c["instances"] = c["instances"].get<uint64_t>() + 1;
  }
  json per_instance = json::array();
  for (const auto& a : r.actions)
    per_instance.push_back({{"component", a.component},
                            {"class", a.component_class},
                            {"action", a.action},
                            {"phase", phase_name(a.phase)},
                            {"stage", stage_name(a.stage)},
                            {"count", a.count},
                            {"energy_per_count_pj", a.energy_per_count_pj},
                            {"energy_pj", a.energy_pj}});
  json hardware = json::array();
  for (const auto& h : r.hardware)
    hardware.push_back({{"component", h.item.component},
                        {"class", h.item.component_class},
                        {"basis", h.item.basis},
                        {"quantity", h.item.quantity},
                        {"detail", h.item.detail},
                        {"area_um2", h.area_um2},
                        {"leakage_nw", h.leakage_nw}});
  json entries = json::object();
  size_t overridden = 0;
  for (const auto& [key, e] : r.entries_used) {
    entries[key] = {{"value", e.written},
                    {"unit", e.unit},
                    {"canonical", e.value},
                    {"source", e.source},
                    {"origin", e.overridden    ? "override"
                               : e.from_device ? "device"
                                               : "preset"},
                    {"where", e.origin}};
    if (!e.per.empty()) entries[key]["per"] = e.per;
    if (e.overridden) ++overridden;
  }
  const auto stage_json = [n](const StageEnergy& e) {
    return json{{"cycles_per_inference", double(e.cycles) / n},
                {"energy_pj_per_inference", e.energy_pj() / n},
                {"dynamic_pj_per_inference", e.dynamic_pj / n},
                {"leakage_pj_per_inference", e.leakage_pj / n}};
  };
  const auto stages_json = [&stage_json](const std::array<StageEnergy, kStageCount>& stages) {
    json j = json::object();
    for (Stage s : inference_stages()) j[stage_name(s)] = stage_json(stages[size_t(s)]);
    return j;
  };
  const auto layer_json = [n, &stages_json](const LayerEnergy& e) {
    return json{{"cycles_per_inference", double(e.cycles) / n},
                {"energy_pj_per_inference", e.energy_pj() / n},
                {"dynamic_pj_per_inference", e.dynamic_pj / n},
                {"leakage_pj_per_inference", e.leakage_pj / n},
                {"stages", stages_json(e.stages)}};
  };
  json per_layer = json::array();
  for (size_t l = 0; l < r.layers.size(); ++l) {
    json e = {{"layer", l}};
    e.update(layer_json(r.layers[l]));
    per_layer.push_back(e);
  }
  const double e_inf = r.energy_per_inference_pj();
  json j;
  j["preset"] = {{"name", r.preset},
                 {"file", r.preset_file},
                 {"entries_used", r.entries_used.size()},
                 {"entries_overridden", overridden}};
  j["units"] = {{"energy", "pJ"}, {"area", "um^2"}, {"power", "nW"}};
  j["energy_per_inference_pj"] = e_inf;
  j["dynamic_per_inference_pj"] = r.inference_dynamic_pj / n;
  j["leakage_per_inference_pj"] = r.inference_leakage_pj() / n;
  j["programming_pj"] = r.programming_pj;
  j["leakage_nw"] = r.leakage_nw;
  j["leakage_total_pj"] = r.leakage_total_pj();
  j["total_pj"] = r.total_pj();
  j["area_um2"] = r.area_um2;
  const AreaRollUp& a = r.area_roll_up;
  json roles = json::object();
  for (AreaRole role : {AreaRole::array_cell, AreaRole::array_periphery, AreaRole::memory_macro, AreaRole::logic})
    roles[area_role_name(role)] = a.raw(role);
  const auto factor_json = [&r](const char* name, double value) {
    const auto e = r.entries_used.find(std::string("area_factors.") + name);
    json f = {{"value", value}};
    if (e != r.entries_used.end()) {
      f["source"] = e->second.source;
      f["origin"] = e->second.overridden ? "override" : "preset";
    } else {
      f["source"] = "not applied: no hardware of its role was built";
    }
    return f;
  };
  j["area"] = {{"raw_um2", a.raw_um2},
               {"raw_by_role_um2", roles},
               {"array_efficiency", factor_json(kArrayEfficiency, a.array_efficiency)},
               {"array_periphery_added_um2", a.array_periphery_added_um2},
               {"effective_array_efficiency",
                a.raw(AreaRole::array_cell) > 0
                    ? a.raw(AreaRole::array_cell) /
                          (a.raw(AreaRole::array_cell) + a.raw(AreaRole::array_periphery) + a.array_periphery_added_um2)
                    : 0.0},
               {"logic_utilisation", factor_json(kLogicUtilisation, a.logic_utilisation)},
               {"logic_routing_added_um2", a.logic_routing_added_um2},
               {"total_um2", a.total_um2()}};
  j["efficiency"] = {{"ops_per_inference", r.times.ops_per_inference},
                     {"tops_per_w", e_inf > 0 ? r.times.ops_per_inference / e_inf : 0.0},  // ops/pJ = TOPS/W
                     {"inferences_per_uj", e_inf > 0 ? 1e6 / e_inf : 0.0}};
  j["time_base"] = {{"simulated_s", r.times.simulated_s},
                    {"inference_s", r.times.inference_s},
                    {"inferences", r.times.inferences}};
  json per_stage = stages_json(r.stages);
  for (Stage s : inference_stages())
    per_stage[stage_name(s)]["share"] = e_inf > 0 ? r.stages[size_t(s)].energy_pj() / n / e_inf : 0.0;
  const StageEnergy& programming = r.stages[size_t(Stage::programming)];
  j["per_stage"] = per_stage;
  j["programming_stage"] = {{"energy_pj", programming.energy_pj()},
                            {"dynamic_pj", programming.dynamic_pj},
                            {"leakage_pj", programming.leakage_pj},
                            {"time_s", std::max(0.0, r.times.simulated_s - r.times.inference_s)}};
  j["per_layer"] = per_layer;
  j["outside_layers"] = layer_json(r.outside_layers);
  j["per_class"] = classes;
  j["area_per_class"] = area;
  j["actions"] = per_instance;
  j["hardware"] = hardware;
  j["entries"] = entries;
  return j;
}

std::string format_power(const nlohmann::ordered_json& j) {
  std::ostringstream o;
  const double e_inf = j["energy_per_inference_pj"].get<double>(), area = j["area_um2"].get<double>();
  o << "  energy       " << fmt("%.1f nJ", e_inf / 1e3) << " per inference (dynamic "
    << fmt("%.1f nJ", j["dynamic_per_inference_pj"].get<double>() / 1e3) << ", leakage "
    << fmt("%.2f nJ", j["leakage_per_inference_pj"].get<double>() / 1e3) << "), "
    << fmt("%.2f TOPS/W", j["efficiency"]["tops_per_w"].get<double>()) << "\n";
  o << "  programming  " << fmt("%.3f uJ", j["programming_pj"].get<double>() / 1e6) << " to load the network\n";
  if (j.contains("per_stage")) {
    o << "  stages       per inference: ";
    bool first = true;
    for (const auto& [stage, e] : j["per_stage"].items()) {
      o << (first ? "" : ", ") << stage << " " << fmt("%.1f nJ", e["energy_pj_per_inference"].get<double>() / 1e3)
        << fmt(" (%.0f %%)", 100 * e["share"].get<double>());
      first = false;
    }
    o << "\n";
    const auto& p = j["programming_stage"];
    o << "               programming apart: " << fmt("%.3f uJ", p["energy_pj"].get<double>() / 1e6)
      << " per network load (dynamic " << fmt("%.3f uJ", p["dynamic_pj"].get<double>() / 1e6) << " + leakage "
      << fmt("%.3f uJ", p["leakage_pj"].get<double>() / 1e6) << " over "
      << fmt("%.1f us", p["time_s"].get<double>() * 1e6) << ")\n";
  }
  o << "  area         " << fmt("%.4f mm^2", area / 1e6) << ", leakage "
    << fmt("%.3f mW", j["leakage_nw"].get<double>() / 1e6) << "  (preset " << j["preset"]["name"].get<std::string>()
    << ")\n";
  std::map<std::string, std::pair<double, double>> by_class;  // pJ per inference, um^2
  for (const auto& [cls, c] : j["per_class"].items())
    by_class[cls].first = c["inference_pj_per_inference"].get<double>();
  for (const auto& [cls, c] : j["area_per_class"].items()) by_class[cls].second = c["area_um2"].get<double>();
  std::vector<std::pair<std::string, double>> added;  // the roll-up's additions, as rows of the table
  if (j.contains("area")) {
    const auto& a = j["area"];
    o << "               " << fmt("%.4f mm^2", a["raw_um2"].get<double>() / 1e6) << " of parts + "
      << fmt("%.4f mm^2", a["array_periphery_added_um2"].get<double>() / 1e6) << " array periphery (array efficiency "
      << fmt("%g", a["array_efficiency"]["value"].get<double>()) << ") + "
      << fmt("%.4f mm^2", a["logic_routing_added_um2"].get<double>() / 1e6) << " logic routing (utilisation "
      << fmt("%g", a["logic_utilisation"]["value"].get<double>()) << ")\n";
    added = {{"(array periphery)", a["array_periphery_added_um2"].get<double>()},
             {"(logic routing)", a["logic_routing_added_um2"].get<double>()}};
  }
  o << "    component              energy/inference        area\n";
  const auto row = [&](const std::string& name, double pj, double um2) {
    o << "    " << name << std::string(name.size() < 22 ? 22 - name.size() : 1, ' ') << fmt("%9.3f nJ", pj / 1e3)
      << fmt(" %5.1f %%", e_inf > 0 ? 100 * pj / e_inf : 0.0) << fmt("  %8.4f mm^2", um2 / 1e6)
      << fmt(" %5.1f %%", area > 0 ? 100 * um2 / area : 0.0) << "\n";
  };
  for (const auto& [cls, v] : by_class) row(cls, v.first, v.second);
  for (const auto& [name, um2] : added) row(name, 0.0, um2);
  size_t assumed = 0;
  for (const auto& [key, e] : j["entries"].items())
    if (e["source"].get<std::string>().rfind("assumption", 0) == 0) ++assumed;
  o << "  tables       " << j["entries"].size() << " entries used, " << assumed << " of them assumptions, "
    << j["preset"]["entries_overridden"].get<size_t>() << " overridden (the JSON report lists each with its source)\n";
  return o.str();
}

}  // namespace scbnn
