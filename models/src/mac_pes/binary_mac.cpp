// The binary MAC PE kind (accel.mac.pe = binary_mac): the conventional baseline at equal
// precision. Each PE multiplies its weight by its column's activation exactly (a B x A
// multiplier), each row sums its columns' products in a pairwise adder tree, and the row's
// accumulator adds the tree's output: a three-stage pipeline (multiply, adder tree,
// accumulate, each ending in a register) taking one array step per cycle. docs/sc-cnn.md.
#include <stdexcept>

#include "mac_pe_common.h"

namespace scbnn {

namespace {

using namespace mac_pe_detail;

// Stages of the pipeline; the first step's accumulate comes this many cycles minus one
// after it enters (the fill counted once per layer).
constexpr uint64_t kPipelineStages = 3;

class BinaryMacArray final : public MacPeArray {
 public:
  BinaryMacArray(sc_core::sc_module_name name, const MacArrayShape& shape, const MacPrecision& precision,
                 const MacFaultParams& faults, uint64_t seed)
      : MacPeArray(name, shape, precision),
        product_seed_(stream_seed(seed, std::string(this->name()) + ".product_flip")),
        product_flips_(product_seed_, faults.product_ber),
        accumulator_flips_(seed, this->name(), faults.accumulator_ber, precision.accumulator_bits),
        row_sums_(shape.rows) {}

  uint64_t step(const MacStep& s, int64_t* sums) override;
  uint64_t layer_fill_cycles() const override { return kPipelineStages - 1; }
  void start_image(uint64_t image) override {
    product_flips_.reseed(image_stream_seed(product_seed_, image));
    accumulator_flips_.start_image(image);
  }
  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  uint32_t product_bits() const { return precision_.weight_bits + precision_.activation_bits; }
  void inject_product_faults(const MacStep& s);

  uint64_t product_seed_;
  BernoulliGaps product_flips_;
  AccumulatorFaults accumulator_flips_;
  std::vector<int64_t> row_sums_;
  LayerCounter multiply_bits_, tree_adds_, accumulator_adds_, register_writes_;
};

uint64_t BinaryMacArray::step(const MacStep& s, int64_t* sums) {
  if (s.rows > shape_.rows || s.columns > shape_.columns)
    throw std::logic_error("MAC step of " + std::to_string(s.rows) + " x " + std::to_string(s.columns) +
                           " exceeds the " + std::to_string(shape_.rows) + " x " + std::to_string(shape_.columns) +
                           " array " + name());
  const uint32_t rows = s.rows, columns = s.columns;
  const uint8_t* activations = s.activations;
  uint32_t nontrivial = 0;  // products of two non-zero operands (the others are gated)
  for (uint32_t r = 0; r < rows; ++r) {
    const int8_t* w = s.weights + size_t(r) * s.stride;
    int32_t sum = 0;  // |sum| <= columns x 2^7 x 2^8
    for (uint32_t c = 0; c < columns; ++c) {
      sum += int32_t(w[c]) * int32_t(activations[c]);
      nontrivial += uint32_t((w[c] != 0) & (activations[c] != 0));
    }
    row_sums_[r] = sum;
  }
  const uint64_t words = uint64_t(s.rows) * s.columns;
  datapath_faults_.opportunities += words * product_bits();
  if (product_flips_.probability() > 0) inject_product_faults(s);
  for (uint32_t r = 0; r < s.rows; ++r) sums[r] += row_sums_[r];
  accumulator_faults_.opportunities += uint64_t(s.rows) * precision_.accumulator_bits;
  if (accumulator_flips_.enabled()) accumulator_faults_.flips += accumulator_flips_.apply(sums, s.rows);

  // Actions, in the hardware's built widths (docs/sc-cnn.md, "Counting").
  const uint64_t width = product_bits();
  multiply_bits_.add(nontrivial * precision_.weight_bits * precision_.activation_bits);
  tree_adds_.add(s.rows * adder_tree_bits(s.columns, uint32_t(width)));
  accumulator_adds_.add(uint64_t(s.rows) * precision_.accumulator_bits);
  register_writes_.add(words * (precision_.weight_bits + width) + uint64_t(s.columns) * precision_.activation_bits +
                       uint64_t(s.rows) * adder_tree_output_bits(shape_.columns, uint32_t(width)));
  return 1;
}

// Each bit of each product word (rows x columns words of B + A bits, row-major) flips with
// product_ber before the adder tree: the word is a two's-complement register.
void BinaryMacArray::inject_product_faults(const MacStep& s) {
  const uint32_t width = product_bits();
  product_flips_.for_each_event(uint64_t(s.rows) * s.columns * width, [&](uint64_t p) {
    const uint64_t word = p / width;
    const uint32_t r = uint32_t(word / s.columns), c = uint32_t(word % s.columns), bit = uint32_t(p % width);
    const int64_t product = int64_t(s.weights[size_t(r) * s.stride + c]) * s.activations[c];
    row_sums_[r] += flip_register_bit(product, bit, width) - product;
    ++datapath_faults_.flips;
  });
}

void BinaryMacArray::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), component_class::kMacMultiplier, action::kMultiplyBit, multiply_bits_.by_layer());
  ledger.add(name(), component_class::kMacAdderTree, action::kAddBit, tree_adds_.by_layer());
  ledger.add(name(), component_class::kMacPeRegister, action::kBitWrite, register_writes_.by_layer());
  ledger.add(name(), component_class::kMacAccumulator, action::kAddBit, accumulator_adds_.by_layer());
}

