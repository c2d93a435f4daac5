#include "scbnn/platforms/config.h"

#include <cmath>
#include <sstream>

#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"
#include "scbnn/base/text.h"
#include "scbnn/base/yaml_input.h"

namespace scbnn {
namespace {

std::string range_text(const ParamSpec& s) {
  std::ostringstream o;
  switch (s.kind) {
    case ParamKind::integer: o << "an integer from " << int64_t(s.min) << " to " << int64_t(s.max); break;
    case ParamKind::real: o << "a number from " << s.min << " to " << s.max; break;
    case ParamKind::boolean: o << "true or false"; break;
    case ParamKind::text: o << "a string"; break;
    case ParamKind::choice:
      o << "one of";
      for (const auto& c : s.choices) o << " " << c;
      break;
  }
  return o.str();
}

bool parse_integer(const std::string& t, int64_t& out) {
  if (t.empty()) return false;
  size_t used = 0;
  try {
    out = std::stoll(t, &used, 0);
  } catch (const std::logic_error&) {
    return false;
  }
  return used == t.size();
}

bool parse_real(const std::string& t, double& out) {
  if (t.empty()) return false;
  size_t used = 0;
  try {
    out = std::stod(t, &used);
  } catch (const std::logic_error&) {
    return false;
  }
  return used == t.size() && std::isfinite(out);
}

bool parse_bool(const std::string& t, bool& out) {
  if (t == "true" || t == "1" || t == "yes" || t == "on") return out = true, true;
  if (t == "false" || t == "0" || t == "no" || t == "off") return out = false, true;
  return false;
}

struct Leaf {
  std::string key;  // dotted
  YAML::Node key_node, value;
};

// Nested mappings become dotted keys (parse_yaml has made sure keys are plain names).
void flatten(const YAML::Node& node, const std::string& prefix, const YAML::Node& key_node, std::vector<Leaf>& out) {
  if (!node.IsMap()) {
    out.push_back({prefix, key_node, node});
    return;
  }
  for (const auto& kv : node)
    flatten(kv.second, prefix.empty() ? kv.first.Scalar() : prefix + "." + kv.first.Scalar(), kv.first, out);
}

// parse_yaml refuses a key twice in one mapping; this also refuses one given flat
// ("accel.mram.ber: ...") and nested ("accel: {mram: {ber: ...}}") in the same file.
void refuse_repeated_keys(const std::vector<Leaf>& leaves, const std::string& where) {
  std::map<std::string, const Leaf*> first;
  for (const Leaf& leaf : leaves) {
    const auto [earlier, inserted] = first.emplace(leaf.key, &leaf);
    if (!inserted) refuse_repeated_key(where, leaf.key, earlier->second->key_node.Mark(), leaf.key_node.Mark());
  }
}

bool is_family(const ParamSpec& s) { return s.key.size() > 2 && s.key.compare(s.key.size() - 2, 2, ".*") == 0; }

bool in_family(const ParamSpec& s, const std::string& key) {
  const size_t prefix = s.key.size() - 1;  // keeps the dot
  return is_family(s) && key.size() > prefix && key.compare(0, prefix, s.key, 0, prefix) == 0;
}

}  // namespace

const char* to_string(Origin o) {
  switch (o) {
    case Origin::default_value: return "default";
    case Origin::file: return "file";
    case Origin::command_line: return "command line";
  }
  return "?";
}

Config::Config(const std::vector<ParamSpec>& schema) : schema_(schema) {
  for (const auto& s : schema_)
    if (!is_family(s)) set(s.key, s.default_value, Origin::default_value, "built-in default");
}

const ParamSpec& Config::spec(const std::string& key) const {
  for (const auto& s : schema_)
    if (s.key == key || in_family(s, key)) return s;
  std::string best;
  size_t best_d = 4;
  for (const auto& s : schema_) {
    const size_t d = edit_distance(key, s.key);
    if (d < best_d) best_d = d, best = s.key;
  }
  throw InputError("unknown configuration key '" + key + "'" +
                   (best.empty() ? std::string(" (scbnn config lists every key)") : " (did you mean " + best + "?)"));
}

void Config::set(const std::string& key, const std::string& text, Origin origin, const std::string& where) {
  require_utf8(key, where + ": a configuration key");
  const ParamSpec& s = spec(key);
  require_utf8(text, where + ": " + key);
  const auto bad = [&]() {
    return InputError(where + ": " + key + " = '" + text + "' is not valid (expected " + range_text(s) +
                      (s.unit.empty() ? "" : ", in " + s.unit) + ")");
  };
  std::string normal = text;
  switch (s.kind) {
    case ParamKind::integer: {
      int64_t v;
      if (!parse_integer(text, v) || double(v) < s.min || double(v) > s.max) throw bad();
      normal = std::to_string(v);
      break;
    }
    case ParamKind::real: {
      double v;
      if (!parse_real(text, v) || v < s.min || v > s.max) throw bad();
      break;
    }
    case ParamKind::boolean: {
      bool v;
      if (!parse_bool(text, v)) throw bad();
      normal = v ? "true" : "false";
      break;
    }
    case ParamKind::choice:
      if (std::find(s.choices.begin(), s.choices.end(), text) == s.choices.end()) throw bad();
      break;
    case ParamKind::text:
      if (text.empty()) throw bad();
      break;
  }
  values_[key] = {normal, origin, where};
}

void Config::load_yaml_text(const std::string& text, const std::string& where) {
  const YAML::Node root = parse_yaml(text, where);
  if (root.IsNull()) return;  // an empty file changes nothing
  if (!root.IsMap()) throw InputError(where + ": the configuration must be a mapping of keys to values");
  std::vector<Leaf> leaves;
  flatten(root, "", YAML::Node(), leaves);
  refuse_repeated_keys(leaves, where);
  for (const Leaf& leaf : leaves) {
    const ParamSpec& s = spec(leaf.key);  // unknown keys fail before type errors
    if (!leaf.value.IsScalar())
      throw InputError(yaml_location(where, leaf.key_node) + ": " + leaf.key + " needs a single value (" +
                       range_text(s) + ")");
    set(leaf.key, leaf.value.Scalar(), Origin::file, where);
  }
}

void Config::load_yaml_file(const std::string& path) { load_yaml_text(read_file(path, "configuration file"), path); }

void Config::apply_override(const std::string& assignment) {
  const KeyValue kv = split_assignment(assignment, "-p", "key=value, e.g. -p accel.array.rows=128");
  set(kv.key, kv.value, Origin::command_line, "-p");
}

const Config::Value& Config::value(const std::string& key, ParamKind kind) const {
  if (spec(key).kind != kind) throw std::logic_error("configuration key " + key + " read with the wrong type");
  return values_.at(key);
}

int64_t Config::integer(const std::string& key) const { return std::stoll(value(key, ParamKind::integer).text); }
double Config::real(const std::string& key) const { return std::stod(value(key, ParamKind::real).text); }
bool Config::boolean(const std::string& key) const { return value(key, ParamKind::boolean).text == "true"; }
const std::string& Config::text(const std::string& key) const {
  const ParamSpec& s = spec(key);
  if (s.kind != ParamKind::text && s.kind != ParamKind::choice)
    throw std::logic_error("configuration key " + key + " read with the wrong type");
  return values_.at(key).text;
}
Origin Config::origin(const std::string& key) const { return values_.at(spec(key).key).origin; }

std::vector<Config::FamilyValue> Config::family(const std::string& family_key) const {
  std::vector<FamilyValue> out;
  const ParamSpec& s = spec(family_key);
  for (const auto& [key, v] : values_)
    if (in_family(s, key)) out.push_back({key, v.text, v.origin, v.where});
  return out;
}

nlohmann::ordered_json Config::effective() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& s : schema_) {
    if (is_family(s)) {
      for (const auto& f : family(s.key)) {
        out[f.key] = {{"value", f.value}, {"origin", to_string(f.origin)}, {"unit", s.unit}};
        if (f.origin == Origin::file) out[f.key]["file"] = f.where;
      }
      continue;
    }
    const Value& v = values_.at(s.key);
    nlohmann::ordered_json value;
    switch (s.kind) {
      case ParamKind::integer: value = std::stoll(v.text); break;
      case ParamKind::real: value = std::stod(v.text); break;
      case ParamKind::boolean: value = v.text == "true"; break;
      default: value = v.text;
    }
    out[s.key] = {{"value", value}, {"origin", to_string(v.origin)}, {"unit", s.unit}};
    if (v.origin == Origin::file) out[s.key]["file"] = v.where;
  }
  return out;
}

std::string schema_markdown(const std::vector<ParamSpec>& schema) {
  std::ostringstream o;
  o << "| key | default | unit | accepted | meaning | source of the default |\n";
  o << "|---|---|---|---|---|---|\n";
  for (const auto& s : schema)
    o << "| `" << s.key << "` | " << s.default_value << " | " << s.unit << " | " << range_text(s) << " | "
      << s.description << " | " << s.source << " |\n";
  return o.str();
}

std::string schema_text(const std::vector<ParamSpec>& schema) {
  std::ostringstream o;
  for (const auto& s : schema)
    o << s.key << " = " << s.default_value << (s.unit.empty() ? "" : " " + s.unit) << "\n    " << s.description
      << "\n    accepted: " << range_text(s) << "\n    source: " << s.source << "\n";
  return o.str();
}

}  // namespace scbnn
