#include "scbnn/models/xnor_popcount_pe.h"

namespace scbnn {

namespace {
uint32_t ceil_log2(uint32_t v) {
  uint32_t d = 0;
  while ((uint64_t(1) << d) < v) ++d;
  return d;
}
}  // namespace

XnorPopcountPe::XnorPopcountPe(sc_core::sc_module_name name, uint32_t width_bits)
    : sc_core::sc_module(name), width_bits_(width_bits), depth_(std::max(1u, ceil_log2(width_bits))) {}

void XnorPopcountPe::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), "xnor_popcount", "beat", beats_);
  ledger.add(name(), "xnor_popcount", "bit", bits_);
}

}  // namespace scbnn
