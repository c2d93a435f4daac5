#include "scbnn/power/catalogue.h"

#include "scbnn/base/component_names.h"

namespace scbnn {

namespace {

ActionSpec event(const char* name, const char* meaning, Phase phase = Phase::inference) {
  return {name, Pricing::per_event, phase, meaning};
}

std::vector<ActionSpec> mram_array_actions() {
  return {
      event(action::row_read, "word line and row decoder activation for one row read"),
      event(action::bit_sensed, "bit-line precharge and cell read current for one bit (both MTJs of a 2T2R cell)"),
      event(action::word_write, "address decode and write-driver setup for one 64-bit word write", Phase::programming),
      event(action::mtj_write_pulse, "write-driver switching for one MTJ pulse (excluding the cell current)",
            Phase::programming),
      {action::mtj_write_charge, Pricing::per_charge, Phase::programming,
       "charge driven through MTJs while programming, in fC (pulse current x duration, summed)"}};
}

const std::vector<ComponentClassSpec>& own_classes() {
  static const std::vector<ComponentClassSpec> catalogue = {
      {component_class::mram_2t2r_array, "cell",
       "ST-MRAM array of 2T2R cells (two complementary MTJs, two access transistors)", mram_array_actions(),
       "accel.mram.mtj.area_f2"},
      {component_class::mram_1t1r_array, "cell", "ST-MRAM array of 1T1R cells (one MTJ, one access transistor)",
       mram_array_actions(), "accel.mram.mtj.area_f2"},
      {component_class::array_row_driver, "row", "row decoder and word-line driver, per array row", {}},
      {component_class::array_column_driver,
       "column",
       "bit-line precharge, column multiplexer and write driver, per array column",
       {}},
      {component_class::pcsa,
       "instance",
       "precharge sense amplifier computing XNOR with the input bit",
       {event(action::sense_xnor, "one sense decision with the XNOR of the input bit")}},
      {component_class::xnor_popcount,
       "input_bit",
       "XNOR/popcount tree of a processing element, per input bit of its width",
       {event(action::popcount_bit, "one input bit through the XNOR/popcount tree")}},
      {component_class::accumulator,
       "bit",
       "partial-sum adders (one per array), per bit of accumulator width",
       {event(action::add_bit, "one bit of a partial-sum addition")}},
      {component_class::partial_sum_register,
       "bit",
       "register file of per-neuron partial sums, per bit",
       {event(action::bit_read, "one bit read"), event(action::bit_write, "one bit written")}},
      {component_class::threshold_comparator,
       "bit",
       "folded batch-norm threshold comparator, per bit of width",
       {event(action::compare, "one neuron's threshold comparison")}},
      {component_class::output_scorer,
       "instance",
       "fixed-point scale-and-offset of the output layer and the argmax comparator",
       {event(action::score_mac, "one class score (multiply-add)"),
        event(action::argmax_compare, "one argmax comparison")}},
      {component_class::input_buffer,
       "bit",
       "input pixel buffer (SRAM)",
       {event(action::bit_read, "one bit read"), event(action::bit_write, "one bit written")}},
      {component_class::activation_buffer,
       "bit",
       "two activation banks (SRAM)",
       {event(action::bit_read, "one bit read"), event(action::bit_write, "one bit written")}},
      {component_class::param_memory,
       "bit",
       "per-neuron parameter memory (SRAM, 64-bit entries)",
       {event(action::entry_read, "one 64-bit entry read"),
        event(action::byte_write, "one byte written", Phase::programming)}},
      {component_class::sng_comparator,
       "instance",
       "8-bit comparator of a stochastic number generator",
       {event(action::compare, "one comparison (one stochastic bit)")}},
      {component_class::controller,
       "instance",
       "sequencer, layer descriptors and clock distribution of the accelerator",
       {event(action::cycle, "one accelerator clock cycle of the controller and clock tree")}},
      {component_class::register_bank,
       "bit",
       "memory-mapped control and status registers, per register bit",
       {event(action::register_read, "one bus read of a register"),
        event(action::register_write, "one bus write of a register")}},
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
