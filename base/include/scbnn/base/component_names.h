#pragma once

// The names that join a model's counters to the power model's catalogue and a technology
// preset's tables (power/presets/*.yaml, docs/power-model.md). Models count under these
// names; power/ declares its catalogue with them; a run refuses, before simulating, a
// preset that lacks an entry a built component needs.
namespace scbnn {

namespace component_class {
inline constexpr const char* kMram2t2rArray = "mram_2t2r_array";
inline constexpr const char* kMram1t1rArray = "mram_1t1r_array";
inline constexpr const char* kRram2t2rArray = "rram_2t2r_array";
inline constexpr const char* kRram1t1rArray = "rram_1t1r_array";
inline constexpr const char* kWeightArray = "weight_array";  // the technology-free array (tests, library users)
inline constexpr const char* kArrayRowDriver = "array_row_driver";
inline constexpr const char* kArrayColumnDriver = "array_column_driver";
inline constexpr const char* kPcsa = "pcsa";
inline constexpr const char* kXnorPopcount = "xnor_popcount";
inline constexpr const char* kAccumulator = "accumulator";
inline constexpr const char* kPartialSumRegister = "partial_sum_register";
inline constexpr const char* kAdderTree = "adder_tree";    // a reduce lane's sum over column tiles
inline constexpr const char* kInputLatch = "input_latch";  // an array's latched input slices
inline constexpr const char* kThresholdComparator = "threshold_comparator";
inline constexpr const char* kOutputScorer = "output_scorer";
inline constexpr const char* kInputBuffer = "input_buffer";
inline constexpr const char* kActivationBuffer = "activation_buffer";
inline constexpr const char* kLineBuffer = "line_buffer";
inline constexpr const char* kParamMemory = "param_memory";
inline constexpr const char* kLfsr = "lfsr";
inline constexpr const char* kVdcCounter = "vdc_counter";
inline constexpr const char* kIdealRng = "ideal_rng";
inline constexpr const char* kSmtjRng = "smtj_rng";
inline constexpr const char* kSngComparator = "sng_comparator";
// The MAC-array PE kinds (models/src/mac_pes/, docs/sc-cnn.md).
inline constexpr const char* kScStreamCounter = "sc_stream_counter";        // shared bit-reversed counter
inline constexpr const char* kScStreamComparator = "sc_stream_comparator";  // per PE: |w| against the reversed count
inline constexpr const char* kScDownCounter = "sc_down_counter";            // per column: the activation
inline constexpr const char* kScRowCounter = "sc_row_counter";              // per row: signed parallel counter
inline constexpr const char* kMacMultiplier = "mac_multiplier";             // per PE: B x A multiplier
inline constexpr const char* kMacAdderTree = "mac_adder_tree";              // per row: sum of the columns' products
inline constexpr const char* kMacAccumulator = "mac_accumulator";           // per row: the output's running sum
inline constexpr const char* kMacPeRegister = "mac_pe_register";            // operand and pipeline registers
// The MAC-array core's own parts (models/mac_core.h): int8 weight SRAM, per-row requantisers.
inline constexpr const char* kWeightMemory = "weight_memory";
inline constexpr const char* kRequantUnit = "requant_unit";
// The invertible-logic training engine (docs/invertible-logic.md, "Cost").
inline constexpr const char* kIlPbitUnit = "il_pbit_unit";      // per p-bit: I0 scale, tanh look-up, compare
inline constexpr const char* kIlTanhLut = "il_tanh_lut";        // the p-bit units' tanh tables
inline constexpr const char* kIlJMemory = "il_j_memory";        // coupling and bias words
inline constexpr const char* kIlFieldAdder = "il_field_adder";  // per p-bit: its field from its J row
inline constexpr const char* kIlCouplingAccumulator = "il_coupling_accumulator";  // J accumulation over the examples
inline constexpr const char* kIlFeatureAdder = "il_feature_adder";                // the convolution's feature passes
inline constexpr const char* kController = "controller";
inline constexpr const char* kRegisterBank = "register_bank";
}  // namespace component_class

namespace action {
inline constexpr const char* kRowRead = "row_read";
inline constexpr const char* kBitSensed = "bit_sensed";
inline constexpr const char* kWordWrite = "word_write";
inline constexpr const char* kMtjWritePulse = "mtj_write_pulse";
inline constexpr const char* kMtjWriteCharge = "mtj_write_charge";
inline constexpr const char* kBitLineCell = "bit_line_cell";
inline constexpr const char* kWritePumpCharge = "write_pump_charge";
inline constexpr const char* kVerifyMtjRead = "verify_mtj_read";
inline constexpr const char* kVerifyBitLineCell = "verify_bit_line_cell";
inline constexpr const char* kVerifySense = "verify_sense";
inline constexpr const char* kDevicePulse = "device_pulse";
inline constexpr const char* kSetCharge = "set_charge";
inline constexpr const char* kResetCharge = "reset_charge";
inline constexpr const char* kSenseXnor = "sense_xnor";
inline constexpr const char* kPopcountBit = "bit";
inline constexpr const char* kAddBit = "add_bit";
inline constexpr const char* kBitRead = "bit_read";
inline constexpr const char* kBitWrite = "bit_write";
inline constexpr const char* kCompare = "compare";
inline constexpr const char* kScoreMac = "score_mac";
inline constexpr const char* kArgmaxCompare = "argmax_compare";
inline constexpr const char* kEntryRead = "entry_read";
inline constexpr const char* kByteWrite = "byte_write";
inline constexpr const char* kBitStep = "bit_step";
inline constexpr const char* kCompareBit = "compare_bit";
inline constexpr const char* kMultiplyBit = "multiply_bit";
inline constexpr const char* kRequant = "requant";
inline constexpr const char* kSmtjRead = "smtj_read";
inline constexpr const char* kCycle = "cycle";
inline constexpr const char* kDecision = "decision";
inline constexpr const char* kMultiply = "multiply";
inline constexpr const char* kRegisterRead = "register_read";
inline constexpr const char* kRegisterWrite = "register_write";
}  // namespace action

}  // namespace scbnn
