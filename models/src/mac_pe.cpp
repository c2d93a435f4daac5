#include "scbnn/models/mac_pe.h"

#include <string>

namespace scbnn {

void link_mac_pe_variants();  // generated: keeps every file of mac_pes/ in the link

namespace {
Registry<MacPeKind>& mutable_mac_pes() {
  static Registry<MacPeKind> registry("MAC PE kind", "accel.mac.pe");
  return registry;
}
}  // namespace

const Registry<MacPeKind>& mac_pe_registry() {
  link_mac_pe_variants();
  return mutable_mac_pes();
}

std::vector<std::string> mac_pe_names() { return mac_pe_registry().names(); }

const MacPeKind& mac_pe_kind(const std::string& name) { return mac_pe_registry().at(name); }

void MacPeArray::set_operand_bits(uint32_t weight_bits, uint32_t activation_bits) {
  if (weight_bits < 2 || weight_bits > precision_.weight_bits)
    throw InputError("a network of " + std::to_string(weight_bits) +
                     "-bit weights needs accel.mac.weight_bits >= " + std::to_string(weight_bits) + " (it is " +
                     std::to_string(precision_.weight_bits) + "; quantised weights have 2 or more bits)");
  if (activation_bits < 1 || activation_bits > precision_.activation_bits)
    throw InputError("a network of " + std::to_string(activation_bits) +
                     "-bit activations needs accel.mac.activation_bits >= " + std::to_string(activation_bits) +
                     " (it is " + std::to_string(precision_.activation_bits) + ")");
  operand_weight_bits_ = weight_bits;
  operand_activation_bits_ = activation_bits;
  operand_bits_changed();
}

MacPeRegistrar::MacPeRegistrar(const std::string& name, MacPeKind kind) {
  for (const auto& c : kind.component_classes) declare_component_class(c);
  mutable_mac_pes().add(name, std::move(kind));
}

}  // namespace scbnn
