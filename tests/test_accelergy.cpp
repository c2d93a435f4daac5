// The Accelergy export (power/accelergy.h) checked against Accelergy's documented input
// rules (Accelergy v0.4: accelergy/raw_inputs_2_dicts.py, arch_dict_2_obj.py,
// compound_component.py, ERT_generator.py, energy_calculator.py; the table-based plug-in's
// sets_of_tables.py), since the tool itself is not packaged for Debian: a validator written
// here from those rules reads the exported files of real runs, and is itself shown to catch
// a broken export.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "scbnn/base/text.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/power/accelergy.h"
#include "scbnn/power/catalogue.h"
#include "scbnn/power/technology.h"
#include "scbnn/tools/power_setup.h"
#include "test_support.h"

using namespace scbnn;

namespace {

// ---------------------------------------------------------------------------------------
// Runs to export.

Config small_config(const std::vector<std::string>& extra = {}) {
  Config c;
  for (const char* o :
       {"accel.loop_order=pass_inner", "accel.array.rows=32", "accel.array.columns=64", "accel.array.count=5",
        "accel.pe.width_bits=64", "accel.buffer.port_bits=64", "accel.array.read_ns=4", "accel.clock_mhz=500"})
    c.apply_override(o);
  for (const auto& o : extra) c.apply_override(o);
  return c;
}

PowerReport priced_run(const Config& c, const Network& net, const Dataset& data) {
  const PlatformParams params = platform_params(c);
  Platform platform(params, net, data, 0, uint32_t(data.count()));
  const RunOutcome out = platform.run();
  return price_outcome(technology_from(c), params, net, out);
}

PowerReport priced_bnn_run(const std::vector<std::string>& extra = {}) {
  return priced_run(small_config(extra), test::random_network({128, 64, 10}, 7, 8, 16),
                    test::random_dataset(3, 8, 16, 9));
}

PowerReport priced_mac_run() {
  Config c;
  c.apply_override("accel.datapath=mac");
  Quantisation q;
  q.weight_bits = 8;
  q.activation_bits = 8;
  return priced_run(c, test::random_quantised_network(8, 8, 1, {{4, 3, 1, 1, 0, 2, 2}}, {10}, q, 5),
                    test::random_dataset(2, 8, 8, 6));
}

std::string exported(const PowerReport& r, const std::string& name) {
  const std::string dir = test::temp_path(name);
  std::filesystem::remove_all(dir);
  write_accelergy(r, dir);
  return dir;
}

// ---------------------------------------------------------------------------------------
// Names, numbers and YAML as Accelergy reads them.

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool parse_number(const std::string& text, double& v) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  return ec == std::errc() && ptr == end && !text.empty();
}

// The list ranges of a name: "a[0..3].b[0..1]" -> {(0,3), (0,1)}; false when malformed.
bool ranges(const std::string& name, std::vector<std::pair<long, long>>& out) {
  out.clear();
  for (size_t open = name.find('['); open != std::string::npos; open = name.find('[', open + 1)) {
    const size_t close = name.find(']', open);
    const size_t dots = name.find("..", open);
    if (close == std::string::npos || dots == std::string::npos || dots > close) return false;
    double a = 0, b = 0;
    if (!parse_number(name.substr(open + 1, dots - open - 1), a) ||
        !parse_number(name.substr(dots + 2, close - dots - 2), b) || a != std::floor(a) || b < a)
      return false;
    out.emplace_back(long(a), long(b));
  }
  return true;
}

double instances(const std::string& name) {
  std::vector<std::pair<long, long>> r;
  double n = 1;
  if (ranges(name, r))
    for (const auto& [a, b] : r) n *= double(b - a + 1);
  return n;
}

std::string without_ranges(const std::string& name) {
  std::string base;
  int depth = 0;
  for (char c : name) {
    if (c == '[') ++depth;
    if (depth == 0) base += c;
    if (c == ']') --depth;
  }
  return base;
}

// A local name: an identifier, optionally with one list range name[a..b].
bool valid_local_name(const std::string& name) {
  const std::string base = without_ranges(name);
  if (base.empty() || std::isdigit(static_cast<unsigned char>(base[0]))) return false;
  for (char c : base)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  std::vector<std::pair<long, long>> r;
  return ranges(name, r) && r.size() <= 1 && (r.empty() || name.back() == ']');
}

bool quoted(const YAML::Node& n) { return n.IsScalar() && n.Tag() == "!"; }

