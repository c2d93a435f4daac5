#pragma once
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scbnn/base/errors.h"

namespace scbnn {

// Text from outside (configuration values, preset sources, sweep values) ends up in JSON
// reports, which must be UTF-8: anything else is refused where it enters, naming it.
inline void require_utf8(const std::string& text, const std::string& what) {
  try {
    (void)nlohmann::json(text).dump();
  } catch (const nlohmann::json::type_error&) {
    throw InputError(what + ": not valid UTF-8 text");
  }
}

// A KEY=VALUE argument (-p, --where) split at its first '='. Refused, naming the option and
// the expected form, when there is no '=' or no key: "OPTION 'TEXT': expected EXPECTED".
struct KeyValue {
  std::string key, value;
};
inline KeyValue split_assignment(const std::string& text, const std::string& option, const std::string& expected) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw InputError(option + " '" + text + "': expected " + expected);
  return {text.substr(0, eq), text.substr(eq + 1)};
}

// One number printed with a printf format, for report tables.
inline std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// The shortest decimal text that reads back as exactly `v` (std::to_chars), e.g. "0.3" not
// "0.29999999999999999": for files other tools read (YAML exports, tables).
inline std::string shortest_number(double v) {
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  return std::string(buf, end);
}

// Levenshtein distance: how close a misspelt key or name is to a known one ("did you mean").
inline size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// A result file's JSON text. Messages quoted from outside (a failed run's output) may hold
// any bytes: invalid UTF-8 is replaced rather than aborting the write.
inline std::string to_json_text(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace scbnn
