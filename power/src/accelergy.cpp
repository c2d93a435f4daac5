#include "scbnn/power/accelergy.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <vector>

#include "accelergy_model.h"
#include "scbnn/base/atomic_file.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"
#include "scbnn/base/text.h"
#include "scbnn/base/yaml_input.h"
#include "scbnn/power/catalogue.h"

namespace scbnn {
namespace {

using accelergy_export::Action;
using accelergy_export::ArchNode;
using accelergy_export::ClassTable;
using accelergy_export::Component;
using accelergy_export::CompoundClass;
using accelergy_export::Model;
using accelergy_export::Part;

constexpr const char* kArchitecture = "architecture.yaml";
constexpr const char* kComponents = "components.yaml";
constexpr const char* kErt = "ERT.yaml";
constexpr const char* kArt = "ART.yaml";
constexpr const char* kActionCounts = "action_counts.yaml";
constexpr const char* kTableSet = "scbnn.table.yaml";
constexpr const char* kVersion = "0.4";  // Accelergy's input version (v0.4, CiMLoop)
constexpr const char* kMustSpecify = "must_specify";

// Numbers as their shortest round-trip text (yaml-cpp's own output has 17 digits); whole
// numbers as integers (1000000, not 1e+06, which YAML 1.1 readers take for a string).
std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return shortest_number(v);
}
YAML::Emitter& number(YAML::Emitter& out, double v) { return out << number_text(v); }
// Strings Accelergy must not evaluate as expressions are quoted (its attribute parser
// evaluates every plain string).
YAML::Emitter& text(YAML::Emitter& out, const std::string& s) { return out << YAML::DoubleQuoted << s; }

void key(YAML::Emitter& out, const char* k) { out << YAML::Key << k << YAML::Value; }
void key(YAML::Emitter& out, const std::string& k) { out << YAML::Key << k << YAML::Value; }

std::string header(const Model& m, const std::string& what) {
  return "# " + what + "\n# Written by scbnn run --accelergy (preset " + m.preset +
         "); docs/power-model.md, \"Accelergy export\".\n";
}

std::string file_text(const Model& m, const std::string& what, const YAML::Emitter& out) {
  return header(m, what) + out.c_str() + "\n";
}

void begin_versioned(YAML::Emitter& out, const char* top, const char* list) {
  out << YAML::BeginMap;
  key(out, top);
  out << YAML::BeginMap;
  key(out, "version");
  out << YAML::SingleQuoted << kVersion;
  key(out, list);
  out << YAML::BeginSeq;
}

void end_versioned(YAML::Emitter& out) { out << YAML::EndSeq << YAML::EndMap << YAML::EndMap; }

void arguments(YAML::Emitter& out, const accelergy_export::Arguments& args) {
  out << YAML::Flow << YAML::BeginMap;
  for (const auto& [name, v] : args) {
    key(out, name);
    number(out, v);
  }
  out << YAML::EndMap;
}

// ---------------------------------------------------------------------------------------
// architecture.yaml

void primitive_attributes(YAML::Emitter& out, const Model& m, const Part& p) {
  key(out, "n_instances");
  number(out, p.n_instances);
  key(out, "basis");
  text(out, p.basis);
  if (!p.role.empty()) {
    key(out, "role");
    text(out, p.role);
  }
  if (p.price_set > 0) {
    key(out, "price_set");
    out << p.price_set;
  }
  key(out, "scbnn_component");
  text(out, p.scbnn);
  if (!accelergy_export::scbnn_actions_of(m, p.cls).empty()) {
    key(out, "scbnn_actions");
    text(out, accelergy_export::scbnn_actions_of(m, p.cls));
  }
}

const CompoundClass& class_named(const Model& m, const std::string& name) {
  for (const auto& c : m.classes)
    if (c.name == name) return c;
  throw std::logic_error("no compound class " + name);
}

void local_component(YAML::Emitter& out, const Model& m, const Component& c) {
  out << YAML::BeginMap;
  key(out, "name");
  out << c.local;
  key(out, "class");
  out << c.cls;
  key(out, "attributes");
  out << YAML::BeginMap;
  if (!c.compound) {
    primitive_attributes(out, m, c.parts.front());
  } else {
    const CompoundClass& cls = class_named(m, c.cls);
    std::string scbnn;
    for (size_t i = 0; i < c.parts.size(); ++i) {
      const Part& p = c.parts[i];
      key(out, cls.subs[i].size_attribute);
      number(out, p.n_instances);
      if (cls.subs[i].price_set) {
        key(out, p.name + "_price_set");
        out << p.price_set;
      }
      scbnn += (scbnn.empty() ? "" : ", ") + p.name + "=" + p.scbnn;
    }
    key(out, "scbnn_components");
    text(out, scbnn);
  }
  out << YAML::EndMap << YAML::EndMap;
}

void arch_node(YAML::Emitter& out, const Model& m, const ArchNode& n, bool top) {
  out << YAML::BeginMap;
  key(out, "name");
  out << n.name;
  if (top) {
    key(out, "attributes");
    out << YAML::BeginMap;
    key(out, "technology");
    text(out, m.technology);
    key(out, "global_cycle_seconds");
    number(out, m.cycle_seconds);
    out << YAML::EndMap;
  }
  if (!n.locals.empty()) {
    key(out, "local");
    out << YAML::BeginSeq;
    for (size_t i : n.locals) local_component(out, m, m.components[i]);
    out << YAML::EndSeq;
  }
  if (!n.subtree.empty()) {
    key(out, "subtree");
    out << YAML::BeginSeq;
    for (const auto& s : n.subtree) arch_node(out, m, s, false);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

std::string architecture_file(const Model& m) {
  YAML::Emitter out;
  begin_versioned(out, "architecture", "subtree");
  arch_node(out, m, m.system, true);
  end_versioned(out);
  return file_text(m, "Accelergy architecture: the run's hardware, identical instances in list notation", out);
}

// ---------------------------------------------------------------------------------------
// components.yaml

void sub_action(YAML::Emitter& out, const std::string& sub, const std::string& action) {
  out << YAML::BeginMap;
  key(out, "name");
  out << sub;
  key(out, "actions");
  out << YAML::Flow << YAML::BeginSeq << YAML::BeginMap;
  key(out, "name");
  out << action;
  out << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
}

void compound_class(YAML::Emitter& out, const Model& m, const CompoundClass& cls) {
  out << YAML::BeginMap;
  key(out, "name");
  out << cls.name;
  key(out, "attributes");
  out << YAML::BeginMap;
  for (const char* a : {"technology", "global_cycle_seconds"}) {
    key(out, a);
    text(out, kMustSpecify);
  }
  for (const auto& s : cls.subs) {
    key(out, s.size_attribute);
    text(out, kMustSpecify);
    if (s.price_set) {
      key(out, s.name + "_price_set");
      text(out, kMustSpecify);
    }
  }
  out << YAML::EndMap;
  key(out, "subcomponents");
  out << YAML::BeginSeq;
  for (const auto& s : cls.subs) {
    out << YAML::BeginMap;
    key(out, "name");
    out << s.name;
    key(out, "class");
    out << s.cls;
    key(out, "attributes");
    out << YAML::BeginMap;
    for (const char* a : {"technology", "global_cycle_seconds"}) {  // bound to the compound's values
      key(out, a);
      out << a;
    }
    key(out, "n_instances");
    out << s.size_attribute;
    key(out, "basis");
    text(out, s.basis);
    if (s.price_set) {
      key(out, "price_set");
      out << s.name + "_price_set";
    }
    if (!accelergy_export::scbnn_actions_of(m, s.cls).empty()) {
      key(out, "scbnn_actions");
      text(out, accelergy_export::scbnn_actions_of(m, s.cls));
    }
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::EndSeq;
  key(out, "actions");
  out << YAML::BeginSeq;
  for (const auto& a : cls.actions) {
    out << YAML::BeginMap;
    key(out, "name");
    out << a.name;
    key(out, "subcomponents");
    out << YAML::BeginSeq;
    sub_action(out, a.sub, a.sub_action);
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::BeginMap;
  key(out, "name");
  out << "leak";
  key(out, "subcomponents");
  out << YAML::BeginSeq;
  for (const auto& s : cls.subs) sub_action(out, s.name, "leak");
  out << YAML::EndSeq << YAML::EndMap;
  out << YAML::EndSeq << YAML::EndMap;
}

std::string components_file(const Model& m) {
  YAML::Emitter out;
  begin_versioned(out, "compound_components", "classes");
  for (const auto& c : m.classes) compound_class(out, m, c);
  end_versioned(out);
  return file_text(m, "Accelergy compound component classes", out);
}

// ---------------------------------------------------------------------------------------
// ERT.yaml, ART.yaml, action_counts.yaml

std::string ert_file(const Model& m) {
  YAML::Emitter out;
  begin_versioned(out, "ERT", "tables");
  for (const auto& c : m.components) {
    out << YAML::BeginMap;
    key(out, "name");
    out << c.name;
    key(out, "actions");
    out << YAML::BeginSeq;
    for (const auto& a : c.actions) {
      out << YAML::BeginMap;
      key(out, "name");
      out << a.name;
      key(out, "arguments");
      arguments(out, a.arguments);
      key(out, "energy");
      number(out, a.energy_pj);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
  }
  end_versioned(out);
  return file_text(m, "Accelergy energy reference table: pJ per action, leak per cycle of one instance", out);
}

std::string art_file(const Model& m) {
  YAML::Emitter out;
  begin_versioned(out, "ART", "tables");
  for (const auto& c : m.components) {
    out << YAML::BeginMap;
    key(out, "name");
    out << c.name;
    key(out, "area");
    number(out, c.area_um2);
    out << YAML::EndMap;
  }
  end_versioned(out);
  return file_text(m, "Accelergy area reference table: um^2 per instance (Accelergy's output layout)", out);
}

std::string action_counts_file(const Model& m) {
  YAML::Emitter out;
  begin_versioned(out, "action_counts", "local");
  for (const auto& c : m.components) {
    out << YAML::BeginMap;
    key(out, "name");
    out << c.name;
    key(out, "action_counts");
    out << YAML::BeginSeq;
    for (const auto& a : c.actions) {
      out << YAML::BeginMap;
      key(out, "name");
      out << a.name;
      if (!a.arguments.empty()) {
        key(out, "arguments");
        arguments(out, a.arguments);
      }
      key(out, "counts");
      if (a.is_leak())
        number(out, a.leak_cycles);
      else
        out << std::to_string(a.events);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
  }
  end_versioned(out);
  return file_text(m, "Accelergy action counts of the run, summed over a list's instances (leak: cycles)", out);
}

// ---------------------------------------------------------------------------------------
// The table-based plug-in's set of tables: an identifier file and one CSV per class.

std::string table_set_file(const Model& m) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  key(out, "name");
  out << "scbnn_" + m.preset;
  key(out, "technology");
  out << m.technology;
  key(out, "accuracy");
  out << 100;
  key(out, "path_to_data_dir");
  out << YAML::SingleQuoted << ".";
  out << YAML::EndMap;
  return "# The set of tables of Accelergy's table-based plug-in (accelergy-table-based-plug-ins):\n"
         "# <class>.csv in this directory, per-unit area (um^2), energy per action (pJ) and leak per unit\n"
         "# and cycle (pJ). Register it with: accelergyTables -r <this directory>\n" +
         std::string(out.c_str()) + "\n";
}

std::string csv_file(const Model& m, const ClassTable& t) {
  std::string csv = "technology";
  for (const auto& k : t.key_columns) csv += "," + k;
  csv += ",action";
  for (const auto& a : t.argument_columns) csv += "," + a;
  csv += ",energy,area\n";
  for (const auto& row : t.rows) {
    csv += m.technology;
    for (const auto& k : row.keys) csv += "," + k;
    csv += "," + row.action;
    for (const auto& column : t.argument_columns) {
      csv += ",";
      for (const auto& [arg, v] : row.arguments)
        if (arg == column) csv += number_text(v);
    }
    csv += "," + number_text(row.energy_pj) + "," + number_text(row.area_um2) + "\n";
  }
  return csv;
}

// ---------------------------------------------------------------------------------------
// Reading back.

YAML::Node load(const std::filesystem::path& path) {
  return parse_yaml(read_file(path.string(), "Accelergy file"), path.string());
}

// Accelergy finds a count's ERT entry by the name without its list ranges.
std::string without_ranges(const std::string& name) {
  std::string base;
  bool in_range = false;
  for (char ch : name) {
    if (ch == '[') in_range = true;
    if (!in_range) base += ch;
    if (ch == ']') in_range = false;
  }
  return base;
}

// The list ranges of a name, in order: [a..b] -> (a, b); an index [k] -> (k, k).
std::vector<std::pair<long, long>> ranges_of(const std::string& name) {
  std::vector<std::pair<long, long>> ranges;
  for (size_t open = name.find('['); open != std::string::npos; open = name.find('[', open + 1)) {
    const size_t close = name.find(']', open);
    if (close == std::string::npos) throw InputError("unclosed '[' in component name " + name);
    const std::string inside = name.substr(open + 1, close - open - 1);
    const size_t dots = inside.find("..");
    try {
      const long a = std::stol(inside.substr(0, dots));
      const long b = dots == std::string::npos ? a : std::stol(inside.substr(dots + 2));
      if (b < a) throw InputError("empty list range in component name " + name);
      ranges.emplace_back(a, b);
    } catch (const std::logic_error&) {
      throw InputError("list range '" + inside + "' in component name " + name + " is not <first>..<last>");
    }
  }
  return ranges;
}

double instances_of(const std::string& name) {
  double n = 1;
  for (const auto& [a, b] : ranges_of(name)) n *= double(b - a + 1);
  return n;
}

bool within(const std::string& name, const std::string& listed) {
  const auto inner = ranges_of(name), outer = ranges_of(listed);
  if (inner.size() != outer.size()) return false;
  for (size_t i = 0; i < inner.size(); ++i)
    if (inner[i].first < outer[i].first || inner[i].second > outer[i].second) return false;
  return true;
}

void require_list(const YAML::Node& n, const std::string& file, const char* what) {
  if (!n.IsSequence()) throw InputError(file + ": expected the list " + what);
}

struct ErtAction {
  std::string name;
  std::map<std::string, std::string> arguments;
  double energy = 0;
};

std::map<std::string, std::string> arguments_of(const YAML::Node& args) {
  std::map<std::string, std::string> m;
  if (args)
    for (const auto& kv : args) m[kv.first.as<std::string>()] = kv.second.as<std::string>();
  return m;
}

}  // namespace

std::vector<std::string> accelergy_file_names() {
  std::vector<std::string> names = {kArchitecture, kComponents, kErt, kArt, kActionCounts, kTableSet};
  for (const auto& c : component_catalogue()) names.push_back(c.name + ".csv");
  names.push_back("area_roll_up.csv");
  return names;
}

void write_accelergy(const PowerReport& r, const std::string& dir) {
  std::filesystem::create_directories(dir);
  for (const auto& [name, contents] : accelergy_files(r))
    write_file_atomically((std::filesystem::path(dir) / name).string(), contents);
}

std::vector<std::pair<std::string, std::string>> accelergy_files(const PowerReport& r) {
  const Model m = accelergy_export::build_model(r);
  std::vector<std::pair<std::string, std::string>> files = {{kArchitecture, architecture_file(m)},
                                                            {kComponents, components_file(m)},
                                                            {kErt, ert_file(m)},
                                                            {kArt, art_file(m)},
                                                            {kActionCounts, action_counts_file(m)},
                                                            {kTableSet, table_set_file(m)}};
  for (const auto& t : m.tables) files.emplace_back(t.cls + ".csv", csv_file(m, t));
  return files;
}

AccelergyTotals read_accelergy_totals(const std::string& dir) {
  const std::filesystem::path d(dir);
  AccelergyTotals totals;
  std::map<std::string, std::pair<std::string, std::vector<ErtAction>>> ert;  // base name -> (name, actions)
  const auto malformed = [&](const char* file, const std::string& why) {
    return InputError((d / file).string() + ": " + why);
  };
  const YAML::Node ert_yaml = load(d / kErt);
  try {
    require_list(ert_yaml["ERT"]["tables"], (d / kErt).string(), "ERT.tables");
    for (const auto& table : ert_yaml["ERT"]["tables"]) {
      const std::string name = table["name"].as<std::string>();
      auto& entry = ert[without_ranges(name)];
      entry.first = name;
      for (const auto& a : table["actions"])
        entry.second.push_back({a["name"].as<std::string>(), arguments_of(a["arguments"]), a["energy"].as<double>()});
    }
  } catch (const YAML::Exception& e) {
    throw malformed(kErt, std::string("malformed ERT (") + e.what() + ")");
  }
  const YAML::Node counts = load(d / kActionCounts);
  try {
    require_list(counts["action_counts"]["local"], (d / kActionCounts).string(), "action_counts.local");
    for (const auto& local : counts["action_counts"]["local"]) {
      const std::string name = local["name"].as<std::string>();
      const auto table = ert.find(without_ranges(name));
      if (table == ert.end() || !within(name, table->second.first))
        throw malformed(kActionCounts, "component " + name + " has no entry in " + kErt);
      for (const auto& count : local["action_counts"]) {
        const std::string action = count["name"].as<std::string>();
        const auto args = arguments_of(count["arguments"]);
        const ErtAction* found = nullptr;
        for (const auto& a : table->second.second) {
          bool match = a.name == action;
          for (const auto& [k, v] : args) match = match && a.arguments.count(k) && a.arguments.at(k) == v;
          if (match) {
            found = &a;
            break;
          }
        }
        if (!found) throw malformed(kActionCounts, "action " + action + " of " + name + " has no entry in " + kErt);
        totals.energy_pj += count["counts"].as<double>() * found->energy;
      }
    }
  } catch (const YAML::Exception& e) {
    throw malformed(kActionCounts, std::string("malformed action counts (") + e.what() + ")");
  }
  const YAML::Node art = load(d / kArt);
  try {
    require_list(art["ART"]["tables"], (d / kArt).string(), "ART.tables");
    for (const auto& table : art["ART"]["tables"])
      totals.area_um2 += table["area"].as<double>() * instances_of(table["name"].as<std::string>());
  } catch (const YAML::Exception& e) {
    throw malformed(kArt, std::string("malformed ART (") + e.what() + ")");
  }
  return totals;
}

}  // namespace scbnn