// Every plain scalar that is a number is written as the shortest text that reads back as
// it (whole numbers as integers), never yaml-cpp's 17 digits.
void check_numbers(const YAML::Node& n, const std::string& file, std::vector<std::string>& problems) {
  if (n.IsMap()) {
    for (const auto& kv : n) check_numbers(kv.second, file, problems);
  } else if (n.IsSequence()) {
    for (const auto& x : n) check_numbers(x, file, problems);
  } else if (n.IsScalar() && n.Tag() == "?") {
    double v = 0;
    const std::string text = n.Scalar();
    if (!parse_number(text, v)) return;
    const bool whole = v == std::floor(v) && std::fabs(v) < 1e15 && text == std::to_string(static_cast<long long>(v));
    if (!whole && text != shortest_number(v))
      problems.push_back(file + ": number " + text + " is not its shortest text");
  }
}

// ---------------------------------------------------------------------------------------
// The validator.

struct ArchComponent {
  std::string name, cls;
  YAML::Node attributes;
};

struct ErtRow {
  std::string action;
  YAML::Node arguments;
  double energy = 0;
};

class Validator {
 public:
  Validator(std::string dir, const PowerReport& r) : dir_(std::move(dir)), r_(r) {}

  std::vector<std::string> run() {
    for (const char* f :
         {"architecture.yaml", "components.yaml", "ERT.yaml", "ART.yaml", "action_counts.yaml", "scbnn.table.yaml"}) {
      const std::string path = dir_ + "/" + f;
      if (!std::filesystem::exists(path)) {
        problem(std::string(f) + " is missing");
        return problems_;
      }
      const std::string text = slurp(path);
      for (const char* jinja : {"{{", "{%", "{#"})  // Accelergy renders every input with Jinja2 first
        if (text.find(jinja) != std::string::npos) problem(std::string(f) + " holds Jinja2 syntax " + jinja);
      try {
        yaml_[f] = YAML::Load(text);
      } catch (const YAML::Exception& e) {
        problem(std::string(f) + " is not YAML: " + e.what());
        return problems_;
      }
      check_numbers(yaml_[f], f, problems_);
    }
    check_versions();
    check_components_file();
    check_architecture();
    check_ert();
    check_art();
    check_action_counts();
    check_tables();
    check_instances_against_report();
    check_charge_is_an_argument();
    return problems_;
  }

  // What `accelergy` with the table-based plug-in computes for the ART: every primitive's
  // CSV area per unit x n_instances, x the instances its name lists.
  double plug_in_area() const { return plug_in_area_; }
  double energy() const { return energy_; }

 private:
  void problem(const std::string& p) { problems_.push_back(p); }

  void check_versions() {
    const std::map<std::string, std::string> tops = {{"architecture.yaml", "architecture"},
                                                     {"components.yaml", "compound_components"},
                                                     {"ERT.yaml", "ERT"},
                                                     {"ART.yaml", "ART"},
                                                     {"action_counts.yaml", "action_counts"}};
    for (const auto& [file, top] : tops) {
      const YAML::Node t = yaml_[file][top];
      if (!t || !t.IsMap()) {
        problem(file + ": no top-level key " + top);
        continue;
      }
      if (!t["version"] || !quoted(t["version"]) || t["version"].Scalar() != "0.4")
        problem(file + ": version must be the string '0.4'");
    }
  }

  // compound_components: {version, classes: [{name, attributes, subcomponents, actions}]}.
  void check_components_file() {
    const YAML::Node classes = yaml_["components.yaml"]["compound_components"]["classes"];
    if (!classes || !classes.IsSequence()) return problem("components.yaml: classes must be a list");
    for (const auto& c : classes) {
      for (const char* k : {"name", "attributes", "subcomponents", "actions"})
        if (!c[k]) problem("components.yaml: a class lacks " + std::string(k));
      const std::string name = c["name"].as<std::string>("");
      std::set<std::string> attributes, subs, actions;
      for (const auto& kv : c["attributes"]) attributes.insert(kv.first.as<std::string>());
      for (const auto& s : c["subcomponents"]) {
        if (!s["name"] || !s["class"]) problem(name + ": a subcomponent lacks name or class");
        const std::string sub = s["name"].as<std::string>("");
        subs.insert(sub);
        sub_class_[name][sub] = s["class"].as<std::string>("");
        sub_attributes_[name][sub] = s["attributes"];
        for (const auto& kv : s["attributes"]) {
          const YAML::Node& v = kv.second;
          double x = 0;
          const bool ok = quoted(v) || parse_number(v.Scalar(), x) || attributes.count(v.Scalar());
          if (!ok)
            problem(name + "." + sub + ": attribute " + kv.first.as<std::string>() + " = " + v.Scalar() +
                    " is neither a number, a quoted string nor a class attribute");
        }
        if (!s["attributes"]["n_instances"] || !s["attributes"]["technology"])
          problem(name + "." + sub + ": no n_instances or technology");
      }
      std::set<std::string> leaking;
      for (const auto& a : c["actions"]) {
        const std::string action = a["name"].as<std::string>("");
        if (!actions.insert(action).second) problem(name + ": action " + action + " twice");
        if (!a["subcomponents"] || !a["subcomponents"].IsSequence())
          problem(name + "." + action + ": no subcomponents");
        for (const auto& s : a["subcomponents"]) {
          const std::string sub = s["name"].as<std::string>("");
          if (!subs.count(sub)) problem(name + "." + action + ": unknown subcomponent " + sub);
          if (!s["actions"] || !s["actions"].IsSequence() || s["actions"].size() == 0)
            problem(name + "." + action + "." + sub + ": no actions");
          for (const auto& sa : s["actions"]) {
            if (!sa["name"]) problem(name + "." + action + "." + sub + ": an action without name");
            if (action == "leak" && sa["name"].as<std::string>("") == "leak") leaking.insert(sub);
          }
        }
      }
      if (leaking != subs) problem(name + ": leak does not cover every subcomponent");
      class_actions_[name] = actions;
      class_attributes_[name] = c["attributes"];
    }
  }

