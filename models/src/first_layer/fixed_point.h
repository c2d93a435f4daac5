#pragma once
// The part every fixed-point first-layer organisation shares (models/fixed_organisation.h):
// the pixels' accel.input_bits bit-planes as input passes, pass b weighing 2^b.
#include <stdexcept>

#include "scbnn/models/buffers.h"
#include "scbnn/models/first_layer.h"

namespace scbnn {

class FixedPointPlanes : public FirstLayerDatapath {
 public:
  explicit FixedPointPlanes(uint32_t input_bits) : input_bits_(input_bits) {}
  void check_job(uint32_t, bool vote) const override {
    if (vote) throw std::invalid_argument("INPUT_MODE fixed has no vote mode");
  }
  uint64_t prepare(InputBuffer& input, uint32_t inputs, uint32_t, uint64_t, InputPasses& passes,
                   CycleLedger&) override {
    passes.resize(input_bits_);
    for (uint32_t b = 0; b < input_bits_; ++b) input.bit_plane(b, inputs, passes[b]);
    return 0;  // the planes are read as the passes fetch them
  }
  uint32_t pass_count(uint32_t, bool) const override { return input_bits_; }
  uint32_t pass_shift(uint32_t pass) const override { return pass; }

 protected:
  uint32_t input_bits_;
};

}  // namespace scbnn
