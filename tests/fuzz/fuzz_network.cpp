// Fuzz target: the network file format (header, payload, CRC, validation).
#include <cstddef>
#include <cstdint>
#include <string>

#include "scbnn/base/errors.h"
#include "scbnn/stimuli/network.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const scbnn::Network net =
        scbnn::parse_network(std::string(reinterpret_cast<const char*>(data), size), "fuzz.scbnn");
    scbnn::parse_network(scbnn::serialize_network(net), "round trip");  // what loads also saves
  } catch (const scbnn::InputError&) {
  }
  return 0;
}
