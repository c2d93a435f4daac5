// The stochastic first layer: comparator SNGs turn each pixel into N samples (SC_LENGTH);
// the first layer sums its popcounts over the N samples with unit weight, or (vote mode)
// the whole network runs once per sample and the classes are voted.
#include <stdexcept>
#include <string>

#include "scbnn/models/bnn_core.h"
#include "scbnn/models/first_layer.h"

namespace scbnn {
namespace {

class Stochastic : public FirstLayerDatapath {
 public:
  Stochastic(const CoreParams& p) : sng_("sng", p.sng, p.input_bytes), max_stream_length_(p.sc.max_stream_length) {}
  void check_job(uint32_t stream_length, bool) const override {
    if (stream_length < 1 || stream_length > max_stream_length_)
      throw std::invalid_argument("SC_LENGTH " + std::to_string(stream_length) + " is outside 1 to " +
                                  std::to_string(max_stream_length_));
  }
  uint64_t prepare(InputBuffer& input, uint32_t inputs, uint32_t stream_length, uint64_t image, InputPasses& passes,
                   CycleLedger& ledger) override {
    std::vector<uint8_t> pixels(inputs);
    input.read(0, pixels.data(), inputs, true);
    sng_.bank.seek_image(image, stream_length);
    sng_.bank.generate(pixels.data(), inputs, stream_length, passes);
    const uint64_t cycles = uint64_t(stream_length) * sng_.bank.cycles_per_sample(inputs);
    ledger.add(0, "layer0", "sng", cycles);
    return cycles;
  }
  uint32_t pass_count(uint32_t stream_length, bool vote) const override { return vote ? 1 : stream_length; }
  uint32_t pass_shift(uint32_t) const override { return 0; }
  std::optional<std::vector<StreamMetrics>> stream_quality(const std::vector<uint32_t>& lengths) const override {
    return measure_streams(sng_.bank.params(), lengths);
  }

 private:
  StochasticNumberGenerators sng_;
  uint32_t max_stream_length_;
};

FirstLayerRegistrar registrar(
    "stochastic", {"comparator SNGs: N samples per pixel (accel.sc.stream_length), unit-weight passes or voted rounds",
                   [](const CoreParams& p) { return uint64_t(p.input_bytes) * p.sc.max_stream_length; },
                   // sum mode can take SC_LENGTH up to the maximum (vote mode one pass per round)
                   [](const CoreParams& p) { return p.sc.max_stream_length; },
                   [](const CoreParams& p) { return std::make_unique<Stochastic>(p); }});

}  // namespace

SCBNN_LINK_ANCHOR(first_layer, stochastic)

}  // namespace scbnn
