// The SC-CNN PE kind (accel.mac.pe = sc_cnn): deterministic bitstream multiply-accumulate
// (Sim & Lee 2020). Each PE compares its weight's magnitude with the bit-reversed count of a
// counter shared by the array, k stream bits per cycle; each column's down counter, loaded
// with the column's activation, lets the first a bits through; each row's signed parallel
// counter counts the ones into its step register, which the row's accumulator adds (x 2^m)
// at the end of the step. docs/sc-cnn.md gives the stream, the proof of the rounding and
// the counting; the simulation computes each product from a table, never bit by bit.
#include <algorithm>
#include <stdexcept>

#include "mac_pe_common.h"
#include "scbnn/models/bitstream_mac.h"

namespace scbnn {

namespace {

using namespace mac_pe_detail;

uint32_t log2_of_power_of_two(uint32_t k) {
  uint32_t l = 0;
  while ((1u << l) < k) ++l;
  return l;
}

uint32_t bits_to_hold(uint64_t value) {
  uint32_t b = 0;
  while (b < 64 && (value >> b)) ++b;
  return b;
}

class ScCnnArray final : public MacPeArray {
 public:
  ScCnnArray(sc_core::sc_module_name name, const MacArrayShape& shape, const MacPrecision& precision,
             const MacFaultParams& faults, uint64_t seed)
      : MacPeArray(name, shape, precision),
        table_(precision.weight_bits, precision.activation_bits),
        faults_(faults),
        stream_seed_(stream_seed(seed, std::string(this->name()) + ".stream_flip")),
        stream_flips_(stream_seed_, faults.stream_ber),
        accumulator_flips_(seed, this->name(), faults.accumulator_ber, precision.accumulator_bits),
        row_sums_(shape.rows),
        column_products_(shape.columns),
        column_nonzero_(shape.columns),
        prefix_(shape.columns + 1),
        active_columns_(shape.columns) {}

  uint64_t step(const MacStep& s, int64_t* sums) override;
  uint64_t layer_fill_cycles() const override { return 0; }
  void start_image(uint64_t image) override {
    stream_flips_.reseed(image_stream_seed(stream_seed_, image));
    accumulator_flips_.start_image(image);
  }
  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  void operand_bits_changed() override { table_ = ScProductTable(operand_weight_bits_, operand_activation_bits_); }

  uint32_t k() const { return precision_.stream_bits_per_cycle; }
  uint32_t magnitude_bits() const { return precision_.weight_bits - 1; }
  // The shared counter: the low log2 k bits of the stream position are the lane of a cycle's
  // k bits (wired), so it has m - log2 k bits (none when k >= 2^m).
  uint32_t stream_counter_bits() const {
    return magnitude_bits() - std::min(magnitude_bits(), log2_of_power_of_two(k()));
  }
  // A row's step register: the signed count of one step, |count| <= columns (2^A - 1).
  uint32_t row_register_bits() const {
    return bits_to_hold(uint64_t(shape_.columns) * ((uint64_t(1) << precision_.activation_bits) - 1)) + 1;
  }
  void inject_stream_faults(const MacStep& s, uint32_t active, uint64_t counted);