void BinaryMacArray::collect_hardware(HardwareInventory& inventory) const {
  const uint64_t rows = shape_.rows, columns = shape_.columns, pes = rows * columns;
  const uint32_t wb = precision_.weight_bits, ab = precision_.activation_bits, width = product_bits();
  const uint32_t tree_out = adder_tree_output_bits(shape_.columns, width);
  inventory.add(name(), component_class::kMacMultiplier, "bit", double(pes * wb * ab),
                std::to_string(pes) + " multipliers of " + std::to_string(wb) + " x " + std::to_string(ab) +
                    " partial-product bits");
  inventory.add(name(), component_class::kMacAdderTree, "bit", double(rows * adder_tree_bits(shape_.columns, width)),
                std::to_string(rows) + " adder trees of " + std::to_string(columns) + " " + std::to_string(width) +
                    "-bit inputs");
  inventory.add(name(), component_class::kMacPeRegister, "bit",
                double(pes * (wb + width) + columns * ab + rows * tree_out),
                std::to_string(pes) + " x (" + std::to_string(wb) + "-bit weight + " + std::to_string(width) +
                    "-bit product) + " + std::to_string(columns) + " x " + std::to_string(ab) + "-bit activation + " +
                    std::to_string(rows) + " x " + std::to_string(tree_out) + "-bit tree output registers");
  inventory.add(name(), component_class::kMacAccumulator, "bit", double(rows * precision_.accumulator_bits),
                std::to_string(rows) + " accumulators of " + std::to_string(precision_.accumulator_bits) + " bits");
}

std::vector<ComponentClassSpec> binary_mac_classes() {
  return {{component_class::kMacMultiplier,
           "bit",
           "binary MAC multipliers (one B x A array multiplier per PE), per partial-product bit",
           {{action::kMultiplyBit, Pricing::per_event, Stage::array,
             "one partial-product bit of a multiply (B x A per product of two non-zero operands)"}}},
          {component_class::kMacAdderTree,
           "bit",
           "binary MAC row adder trees (columns products of B + A bits, pairwise), per full-adder bit",
           {{action::kAddBit, Pricing::per_event, Stage::array,
             "one full-adder bit of a row's adder tree (the tree's adder bits per row and array step)"}}},
          accumulator_class(),
          register_class()};
}

MacPeRegistrar registrar(
    "binary_mac",
    {"binary MAC at equal precision: B x A multiplier per PE, pairwise adder tree per row, accumulator; 3-stage "
     "pipeline, one array step per cycle",
     "conventional weight-stationary MAC array; per-operation costs from Horowitz ISSCC 2014; docs/sc-cnn.md",
     [](const char* name, const MacArrayShape& shape, const MacPrecision& precision, const MacFaultParams& faults,
        uint64_t seed) -> std::unique_ptr<MacPeArray> {
       validate_common(precision, faults);
       return std::make_unique<BinaryMacArray>(name, shape, precision, faults, seed);
     },
     [](int32_t w, uint32_t a, uint32_t) { return int64_t(w) * a; }, binary_mac_classes(), validate_common});

}  // namespace

SCBNN_LINK_ANCHOR(mac_pe, binary_mac)

}  // namespace scbnn
