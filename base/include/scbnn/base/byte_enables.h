#pragma once
#include <cstdint>

namespace scbnn {

// TLM-2.0 byte enables: a pattern of be_len bytes repeated over the data, 0x00 disabling a
// byte (callers that refuse other values than 0x00 and 0xff check that first). No pattern
// (be == nullptr) enables every byte. Shared by the memory, the accelerator's windows and
// its buffers (models/ cannot include tlm/, hence base/).
inline bool byte_enabled(const uint8_t* be, uint32_t be_len, uint32_t i) { return !be || be[i % be_len] != 0x00; }

// Copies the enabled bytes of src[0, len) to dst.
inline void copy_enabled_bytes(uint8_t* dst, const uint8_t* src, uint32_t len, const uint8_t* be, uint32_t be_len) {
  for (uint32_t i = 0; i < len; ++i)
    if (byte_enabled(be, be_len, i)) dst[i] = src[i];
}

}  // namespace scbnn
