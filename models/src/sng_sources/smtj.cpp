// The superparamagnetic-MTJ source kind: ideal statistics (the numbers of the ideal
// source), one random bit per MTJ read, so eight reads per 8-bit number.
#include "scbnn/models/sng.h"

namespace scbnn {
namespace {

SngSourceRegistrar registrar(
    "smtj", {"superparamagnetic MTJ (ideal statistics, eight reads per number)",
             "Vodenicarevic et al., ISCAS 2018 (arXiv 1806.09124): superparamagnetic tunnel junction RNG",
             /*deterministic=*/false,
             /*uses_lfsr_width=*/false,
             {"smtj_rng",
              "instance",
              "superparamagnetic-MTJ random source with its read circuit",
              {{"smtj_read", Pricing::per_event, Stage::sng, "one random bit read"}}},
             "smtj_read",
             [](const SngParams&, uint64_t seed, uint32_t) { return std::make_unique<IdealSource>(seed); },
             [](const SngParams&) { return 8u; },
             [](const SngParams&) { return 0u; },
             [](const SngParams&) { return 1.0; },
             [](uint32_t sources, const SngParams&) { return std::to_string(sources) + " SMTJ sources"; },
             nullptr,
             nullptr});

}  // namespace

SCBNN_LINK_ANCHOR(sng_source, smtj)

}  // namespace scbnn
