#include "scbnn/power/catalogue.h"

#include "scbnn/base/component_names.h"

namespace scbnn {

namespace {

ActionSpec event(const char* name, const char* meaning, Stage stage) {
  return {name, Pricing::per_event, stage, meaning};
}

std::vector<ActionSpec> mram_array_actions() {
  return {
      event(action::kRowRead, "word line and row decoder activation for one row read", Stage::array),
      event(action::kBitSensed, "bit-line precharge and cell read current for one bit (both MTJs of a 2T2R cell)",
            Stage::array),
      event(action::kWordWrite, "address decode and write-driver setup for one 64-bit word write", Stage::programming),
      event(action::kMtjWritePulse, "write-driver switching for one MTJ pulse (excluding the cell current)",
            Stage::programming),
      {action::kMtjWriteCharge, Pricing::per_charge, Stage::programming,
       "charge driven through MTJs while programming, in fC (pulse current x duration, summed)"}};
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
       {event(action::kSenseXnor, "one sense decision with the XNOR of the input bit", Stage::array)},
       "",
       AreaRole::array_periphery},
      {component_class::kXnorPopcount,
       "input_bit",
       "XNOR/popcount tree of a processing element, per input bit of its width",
       {event(action::kPopcountBit, "one input bit through the XNOR/popcount tree", Stage::array)}},
      {component_class::kAccumulator,
       "bit",
       "partial-sum adders (one per array), per bit of accumulator width",
       {event(action::kAddBit, "one bit of a partial-sum addition", Stage::array)}},
      {component_class::kPartialSumRegister,
       "bit",
       "register file of per-neuron partial sums, per bit",
       {event(action::kBitRead, "one bit read", Stage::reduce),
        event(action::kBitWrite, "one bit written", Stage::reduce)},
       "",
       AreaRole::memory_macro},
      {component_class::kThresholdComparator,
       "bit",
       "folded batch-norm threshold comparator, per bit of width",
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
       "per-neuron parameter memory (SRAM, 64-bit entries)",
       {event(action::kEntryRead, "one 64-bit entry read", Stage::reduce),
        event(action::kByteWrite, "one byte written", Stage::programming)},
       "",
       AreaRole::memory_macro},
      {component_class::kSngComparator,
       "instance",
       "8-bit comparator of a stochastic number generator",
       {event(action::kCompare, "one comparison (one stochastic bit)", Stage::sng)}},
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
