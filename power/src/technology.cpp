#include "scbnn/power/technology.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <sstream>

#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"
#include "scbnn/base/text.h"
#include "scbnn/base/yaml_input.h"
#include "scbnn/power/catalogue.h"

namespace scbnn {
namespace {

struct UnitFactor {
  const char* unit;
  double factor;
};

// Factors to the canonical unit of each kind (pJ, um^2, nW, V).
const std::vector<UnitFactor>& units_of(UnitKind kind) {
  static const std::vector<UnitFactor> energy = {{"aJ", 1e-6}, {"fJ", 1e-3}, {"pJ", 1},  {"nJ", 1e3},
                                                 {"uJ", 1e6},  {"mJ", 1e9},  {"J", 1e12}};
  static const std::vector<UnitFactor> area = {{"nm^2", 1e-6}, {"um^2", 1}, {"mm^2", 1e6}, {"F^2", 0}};
  static const std::vector<UnitFactor> power = {{"pW", 1e-3}, {"nW", 1}, {"uW", 1e3}, {"mW", 1e6}, {"W", 1e9}};
  static const std::vector<UnitFactor> voltage = {{"mV", 1e-3}, {"V", 1}};
  switch (kind) {
    case UnitKind::energy: return energy;
    case UnitKind::area: return area;
    case UnitKind::power: return power;
    case UnitKind::voltage: return voltage;
  }
  return energy;
}

// Where the factor-1 (canonical) unit sits in units_of(kind).
size_t canonical_unit_index(UnitKind kind) {
  const auto& units = units_of(kind);
  for (size_t i = 0; i < units.size(); ++i)
    if (units[i].factor == 1) return i;
  return 0;
}

std::string unit_list(UnitKind kind) {
  std::string s;
  for (const auto& u : units_of(kind)) s += std::string(s.empty() ? "" : ", ") + u.unit;
  return s;
}

const char* kind_name(UnitKind kind) {
  switch (kind) {
    case UnitKind::energy: return "an energy";
    case UnitKind::area: return "an area";
    case UnitKind::power: return "a power";
    case UnitKind::voltage: return "a voltage";
  }
  return "";
}

// How an action without a table entry of its own is priced.
std::string derived_pricing(const ActionSpec& a) {
  if (!a.energy_parameter.empty()) return "its energy follows from the device parameters " + a.energy_parameter;
  return "it is priced by the entry of " + a.priced_as;
}

std::string line_of(const YAML::Node& n) { return n.Mark().is_null() ? "" : ":" + std::to_string(n.Mark().line + 1); }

void require_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& where,
                  const std::string& what) {
  if (!map.IsMap()) throw InputError(where + line_of(map) + ": " + what + " must be a mapping");
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    if (!known) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw InputError(where + line_of(kv.first) + ": unknown field '" + key + "' in " + what + " (expected " + list +
                       ")");
    }
  }
}

std::string scalar(const YAML::Node& map, const char* key, const std::string& where, const std::string& what) {
  const YAML::Node n = map[key];
  if (!n || !n.IsScalar() || n.Scalar().empty())
    throw InputError(where + line_of(map) + ": " + what + " needs '" + key + "' (a non-empty value)");
  require_utf8(n.Scalar(), where + line_of(n) + ": " + what + "." + key);
  return n.Scalar();
}

double number(const std::string& text, const std::string& where, const std::string& what) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  while (used < text.size() && text[used] == ' ') ++used;
  if (used != text.size() || !std::isfinite(v))
    throw InputError(where + ": " + what + " = '" + text + "' is not a number");
  if (v < 0)
    throw InputError(where + ": " + what + " = " + text + " is negative (energies, areas and powers are >= 0)");
  return v;
}

