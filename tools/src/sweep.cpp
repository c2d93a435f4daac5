#include "scbnn/tools/sweep.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <map>
#include <sstream>
#include <tuple>
#include <utility>

#include "scbnn/base/component_class.h"
#include "scbnn/base/data_files.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"
#include "scbnn/base/statistics.h"
#include "scbnn/base/text.h"
#include "scbnn/base/yaml_input.h"
#include "scbnn/platforms/config.h"
#include "scbnn/stimuli/dataset.h"
#include "scbnn/tools/json_file.h"
#include "scbnn/tools/power_setup.h"
#include "scbnn/tools/provenance.h"

namespace scbnn {
namespace {

// A sweep expands to at most this many points: a larger one is refused before it is built.
constexpr size_t kMaxPoints = 1000000;

void check_size(size_t points, const std::string& where) {
  if (points > kMaxPoints)
    throw InputError(where + ": the sweep expands to more than " + std::to_string(kMaxPoints) +
                     " points; split it into several sweeps");
}

std::string at(const std::string& file, const YAML::Node& n) {
  return n.Mark().is_null() ? file : file + ":" + std::to_string(n.Mark().line + 1);
}

std::string scalar_of(const YAML::Node& n, const std::string& where, const std::string& key) {
  if (!n.IsScalar()) throw InputError(where + ": " + key + " needs plain values (numbers or words)");
  require_utf8(key, where + ": a key");
  require_utf8(n.Scalar(), where + ": " + key);
  return n.Scalar();
}

// Checks the key exists in the configuration schema (values are checked per point).
void check_key(const std::string& key, const std::string& where) {
  try {
    Config().apply_override(key + "=" + "?");
  } catch (const InputError& e) {
    const std::string m = e.what();
    if (m.find("unknown configuration key") != std::string::npos || m.find("UTF-8") != std::string::npos)
      throw InputError(where + ": " + m);
  }
}

// A value every point gets (set: or -p): the key exists and the value is valid on its own
// (values that depend on other keys are checked per point).
void check_common_value(const std::string& key, const std::string& value, const std::string& where) {
  check_key(key, where);
  Config().set(key, value, Origin::file, where);
}

std::vector<std::string> list_of(const YAML::Node& n, const std::string& where, const std::string& key) {
  if (!n.IsSequence() || n.size() == 0)
    throw InputError(where + ": " + key + " needs a non-empty list of values, e.g. [1, 2, 4]");
  std::vector<std::string> values;
  for (const auto& v : n) values.push_back(scalar_of(v, where, key));
  return values;
}

std::vector<std::vector<Assignment>> parse_groups(const YAML::Node& groups, const std::string& file);

std::vector<std::vector<Assignment>> parse_group(const YAML::Node& g, const std::string& file) {
  const std::string where = at(file, g);
  if (!g.IsMap() || g.size() != 1)
    throw InputError(where + ": each sweep group is one of product: {...}, zip: {...}, points: [...] or either: [...]");
  const std::string kind = g.begin()->first.Scalar();
  const YAML::Node body = g.begin()->second;
  std::vector<std::vector<Assignment>> points;
  if (kind == "either") {
    if (!body.IsSequence() || body.size() == 0)
      throw InputError(where + ": either needs a list of alternatives, each a list of groups");
    for (const auto& alternative : body) {
      const auto alt = parse_groups(alternative, file);
      check_size(points.size() + alt.size(), where);
      points.insert(points.end(), alt.begin(), alt.end());
    }
    return points;
  }
  if (kind == "points") {
    if (!body.IsSequence() || body.size() == 0) throw InputError(where + ": points needs a non-empty list of mappings");
    for (const auto& p : body) {
      if (!p.IsMap() || p.size() == 0) throw InputError(at(file, p) + ": each point is a mapping of keys to values");
      std::vector<Assignment> point;
      for (const auto& kv : p)
        point.emplace_back(kv.first.Scalar(), scalar_of(kv.second, at(file, p), kv.first.Scalar()));
      points.push_back(point);
    }
    return points;
  }
  if (kind != "product" && kind != "zip")
    throw InputError(where + ": unknown sweep group '" + kind + "' (expected product, zip, points or either)");
  if (!body.IsMap() || body.size() == 0) throw InputError(where + ": " + kind + " needs a mapping of keys to lists");
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;
  for (const auto& kv : body)
    axes.emplace_back(kv.first.Scalar(), list_of(kv.second, at(file, kv.second), kv.first.Scalar()));
  if (kind == "zip") {
    for (const auto& a : axes)
      if (a.second.size() != axes[0].second.size())
        throw InputError(where + ": zip lists must have equal lengths (" + axes[0].first + " has " +
                         std::to_string(axes[0].second.size()) + ", " + a.first + " has " +
                         std::to_string(a.second.size()) + ")");
    for (size_t i = 0; i < axes[0].second.size(); ++i) {
      std::vector<Assignment> point;
      for (const auto& a : axes) point.emplace_back(a.first, a.second[i]);
      points.push_back(point);
    }
    return points;
  }
  points.push_back({});
  for (const auto& a : axes) {
    check_size(points.size() * a.second.size(), where);
    std::vector<std::vector<Assignment>> next;
    for (const auto& p : points)
      for (const auto& v : a.second) {
        next.push_back(p);
        next.back().emplace_back(a.first, v);
      }
    points = std::move(next);
  }
  return points;
}

// The cartesian product of a list of groups (first group outermost).
std::vector<std::vector<Assignment>> parse_groups(const YAML::Node& groups, const std::string& file) {
  if (!groups.IsSequence() || groups.size() == 0)
    throw InputError(at(file, groups) + ": expected a list of groups (product, zip, points or either)");
  std::vector<std::vector<Assignment>> combos = {{}};
  for (const auto& g : groups) {
    const auto points = parse_group(g, file);
    check_size(combos.size() * points.size(), at(file, g));
    std::vector<std::vector<Assignment>> next;
    for (const auto& c : combos)
      for (const auto& p : points) {
        for (const auto& [k, v] : p)
          for (const auto& [ck, cv] : c)
            if (k == ck) throw InputError(at(file, g) + ": " + k + " is swept by two groups (put it in one)");
        next.push_back(c);
        next.back().insert(next.back().end(), p.begin(), p.end());
      }
    combos = std::move(next);
  }
  return combos;
}

Config point_config(const SweepSpec& spec, const std::vector<Assignment>& assignments) {
  Config c;
  if (!spec.base_config.empty()) c.load_yaml_file(spec.base_config);
  for (const auto& [k, v] : spec.set) c.set(k, v, Origin::file, spec.file);
  for (const auto& [k, v] : assignments) c.set(k, v, Origin::command_line, "sweep point");
  return c;
}

std::string canonical(const nlohmann::ordered_json& effective) {
  std::vector<std::string> lines;
  for (const auto& [key, v] : effective.items())
    lines.push_back(key + "=" + v["value"].dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  return text;
}

// The files a point's run reads (docs/sweeps.md): its network (shipped networks resolved as
// `run` does), its data set split's files (the format's reader names them; read once per
// format, directory and split) and its technology preset. A file that cannot be found gets
// the path "(missing)", whose digest input_files_digest names "missing": the point fails
// when it runs.
InputFiles point_input_files(const Config& c) {
  static std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string>> dataset_files;
  InputFiles files;
  const auto or_missing = [](const auto& resolve) {
    try {
      return resolve();
    } catch (const InputError&) {
      return std::string("(missing)");
    }
  };
  files.network =
      or_missing([&] { return resolve_shipped_file(c.text("network.path"), ShippedData::networks, "network.path"); });
  files.preset = or_missing([&] { return resolve_preset(c.text("power.preset")); });
  const auto key = std::make_tuple(c.text("dataset.format"), c.text("dataset.path"), c.text("dataset.split"));
  auto it = dataset_files.find(key);
  if (it == dataset_files.end()) {
    std::vector<std::string> paths = {"(missing)"};
    try {
      paths = load_dataset(std::get<0>(key), std::get<1>(key), std::get<2>(key), 1).files;
    } catch (const InputError&) {
    }
    it = dataset_files.emplace(key, paths).first;
  }
  files.dataset = it->second;
  return files;
}

// The per-layer metrics of a merged row, in column order: column "layerL.NAME" for layer L
// (then the layer's energy by stage, "layerL.STAGE_nj").
constexpr const char* kLayerMetrics[] = {"cycles",    "energy_nj",   "dynamic_nj",       "leakage_nj",
                                         "row_reads", "bits_sensed", "buffer_bits_read", "buffer_bits_written"};

std::vector<std::string> layer_metrics() {
  std::vector<std::string> m(std::begin(kLayerMetrics), std::end(kLayerMetrics));
  for (Stage s : inference_stages()) m.push_back(std::string(stage_name(s)) + "_nj");
  return m;
}

// The run's energy per inference by stage, column "stage.STAGE_nj".
std::string stage_column(Stage s) { return std::string("stage.") + stage_name(s) + "_nj"; }

std::string layer_column(size_t layer, const std::string& metric) {
  return "layer" + std::to_string(layer) + "." + metric;
}

// A point report's per-layer costs (per inference) as columns of its merged row; reports
// written before the per-layer costs have none.
void add_layer_columns(nlohmann::ordered_json& row, const nlohmann::ordered_json& report) {
  if (!report.contains("layers")) return;
  for (size_t l = 0; l < report["layers"].size(); ++l) {
    const auto& layer = report["layers"].at(l);
    row[layer_column(l, "cycles")] = layer.at("cycles");
    for (const std::string e : {"energy", "dynamic", "leakage"})  // absent when the run was not priced
      if (layer.contains(e + "_pj")) row[layer_column(l, e + "_nj")] = layer.at(e + "_pj").get<double>() / 1e3;
    for (const char* m : {"row_reads", "bits_sensed", "buffer_bits_read", "buffer_bits_written"})
      row[layer_column(l, m)] = layer.at(m);
    if (layer.contains("stage_energy_pj"))
      for (const auto& [stage, e] : layer.at("stage_energy_pj").items())
        row[layer_column(l, stage + "_nj")] = e.get<double>() / 1e3;
  }
}

// Layers of the deepest network among the rows (the merged table has columns for each).
size_t layer_count(const nlohmann::ordered_json& rows) {
  size_t layers = 0;
  for (const auto& r : rows)
    while (r.contains(layer_column(layers, kLayerMetrics[0]))) ++layers;
  return layers;
}

// The machine-independent provenance columns of a merged table (add_provenance).
constexpr const char* kProvenanceColumns[] = {"revision", "tree_modified", "network_sha256", "dataset_sha256",
                                              "preset_sha256"};

// A CSV field: quoted when it holds a comma, quote or line break.
std::string csv_field(std::string s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c == '\n' ? ' ' : c);
  return q + "\"";
}

// A JSON value as table text: strings bare, anything else as JSON.
std::string text_of(const nlohmann::ordered_json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// `seeds: [1, 2, 3]` or `seeds: N` (1..N): the innermost group, over key `seed`.
void add_seed_group(SweepSpec& s, const YAML::Node& seeds, const std::string& file) {
  const std::string where = at(file, seeds);
  if (std::find(s.swept_keys.begin(), s.swept_keys.end(), "seed") != s.swept_keys.end())
    throw InputError(where + ": seeds: repeats every point over master seeds, but seed is already swept");
  std::vector<std::string> values;
  if (seeds.IsScalar()) {
    const std::string text = seeds.Scalar();
    char* end = nullptr;
    const unsigned long n = std::strtoul(text.c_str(), &end, 10);
    if (text.empty() || *end != 0 || n < 1 || n > 10000)
      throw InputError(where + ": seeds: '" + text + "' (expected a count from 1 to 10000, or a list of seeds)");
    for (unsigned long i = 1; i <= n; ++i) values.push_back(std::to_string(i));
  } else {
    values = list_of(seeds, where, "seeds");
  }
  std::vector<std::vector<Assignment>> points;
  for (const auto& v : values) {
    check_common_value("seed", v, where + ": seeds");
    points.push_back({{"seed", v}});
  }
  s.swept_keys.push_back("seed");
  s.groups.push_back(std::move(points));
  size_t total = 1;
  for (const auto& group : s.groups) total = std::min(total * group.size(), kMaxPoints + 1);
  check_size(total, where);
}

// What a point's report says of its origin: the machine-independent part as columns
// (revision, whether the tree was modified, input files' SHA-256), and in full (host, CPU,
// start) under "provenance"; reports from before provenance have neither.
void add_provenance(nlohmann::ordered_json& row, const nlohmann::ordered_json& report) {
  if (!report.contains("provenance")) return;
  const auto& tool = report["tool"];
  const auto& files = report["provenance"]["files"];
  row["revision"] = tool["revision"];
  row["tree_modified"] = tool["tree_modified"];
  row["network_sha256"] = files.contains("network") ? files["network"]["sha256"] : "";
  std::string dataset;
  for (const auto& f : files["dataset"]) dataset += (dataset.empty() ? "" : " ") + f["sha256"].get<std::string>();
  row["dataset_sha256"] = dataset;
  row["preset_sha256"] = files.contains("preset") ? files["preset"]["sha256"] : "";
  row["provenance"] = {{"tool", tool}, {"run", report["provenance"]}};
}

}  // namespace

std::string fnv1a_hex(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

SweepSpec parse_sweep(const std::string& text, const std::string& file) {
  const YAML::Node root = parse_yaml(text, file);
  if (!root.IsMap()) throw InputError(file + ": a sweep specification is a mapping (name, config, set, sweep)");
  SweepSpec s;
  s.file = file;
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    if (key != "name" && key != "config" && key != "set" && key != "sweep" && key != "seeds")
      throw InputError(at(file, kv.first) + ": unknown field '" + key + "' (expected name, config, set, sweep, seeds)");
  }
  if (root["name"]) s.name = scalar_of(root["name"], file, "name");
  if (root["config"]) {
    std::filesystem::path base = scalar_of(root["config"], file, "config");
    if (base.is_relative()) base = std::filesystem::absolute(std::filesystem::path(file).parent_path() / base);
    if (!std::filesystem::exists(base)) throw InputError(file + ": config: " + base.string() + " does not exist");
    require_readable_file(base.string(), "configuration file (" + file + ": config)");
    s.base_config = base.lexically_normal().string();
    Config().load_yaml_file(s.base_config);  // a bad base configuration stops the sweep before any point runs
  }
  if (const YAML::Node set = root["set"]) {
    if (!set.IsMap()) throw InputError(at(file, set) + ": set needs a mapping of keys to values");
    for (const auto& kv : set) {
      const std::string key = kv.first.Scalar(), value = scalar_of(kv.second, at(file, kv.second), key);
      check_common_value(key, value, at(file, kv.second));
      s.set.emplace_back(key, value);
    }
  }
  const YAML::Node sweep = root["sweep"];
  if (!sweep || !sweep.IsSequence() || sweep.size() == 0)
    throw InputError(file + ": 'sweep' needs a list of groups (product, zip or points)");
  for (const auto& g : sweep) {
    auto points = parse_group(g, file);
    std::vector<std::string> group_keys;
    for (const auto& p : points)
      for (const auto& [k, v] : p)
        if (std::find(group_keys.begin(), group_keys.end(), k) == group_keys.end()) group_keys.push_back(k);
    for (const auto& k : group_keys) {
      check_key(k, at(file, g));
      if (std::find(s.swept_keys.begin(), s.swept_keys.end(), k) != s.swept_keys.end())
        throw InputError(at(file, g) + ": " + k + " is swept by two groups (put it in one)");
      s.swept_keys.push_back(k);
    }
    s.groups.push_back(std::move(points));
    size_t total = 1;
    for (const auto& group : s.groups) total = std::min(total * group.size(), kMaxPoints + 1);  // no overflow
    check_size(total, at(file, g));
  }
  if (const YAML::Node seeds = root["seeds"]) add_seed_group(s, seeds, file);
  return s;
}

SweepSpec load_sweep(const std::string& path) { return parse_sweep(read_file(path, "sweep specification"), path); }

void add_overrides(SweepSpec& spec, const std::vector<std::string>& overrides) {
  for (const auto& o : overrides) {
    const auto [key, value] = split_assignment(o, "-p", "key=value");
    if (std::find(spec.swept_keys.begin(), spec.swept_keys.end(), key) != spec.swept_keys.end())
      throw InputError("-p " + o + ": " + key + " is swept by the specification");
    check_common_value(key, value, "-p " + o);
    spec.set.emplace_back(key, value);
  }
}

std::vector<SweepPoint> expand_sweep(const SweepSpec& spec) {
  std::vector<std::vector<Assignment>> combos = {{}};
  for (const auto& group : spec.groups) {
    check_size(combos.size() * group.size(), spec.file);
    std::vector<std::vector<Assignment>> next;
    for (const auto& c : combos)
      for (const auto& p : group) {
        next.push_back(c);
        next.back().insert(next.back().end(), p.begin(), p.end());
      }
    combos = std::move(next);
  }
  std::vector<SweepPoint> points;
  for (size_t i = 0; i < combos.size(); ++i) {
    SweepPoint p;
    p.index = i;
    p.assignments = combos[i];
    try {
      const Config config = point_config(spec, p.assignments);
      const nlohmann::ordered_json effective = config.effective();
      p.hash = fnv1a_hex(canonical(effective) + input_files_digest(point_input_files(config)));
      for (const auto& [k, v] : p.assignments)  // a key the effective configuration lacks keeps its text
        p.values[k] =
            effective.contains(k) && effective[k].contains("value") ? effective[k]["value"] : nlohmann::ordered_json(v);
    } catch (const InputError& e) {
      p.config_error = e.what();
      std::string text = "invalid:";
      for (const auto& [k, v] : p.assignments) {
        text += k + "=" + v + ";";
        p.values[k] = v;
      }
      p.hash = fnv1a_hex(text);
    }
    points.push_back(std::move(p));
  }
  return points;
}

bool in_shard(const SweepPoint& point, uint32_t shard, uint32_t shards) { return point.index % shards == shard; }

std::pair<uint32_t, uint32_t> parse_shard(const std::string& text) {
  unsigned i = 0, n = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%u/%u%c", &i, &n, &tail) != 2 || n == 0 || i >= n)
    throw InputError("--shard " + text + ": expected i/N with 0 <= i < N, e.g. --shard 0/4");
  return {i, n};
}

nlohmann::ordered_json merge_rows(const std::vector<SweepPoint>& points, const std::string& dir) {
  using json = nlohmann::ordered_json;
  json rows = json::array();
  for (const auto& p : points) {
    json row;
    row["index"] = p.index;
    row["hash"] = p.hash;
    row["point"] = p.values.is_null() ? json::object() : p.values;
    const std::filesystem::path report = std::filesystem::path(dir) / (p.hash + ".json");
    const std::filesystem::path error = std::filesystem::path(dir) / (p.hash + ".error.json");
    if (std::filesystem::exists(report)) {
      const json r = read_json_file(report.string(), "point report");
      const json& pw = r["power"];
      row["status"] = "done";
      row["accuracy"] = r["accuracy"]["accuracy"];
      row["correct"] = r["accuracy"]["correct"];
      row["images"] = r["accuracy"]["images"];
      const ProportionInterval ci = wilson_interval(r["accuracy"]["correct"], r["accuracy"]["images"]);
      row["accuracy_ci95_low"] = ci.low;
      row["accuracy_ci95_high"] = ci.high;
      row["cycles_per_inference"] = r["cycles"]["per_inference"];
      row["latency_ns"] = r["latency"]["accelerator_ns_per_inference"];
      row["energy_nj_per_inference"] = pw["energy_per_inference_pj"].get<double>() / 1e3;
      row["dynamic_nj_per_inference"] = pw["dynamic_per_inference_pj"].get<double>() / 1e3;
      row["leakage_nj_per_inference"] = pw["leakage_per_inference_pj"].get<double>() / 1e3;
      row["programming_uj"] = pw["programming_pj"].get<double>() / 1e6;
      row["area_mm2"] = pw["area_um2"].get<double>() / 1e6;
      if (pw.contains("area")) row["area_raw_mm2"] = pw["area"]["raw_um2"].get<double>() / 1e6;
      if (pw.contains("per_stage"))
        for (Stage s : inference_stages())
          row[stage_column(s)] = pw["per_stage"][stage_name(s)]["energy_pj_per_inference"].get<double>() / 1e3;
      row["tops_per_w"] = pw["efficiency"]["tops_per_w"];
      row["weight_error_rate"] = r["errors_injected"]["weight_error_rate_at_end"];
      json energy = json::object(), area = json::object();
      for (const auto& [cls, c] : pw["per_class"].items())
        energy[cls] = c["inference_pj_per_inference"].get<double>() / 1e3;
      for (const auto& [cls, c] : pw["area_per_class"].items()) area[cls] = c["area_um2"].get<double>() / 1e6;
      row["energy_nj_per_class"] = energy;
      row["area_mm2_per_class"] = area;
      add_layer_columns(row, r);
      add_provenance(row, r);
    } else if (!p.config_error.empty() || std::filesystem::exists(error)) {
      row["status"] = "failed";
      if (!p.config_error.empty()) {
        row["error"] = p.config_error;
      } else {
        try {
          row["error"] = read_json_file(error.string(), "error record")["message"];
        } catch (const std::exception& e) {
          row["error"] = std::string("unreadable error record: ") + e.what();
        }
      }
    } else {
      row["status"] = "missing";
    }
    rows.push_back(row);
  }
  return rows;
}

std::string rows_csv(const SweepSpec& spec, const nlohmann::ordered_json& rows) {
  static const char* metrics[] = {"accuracy",
                                  "accuracy_ci95_low",
                                  "accuracy_ci95_high",
                                  "correct",
                                  "images",
                                  "cycles_per_inference",
                                  "latency_ns",
                                  "energy_nj_per_inference",
                                  "dynamic_nj_per_inference",
                                  "leakage_nj_per_inference",
                                  "programming_uj",
                                  "area_mm2",
                                  "area_raw_mm2",
                                  "tops_per_w",
                                  "weight_error_rate"};
  const auto quote = csv_field;
  const size_t layers = layer_count(rows);  // shallower networks leave their deeper columns empty
  std::ostringstream o;
  o << "index,hash,status";
  for (const auto& k : spec.swept_keys) o << "," << k;
  for (const char* m : metrics) o << "," << m;
  for (Stage s : inference_stages()) o << "," << stage_column(s);
  for (size_t l = 0; l < layers; ++l)
    for (const std::string& m : layer_metrics()) o << "," << layer_column(l, m);
  for (const char* p : kProvenanceColumns) o << "," << p;
  o << ",error\n";
  for (const auto& r : rows) {
    o << r["index"].get<size_t>() << "," << r["hash"].get<std::string>() << "," << r["status"].get<std::string>();
    for (const auto& k : spec.swept_keys) o << "," << (r["point"].contains(k) ? quote(text_of(r["point"][k])) : "");
    for (const char* m : metrics) {
      o << ",";
      if (r.contains(m)) o << r[m].dump();
    }
    for (Stage s : inference_stages()) {
      o << ",";
      if (r.contains(stage_column(s))) o << r[stage_column(s)].dump();
    }
    for (size_t l = 0; l < layers; ++l)
      for (const std::string& m : layer_metrics()) {
        o << ",";
        if (r.contains(layer_column(l, m))) o << r[layer_column(l, m)].dump();
      }
    for (const char* p : kProvenanceColumns) o << "," << (r.contains(p) ? quote(text_of(r[p])) : "");
    o << "," << quote(r.value("error", std::string())) << "\n";
  }
  return o.str();
}

}  // namespace scbnn

namespace scbnn {
namespace {

// The figures seed_means averages (accuracy separately: it also gets its range and interval).
constexpr const char* kSeedMeanMetrics[] = {"cycles_per_inference",
                                            "latency_ns",
                                            "energy_nj_per_inference",
                                            "dynamic_nj_per_inference",
                                            "programming_uj",
                                            "area_mm2",
                                            "tops_per_w",
                                            "weight_error_rate"};

struct Spread {
  double mean = 0, std = 0, min = 0, max = 0;
};
Spread spread_of(const std::vector<double>& v) {
  Spread s{0, 0, v.front(), v.front()};
  for (double x : v) {
    s.mean += x / double(v.size());
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
  double squares = 0;
  for (double x : v) squares += (x - s.mean) * (x - s.mean);
  s.std = v.size() > 1 ? std::sqrt(squares / double(v.size() - 1)) : 0.0;
  return s;
}

}  // namespace

nlohmann::ordered_json seed_means(const SweepSpec& spec, const nlohmann::ordered_json& rows) {
  using json = nlohmann::ordered_json;
  json means = json::array();
  if (std::find(spec.swept_keys.begin(), spec.swept_keys.end(), "seed") == spec.swept_keys.end()) return means;
  std::vector<json> keys;  // the other swept keys' values, in order of first appearance
  std::vector<std::vector<const json*>> members;
  for (const auto& r : rows) {
    json key = r["point"];
    key.erase("seed");
    auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      keys.push_back(key);
      members.emplace_back();
      it = keys.end() - 1;
    }
    if (r["status"] == "done") members[size_t(it - keys.begin())].push_back(&r);
  }
  for (size_t g = 0; g < keys.size(); ++g) {
    json m = {{"point", keys[g]}, {"seeds", members[g].size()}};
    if (!members[g].empty()) {
      std::vector<double> accuracy;
      uint64_t correct = 0, images = 0;
      for (const json* r : members[g]) {
        accuracy.push_back((*r)["accuracy"].get<double>());
        correct += (*r)["correct"].get<uint64_t>();
        images += (*r)["images"].get<uint64_t>();
      }
      const Spread a = spread_of(accuracy);
      const ProportionInterval pooled = wilson_interval(correct, images);
      m["accuracy_mean"] = a.mean;
      m["accuracy_std"] = a.std;
      m["accuracy_min"] = a.min;
      m["accuracy_max"] = a.max;
      m["accuracy_pooled_ci95_low"] = pooled.low;
      m["accuracy_pooled_ci95_high"] = pooled.high;
      m["correct"] = correct;
      m["images"] = images;
      for (const char* metric : kSeedMeanMetrics) {
        std::vector<double> v;
        for (const json* r : members[g])
          if (r->contains(metric)) v.push_back((*r)[metric].get<double>());
        if (v.size() != members[g].size()) continue;
        const Spread s = spread_of(v);
        m[std::string(metric) + "_mean"] = s.mean;
        m[std::string(metric) + "_std"] = s.std;
      }
    }
    means.push_back(m);
  }
  return means;
}

std::string seed_means_csv(const SweepSpec& spec, const nlohmann::ordered_json& means) {
  std::vector<std::string> columns = {"seeds",
                                      "accuracy_mean",
                                      "accuracy_std",
                                      "accuracy_min",
                                      "accuracy_max",
                                      "accuracy_pooled_ci95_low",
                                      "accuracy_pooled_ci95_high",
                                      "correct",
                                      "images"};
  for (const char* metric : kSeedMeanMetrics) {
    columns.push_back(std::string(metric) + "_mean");
    columns.push_back(std::string(metric) + "_std");
  }
  std::ostringstream o;
  bool first = true;
  for (const auto& k : spec.swept_keys)
    if (k != "seed") o << (std::exchange(first, false) ? "" : ",") << k;
  for (const auto& c : columns) o << (std::exchange(first, false) ? "" : ",") << c;
  o << "\n";
  for (const auto& m : means) {
    first = true;
    for (const auto& k : spec.swept_keys)
      if (k != "seed")
        o << (std::exchange(first, false) ? "" : ",")
          << (m["point"].contains(k) ? csv_field(text_of(m["point"][k])) : "");
    for (const auto& c : columns) o << (std::exchange(first, false) ? "" : ",") << (m.contains(c) ? m[c].dump() : "");
    o << "\n";
  }
  return o.str();
}

}  // namespace scbnn
