#include "scbnn/power/catalogue.h"

#include "scbnn/base/component_names.h"

namespace scbnn {

namespace {

ActionSpec event(const char* name, const char* meaning, Phase phase = Phase::inference) {
  return {name, Pricing::per_event, phase, meaning};
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
            "its mid-point reference branch, balanced weights)");
  cell_current.energy_parameter = kReadCurrentParameters;
  ActionSpec verify_current =
      event(action::kVerifyMtjRead,
            "cell read current of one MTJ read back by write-verify against a mid-point reference, I_read^2 "
            "(R_P + R_AP) t_read on average",
            Phase::programming);
  verify_current.energy_parameter = kReadCurrentParameters;
  ActionSpec verify_bit_line =
      event(action::kVerifyBitLineCell,
            "one cell's length of bit line charged for a write-verify read (MTJs verified x rows x 2 branches)",
            Phase::programming);
  verify_bit_line.priced_as = action::kBitLineCell;
  return {
      event(action::kRowRead, "word line and row decoder activation for one row read"),
      cell_current,
      event(action::kBitLineCell,
            "one cell's length of bit line (access-transistor junction and wire) charged for a read: bits sensed "
            "x rows x 2 branches (the PCSA's two inputs)"),
      event(action::kWordWrite, "address decode and write-driver setup for one 64-bit word write", Phase::programming),
      event(action::kMtjWritePulse, "write-driver switching for one MTJ pulse (excluding the cell current)",
            Phase::programming),
      {action::kMtjWriteCharge, Pricing::per_charge, Phase::programming,
       "charge driven through MTJs while programming, in fC (pulse current x duration, summed over the pulses "
       "applied): V_write I t"},
      {action::kWritePumpCharge, Pricing::per_charge, Phase::programming,
       "the same charge, priced at the charge pump's loss V_write (1 / efficiency - 1)"},
      verify_current,
      verify_bit_line};
}

ActionSpec verify_sense() {
  ActionSpec a =
      event(action::kVerifySense, "one write-verify sense decision (one MTJ against a reference)", Phase::programming);
  a.priced_as = action::kSenseXnor;
  return a;
}

const std::vector<ComponentClassSpec>& own_classes() {
  static const std::vector<ComponentClassSpec> catalogue = {
      {component_class::kMram2t2rArray, "cell",
       "ST-MRAM array of 2T2R cells (two complementary MTJs, two access transistors)", mram_array_actions(),
       "accel.mram.mtj.area_f2"},
      {component_class::kMram1t1rArray, "cell", "ST-MRAM array of 1T1R cells (one MTJ, one access transistor)",
       mram_array_actions(), "accel.mram.mtj.area_f2"},
      {component_class::kArrayRowDriver, "row", "row decoder and word-line driver, per array row", {}},
      {component_class::kArrayColumnDriver,
       "column",
       "bit-line precharge, column multiplexer and write driver, per array column",
       {}},
      {component_class::kPcsa,
       "instance",
       "precharge sense amplifier computing XNOR with the input bit",
       {event(action::kSenseXnor, "one sense decision with the XNOR of the input bit"), verify_sense()}},
      {component_class::kXnorPopcount,
       "input_bit",
       "XNOR/popcount tree of a processing element, per input bit of its width",
       {event(action::kPopcountBit, "one input bit through the XNOR/popcount tree")}},
      {component_class::kAccumulator,
       "bit",
       "shift-add accumulators (one per array), per bit of accumulator width",
       {event(action::kAddBit, "one bit of a row result's shift-add")}},
      {component_class::kPartialSumRegister,
       "bit",
       "partial-sum register files of the row_inner loop order (one per array, a row's sum per entry), per bit",
       {event(action::kBitRead, "one bit read"), event(action::kBitWrite, "one bit written")}},
      {component_class::kAdderTree,
       "bit",
       "adder trees of the reduce lanes (sum of a neuron's column tiles), per bit of their adders",
       {event(action::kAddBit, "one bit of an adder-tree addition")}},
      {component_class::kInputLatch,
       "bit",
       "input latches of the arrays (input slices the sense amplifiers XNOR with), per bit",
       {event(action::kBitWrite, "one input bit latched")}},
      {component_class::kThresholdComparator,
       "bit",
       "folded batch-norm threshold comparators (one per reduce lane), per bit of width",
       {event(action::kCompare, "one neuron's threshold comparison")}},
      {component_class::kOutputScorer,
       "instance",
       "fixed-point scale-and-offset of the output layer and the argmax comparator",
       {event(action::kScoreMac, "one class score (multiply-add)"),
        event(action::kArgmaxCompare, "one argmax comparison")}},
      {component_class::kInputBuffer,
       "bit",
       "input pixel buffer (SRAM)",
       {event(action::kBitRead, "one bit read"), event(action::kBitWrite, "one bit written")}},
      {component_class::kActivationBuffer,
       "bit",
       "two activation banks (SRAM)",
       {event(action::kBitRead, "one bit read"), event(action::kBitWrite, "one bit written")}},
      {component_class::kLineBuffer,
       "bit",
       "convolution line buffer (SRAM): kernel rows of the input tensor; windows read from it",
       {event(action::kBitRead, "one bit read into a window"), event(action::kBitWrite, "one bit filled")}},
      {component_class::kParamMemory,
       "bit",
       "per-neuron parameter memory (SRAM, 64-bit entries, one single-port bank per reduce lane)",
       {event(action::kEntryRead, "one 64-bit entry read"),
        event(action::kByteWrite, "one byte written", Phase::programming)}},
      {component_class::kSngComparator,
       "instance",
       "8-bit comparator of a stochastic number generator",
       {event(action::kCompare, "one comparison (one stochastic bit)")}},
      {component_class::kController,
       "instance",
       "sequencer, layer descriptors and clock distribution of the accelerator",
       {event(action::kCycle, "one accelerator clock cycle of the controller and clock tree")}},
      {component_class::kRegisterBank,
       "bit",
       "memory-mapped control and status registers, per register bit",
       {event(action::kRegisterRead, "one bus read of a register"),
        event(action::kRegisterWrite, "one bus write of a register")}},
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