TableEntry parse_entry(const YAML::Node& node, UnitKind kind, const std::string& basis, double feature_nm,
                       const std::string& where, const std::string& what) {
  const bool needs_basis = !basis.empty();
  require_keys(node,
               needs_basis ? std::vector<std::string>{"value", "unit", "per", "source"}
                           : std::vector<std::string>{"value", "unit", "source"},
               where, what);
  TableEntry e;
  const std::string at = where + line_of(node);
  e.written = number(scalar(node, "value", where, what), at, what + ".value");
  e.unit = scalar(node, "unit", where, what);
  e.value = to_canonical(e.written, e.unit, kind, feature_nm, at + ": " + what + ".unit");
  if (needs_basis) {
    e.per = scalar(node, "per", where, what);
    if (e.per != basis)
      throw InputError(at + ": " + what + ".per = '" + e.per + "' but this component's quantity is counted per '" +
                       basis + "'");
  }
  e.source = scalar(node, "source", where, what);
  e.origin = where;
  return e;
}

// A dimensionless area factor in (0, 1]; `what` names it in errors.
double area_factor_value(const std::string& text, const std::string& where, const std::string& what) {
  const double v = number(text, where, what);
  if (!(v > 0 && v <= 1))
    throw InputError(where + ": " + what + " = " + text + " is outside (0, 1] (a share of the area)");
  return v;
}

