// Fuzz target: IDX files, raw or gzip (zlib reads both), through a temporary file.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "scbnn/base/errors.h"
#include "scbnn/stimuli/idx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/scbnn_fuzz_idx_" + std::to_string(getpid()) + ".idx";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    scbnn::read_idx(path);
  } catch (const scbnn::InputError&) {
  }
  return 0;
}
