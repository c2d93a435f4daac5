#pragma once
#include <systemc>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/component_class.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/base/registry.h"

namespace scbnn {

// The processing elements of the MAC-array datapath (accel.datapath = mac): a registered kind
// (accel.mac.pe) builds a rows x columns array of them. docs/sc-cnn.md describes the kinds.

// Operand precision and the SC options the array is built for.
struct MacPrecision {
  uint32_t weight_bits = 8;            // B: signed weights, |w| <= 2^(B-1) - 1 (2..8)
  uint32_t activation_bits = 8;        // A: unsigned activations 0 .. 2^A - 1 (1..8)
  uint32_t stream_bits_per_cycle = 1;  // k: SC stream bits per cycle (power of two, 1..64)
  bool early_termination = true;       // SC: a step ends when its largest active activation is counted
  uint32_t accumulator_bits = 32;      // width of each row's accumulator register (two's complement)
};

// Fault injection rates (keys accel.mac.fault.*, declared by the core's MacParams): the
// probability that one bit flips, per bit and event (docs/sc-cnn.md, "Fault injection").
struct MacFaultParams {
  double stream_ber = 0;       // SC: each stream bit the row counter counts is read inverted
  double product_ber = 0;      // binary: each bit of each B+A-bit product word
  double accumulator_ber = 0;  // both: each accumulator bit, once per step it is written
};

// One array step: `rows` x `columns` weights (row r's weights at weights + r x stride), and
// `columns` activations, each 0 .. 2^A - 1. rows and columns are at most the array's shape.
struct MacStep {
  const int8_t* weights;
  uint32_t stride;
  const uint8_t* activations;  // each 0 .. 2^A - 1 (A <= 8)
  uint32_t rows, columns;
};

// Bits exposed to fault injection and bits flipped, since the array was built.
struct MacFaultTally {
  uint64_t opportunities = 0, flips = 0;
};

struct MacArrayShape {
  uint32_t rows = 16, columns = 16;
};

// The PE array of one kind as a core builds it: an sc_module child of the core (so the
// accounting walker collects its actions and hardware); it counts its actions per layer
// (LayerCounter, under the core's CurrentLayer).
class MacPeArray : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  MacPeArray(sc_core::sc_module_name name, const MacArrayShape& shape, const MacPrecision& precision)
      : sc_core::sc_module(name), shape_(shape), precision_(precision) {}

  // Adds each row's sum of the kind's products of the step (faults injected if enabled) to
  // sums[r], r < s.rows (sums[r] is row r's accumulator); returns the step's cycles (SC:
  // from the activations actually processed). Exactly one call per array step.
  virtual uint64_t step(const MacStep& s, int64_t* sums) = 0;
  // Pipeline fill per layer (the binary MAC's stages before its first accumulate), 0 for SC.
  virtual uint64_t layer_fill_cycles() const = 0;
  // Positions the fault-injection streams at image `image` (its draws depend on the seed,
  // the component and the image only). Call before each image's first step.
  virtual void start_image(uint64_t image) = 0;

  // The precision of the network the next steps compute: weight_bits <= precision().weight_bits
  // and activation_bits <= precision().activation_bits (InputError naming accel.mac.* otherwise);
  // until called, the built precision. The hardware keeps its built widths: the action counts
  // and the hardware follow precision(), the arithmetic (and the worst-case step) these bits.
  void set_operand_bits(uint32_t weight_bits, uint32_t activation_bits);
  uint32_t operand_weight_bits() const { return operand_weight_bits_; }
  uint32_t operand_activation_bits() const { return operand_activation_bits_; }

  const MacArrayShape& shape() const { return shape_; }
  const MacPrecision& precision() const { return precision_; }
  // The datapath's faults (SC: counted stream bits; binary: product-word bits) and the
  // accumulators' (accumulator bits written).
  const MacFaultTally& datapath_faults() const { return datapath_faults_; }
  const MacFaultTally& accumulator_faults() const { return accumulator_faults_; }

 protected:
  virtual void operand_bits_changed() {}  // e.g. rebuilds a product table

  MacArrayShape shape_;
  MacPrecision precision_;
  uint32_t operand_weight_bits_ = precision_.weight_bits, operand_activation_bits_ = precision_.activation_bits;
  MacFaultTally datapath_faults_, accumulator_faults_;
};

// A PE kind (accel.mac.pe), registered by its own file in models/src/mac_pes/ with a
// MacPeRegistrar (which declares its component classes to the power catalogue).
struct MacPeKind {
  std::string description;  // one line for the docs
  std::string reference;    // where the design comes from
  // Builds the array named `name` (an sc_module; construct it inside the core's constructor so it
  // becomes the core's child); its fault streams draw their seeds from `seed` (the master
  // seed) and its hierarchical name.
  std::function<std::unique_ptr<MacPeArray>(const char* name, const MacArrayShape&, const MacPrecision&,
                                            const MacFaultParams&, uint64_t seed)>
      make;
  // The kind's fault-free product of one weight and activation: what the integer reference uses.
  std::function<int64_t(int32_t w, uint32_t a, uint32_t weight_bits)> product;
  // The component classes its arrays count actions for and report hardware as.
  std::vector<ComponentClassSpec> component_classes;
  // Optional: checks a precision and the fault rates (throws InputError naming the accel.mac.* key).
  std::function<void(const MacPrecision&, const MacFaultParams&)> validate = {};
};

// The registered kinds, by name (accel.mac.pe's choices).
const Registry<MacPeKind>& mac_pe_registry();
std::vector<std::string> mac_pe_names();
// The kind called `name`; InputError naming accel.mac.pe and the choices otherwise.
const MacPeKind& mac_pe_kind(const std::string& name);

// Registers a kind (and declares its component classes) when the program starts:
//   MacPeRegistrar registrar("sc_cnn", {...});  // in an anonymous namespace
struct MacPeRegistrar {
  MacPeRegistrar(const std::string& name, MacPeKind kind);
};

}  // namespace scbnn
