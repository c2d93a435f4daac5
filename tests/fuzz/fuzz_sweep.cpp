// Fuzz target: sweep specifications (parsing and expansion into points).
#include <cstddef>
#include <cstdint>
#include <string>

#include "scbnn/base/errors.h"
#include "scbnn/tools/sweep.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const scbnn::SweepSpec spec =
        scbnn::parse_sweep(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
    scbnn::expand_sweep(spec);
  } catch (const scbnn::InputError&) {
  }
  return 0;
}
