// The fixed-point first layer of the conventional BNN: accel.input_bits bit-planes of the
// pixels, one pass each, partial sums shifted and added (pass b weighs 2^b).
#include <stdexcept>

#include "scbnn/models/bnn_core.h"
#include "scbnn/models/first_layer.h"

namespace scbnn {
namespace {

class BitPlanes : public FirstLayerDatapath {
 public:
  explicit BitPlanes(uint32_t input_bits) : input_bits_(input_bits) {}
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

 private:
  uint32_t input_bits_;
};

FirstLayerRegistrar registrar("fixed",
                              {"shift-add of the pixels' bit-planes (the conventional BNN; wider accumulators)",
                               [](const CoreParams& p) {
                                 return uint64_t(p.input_bytes) * ((uint64_t(1) << p.input_bits) - 1);
                               },
                               [](const CoreParams& p) { return p.input_bits; },
                               [](const CoreParams& p) { return std::make_unique<BitPlanes>(p.input_bits); }});

}  // namespace

SCBNN_LINK_ANCHOR(first_layer, bit_planes)

}  // namespace scbnn
