// The fixed-point first layer of the conventional BNN ("fixed"): accel.input_bits
// bit-planes of the pixels, pass b weighing 2^b. Its hardware is the registered
// organisation accel.fixed.organisation names (models/fixed_organisation.h); this file
// also defines the first one, bit_serial: one pass per bit-plane, one after another on the
// shared layer-0 arrays, partial sums shifted and added by the accumulators.
#include "fixed_point.h"
#include "scbnn/models/bnn_core.h"
#include "scbnn/models/first_layer.h"

namespace scbnn {
namespace {

FirstLayerRegistrar registrar(
    "fixed", {"shift-add of the pixels' bit-planes (the conventional BNN; wider accumulators), built as "
              "accel.fixed.organisation",
              [](const CoreParams& p) { return uint64_t(p.input_bytes) * ((uint64_t(1) << p.input_bits) - 1); },
              [](const CoreParams& p) { return p.input_bits; },
              [](const CoreParams& p) { return fixed_organisation(p.fixed.organisation).build(p); },
              [](const CoreParams& p) {
                const FixedOrganisation& o = fixed_organisation(p.fixed.organisation);
                return o.placement ? o.placement(p) : FirstLayerPlacement{};
              }});

FixedOrganisationRegistrar bit_serial(
    "bit_serial", {"the bit-planes one after another on the shared layer-0 arrays (8 reads of every row); the partial "
                   "sums shifted and added by the accumulators",
                   {},
                   {},
                   [](const CoreParams& p) { return std::make_unique<FixedPointPlanes>(p.input_bits); }});

}  // namespace

SCBNN_LINK_ANCHOR(first_layer, bit_planes)

}  // namespace scbnn
