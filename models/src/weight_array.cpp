#include "scbnn/models/weight_array.h"

#include "scbnn/models/bit_kernels.h"

namespace scbnn {

WeightArray::WeightArray(sc_core::sc_module_name name, uint32_t rows, uint32_t columns)
    : sc_core::sc_module(name), rows_(rows), columns_(columns), cells_(size_t(rows) * (columns / 64), 0) {}

void WeightArray::count_program(uint64_t mask) {
  ++word_writes_;
  bits_programmed_ += uint64_t(popcount64(mask));
}

void WeightArray::program(uint32_t row, uint32_t word, uint64_t value, uint64_t mask, const WritePulse&) {
  uint64_t& cell = cells_[size_t(row) * words_per_row() + word];
  cell = (cell & ~mask) | (value & mask);
  count_program(mask);
}

const uint64_t* WeightArray::sense(uint32_t row, uint32_t words) {
  count_sense(words);
  return cells_.data() + size_t(row) * words_per_row();
}

void WeightArray::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), "weight_array", "row_read", row_reads_);
  ledger.add(name(), "weight_array", "bit_sensed", bits_sensed_);
  ledger.add(name(), "weight_array", "word_write", word_writes_);
  ledger.add(name(), "weight_array", "bit_programmed", bits_programmed_);
}

}  // namespace scbnn