  ScProductTable table_;
  MacFaultParams faults_;
  uint64_t stream_seed_;
  BernoulliGaps stream_flips_;
  AccumulatorFaults accumulator_flips_;
  std::vector<int64_t> row_sums_;
  std::vector<const int16_t*> column_products_;  // the step's table column per array column
  std::vector<uint8_t> column_nonzero_;          // a non-zero weight in the step's column (its bits)
  std::vector<uint64_t> prefix_;                 // counted bits of the active columns before each
  std::vector<uint32_t> active_columns_;         // the step's active columns
  LayerCounter counter_steps_, compare_bits_, down_counter_steps_, row_counter_adds_, accumulator_adds_,
      register_writes_;
};

uint64_t ScCnnArray::step(const MacStep& s, int64_t* sums) {
  if (s.rows > shape_.rows || s.columns > shape_.columns)
    throw std::logic_error("MAC step of " + std::to_string(s.rows) + " x " + std::to_string(s.columns) +
                           " exceeds the " + std::to_string(shape_.rows) + " x " + std::to_string(shape_.columns) +
                           " array " + name());
  // The products, from the table (one pointer per column), and which columns hold a non-zero weight.
  const uint32_t rows = s.rows, columns = s.columns;
  const int16_t** products = column_products_.data();
  uint8_t* nonzero = column_nonzero_.data();
  for (uint32_t c = 0; c < columns; ++c) {
    products[c] = table_.by_activation(s.activations[c]);
    nonzero[c] = 0;
  }
  for (uint32_t r = 0; r < rows; ++r) {
    const int8_t* w = s.weights + size_t(r) * s.stride;
    int32_t sum = 0;  // |sum| <= columns x 2^15
    for (uint32_t c = 0; c < columns; ++c) sum += products[c][w[c]];
    row_sums_[r] = sum;
    for (uint32_t c = 0; c < columns; ++c) nonzero[c] |= uint8_t(w[c]);
  }
  // Active columns count: a > 0, and (early termination) a non-zero weight in the step.
  const bool early = precision_.early_termination;
  const uint32_t k_minus_1 = k() - 1, log2_k = log2_of_power_of_two(k());  // k is a power of two
  uint32_t active = 0, largest = 0;
  uint64_t counted = 0, count_cycles = 0;  // stream bits counted per row; cycles the down counters count
  for (uint32_t c = 0; c < columns; ++c) {
    const uint32_t a = s.activations[c];
    if (a == 0 || (early && !nonzero[c])) continue;
    prefix_[active] = counted;
    active_columns_[active++] = c;
    counted += a;
    count_cycles += (a + k_minus_1) >> log2_k;  // sc_multiply_cycles(a, k) without a division
    largest = std::max(largest, a);
  }
  const uint64_t busy_cycles = sc_multiply_cycles(largest, k());
  const uint64_t cycles =
      early ? busy_cycles : sc_multiply_cycles((1u << operand_activation_bits_) - 1, k());  // the worst case

  if (faults_.stream_ber > 0 && counted > 0) inject_stream_faults(s, active, counted);
  datapath_faults_.opportunities += s.rows * counted;
  for (uint32_t r = 0; r < s.rows; ++r) sums[r] += row_sums_[r];
  accumulator_faults_.opportunities += uint64_t(s.rows) * precision_.accumulator_bits;
  if (accumulator_flips_.enabled()) accumulator_faults_.flips += accumulator_flips_.apply(sums, s.rows);

  // Actions, in the hardware's built widths (docs/sc-cnn.md, "Counting").
  const uint64_t m = magnitude_bits(), reg_bits = row_register_bits();
  counter_steps_.add(stream_counter_bits() * cycles);
  compare_bits_.add(rows * m * k() * count_cycles);  // every PE of an active column: k bits a cycle
  down_counter_steps_.add(uint64_t(precision_.activation_bits) * (s.columns + count_cycles));  // loads + counts
  row_counter_adds_.add(rows * (counted + reg_bits * busy_cycles));
  register_writes_.add(rows * (uint64_t(s.columns) * precision_.weight_bits + reg_bits * busy_cycles));
  accumulator_adds_.add(rows * precision_.accumulator_bits);
  return cycles;
}

// Each counted stream bit (rows x counted positions, row-major, columns in order, bits t < a)
// is read inverted with probability stream_ber: the row's count moves by -1 (a one lost) or
// +1 (a zero counted), i.e. its sum by -+ sign(w) 2^m.
void ScCnnArray::inject_stream_faults(const MacStep& s, uint32_t active, uint64_t counted) {
  const uint32_t m = operand_weight_bits_ - 1;
  stream_flips_.for_each_event(s.rows * counted, [&](uint64_t p) {
    const uint32_t r = uint32_t(p / counted);
    const uint64_t q = p % counted;
    const uint32_t i = uint32_t(std::upper_bound(prefix_.begin(), prefix_.begin() + active, q) - prefix_.begin() - 1);
    const int32_t w = s.weights[size_t(r) * s.stride + active_columns_[i]];
    const bool one = weight_stream_bit(uint32_t(w < 0 ? -w : w), m, q - prefix_[i]);
    const int64_t change = (one ? -1 : 1) * (int64_t(1) << m);
    row_sums_[r] += w < 0 ? -change : change;
    ++datapath_faults_.flips;
  });
}

void ScCnnArray::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), component_class::kScStreamCounter, action::kBitStep, counter_steps_.by_layer());
  ledger.add(name(), component_class::kScStreamComparator, action::kCompareBit, compare_bits_.by_layer());
  ledger.add(name(), component_class::kScDownCounter, action::kBitStep, down_counter_steps_.by_layer());
  ledger.add(name(), component_class::kScRowCounter, action::kAddBit, row_counter_adds_.by_layer());
  ledger.add(name(), component_class::kMacPeRegister, action::kBitWrite, register_writes_.by_layer());
  ledger.add(name(), component_class::kMacAccumulator, action::kAddBit, accumulator_adds_.by_layer());
}

