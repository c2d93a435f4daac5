// The ideal source kind: counter-based SplitMix64 numbers (a software reference), priced
// as the LFSR of accel.sng.lfsr_width bits it stands in for.
#include "scbnn/models/random_stream.h"
#include "scbnn/models/sng.h"

namespace scbnn {

uint8_t IdealSource::next() { return uint8_t(splitmix64(seed_ + ++position_ * 0x9e3779b97f4a7c15ull) >> 56); }

namespace {

SngSourceRegistrar registrar(
    "ideal", {"ideal software RNG (SplitMix64, counter-based), priced as an LFSR of accel.sng.lfsr_width bits",
              "software reference: SplitMix64 (Steele, Lea & Flood, OOPSLA 2014)",
              /*deterministic=*/false,
              /*uses_lfsr_width=*/false,
              {"ideal_rng",
               "bit",
               "reference software RNG, priced as the register it stands in for",
               {{"bit_step", Pricing::per_event, Stage::sng, "one register bit per source step"}}},
              "bit_step",
              [](const SngParams&, uint64_t seed, uint32_t) { return std::make_unique<IdealSource>(seed); },
              [](const SngParams& p) { return p.lfsr_width; },
              [](const SngParams& p) { return p.lfsr_width; },
              [](const SngParams& p) { return double(p.lfsr_width); },
              [](uint32_t sources, const SngParams& p) {
                return std::to_string(sources) + " sources of " + std::to_string(p.lfsr_width) + " bits";
              },
              nullptr,
              nullptr});

}  // namespace

SCBNN_LINK_ANCHOR(sng_source, ideal)

}  // namespace scbnn
