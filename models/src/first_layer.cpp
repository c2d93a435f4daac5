#include "scbnn/models/first_layer.h"

namespace scbnn {

void link_first_layer_variants();  // generated: keeps every file of first_layer/ in the link

namespace {
Registry<FirstLayerKind>& mutable_first_layers() {
  static Registry<FirstLayerKind> registry("first-layer datapath", "accel.first_layer_hardware");
  return registry;
}
}  // namespace

const Registry<FirstLayerKind>& first_layer_registry() {
  link_first_layer_variants();
  return mutable_first_layers();
}

const FirstLayerKind& first_layer_kind(const std::string& name) { return first_layer_registry().at(name); }

FirstLayerRegistrar::FirstLayerRegistrar(const std::string& name, FirstLayerKind kind) {
  mutable_first_layers().add(name, std::move(kind));
}

}  // namespace scbnn
