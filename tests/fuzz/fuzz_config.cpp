// Fuzz target: the YAML configuration and -p overrides (lines "key=value" after a line "---p").
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "scbnn/base/errors.h"
#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find("\n---p\n");
  try {
    scbnn::Config c;
    c.load_yaml_text(input.substr(0, split), "fuzz.yaml");
    if (split != std::string::npos) {
      std::istringstream lines(input.substr(split + 6));
      for (std::string line; std::getline(lines, line);) c.apply_override(line);
    }
    c.effective();
    scbnn::platform_params(c);  // the cross-key checks too
  } catch (const scbnn::InputError&) {
  }
  return 0;
}