void require_area_factor_name(const std::string& name, const std::string& where) {
  for (const auto& [known, meaning] : area_factor_names())
    if (name == known) return;
  std::string list;
  for (const auto& [known, meaning] : area_factor_names()) list += (list.empty() ? "" : ", ") + known;
  throw InputError(where + ": unknown area factor '" + name + "' (expected " + list + ")");
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& area_factor_names() {
  static const std::vector<std::pair<std::string, std::string>> names = {
      {kArrayEfficiency,
       "weight-array cell area / array macro area: the macro's periphery and wiring beyond the counted "
       "per-row, per-column and sense-amplifier circuits"},
      {kLogicUtilisation, "standard-cell area / placed-and-routed area of the logic (placement and routing space)"}};
  return names;
}

const TableEntry* TechnologyPreset::area_factor(const std::string& name) const {
  const auto it = area_factors.find(name);
  return it == area_factors.end() ? nullptr : &it->second;
}

void override_area_factor(TechnologyPreset& preset, const std::string& name, const std::string& value,
                          const std::string& origin) {
  const std::string what = "power.area_factor." + name;
  require_area_factor_name(name, what);
  TableEntry e;
  e.written = e.value = area_factor_value(value, what, "value");
  e.source = "override: " + origin;
  e.origin = origin;
  e.overridden = true;
  preset.area_factors[name] = e;
}

double to_canonical(double value, const std::string& unit, UnitKind kind, double feature_nm, const std::string& what) {
  for (const auto& u : units_of(kind)) {
    if (unit != u.unit) continue;
    const double canonical = unit == "F^2" ? value * (feature_nm / 1000) * (feature_nm / 1000) : value * u.factor;
    if (!std::isfinite(canonical))
      throw InputError(what + ": " + fmt("%g", value) + " " + unit + " overflows when converted to " +
                       units_of(kind)[canonical_unit_index(kind)].unit + " (not a finite number)");
    return canonical;
  }
  throw InputError(what + ": unknown unit '" + unit + "' (expected " + kind_name(kind) + ": " + unit_list(kind) + ")");
}

const TableEntry* TechnologyPreset::action_entry(const std::string& component_class, const std::string& action) const {
  const auto c = components.find(component_class);
  if (c == components.end()) return nullptr;
  const auto a = c->second.actions.find(action);
  return a == c->second.actions.end() ? nullptr : &a->second;
}

TechnologyPreset parse_preset(const std::string& text, const std::string& where) {
  const YAML::Node root = parse_yaml(text, where);
  if (!root.IsMap())
    throw InputError(where + ": a technology preset must be a mapping (name, feature_size_nm, components)");
  require_keys(root, {"name", "description", "feature_size_nm", "area_factors", "components"}, where, "the preset");
  TechnologyPreset p;
  p.file = where;
  p.name = scalar(root, "name", where, "the preset");
  if (root["description"]) p.description = scalar(root, "description", where, "the preset");
  p.feature_nm = number(scalar(root, "feature_size_nm", where, "the preset"), where, "feature_size_nm");
  if (p.feature_nm <= 0) throw InputError(where + ": feature_size_nm must be positive");
  if (const YAML::Node factors = root["area_factors"]) {
    if (!factors.IsMap()) throw InputError(where + line_of(factors) + ": area_factors must be a mapping");
    for (const auto& kv : factors) {
      const std::string name = kv.first.Scalar(), what = "area_factors." + name;
      require_area_factor_name(name, where + line_of(kv.first));
      require_keys(kv.second, {"value", "source"}, where, what);
      TableEntry e;
      const std::string at = where + line_of(kv.second);
      e.written = e.value = area_factor_value(scalar(kv.second, "value", where, what), at, what + ".value");
      e.source = scalar(kv.second, "source", where, what);
      e.origin = where;
      p.area_factors[name] = e;
    }
  }
  const YAML::Node components = root["components"];
  if (!components || !components.IsMap() || components.size() == 0)
    throw InputError(where + ": 'components' must map component classes to their tables");
  for (const auto& kv : components) {
    const std::string cls = kv.first.Scalar();
    const ComponentClassSpec* spec = find_component_class(cls);
    if (!spec)
      throw InputError(where + line_of(kv.first) + ": unknown component class '" + cls +
                       "' (docs/power-model.md lists them)");
    require_keys(kv.second, {"area", "leakage", "actions"}, where, cls);
    ComponentTable& table = p.components[cls];
    if (kv.second["area"] && !spec->area_parameter.empty())
      throw InputError(where + line_of(kv.second["area"]) + ": " + cls + ".area: the cell area of " + cls + " is " +
                       spec->area_parameter + " per MTJ x F^2 (docs/power-model.md); remove this entry");
    if (kv.second["area"])
      table.area = parse_entry(kv.second["area"], UnitKind::area, spec->basis, p.feature_nm, where, cls + ".area");
    if (kv.second["leakage"])
      table.leakage =
          parse_entry(kv.second["leakage"], UnitKind::power, spec->basis, p.feature_nm, where, cls + ".leakage");
    const YAML::Node actions = kv.second["actions"];
    if (!actions) continue;
    if (!actions.IsMap()) throw InputError(where + line_of(actions) + ": " + cls + ".actions must be a mapping");
    for (const auto& akv : actions) {
      const std::string name = akv.first.Scalar();
      const ActionSpec* action = spec->action(name);
      if (!action) {
        std::string list;
        for (const auto& a : spec->actions)
          if (!a.derived()) list += (list.empty() ? "" : ", ") + a.name;  // those a preset prices
        throw InputError(where + line_of(akv.first) + ": unknown action '" + name + "' of " + cls + " (expected " +
                         (list.empty() ? "none: it only has area and leakage" : list) + ")");
      }
      if (action->derived())
        throw InputError(where + line_of(akv.first) + ": " + cls + "." + name + ": " + derived_pricing(*action) +
                         " (docs/power-model.md); remove this entry");
      const UnitKind kind = action->pricing == Pricing::per_charge ? UnitKind::voltage : UnitKind::energy;
      table.actions[name] = parse_entry(akv.second, kind, "", p.feature_nm, where, cls + "." + name);
    }
  }
  return p;
}

TechnologyPreset load_preset(const std::string& path) {
  return parse_preset(read_file(path, "technology preset"), path);
}

void override_entry(TechnologyPreset& preset, const std::string& key, const std::string& value,
                    const std::string& origin) {
  const std::string what = "power.entry." + key;
  const size_t dot = key.find('.');
  if (dot == std::string::npos) throw InputError(what + ": expected power.entry.<class>.<action | area | leakage>");
  const std::string cls = key.substr(0, dot), field = key.substr(dot + 1);
  const ComponentClassSpec* spec = find_component_class(cls);
  if (!spec) throw InputError(what + ": unknown component class '" + cls + "' (docs/power-model.md lists them)");
  std::istringstream in(value);
  std::string number_text, unit;
  in >> number_text >> unit;
  std::string rest;
  if (unit.empty() || (in >> rest))
    throw InputError(what + " = '" + value + "': expected '<number> <unit>', e.g. '2.5 fJ' or '0.3 um^2/bit'");
  std::string per;
  if (const size_t slash = unit.find('/'); slash != std::string::npos) {
    per = unit.substr(slash + 1);
    unit = unit.substr(0, slash);
  }
  TableEntry e;
  e.written = number(number_text, what, "value");
  e.unit = unit;
  e.source = "override: " + origin;
  e.origin = origin;
  e.overridden = true;
  ComponentTable& table = preset.components[cls];
  if (field == "area" && !spec->area_parameter.empty())
    throw InputError(what + ": the cell area of " + cls + " is " + spec->area_parameter +
                     " per MTJ x F^2 (docs/power-model.md); set -p " + spec->area_parameter + "=<F^2> instead");
  if (field == "area" || field == "leakage") {
    if (!per.empty() && per != spec->basis)
      throw InputError(what + ": per '" + per + "' but " + cls + " is counted per '" + spec->basis + "'");
    e.per = spec->basis;
    e.value =
        to_canonical(e.written, unit, field == "area" ? UnitKind::area : UnitKind::power, preset.feature_nm, what);
    (field == "area" ? table.area : table.leakage) = e;
    return;
  }
  const ActionSpec* action = spec->action(field);
  if (!action) throw InputError(what + ": '" + field + "' is neither area, leakage nor an action of " + cls);
  if (!per.empty()) throw InputError(what + ": an action's energy takes no '/" + per + "'");
  if (action->derived())
    throw InputError(what + ": " + derived_pricing(*action) + " (docs/power-model.md); " +
                     (action->priced_as.empty()
                          ? "set those parameters instead"
                          : "override power.entry." + cls + "." + action->priced_as + " instead"));
  e.value = to_canonical(e.written, unit, action->pricing == Pricing::per_charge ? UnitKind::voltage : UnitKind::energy,
                         preset.feature_nm, what);
  table.actions[field] = e;
}

std::string catalogue_markdown() {
  std::ostringstream o;
  o << "| class | sized per | area roll-up | meaning | actions (stage: meaning) |\n|---|---|---|---|---|\n";
  for (const auto& c : component_catalogue()) {
    o << "| `" << c.name << "` | " << c.basis
      << (c.area_parameter.empty() ? "" : " (area: MTJs per cell x `" + c.area_parameter + "` x F^2)") << " | "
      << area_role_name(c.area_role) << " | " << c.meaning << " | ";
    for (size_t i = 0; i < c.actions.size(); ++i) {
      const ActionSpec& a = c.actions[i];
      o << (i ? "<br>" : "") << "`" << a.name << "` (" << stage_name(a.stage)
        << (a.pricing == Pricing::per_charge ? ", priced per fC at a voltage" : "")
        << (a.energy_parameter.empty() ? "" : ", device-derived: `" + a.energy_parameter + "`")
        << (a.priced_as.empty() ? "" : ", priced as `" + a.priced_as + "`") << "): " << a.meaning;
    }
    o << " |\n";
  }
  return o.str();
}

std::string preset_markdown(const TechnologyPreset& p) {
  std::ostringstream o;
  o << "Preset `" << p.name << "`: " << p.description << "; F = " << p.feature_nm << " nm.\n\n";
  o << "| entry | value | unit | per | source |\n|---|---|---|---|---|\n";
  const auto row = [&](const std::string& key, const TableEntry& e) {
    o << "| `" << key << "` | " << e.written << " | " << e.unit << " | " << e.per << " | " << e.source << " |\n";
  };
  for (const auto& [name, e] : p.area_factors) row("area_factors." + name, e);
  for (const auto& [cls, t] : p.components) {
    if (t.area) row(cls + ".area", *t.area);
    if (t.leakage) row(cls + ".leakage", *t.leakage);
    for (const auto& [action, e] : t.actions) row(cls + "." + action, e);
  }
  return o.str();
}

}  // namespace scbnn