  // architecture: {version, subtree: [system]}: nodes with name and subtree and/or local,
  // locals with name, class and attributes; names unique once flattened, also without
  // their ranges (Accelergy finds ERT entries by that base name).
  void check_architecture() {
    const YAML::Node arch = yaml_["architecture.yaml"]["architecture"];
    const YAML::Node top = arch["subtree"];
    if (!top || !top.IsSequence() || top.size() != 1)
      return problem("architecture.yaml: subtree must list exactly one top node (Accelergy reads only the first)");
    const YAML::Node system = top[0];
    const YAML::Node attrs = system["attributes"];
    if (!attrs || !quoted(attrs["technology"])) problem("architecture.yaml: the top node needs technology, quoted");
    double cycle = 0;
    if (!attrs || !attrs["global_cycle_seconds"] || !parse_number(attrs["global_cycle_seconds"].Scalar(), cycle) ||
        std::fabs(cycle * r_.times.clock_mhz * 1e6 - 1) > 1e-12)
      problem("architecture.yaml: global_cycle_seconds is not the accelerator's clock period");
    technology_ = attrs["technology"].as<std::string>("");
    node(system, "");
    std::set<std::string> bases;
    for (const auto& [name, c] : components_)
      if (!bases.insert(without_ranges(name)).second) problem("architecture.yaml: base name of " + name + " repeated");
  }

  void node(const YAML::Node& n, const std::string& prefix) {
    if (!n.IsMap() || !n["name"]) return problem("architecture.yaml: a node without name under " + prefix);
    for (const auto& kv : n) {
      const std::string k = kv.first.as<std::string>();
      if (k != "name" && k != "attributes" && k != "local" && k != "subtree")
        problem("architecture.yaml: node " + prefix + " has key " + k);
    }
    const std::string name = n["name"].as<std::string>();
    if (!valid_local_name(name)) problem("architecture.yaml: bad name " + name);
    const std::string full = prefix.empty() ? name : prefix + "." + name;
    if (!n["local"] && !n["subtree"]) problem("architecture.yaml: " + full + " has neither subtree nor local");
    for (const auto& l : n["local"]) local(l, full);
    for (const auto& s : n["subtree"]) node(s, full);
  }

  void local(const YAML::Node& l, const std::string& prefix) {
    if (!l["name"] || !l["class"] || !l["attributes"] || !l["attributes"].IsMap())
      return problem("architecture.yaml: a local under " + prefix + " lacks name, class or attributes");
    const std::string name = l["name"].as<std::string>(), cls = l["class"].as<std::string>();
    if (!valid_local_name(name)) problem("architecture.yaml: bad name " + name);
    const std::string full = prefix + "." + name;
    if (components_.count(full)) problem("architecture.yaml: " + full + " twice");
    components_[full] = {full, cls, l["attributes"]};
    for (const auto& kv : l["attributes"]) {
      double x = 0;
      if (!quoted(kv.second) && !parse_number(kv.second.Scalar(), x))
        problem(full + ": attribute " + kv.first.as<std::string>() + " is a plain string Accelergy would evaluate");
    }
    if (class_actions_.count(cls)) {
      for (const auto& kv : class_attributes_[cls]) {
        const std::string a = kv.first.as<std::string>();
        if (a != "technology" && a != "global_cycle_seconds" && !l["attributes"][a])
          problem(full + ": compound class " + cls + " must be given " + a);
      }
    } else {
      double n = 0;
      if (!l["attributes"]["n_instances"] || !parse_number(l["attributes"]["n_instances"].Scalar(), n) || !(n > 0))
        problem(full + ": a primitive needs a positive n_instances");
      if (!quoted(l["attributes"]["basis"])) problem(full + ": a primitive needs its basis, quoted");
    }
  }

