#pragma once
#include <yaml-cpp/yaml.h>

#include <string>

namespace scbnn {

// Every YAML file scbnn reads (configurations, sweep specifications, technology presets)
// is parsed here, so each is refused the same way for the same mistake.

// "<where>:<line>" for a message about `node`, a node of the YAML read from `where`.
std::string yaml_location(const std::string& where, const YAML::Node& node);

// Throws the InputError for `key` given twice in one file (first and again mark the keys).
[[noreturn]] void refuse_repeated_key(const std::string& where, const std::string& key, const YAML::Mark& first,
                                      const YAML::Mark& again);

// Parses YAML text read from `where` (a file name, named with the line in every message).
// Besides malformed YAML it refuses what yaml-cpp would accept silently and no scbnn file
// means: a key given twice in one mapping (the last one would win), a key that is not a
// plain name, an alias (*name: it can make a mapping contain itself), a tag other than the
// plain YAML types (!!binary, !custom), and a second document after '---'.
YAML::Node parse_yaml(const std::string& text, const std::string& where);

}  // namespace scbnn
