#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace scbnn {

enum class ParamKind { integer, real, boolean, text, choice };

// A declared configuration parameter: hierarchical key (like the module path), type,
// A key ending in ".*" declares a family (e.g. power.entry.*): any key below it is
// accepted with that type, has no default, and is validated by its consumer.
// default, unit, accepted range or choices, meaning, and where the default comes from
// (a publication, or "assumption: ...").
struct ParamSpec {
  std::string key;
  ParamKind kind = ParamKind::integer;
  std::string default_value;
  std::string unit;
  double min = 0, max = 0;  // inclusive range for integer / real
  std::vector<std::string> choices;
  std::string description;
  std::string source;
};

// Every parameter the platform understands (docs/configuration.md is generated from it).
const std::vector<ParamSpec>& platform_schema();

enum class Origin { default_value, file, command_line };
const char* to_string(Origin o);

// The effective configuration of one run: defaults, then a YAML file, then -p overrides.
// Unknown keys, wrong types and out-of-range values throw InputError naming the key.
class Config {
 public:
  explicit Config(const std::vector<ParamSpec>& schema = platform_schema());

  void load_yaml_file(const std::string& path);
  void load_yaml_text(const std::string& text, const std::string& where);
  void apply_override(const std::string& assignment);  // "key=value"
  void set(const std::string& key, const std::string& value, Origin origin, const std::string& where);

  int64_t integer(const std::string& key) const;
  double real(const std::string& key) const;
  bool boolean(const std::string& key) const;
  const std::string& text(const std::string& key) const;
  Origin origin(const std::string& key) const;
  struct FamilyValue {
    std::string key, value;
    Origin origin;
    std::string where;
  };
  // Values set under a family key ("power.entry.*"), in key order.
  std::vector<FamilyValue> family(const std::string& family_key) const;

  // {key: {"value": ..., "origin": "default|file|command line", "unit": ...}}
  nlohmann::ordered_json effective() const;
  const std::vector<ParamSpec>& schema() const { return schema_; }

 private:
  struct Value {
    std::string text;
    Origin origin = Origin::default_value;
    std::string where;
  };
  const ParamSpec& spec(const std::string& key) const;
  const Value& value(const std::string& key, ParamKind kind) const;

  std::vector<ParamSpec> schema_;
  std::map<std::string, Value> values_;
};

// Markdown table of a schema (docs/configuration.md).
std::string schema_markdown(const std::vector<ParamSpec>& schema);
// The same as plain text, one key per paragraph (`scbnn config`).
std::string schema_text(const std::vector<ParamSpec>& schema);

}  // namespace scbnn
