// Fuzz target: technology preset files and power.entry overrides (lines "class.field=value" after "---p").
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "scbnn/base/errors.h"
#include "scbnn/power/technology.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find("\n---p\n");
  try {
    scbnn::TechnologyPreset p = scbnn::parse_preset(input.substr(0, split), "fuzz.yaml");
    if (split != std::string::npos) {
      std::istringstream lines(input.substr(split + 6));
      for (std::string line; std::getline(lines, line);) {
        const size_t eq = line.find('=');
        if (eq != std::string::npos) scbnn::override_entry(p, line.substr(0, eq), line.substr(eq + 1), "fuzz");
      }
    }
    scbnn::preset_markdown(p);
  } catch (const scbnn::InputError&) {
  }
  return 0;
}
