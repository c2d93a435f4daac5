#include "scbnn/tlm/router.h"

#include <stdexcept>

namespace scbnn {

void AddressDecoder::map(unsigned port, uint64_t base, uint64_t size, const std::string& what) {
  if (size == 0) throw std::invalid_argument(what + ": empty address range");
  for (const Route& r : routes_)
    if (base < r.base + r.size && r.base < base + size)
      throw std::invalid_argument(what + ": address range overlaps another target");
  routes_.push_back({port, base, size});
}

const AddressDecoder::Route* AddressDecoder::find(uint64_t address, uint64_t length) const {
  for (const Route& r : routes_)
    if (address >= r.base && address - r.base < r.size && length <= r.size - (address - r.base)) return &r;
  return nullptr;
}

const AddressDecoder::Route* AddressDecoder::find_port(unsigned port) const {
  for (const Route& r : routes_)
    if (r.port == port) return &r;
  return nullptr;
}

}  // namespace scbnn
