#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "scbnn/models/tiling.h"
#include "scbnn/models/weight_array.h"
#include "scbnn/stimuli/network.h"

namespace scbnn {

// What a driver writes to program a network into the accelerator, in order, compiled once on
// the host: the host model plays it (its write records) and firmware plays the same bytes
// with the C driver (scbnn/driver/scbnn_driver.h: scbnn_program). docs/registers.md,
// "Program images", gives the byte format.
struct ProgramRecord {
  enum Kind : uint32_t { kExpect = 1, kWrite = 2 };
  Kind kind = kWrite;
  uint32_t offset = 0;         // from the accelerator's base address
  std::vector<uint8_t> bytes;  // write: the bytes; expect: the register's 4 bytes (little-endian)
};

struct ProgramImage {
  std::vector<ProgramRecord> records;
  void expect32(uint32_t offset, uint32_t value);
  void write32(uint32_t offset, uint32_t value);
  void write(uint32_t offset, const void* data, uint32_t length);
};

// The run settings an image programs besides the network (registers of docs/registers.md).
struct ProgramSettings {
  uint32_t input_mode = 0;     // INPUT_MODE (BNN)
  uint32_t stream_length = 1;  // SC_LENGTH (BNN)
  WritePulse pulse;            // PROG_PULSE_PS, PROG_CURRENT_NA (BNN)
  uint32_t first_image = 0;    // IMAGE_INDEX
};

struct PlatformParams;
// The settings `scbnn run` programs for a configuration whose first image is `first_image`.
ProgramSettings program_settings(const PlatformParams& params, uint32_t first_image);

// A binarized network for the BNN accelerator whose weight arrays have `geometry` (the image
// first expects its ID and ARRAY_* registers), and a quantised network for the MAC-array
// accelerator (expects its ID). Throw std::invalid_argument when the hardware cannot hold it.
ProgramImage binarized_program_image(const Network& net, const ArrayGeometry& geometry,
                                     const ProgramSettings& settings);
ProgramImage quantised_program_image(const Network& net, const ProgramSettings& settings);

// Where a host that programs through the DMA engine keeps an image's data: the write records
// of at least `min_bytes` bytes, back to back from offset 0 of a region of system memory, each
// 8-byte aligned (`offsets[i]`, -1 for a record written through the registers), and the
// region's bytes, which the platform preloads.
struct DmaLayout {
  std::vector<int64_t> offsets;
  std::vector<uint8_t> bytes;
};
DmaLayout dma_layout(const ProgramImage& image, uint32_t min_bytes);

// The byte format (little-endian 32-bit words): "SCBI", version 1, record count, then per
// record its kind, offset, length in bytes and the bytes padded with zeros to 4.
std::vector<uint8_t> serialise(const ProgramImage& image);
// Throws InputError naming `where` and what is wrong.
ProgramImage parse_program_image(const std::vector<uint8_t>& bytes, const std::string& where);

}  // namespace scbnn
