#include "scbnn/models/mac_pe.h"

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

MacPeRegistrar::MacPeRegistrar(const std::string& name, MacPeKind kind) {
  for (const auto& c : kind.component_classes) declare_component_class(c);
  mutable_mac_pes().add(name, std::move(kind));
}

}  // namespace scbnn
