#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"

namespace scbnn {

// A JSON file scbnn reads back (sweep manifests, point reports, results): read through
// read_file, so a missing, unreadable or directory path is refused like every other input,
// and malformed JSON is refused naming the path and `what` the file should have been.
inline nlohmann::ordered_json read_json_file(const std::string& path, const std::string& what) {
  const std::string text = read_file(path, what);
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path + ": cannot parse " + what + ": " + e.what());
  }
}

}  // namespace scbnn
