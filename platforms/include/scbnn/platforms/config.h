#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scbnn/base/params.h"

namespace scbnn {

// Every parameter the platform understands, collected from the owners' declarations
// (PlatformParams::declare in platform.h); docs/configuration.md is generated from it.
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
  // A key's checked value as text, whatever its kind (what ParamSetter reads).
  const std::string& value_text(const std::string& key) const { return values_.at(spec(key).key).text; }
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
