#pragma once
// The conventional (fixed-point, 8-bit pixel) first layer's hardware organisations. All
// compute the standard BNN sum s = sum_b 2^b (x^b . w) over the pixels' bit-planes x^b
// (Hubara et al. 2016) and give the same scores; they differ in the hardware that does it,
// hence in cycles, energy and area (docs/architecture.md, docs/timing.md):
//   bit_serial    the bit-planes one after another on the shared layer-0 arrays
//   bit_parallel  one copy of the layer-0 arrays per bit-plane, all planes at once, a
//                 shift-add tree per array
//   adder_tree    each weight row read once, a multi-bit adder tree adding the pixels
// Each organisation registers itself next to its definition (models/src/first_layer/);
// accel.fixed.organisation accepts exactly the registered names.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scbnn/base/component_class.h"
#include "scbnn/base/params.h"
#include "scbnn/base/registry.h"
#include "scbnn/models/tiling.h"

namespace scbnn {

struct CoreParams;
class FirstLayerDatapath;

// Names of the registered organisations (the choices of accel.fixed.organisation).
std::vector<std::string> fixed_organisation_names();

// The conventional first layer's hardware (keys accel.fixed.*).
struct FixedParams {
  std::string organisation = "bit_serial";
  uint32_t first_layer_arrays = 16;

  template <class V>
  void declare(V& v) {
    v("organisation", organisation, Choices{fixed_organisation_names()},
      "hardware of the fixed-point first layer: bit_serial = the 8 bit-planes one after another on the "
      "shared arrays; bit_parallel = one copy of the first layer's arrays per bit-plane, all at once, "
      "shift-add tree; adder_tree = each row read once, multi-bit adder tree (docs/architecture.md)",
      "Hirtzlin et al., IEEE Access 2019 (the conventional first layer is not published: all three modelled)");
    v("first_layer_arrays", first_layer_arrays, Range{1, 65536}, "arrays",
      "arrays built with the first layer's own hardware (bit_parallel: accel.input_bits - 1 copies and a "
      "shift-add tree each; adder_tree: a multi-bit adder tree each); the first layer's tiles must fit in "
      "them; bit_serial builds none",
      "sized for the shipped 784-1024 first layer: 4 x 4 tiles of 256 x 256");
  }
};

// A registered organisation of the fixed-point first layer.
struct FixedOrganisation {
  std::string description;
  // Component classes its hardware is priced as (declared to the power catalogue).
  std::vector<ComponentClassSpec> component_classes;
  // Where the first layer must sit and which copies of its arrays the hardware wires
  // (empty: anywhere, no copies).
  std::function<FirstLayerPlacement(const CoreParams&)> placement;
  // Builds the datapath "fixed" inside BnnCore's constructor (its sc_modules become the
  // core's children).
  std::function<std::unique_ptr<FirstLayerDatapath>(const CoreParams&)> build;
};

const Registry<FixedOrganisation>& fixed_organisation_registry();
const FixedOrganisation& fixed_organisation(const std::string& name);

// Registers an organisation at static initialisation, next to its definition.
struct FixedOrganisationRegistrar {
  FixedOrganisationRegistrar(const std::string& name, FixedOrganisation kind);
};

}  // namespace scbnn