  // The attributes a primitive is queried with: its own, or its compound class's binding.
  YAML::Node primitive_attribute(const ArchComponent& c, const std::string& sub, const std::string& key) const {
    if (sub.empty()) return c.attributes[key];
    const YAML::Node v = sub_attributes_.at(c.cls).at(sub)[key];
    if (v && !quoted(v) && c.attributes[v.Scalar()]) return c.attributes[v.Scalar()];
    return v;
  }

  // ERT: {version, tables: [{name, actions: [{name, arguments, energy}]}]}: one table per
  // component, actions its class has, every one with leak; no scbnn name that has an
  // Accelergy convention, no charge.
  void check_ert() {
    static const std::set<std::string> renamed = {
        "row_read",   "bit_read",     "entry_read",     "register_read",    "word_write",
        "bit_write",  "byte_write",   "register_write", "mtj_write_charge", "write_pump_charge",
        "set_charge", "reset_charge", "sense_xnor",     "mtj_write_pulse",  "device_pulse"};
    for (const auto& t : yaml_["ERT.yaml"]["ERT"]["tables"]) {
      const std::string name = t["name"].as<std::string>("");
      if (!components_.count(name)) problem("ERT.yaml: " + name + " is not in the architecture");
      if (ert_.count(name)) problem("ERT.yaml: " + name + " twice");
      auto& rows = ert_[name];
      bool leak = false;
      for (const auto& a : t["actions"]) {
        double e = -1;
        if (!a["name"] || !a["arguments"] || !a["arguments"].IsMap() || !a["energy"] ||
            !parse_number(a["energy"].Scalar(), e) || !(e >= 0) || !std::isfinite(e))
          problem("ERT.yaml: " + name + ": an action needs name, arguments (a map) and a finite energy >= 0");
        const std::string action = a["name"].as<std::string>("");
        leak = leak || action == "leak";
        if (renamed.count(action) || action == "bit") problem("ERT.yaml: " + name + ": scbnn action name " + action);
        rows.push_back({action, a["arguments"], e});
        if (components_.count(name)) {
          const ArchComponent& c = components_.at(name);
          if (class_actions_.count(c.cls) && !class_actions_.at(c.cls).count(action))
            problem("ERT.yaml: " + name + ": compound class " + c.cls + " has no action " + action);
          if (!class_actions_.count(c.cls) && action != "leak") {
            const std::string known = c.attributes["scbnn_actions"].as<std::string>("");
            if (known.find(action + "=") == std::string::npos)
              problem("ERT.yaml: " + name + ": action " + action + " is not in its scbnn_actions");
          }
        }
      }
      if (!leak) problem("ERT.yaml: " + name + " has no leak");
    }
    for (const auto& [name, c] : components_)
      if (!ert_.count(name)) problem("ERT.yaml: no table for " + name);
  }

  void check_art() {
    double area = 0;
    std::set<std::string> seen;
    for (const auto& t : yaml_["ART.yaml"]["ART"]["tables"]) {
      const std::string name = t["name"].as<std::string>("");
      double a = -1;
      if (!components_.count(name)) problem("ART.yaml: " + name + " is not in the architecture");
      if (!t["area"] || !parse_number(t["area"].Scalar(), a) || !(a >= 0)) problem("ART.yaml: " + name + ": bad area");
      seen.insert(name);
      area += a * instances(name);
    }
    if (seen.size() != components_.size()) problem("ART.yaml: not one entry per component");
    if (std::fabs(area - r_.area_um2) > 1e-9 * r_.area_um2)
      problem("ART.yaml: sums to " + shortest_number(area) + " um^2, the report " + shortest_number(r_.area_um2));
  }

  static bool same_arguments(const YAML::Node& a, const YAML::Node& b) {
    const auto size = [](const YAML::Node& n) { return n ? n.size() : size_t(0); };
    if (size(a) != size(b)) return false;
    for (const auto& kv : a)
      if (!b[kv.first.as<std::string>()] || b[kv.first.as<std::string>()].Scalar() != kv.second.Scalar()) return false;
    return true;
  }

