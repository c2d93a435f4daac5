#include "scbnn/power/catalogue.h"

#include "scbnn/base/component_names.h"

namespace scbnn {

namespace {

ActionSpec event(const char* name, const char* meaning, Stage stage) {
  return {name, Pricing::per_event, stage, meaning};
}

// The MRAM read and write energies (docs/power-model.md, "ST-MRAM array energy"): the cell
// current of a read and of a write-verify read follow from the MTJ and read parameters; the
// bit lines are charged per cell of their length; a write pulse drives I x t through the MTJ
// from a charge pump.
constexpr const char* kReadCurrentParameters =
    "accel.mram.read_current_ua, accel.mram.read_pulse_ns, accel.mram.mtj.r_p_ohm, accel.mram.mtj.tmr";

std::vector<ActionSpec> mram_array_actions() {
  ActionSpec cell_current =
      event(action::kBitSensed,
            "cell read current of one sensed bit, I_read^2 (R_P + R_AP) t_read (2T2R: both MTJs; 1T1R: the cell and "
            "its mid-point reference branch, balanced weights)",
            Stage::array);
  cell_current.energy_parameter = kReadCurrentParameters;
  ActionSpec verify_current =
      event(action::kVerifyMtjRead,
            "cell read current of one MTJ read back by write-verify against a mid-point reference, I_read^2 "
            "(R_P + R_AP) t_read on average",
            Stage::programming);
  verify_current.energy_parameter = kReadCurrentParameters;
  ActionSpec verify_bit_line =
      event(action::kVerifyBitLineCell,
            "one cell's length of bit line charged for a write-verify read (MTJs verified x rows x 2 branches)",
            Stage::programming);
  verify_bit_line.priced_as = action::kBitLineCell;
  return {
      event(action::kRowRead, "word line and row decoder activation for one row read", Stage::array),
      cell_current,
      event(action::kBitLineCell,
            "one cell's length of bit line (access-transistor junction and wire) charged for a read: bits sensed "
            "x rows x 2 branches (the PCSA's two inputs)",
            Stage::array),
      event(action::kWordWrite, "address decode and write-driver setup for one 64-bit word write", Stage::programming),
      event(action::kMtjWritePulse, "write-driver switching for one MTJ pulse (excluding the cell current)",
            Stage::programming),
      {action::kMtjWriteCharge, Pricing::per_charge, Stage::programming,
       "charge driven through MTJs while programming, in fC (pulse current x duration, summed over the pulses "
       "applied): V_write I t"},
      {action::kWritePumpCharge, Pricing::per_charge, Stage::programming,
       "the same charge, priced at the charge pump's loss V_write (1 / efficiency - 1)"},
      verify_current,
      verify_bit_line};
}

ActionSpec verify_sense() {
  ActionSpec a =
      event(action::kVerifySense, "one write-verify sense decision (one MTJ against a reference)", Stage::programming);
  a.priced_as = action::kSenseXnor;
  return a;
}

const std::vector<ComponentClassSpec>& own_classes() {
  static const std::vector<ComponentClassSpec> catalogue = {
      {component_class::kMram2t2rArray, "cell",
       "ST-MRAM array of 2T2R cells (two complementary MTJs, two access transistors)", mram_array_actions(),
       "accel.mram.mtj.area_f2", AreaRole::array_cell},
      {component_class::kMram1t1rArray, "cell", "ST-MRAM array of 1T1R cells (one MTJ, one access transistor)",
       mram_array_actions(), "accel.mram.mtj.area_f2", AreaRole::array_cell},
      {component_class::kArrayRowDriver,
       "row",
       "row decoder and word-line driver, per array row",
       {},
       "",
       AreaRole::array_periphery},
      {component_class::kArrayColumnDriver,
       "column",
       "bit-line precharge, column multiplexer and write driver, per array column",
       {},
       "",
       AreaRole::array_periphery},
      {component_class::kPcsa,
       "instance",
       "precharge sense amplifier computing XNOR with the input bit",
       {event(action::kSenseXnor, "one sense decision with the XNOR of the input bit", Stage::array), verify_sense()},
       "",
       AreaRole::array_periphery},
      {component_class::kXnorPopcount,
       "input_bit",
       "XNOR/popcount tree of a processing element, per input bit of its width",
       {event(action::kPopcountBit, "one input bit through the XNOR/popcount tree", Stage::array)}},
      {component_class::kAccumulator,
       "bit",
       "shift-add accumulators (one per array), per bit of accumulator width",
       {event(action::kAddBit, "one bit of a row result's shift-add", Stage::array)}},
      {component_class::kPartialSumRegister,
       "bit",
       "partial-sum register files of the row_inner loop order (one per array, a row's sum per entry), per bit",
       {event(action::kBitRead, "one bit read", Stage::reduce),
        event(action::kBitWrite, "one bit written", Stage::reduce)},
       "",
       AreaRole::memory_macro},
      {component_class::kAdderTree,
       "bit",
       "adder trees of the reduce lanes (sum of a neuron's column tiles), per bit of their adders",
       {event(action::kAddBit, "one bit of an adder-tree addition", Stage::reduce)}},
      {component_class::kInputLatch,
       "bit",
       "input latches of the arrays (input slices the sense amplifiers XNOR with), per bit",
       {event(action::kBitWrite, "one input bit latched", Stage::array)}},
      {component_class::kThresholdComparator,
       "bit",
       "folded batch-norm threshold comparators (one per reduce lane), per bit of width",
       {event(action::kCompare, "one neuron's threshold comparison", Stage::reduce)}},
      {component_class::kOutputScorer,
       "instance",
       "fixed-point scale-and-offset of the output layer and the argmax comparator",
       {event(action::kScoreMac, "one class score (multiply-add)", Stage::reduce),
        event(action::kArgmaxCompare, "one argmax comparison", Stage::writeback)}},
      {component_class::kInputBuffer,
       "bit",
       "input pixel buffer (SRAM)",
       {event(action::kBitRead, "one bit read", Stage::array),
        event(action::kBitWrite, "one bit written", Stage::array)},
       "",
       AreaRole::memory_macro},
      {component_class::kActivationBuffer,
       "bit",
       "two activation banks (SRAM)",
       {event(action::kBitRead, "one bit read", Stage::array),
        event(action::kBitWrite, "one bit written", Stage::writeback)},
       "",
       AreaRole::memory_macro},
      {component_class::kLineBuffer,
       "bit",
       "convolution line buffer (SRAM): kernel rows of the input tensor; windows read from it",
       {event(action::kBitRead, "one bit read into a window", Stage::array),
        event(action::kBitWrite, "one bit filled", Stage::array)},
       "",
       AreaRole::memory_macro},
      {component_class::kParamMemory,
       "bit",
       "per-neuron parameter memory (SRAM, 64-bit entries, one single-port bank per reduce lane)",
       {event(action::kEntryRead, "one 64-bit entry read", Stage::reduce),
        event(action::kByteWrite, "one byte written", Stage::programming)},
       "",
       AreaRole::memory_macro},
      {component_class::kWeightMemory,
       "bit",
       "weight memory of the MAC array (SRAM, int8 weights): each array step reads its rows x columns weights",
       {event(action::kBitRead, "one weight bit read for an array step", Stage::array),
        event(action::kByteWrite, "one byte programmed by the host", Stage::programming)},
       "",
       AreaRole::memory_macro},
      {component_class::kRequantUnit,
       "instance",
       "requantiser of the MAC array (one per row): 32 x 32 multiply, add, shift and clamp to the activation range",
       {event(action::kRequant, "one hidden-layer output value requantised", Stage::reduce)}},
      {component_class::kSngComparator,
       "instance",
       "8-bit comparator of a stochastic number generator",
       {event(action::kCompare, "one comparison (one stochastic bit)", Stage::sng)}},
      // The invertible-logic training engine (docs/invertible-logic.md, "Cost"): its anneals
      // count as the array stage, the accumulation of the couplings as reduce.
      {component_class::kIlPbitUnit,
       "instance",
       "invertible-logic p-bit unit: I0 x field multiply, tanh look-up, compare with the random number, state flop",
       {event(action::kDecision, "one p-bit decision (the look-up's read included)", Stage::array)}},
      {component_class::kIlTanhLut,
       "bit",
       "tanh tables of the p-bit units (2^il_train.lut_index_bits entries of il.rng_bits + 1 bits each)",
       {},
       "",
       AreaRole::memory_macro},
      {component_class::kIlJMemory,
       "bit",
       "coupling and bias words of the learning Hamiltonians (SRAM); accumulated in place",
       {event(action::kBitRead, "one bit read (a p-bit's J row, or an accumulation's read)", Stage::array),
        event(action::kBitWrite, "one bit written (accumulation, Hamiltonian load)", Stage::reduce)},
       "",
       AreaRole::memory_macro},
      {component_class::kIlFieldAdder,
       "bit",
       "field adders and registers of the p-bit units, per bit",
       {event(action::kAddBit, "one bit of a field addition (one per J word read)", Stage::array)}},
      {component_class::kIlCouplingAccumulator,
       "bit",
       "adders of the J memory banks accumulating couplings over the examples, per bit",
       {event(action::kAddBit, "one bit of a coupling or bias accumulation", Stage::reduce),
        event(action::kMultiply, "one 8 x 8-bit product of two window values (convolution learning)", Stage::reduce)}},
      {component_class::kIlFeatureAdder,
       "bit",
       "adders of the training engine's feature pass (the convolution forward), per bit",
       {event(action::kAddBit, "one bit of a kernel-element addition", Stage::array)}},
      {component_class::kController,
       "instance",
       "sequencer, layer descriptors and clock distribution of the accelerator",
       {event(action::kCycle, "one accelerator clock cycle of the controller and clock tree", Stage::control)}},
      {component_class::kRegisterBank,
       "bit",
       "memory-mapped control and status registers, per register bit",
       {event(action::kRegisterRead, "one bus read of a register", Stage::control),
        event(action::kRegisterWrite, "one bus write of a register", Stage::control)}},
  };
  return catalogue;
}

}  // namespace

std::vector<ComponentClassSpec> component_catalogue() {
  std::vector<ComponentClassSpec> all = own_classes();
  for (const auto& kv : declared_component_classes()) all.push_back(kv.second);
  return all;
}

const ComponentClassSpec* find_component_class(const std::string& name) {
  for (const auto& c : own_classes())
    if (c.name == name) return &c;
  const auto declared = declared_component_classes().find(name);
  return declared == declared_component_classes().end() ? nullptr : &declared->second;
}

}  // namespace scbnn