void ScCnnArray::collect_hardware(HardwareInventory& inventory) const {
  const uint64_t rows = shape_.rows, columns = shape_.columns, pes = rows * columns, m = magnitude_bits();
  const uint64_t reg_bits = row_register_bits(), act_bits = precision_.activation_bits;
  const std::string lanes = std::to_string(k()) + " stream bit" + (k() > 1 ? "s" : "") + " per cycle";
  inventory.add(name(), component_class::kScStreamCounter, "bit", stream_counter_bits(),
                "one shared counter of " + std::to_string(stream_counter_bits()) + " bits (m = " + std::to_string(m) +
                    ", " + lanes + ")");
  inventory.add(
      name(), component_class::kScStreamComparator, "bit", double(pes * k() * m),
      std::to_string(pes) + " PEs x " + std::to_string(k()) + " comparators of " + std::to_string(m) + " bits");
  inventory.add(name(), component_class::kScDownCounter, "bit", double(columns * act_bits),
                std::to_string(columns) + " column down counters of " + std::to_string(act_bits) + " bits");
  inventory.add(name(), component_class::kScRowCounter, "bit", double(rows * (columns * k() + reg_bits)),
                std::to_string(rows) + " rows x (" + std::to_string(columns * k()) + "-input parallel counter + " +
                    std::to_string(reg_bits) + "-bit register adder)");
  inventory.add(name(), component_class::kMacPeRegister, "bit", double(pes * precision_.weight_bits + rows * reg_bits),
                std::to_string(pes) + " weight registers of " + std::to_string(precision_.weight_bits) + " bits + " +
                    std::to_string(rows) + " step registers of " + std::to_string(reg_bits) + " bits");
  inventory.add(name(), component_class::kMacAccumulator, "bit", double(rows * precision_.accumulator_bits),
                std::to_string(rows) + " accumulators of " + std::to_string(precision_.accumulator_bits) + " bits");
}

std::vector<ComponentClassSpec> sc_cnn_classes() {
  return {{component_class::kScStreamCounter,
           "bit",
           "SC-CNN shared stream counter (bit-reversed, m - log2 k bits per array), per bit",
           {{action::kBitStep, Pricing::per_event, Stage::array, "one counter bit clocked (its width per cycle)"}}},
          {component_class::kScStreamComparator,
           "bit",
           "SC-CNN stream comparators (k per PE, |w| against a reversed count), per bit of their m-bit width",
           {{action::kCompareBit, Pricing::per_event, Stage::array,
             "one bit slice of an m-bit comparison (m per stream bit produced)"}}},
          {component_class::kScDownCounter,
           "bit",
           "SC-CNN column down counters (loaded with the activation, k down per cycle), per bit",
           {{action::kBitStep, Pricing::per_event, Stage::array,
             "one counter bit loaded or clocked (its width per load and per cycle it counts)"}}},
          {component_class::kScRowCounter,
           "bit",
           "SC-CNN row counters: signed parallel counter (columns x k inputs) and its step register's adder, per "
           "full-adder cell",
           {{action::kAddBit, Pricing::per_event, Stage::array,
             "one full-adder cell evaluated (one per counted stream bit, the register's width per busy cycle)"}}},
          accumulator_class(),
          register_class()};
}

void validate_sc_cnn(const MacPrecision& p, const MacFaultParams& f) {
  validate_common(p, f);
  const uint32_t k = p.stream_bits_per_cycle;
  if (k == 0 || k > 64 || (k & (k - 1)))
    throw InputError("accel.mac.stream_bits_per_cycle = " + std::to_string(k) +
                     ": expected a power of two from 1 to 64");
}

MacPeRegistrar registrar(
    "sc_cnn",
    {"SC-CNN: deterministic bitstream MAC (van der Corput weight stream, activation down counter, k stream bits per "
     "cycle, optional early termination)",
     "Sim & Lee, Frontiers in Neuroscience 2020 (shared/seeds/002); docs/sc-cnn.md",
     [](const char* name, const MacArrayShape& shape, const MacPrecision& precision, const MacFaultParams& faults,
        uint64_t seed) -> std::unique_ptr<MacPeArray> {
       validate_sc_cnn(precision, faults);
       return std::make_unique<ScCnnArray>(name, shape, precision, faults, seed);
     },
     [](int32_t w, uint32_t a, uint32_t weight_bits) { return sc_product(w, a, weight_bits); }, sc_cnn_classes(),
     validate_sc_cnn});

}  // namespace

SCBNN_LINK_ANCHOR(mac_pe, sc_cnn)

}  // namespace scbnn