  // action_counts: {version, local: [{name, action_counts: [{name, [arguments], counts}]}]}:
  // each names a component and an ERT action (with its arguments); sum(counts x energy) is
  // the report's total energy.
  void check_action_counts() {
    std::set<std::string> seen;
    for (const auto& l : yaml_["action_counts.yaml"]["action_counts"]["local"]) {
      const std::string name = l["name"].as<std::string>("");
      if (!components_.count(name) || !ert_.count(name)) {
        problem("action_counts.yaml: " + name + " is not a component of the architecture and ERT");
        continue;
      }
      seen.insert(name);
      for (const auto& a : l["action_counts"]) {
        const std::string action = a["name"].as<std::string>("");
        double counts = -1;
        if (!a["counts"] || !parse_number(a["counts"].Scalar(), counts) || !(counts >= 0))
          problem("action_counts.yaml: " + name + "." + action + ": counts must be a number >= 0");
        const ErtRow* row = nullptr;
        for (const auto& x : ert_.at(name))
          if (x.action == action && same_arguments(x.arguments, a["arguments"])) row = &x;
        if (!row) {
          problem("action_counts.yaml: " + name + "." + action + " has no ERT row with these arguments");
          continue;
        }
        energy_ += counts * row->energy;
      }
    }
    if (seen.size() != components_.size()) problem("action_counts.yaml: not every component is counted");
    if (std::fabs(energy_ - r_.total_pj()) > 1e-9 * r_.total_pj())
      problem("sum(counts x ERT energy) = " + shortest_number(energy_) + " pJ, the report " +
              shortest_number(r_.total_pj()));
  }

  // The table-based plug-in: an identifier (name, technology, accuracy > 0, data directory)
  // and <class>.csv with the columns it matches on; every primitive finds its row (by
  // technology and the key attributes), and the areas it gives sum to the report's area.
  void check_tables() {
    const YAML::Node id = yaml_["scbnn.table.yaml"];
    if (!id["name"] || !id["technology"] || !id["accuracy"] || !id["path_to_data_dir"])
      problem("scbnn.table.yaml: needs name, technology, accuracy and path_to_data_dir");
    if (id["technology"].as<std::string>("") != technology_)
      problem("scbnn.table.yaml: not the architecture's technology");
    if (!(id["accuracy"].as<double>(0) > 0)) problem("scbnn.table.yaml: accuracy must be > 0 to be chosen");
    for (const auto& [name, c] : components_) {
      if (!class_actions_.count(c.cls)) {
        plug_in_area_ += unit_area(c, "", c.cls) * instances(name);
        continue;
      }
      for (const auto& [sub, cls] : sub_class_.at(c.cls)) plug_in_area_ += unit_area(c, sub, cls) * instances(name);
    }
    if (std::fabs(plug_in_area_ - r_.area_um2) > 1e-9 * r_.area_um2)
      problem("the table-based plug-in's areas sum to " + shortest_number(plug_in_area_) + " um^2, the report " +
              shortest_number(r_.area_um2));
  }

