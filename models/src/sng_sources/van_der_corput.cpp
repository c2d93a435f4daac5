// The van der Corput source kind ("sobol"): a bit-reversed 8-bit counter per source.
#include "scbnn/models/sng.h"

namespace scbnn {

uint8_t VanDerCorputSource::next() {
  uint32_t v = (counter_ + offset_) & 0xff, r = 0;
  for (int b = 0; b < 8; ++b, v >>= 1) r = (r << 1) | (v & 1);
  if (++counter_ == steps_per_image_) counter_ = 0;
  return uint8_t(r);
}

void VanDerCorputSource::seek(uint64_t position, uint32_t steps_per_image) {
  steps_per_image_ = steps_per_image;
  counter_ = steps_per_image ? uint32_t(position % steps_per_image) : uint32_t(position);
}

namespace {

SngSourceRegistrar registrar(
    "sobol",
    {"van der Corput / Sobol (bit-reversed 8-bit counter, source i offset by 37 i; deterministic)",
     "Alaghi & Hayes 2013 (comparator SNG); van der Corput low-discrepancy sequence",
     /*deterministic=*/true,
     /*uses_lfsr_width=*/false,
     {"vdc_counter",
      "bit",
      "van der Corput (bit-reversed counter) source, per register bit",
      {{"bit_step", Pricing::per_event, Stage::sng, "one counter bit updated per source step"}}},
     "bit_step",
     [](const SngParams&, uint64_t, uint32_t index) { return std::make_unique<VanDerCorputSource>(index * 37u); },
     [](const SngParams&) { return 8u; },
     [](const SngParams&) { return 8u; },
     [](const SngParams&) { return 8.0; },
     [](uint32_t sources, const SngParams&) { return std::to_string(sources) + " sources of 8 bits"; },
     nullptr,
     nullptr});

}  // namespace

SCBNN_LINK_ANCHOR(sng_source, van_der_corput)

}  // namespace scbnn
