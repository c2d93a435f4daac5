// Fuzz target: program images (docs/registers.md, "Program images"), read by two parsers that
// must agree: the C++ reader (parse_program_image) and the C firmware driver's scbnn_program,
// here playing into a bus that only counts. An image one accepts and the other refuses, a
// bus access before the whole image is checked, or a round trip that changes it aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "scbnn/base/errors.h"
#include "scbnn/driver/scbnn_driver.h"
#include "scbnn/platforms/program_image.h"

namespace {
uint32_t read_nothing(void*, uint64_t) { return 0; }
void count_write(void* n, uint64_t, uint32_t) { ++*static_cast<uint64_t*>(n); }
void count_byte(void* n, uint64_t, uint8_t) { ++*static_cast<uint64_t*>(n); }
const scbnn_bus_ops kCounting = {read_nothing, count_write, count_byte};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  bool cpp_ok = true;
  try {
    const scbnn::ProgramImage image = scbnn::parse_program_image(bytes, "fuzz.img");
    if (scbnn::serialise(image) != bytes) std::abort();
  } catch (const scbnn::InputError&) {
    cpp_ok = false;
  }
  uint64_t writes = 0;
  const scbnn_device dev = {&kCounting, &writes, 0};
  const int status = scbnn_program(&dev, data, size, nullptr);
  if ((status == SCBNN_E_IMAGE) == cpp_ok) std::abort();     // the two readers disagree
  if (status == SCBNN_E_IMAGE && writes != 0) std::abort();  // wrote before checking
  return 0;
}