  double unit_area(const ArchComponent& c, const std::string& sub, const std::string& cls) {
    const std::string path = dir_ + "/" + cls + ".csv";
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line)) {
      problem(path + " is missing or empty");
      return 0;
    }
    const auto cells = [](const std::string& l) {
      std::vector<std::string> v;
      std::stringstream s(l);
      for (std::string cell; std::getline(s, cell, ',');) v.push_back(cell);
      if (!l.empty() && l.back() == ',') v.emplace_back();
      return v;
    };
    const std::vector<std::string> header = cells(line);
    for (const char* need : {"technology", "action", "energy", "area"})
      if (std::find(header.begin(), header.end(), need) == header.end()) problem(path + ": no column " + need);
    double n = 0;
    parse_number(primitive_attribute(c, sub, "n_instances").Scalar(), n);
    while (std::getline(in, line)) {
      const std::vector<std::string> row = cells(line);
      if (row.size() != header.size()) {
        problem(path + ": a row of " + std::to_string(row.size()) + " cells");
        continue;
      }
      bool match = true;
      for (size_t i = 0; i < header.size() && match; ++i) {
        const std::string& column = header[i];
        const YAML::Node v = column == "technology" ? YAML::Node(technology_) : primitive_attribute(c, sub, column);
        if (v && v.IsScalar()) match = v.Scalar() == row[i];  // the plug-in compares the texts
      }
      double area = 0;
      if (match && parse_number(row[std::find(header.begin(), header.end(), "area") - header.begin()], area))
        return area * n;
    }
    problem(path + ": no row for " + c.name + (sub.empty() ? "" : "." + sub));
    return 0;
  }

  // Every piece of hardware is in the architecture as often as the run built it: per class,
  // the report's quantity equals the sum over the primitives of that class of n_instances x
  // the instances their names list (list ranges expanded), and the report's components of
  // that class are as many as those instances.
  void check_instances_against_report() {
    std::map<std::string, double> quantity, built;
    std::map<std::string, std::set<std::string>> components;
    for (const auto& h : r_.hardware) {
      quantity[h.item.component_class] += h.item.quantity;
      components[h.item.component_class].insert(h.item.component);
    }
    std::map<std::string, double> exported_quantity, exported_components;
    for (const auto& entry : components_) {
      const std::string& name = entry.first;
      const ArchComponent& c = entry.second;
      const auto add = [&](const std::string& sub, const std::string& cls) {
        double n = 0;
        parse_number(primitive_attribute(c, sub, "n_instances").Scalar(), n);
        exported_quantity[cls] += n * instances(name);
        exported_components[cls] += instances(name);
      };
      if (!class_actions_.count(c.cls)) {
        if (c.cls != "area_roll_up") add("", c.cls);
      } else {
        for (const auto& [sub, cls] : sub_class_.at(c.cls)) add(sub, cls);
      }
    }
    for (const auto& [cls, q] : quantity) {
      if (std::fabs(exported_quantity[cls] - q) > 1e-9 * q)
        problem("class " + cls + ": " + shortest_number(exported_quantity[cls]) + " units exported, " +
                shortest_number(q) + " built");
      if (exported_components[cls] != double(components[cls].size()))
        problem("class " + cls + ": " + shortest_number(exported_components[cls]) + " instances exported, " +
                std::to_string(components[cls].size()) + " built");
    }
  }

  // The per-charge counts (fC) appear only as arguments of the write that carries them:
  // arguments x write counts give back the report's charge.
  void check_charge_is_an_argument() {
    std::map<std::string, double> charge;
    for (const auto& a : r_.actions) {
      const ComponentClassSpec* spec = find_component_class(a.component_class);
      if (spec && spec->action(a.action)->pricing == Pricing::per_charge) charge[a.action] += double(a.count);
    }
    std::map<std::string, double> exported;
    for (const auto& l : yaml_["action_counts.yaml"]["action_counts"]["local"])
      for (const auto& a : l["action_counts"]) {
        if (charge.count(a["name"].as<std::string>(""))) problem("charge counted as an action: " + a["name"].Scalar());
        for (const auto& kv : a["arguments"])
          if (charge.count(kv.first.as<std::string>()))
            exported[kv.first.as<std::string>()] += kv.second.as<double>() * a["counts"].as<double>();
      }
    for (const auto& [action, fc] : charge)
      if (std::fabs(exported[action] - fc) > 1e-9 * fc)
        problem(action + ": " + shortest_number(exported[action]) + " fC as arguments, " + shortest_number(fc) +
                " fC counted");
  }

  std::string dir_;
  const PowerReport& r_;
  std::map<std::string, YAML::Node> yaml_;
  std::vector<std::string> problems_;
  std::string technology_;
  std::map<std::string, ArchComponent> components_;
  std::map<std::string, std::set<std::string>> class_actions_;
  std::map<std::string, YAML::Node> class_attributes_;
  std::map<std::string, std::map<std::string, std::string>> sub_class_;
  std::map<std::string, std::map<std::string, YAML::Node>> sub_attributes_;
  std::map<std::string, std::vector<ErtRow>> ert_;
  double energy_ = 0, plug_in_area_ = 0;
};

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

void expect_valid(const PowerReport& r, const std::string& name) {
  const std::string dir = exported(r, name);
  Validator v(dir, r);
  const std::vector<std::string> problems = v.run();
  EXPECT_TRUE(problems.empty()) << joined(problems);
  const AccelergyTotals back = read_accelergy_totals(dir);
  EXPECT_NEAR(back.energy_pj, r.total_pj(), 1e-9 * r.total_pj());
  EXPECT_NEAR(back.area_um2, r.area_um2, 1e-9 * r.area_um2);
  EXPECT_NEAR(v.energy(), r.total_pj(), 1e-9 * r.total_pj());
  EXPECT_NEAR(v.plug_in_area(), r.area_um2, 1e-9 * r.area_um2);
}

void replace_in(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = slurp(path);
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << path;
  text.replace(at, from.size(), to);
  std::ofstream(path) << text;
}

}  // namespace

