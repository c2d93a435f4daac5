#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace scbnn {

// One priced quantity of a technology table, with its provenance.
struct TableEntry {
  double value = 0;    // canonical unit: pJ (action energy), um^2 (area), nW (leakage), V (per-charge action)
  double written = 0;  // the value as written, in `unit`
  std::string unit;    // as written: "fJ", "F^2", "uW", ...
  std::string per;     // area and leakage: the basis unit ("cell", "bit", ...)
  std::string source;  // publication, scaling, or "assumption: ..."
  std::string origin;  // where the entry was read: preset file, or the configuration override
  bool overridden = false;
  // An area or action energy the model's device parameters give (ComponentClassSpec::area_parameter,
  // ActionSpec::energy_parameter): reported with origin "device".
  bool from_device = false;
};

struct ComponentTable {
  std::optional<TableEntry> area, leakage;
  std::map<std::string, TableEntry> actions;
};

// A technology preset: feature size and, per component class, area and leakage per basis
// unit and energy per action. Loaded from YAML (power/presets/*.yaml; docs/power-model.md).
struct TechnologyPreset {
  std::string name;
  std::string description;
  std::string file;
  double feature_nm = 0;
  std::map<std::string, ComponentTable> components;
  // Dimensionless factors of the area roll-up, each in (0, 1] with its source (YAML
  // `area_factors`; area_factor_names() lists them; docs/power-model.md, "Area").
  std::map<std::string, TableEntry> area_factors;

  // The entry pricing `action` of `component_class`, or nullptr.
  const TableEntry* action_entry(const std::string& component_class, const std::string& action) const;
  const TableEntry* area_factor(const std::string& name) const;
};

// The area factors a preset may give, with their meaning:
//  array_efficiency   weight-array cell area / array macro area (AreaRole::array_cell)
//  logic_utilisation  standard-cell area / placed-and-routed area (AreaRole::logic)
inline constexpr const char* kArrayEfficiency = "array_efficiency";
inline constexpr const char* kLogicUtilisation = "logic_utilisation";
const std::vector<std::pair<std::string, std::string>>& area_factor_names();

// Parses a preset; `where` names the file in error messages. Unknown component classes,
// actions or fields, missing sources, negative values and units of the wrong kind throw
// InputError naming the entry and the expected form.
TechnologyPreset parse_preset(const std::string& yaml_text, const std::string& where);
TechnologyPreset load_preset(const std::string& path);

// Replaces (or adds) one entry: `key` is "<class>.area", "<class>.leakage" or
// "<class>.<action>"; `value` is "<number> <unit>" (area and leakage: "<number> <unit>/<basis>"
// is also accepted). The entry is marked as overridden, with `origin` as its source.
void override_entry(TechnologyPreset& preset, const std::string& key, const std::string& value,
                    const std::string& origin);
// Replaces (or adds) one area factor: `name` one of area_factor_names(), `value` a number in
// (0, 1]; marked as overridden, with `origin` as its source.
void override_area_factor(TechnologyPreset& preset, const std::string& name, const std::string& value,
                          const std::string& origin);

// Markdown tables (docs/power-model.md embeds them; a test keeps them equal): the
// component catalogue, and a preset's entries with their units and sources.
std::string catalogue_markdown();
std::string preset_markdown(const TechnologyPreset& preset);

// Converts a value in `unit` to the canonical unit of its kind; throws InputError for an
// unknown unit. `feature_nm` is needed for F^2.
enum class UnitKind { energy, area, power, voltage };
double to_canonical(double value, const std::string& unit, UnitKind kind, double feature_nm, const std::string& what);

}  // namespace scbnn
