#include "scbnn/power/accelergy.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <vector>

#include "scbnn/base/atomic_file.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"
#include "scbnn/base/yaml_input.h"

namespace scbnn {
namespace {

struct Table {
  std::vector<std::pair<std::string, double>> energies;  // action -> pJ per count
  std::vector<std::pair<std::string, double>> counts;
  double area_um2 = 0;
};

std::map<std::string, Table> tables_of(const PowerReport& r) {
  std::map<std::string, Table> tables;
  for (const auto& a : r.actions) {
    Table& t = tables[a.component];
    t.energies.emplace_back(a.action, a.energy_per_count_pj);
    t.counts.emplace_back(a.action, double(a.count));
  }
  const double period_ns = r.times.clock_mhz > 0 ? 1000.0 / r.times.clock_mhz : 0.0;
  const double cycles = r.times.simulated_s * r.times.clock_mhz * 1e6;
  for (const auto& h : r.hardware) {
    Table& t = tables[h.item.component];
    t.area_um2 += h.area_um2;
    t.energies.emplace_back("leak", h.leakage_nw * period_ns * 1e-6);  // nW x ns = 1e-6 pJ
    t.counts.emplace_back("leak", cycles);
  }
  // The area roll-up's additions (docs/power-model.md, "Area") as area-only tables, so that
  // the ART sums to the report's area.
  if (r.area_roll_up.array_periphery_added_um2 > 0)
    tables["area_roll_up.array_periphery"].area_um2 = r.area_roll_up.array_periphery_added_um2;
  if (r.area_roll_up.logic_routing_added_um2 > 0)
    tables["area_roll_up.logic_routing"].area_um2 = r.area_roll_up.logic_routing_added_um2;
  return tables;
}

std::string text_of(const YAML::Emitter& out) { return std::string(out.c_str()) + "\n"; }

YAML::Node load(const std::string& path) { return parse_yaml(read_file(path, "Accelergy file"), path); }

}  // namespace

const std::vector<std::string>& accelergy_file_names() {
  static const std::vector<std::string> names = {"ERT.yaml", "ART.yaml", "action_counts.yaml"};
  return names;
}

void write_accelergy(const PowerReport& r, const std::string& dir) {
  std::filesystem::create_directories(dir);
  for (const auto& [name, text] : accelergy_files(r))
    write_file_atomically((std::filesystem::path(dir) / name).string(), text);
}

std::vector<std::pair<std::string, std::string>> accelergy_files(const PowerReport& r) {
  const auto tables = tables_of(r);
  YAML::Emitter ert, art, counts;
  ert << YAML::BeginMap << YAML::Key << "ERT" << YAML::Value << YAML::BeginMap << YAML::Key << "version" << YAML::Value
      << 0.3 << YAML::Key << "tables" << YAML::Value << YAML::BeginSeq;
  art << YAML::BeginMap << YAML::Key << "ART" << YAML::Value << YAML::BeginMap << YAML::Key << "version" << YAML::Value
      << 0.3 << YAML::Key << "tables" << YAML::Value << YAML::BeginSeq;
  counts << YAML::BeginMap << YAML::Key << "action_counts" << YAML::Value << YAML::BeginMap << YAML::Key << "version"
         << YAML::Value << 0.3 << YAML::Key << "local" << YAML::Value << YAML::BeginSeq;
  for (const auto& [name, t] : tables) {
    ert << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name << YAML::Key << "actions" << YAML::Value
        << YAML::BeginSeq;
    for (const auto& [action, e] : t.energies)
      ert << YAML::BeginMap << YAML::Key << "name" << YAML::Value << action << YAML::Key << "arguments" << YAML::Value
          << YAML::BeginMap << YAML::EndMap << YAML::Key << "energy" << YAML::Value << e << YAML::EndMap;
    ert << YAML::EndSeq << YAML::EndMap;
    art << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name << YAML::Key << "area" << YAML::Value
        << t.area_um2 << YAML::EndMap;
    counts << YAML::BeginMap << YAML::Key << "name" << YAML::Value << name << YAML::Key << "action_counts"
           << YAML::Value << YAML::BeginSeq;
    for (const auto& [action, c] : t.counts)
      counts << YAML::BeginMap << YAML::Key << "name" << YAML::Value << action << YAML::Key << "counts" << YAML::Value
             << c << YAML::EndMap;
    counts << YAML::EndSeq << YAML::EndMap;
  }
  for (YAML::Emitter* e : {&ert, &art, &counts}) *e << YAML::EndSeq << YAML::EndMap << YAML::EndMap;
  const auto& names = accelergy_file_names();
  return {{names[0], text_of(ert)}, {names[1], text_of(art)}, {names[2], text_of(counts)}};
}

AccelergyTotals read_accelergy_totals(const std::string& dir) {
  const std::filesystem::path d(dir);
  const YAML::Node ert = load((d / "ERT.yaml").string()), art = load((d / "ART.yaml").string()),
                   counts = load((d / "action_counts.yaml").string());
  AccelergyTotals t;
  try {
    std::map<std::string, std::map<std::string, double>> energy;
    for (const auto& table : ert["ERT"]["tables"])
      for (const auto& a : table["actions"])
        energy[table["name"].as<std::string>()][a["name"].as<std::string>()] = a["energy"].as<double>();
    for (const auto& table : counts["action_counts"]["local"]) {
      const std::string name = table["name"].as<std::string>();
      for (const auto& a : table["action_counts"])
        t.energy_pj += a["counts"].as<double>() * energy.at(name).at(a["name"].as<std::string>());
    }
    for (const auto& table : art["ART"]["tables"]) t.area_um2 += table["area"].as<double>();
  } catch (const std::exception& e) {
    throw InputError(dir + ": malformed Accelergy files: " + e.what());
  }
  return t;
}

}  // namespace scbnn