// The BNN core with MRAM arrays (programming included: word writes with their pulses and
// charge): the arrays and their PEs become one list of compound tiles.
TEST(Accelergy, BnnExportFollowsAccelergysInputRules) {
  const PowerReport r = priced_bnn_run();
  expect_valid(r, "accelergy_bnn");
  const std::string dir = test::temp_path("accelergy_bnn");
  const std::string arch = slurp(dir + "/architecture.yaml");
  EXPECT_NE(arch.find("- name: array[0..4]\n"), std::string::npos) << arch;
  EXPECT_NE(arch.find("class: mram_2t2r_array_tile"), std::string::npos);
  EXPECT_NE(arch.find("popcount=accel.core.pe_{0..4}"), std::string::npos);
  const std::string ert = slurp(dir + "/ERT.yaml");
  EXPECT_NE(ert.find("name: system.accel.core.array[0..4]"), std::string::npos);
  EXPECT_NE(ert.find("arguments: {mtj_write_pulse: "), std::string::npos) << ert;
  const std::string components = slurp(dir + "/components.yaml");
  EXPECT_NE(components.find("- name: sa_compute"), std::string::npos) << components;
}

TEST(Accelergy, RramExportFollowsAccelergysInputRules) {
  const PowerReport r = priced_bnn_run({"accel.memory.technology=rram"});
  expect_valid(r, "accelergy_rram");
  EXPECT_NE(slurp(test::temp_path("accelergy_rram") + "/ERT.yaml").find("set_charge: "), std::string::npos);
}

// Two accelerators: nested lists (accel[0..1].core.array[0..4]).
TEST(Accelergy, TwoAcceleratorsExportAsNestedLists) {
  const PowerReport r = priced_bnn_run({"platform.accelerators=2"});
  expect_valid(r, "accelergy_two");
  EXPECT_NE(
      slurp(test::temp_path("accelergy_two") + "/action_counts.yaml").find("name: system.accel[0..1].core.array[0..4]"),
      std::string::npos);
}

// The MAC-array core: one component with parts of several classes is a compound component.
TEST(Accelergy, MacExportFollowsAccelergysInputRules) {
  const PowerReport r = priced_mac_run();
  expect_valid(r, "accelergy_mac");
  EXPECT_NE(slurp(test::temp_path("accelergy_mac") + "/components.yaml").find("- name: pe_array_tile"),
            std::string::npos);
}

// Priced from hand-made counts (the shipped preset): two arrays of one class whose cells
// differ in size (two sets of unit prices, told apart by price_set), one with its popcount
// tree (a tile) and one without (a primitive), each programmed with its own pulses and
// charge per word; a component with parts at two levels (a container); a component that
// counts actions but holds no hardware.
TEST(Accelergy, HandMadeRunExportsPriceSetsContainersAndTiles) {
  using namespace component_class;
  ActionLedger ledger;
  HardwareInventory hw;
  hw.add("chip.array_0", kMram2t2rArray, "cell", 64 * 64, "64 x 64 cells", {115, "2 x 57.5 F^2"});
  hw.add("chip.array_1", kMram2t2rArray, "cell", 64 * 64, "64 x 64 cells", {160, "2 x 80 F^2"});
  hw.add("chip.pe_0", kXnorPopcount, "input_bit", 64, "64-input tree");
  hw.add("chip.core", kController, "instance", 1, "sequencer");
  hw.add("chip.core.buffers.input", kInputBuffer, "bit", 512, "64 bytes");
  ledger.add("chip.array_0", kMram2t2rArray, action::kRowRead, 100);
  for (const auto& [array, words] : {std::make_pair("chip.array_0", 64u), std::make_pair("chip.array_1", 32u)}) {
    ledger.add(array, kMram2t2rArray, action::kWordWrite, words);
    ledger.add(array, kMram2t2rArray, action::kMtjWritePulse, words * 130);  // some re-pulses
    ledger.add(array, kMram2t2rArray, action::kMtjWriteCharge, words * 130 * 1000);
    ledger.add(array, kMram2t2rArray, action::kWritePumpCharge, words * 130 * 1000);
  }
  ledger.add("chip.pe_0", kXnorPopcount, action::kPopcountBit, 6400);
  ledger.add("chip.core.buffers.input", kInputBuffer, action::kBitRead, 512);
  ledger.add("chip.registers", kRegisterBank, action::kRegisterRead, 7);  // counted, not built
  RunTimes times;
  times.simulated_s = 2e-5;
  times.inference_s = 1e-5;
  times.inferences = 1;
  times.clock_mhz = 250;
  const TechnologyPreset preset = load_preset(SCBNN_SOURCE_DIR "/power/presets/st-mram-28nm.yaml");
  const PowerReport r = price_run(preset, ledger.entries(), hw.items(), times);
  expect_valid(r, "accelergy_hand_made");
  const std::string dir = test::temp_path("accelergy_hand_made");
  const std::string arch = slurp(dir + "/architecture.yaml");
  EXPECT_NE(arch.find("- name: array_0\n"), std::string::npos) << arch;  // different cells: no list
  EXPECT_NE(arch.find("mram_2t2r_array_price_set: 1"), std::string::npos) << arch;
  EXPECT_NE(arch.find("price_set: 2"), std::string::npos) << arch;
  EXPECT_NE(arch.find("- name: controller\n"), std::string::npos) << arch;  // chip.core's own part
  EXPECT_NE(arch.find("scbnn_component: \"chip.registers\""), std::string::npos) << arch;
  const std::string csv = slurp(dir + "/mram_2t2r_array.csv");
  EXPECT_EQ(
      csv.rfind("technology,price_set,action,mtj_write_pulse,mtj_write_charge,write_pump_charge,energy,area\n", 0), 0u)
      << csv;
  EXPECT_NE(csv.find("28nm,1,write,130,130000,130000,"), std::string::npos) << csv;
}

