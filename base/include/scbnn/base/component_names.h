#pragma once

// The names that join a model's counters to the power model's catalogue and a technology
// preset's tables (power/presets/*.yaml, docs/power-model.md). Models count under these
// names; power/ declares its catalogue with them; a run refuses, before simulating, a
// preset that lacks an entry a built component needs.
namespace scbnn {

namespace component_class {
inline constexpr const char* mram_2t2r_array = "mram_2t2r_array";
inline constexpr const char* mram_1t1r_array = "mram_1t1r_array";
inline constexpr const char* weight_array = "weight_array";  // the technology-free array (tests, library users)
inline constexpr const char* array_row_driver = "array_row_driver";
inline constexpr const char* array_column_driver = "array_column_driver";
inline constexpr const char* pcsa = "pcsa";
inline constexpr const char* xnor_popcount = "xnor_popcount";
inline constexpr const char* accumulator = "accumulator";
inline constexpr const char* partial_sum_register = "partial_sum_register";
inline constexpr const char* threshold_comparator = "threshold_comparator";
inline constexpr const char* output_scorer = "output_scorer";
inline constexpr const char* input_buffer = "input_buffer";
inline constexpr const char* activation_buffer = "activation_buffer";
inline constexpr const char* param_memory = "param_memory";
inline constexpr const char* lfsr = "lfsr";
inline constexpr const char* vdc_counter = "vdc_counter";
inline constexpr const char* ideal_rng = "ideal_rng";
inline constexpr const char* smtj_rng = "smtj_rng";
inline constexpr const char* sng_comparator = "sng_comparator";
inline constexpr const char* controller = "controller";
inline constexpr const char* register_bank = "register_bank";
}  // namespace component_class

namespace action {
inline constexpr const char* row_read = "row_read";
inline constexpr const char* bit_sensed = "bit_sensed";
inline constexpr const char* word_write = "word_write";
inline constexpr const char* mtj_write_pulse = "mtj_write_pulse";
inline constexpr const char* mtj_write_charge = "mtj_write_charge";
inline constexpr const char* sense_xnor = "sense_xnor";
inline constexpr const char* popcount_bit = "bit";
inline constexpr const char* add_bit = "add_bit";
inline constexpr const char* bit_read = "bit_read";
inline constexpr const char* bit_write = "bit_write";
inline constexpr const char* compare = "compare";
inline constexpr const char* score_mac = "score_mac";
inline constexpr const char* argmax_compare = "argmax_compare";
inline constexpr const char* entry_read = "entry_read";
inline constexpr const char* byte_write = "byte_write";
inline constexpr const char* bit_step = "bit_step";
inline constexpr const char* smtj_read = "smtj_read";
inline constexpr const char* cycle = "cycle";
inline constexpr const char* register_read = "register_read";
inline constexpr const char* register_write = "register_write";
}  // namespace action

}  // namespace scbnn
