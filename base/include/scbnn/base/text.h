#pragma once
#include <nlohmann/json.hpp>
#include <cstdio>
#include <string>

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

// One number printed with a printf format, for report tables.
inline std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// A result file's JSON text. Messages quoted from outside (a failed run's output) may hold
// any bytes: invalid UTF-8 is replaced rather than aborting the write.
inline std::string to_json_text(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace scbnn