// The validator is no formality: each of these breaks of an export is caught.
TEST(Accelergy, ValidatorCatchesABrokenExport) {
  const PowerReport r = priced_bnn_run();
  struct Break {
    const char* file;
    std::string from, to, expected;
  };
  const std::vector<Break> breaks = {
      {"architecture.yaml", "- name: array[0..4]", "- name: array[0..3]", "instances exported"},
      {"architecture.yaml", "technology: \"", "technology: \"1", "not the architecture's technology"},
      {"architecture.yaml", "basis: \"bit\"", "basis: bit", "plain string"},
      {"ERT.yaml", "version: '0.4'", "version: 0.4", "version must be"},
      {"ERT.yaml", "- name: write\n", "- name: word_write\n", "scbnn action name word_write"},
      {"action_counts.yaml", "- name: leak\n          counts: ", "- name: leak\n          counts: 1", "report"},
      {"action_counts.yaml", "name: system.accel.core.array[0..4]", "name: system.accel.core.arrays[0..4]",
       "not a component"},
      {"components.yaml", "actions: [{name: leak}]", "actions: []", "no actions"},
      {"ART.yaml", "area: ", "area: 1", "sums to"},
  };
  for (const auto& b : breaks) {
    const std::string dir = exported(r, "accelergy_broken");
    replace_in(dir + "/" + b.file, b.from, b.to);
    const std::string problems = joined(Validator(dir, r).run());
    EXPECT_NE(problems.find(b.expected), std::string::npos) << b.file << ": " << b.from << " -> " << b.to << "\n"
                                                            << problems;
  }
}

// Every action of the catalogue has its row in the name table; what a row carries is an
// action of the same class; per-charge actions are always carried (charge is no count).
TEST(Accelergy, NameTableCoversTheCatalogue) {
  for (const auto& cls : component_catalogue())
    for (const auto& a : cls.actions) {
      const AccelergyActionName* row = find_accelergy_action_name(a.name);
      ASSERT_NE(row, nullptr) << cls.name << "." << a.name;
      EXPECT_NE(row->accelergy == nullptr, row->carried_by == nullptr) << a.name;
      if (row->carried_by) {
        EXPECT_NE(cls.action(row->carried_by), nullptr) << cls.name << "." << a.name;
      }
      if (a.pricing == Pricing::per_charge) {
        EXPECT_NE(row->carried_by, nullptr) << a.name;
      }
    }
}

// docs/power-model.md's table of action names says what accelergy_action_names() does.
TEST(Accelergy, DocumentedNameTableMatchesTheCode) {
  const std::string doc = slurp(SCBNN_SOURCE_DIR "/docs/power-model.md");
  const size_t begin = doc.find("### Accelergy export");
  ASSERT_NE(begin, std::string::npos);
  std::vector<std::string> rows;
  std::stringstream lines(doc.substr(begin));
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("| `", 0) == 0) rows.push_back(line);
  for (const auto& a : accelergy_action_names()) {
    const std::string named = "`" + std::string(a.scbnn) + "`";
    const std::string says = a.carried_by                          ? "carried by `" + std::string(a.carried_by) + "`"
                             : std::string(a.accelergy) == a.scbnn ? "| kept |"
                                                                   : "| `" + std::string(a.accelergy) + "` |";
    EXPECT_TRUE(std::any_of(rows.begin(), rows.end(),
                            [&](const std::string& row) {
                              return row.find(named) != std::string::npos && row.find(says) != std::string::npos;
                            }))
        << a.scbnn << " should be documented as " << says;
  }
}

// Every file the export writes is one the run command declares before simulating.
TEST(Accelergy, EveryWrittenFileIsDeclared) {
  const std::vector<std::string> declared = accelergy_file_names();
  for (const auto& [name, text] : accelergy_files(priced_bnn_run()))
    EXPECT_NE(std::find(declared.begin(), declared.end(), name), declared.end()) << name;
}
