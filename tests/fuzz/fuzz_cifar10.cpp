// Fuzz target: CIFAR-10 binary batch files, through a temporary file; what loads must hold
// one 32 x 32 x 3 image per label.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "scbnn/base/errors.h"
#include "scbnn/stimuli/cifar10.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/scbnn_fuzz_cifar10_" + std::to_string(getpid()) + ".bin";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  try {
    const scbnn::Dataset d = scbnn::read_cifar10_batches({path});
    if (d.images.size() != d.count() * scbnn::kCifar10ImageBytes || d.values() != scbnn::kCifar10ImageBytes)
      std::abort();
    for (uint8_t label : d.labels)
      if (label > 9) std::abort();
  } catch (const scbnn::InputError&) {
  }
  return 0;
}
