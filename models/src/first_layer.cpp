#include "scbnn/models/first_layer.h"

#include "scbnn/models/fixed_organisation.h"

namespace scbnn {

void link_first_layer_variants();  // generated: keeps every file of first_layer/ in the link

namespace {
Registry<FirstLayerKind>& mutable_first_layers() {
  static Registry<FirstLayerKind> registry("first-layer datapath", "accel.first_layer_hardware");
  return registry;
}
Registry<FixedOrganisation>& mutable_fixed_organisations() {
  static Registry<FixedOrganisation> registry("fixed-point first-layer organisation", "accel.fixed.organisation");
  return registry;
}
}  // namespace

const Registry<FirstLayerKind>& first_layer_registry() {
  link_first_layer_variants();
  return mutable_first_layers();
}

const FirstLayerKind& first_layer_kind(const std::string& name) { return first_layer_registry().at(name); }

FirstLayerPlacement first_layer_placement(const CoreParams& params, const std::vector<std::string>& names) {
  FirstLayerPlacement placement;
  std::string asked;
  for (const auto& n : names) {
    const FirstLayerKind& kind = first_layer_kind(n);
    if (!kind.placement) continue;
    if (!asked.empty())
      throw std::logic_error("first-layer datapaths '" + asked + "' and '" + n + "' both place the first layer");
    asked = n;
    placement = kind.placement(params);
  }
  return placement;
}

FirstLayerRegistrar::FirstLayerRegistrar(const std::string& name, FirstLayerKind kind) {
  mutable_first_layers().add(name, std::move(kind));
}

const Registry<FixedOrganisation>& fixed_organisation_registry() {
  link_first_layer_variants();  // the organisations are files of first_layer/ too
  return mutable_fixed_organisations();
}

std::vector<std::string> fixed_organisation_names() { return fixed_organisation_registry().names(); }

const FixedOrganisation& fixed_organisation(const std::string& name) { return fixed_organisation_registry().at(name); }

FixedOrganisationRegistrar::FixedOrganisationRegistrar(const std::string& name, FixedOrganisation kind) {
  for (const auto& c : kind.component_classes) declare_component_class(c);
  mutable_fixed_organisations().add(name, std::move(kind));
}

}  // namespace scbnn
