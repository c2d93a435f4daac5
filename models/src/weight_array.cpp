#include "scbnn/models/weight_array.h"

namespace scbnn {

WeightArray::WeightArray(sc_core::sc_module_name name, uint32_t rows, uint32_t columns)
    : sc_core::sc_module(name), rows_(rows), columns_(columns), cells_(size_t(rows) * (columns / 64), 0) {}

void WeightArray::program(uint32_t row, uint32_t word, uint64_t value, uint64_t mask, const WritePulse&) {
  uint64_t& cell = cells_[size_t(row) * words_per_row() + word];
  cell = (cell & ~mask) | (value & mask);
  count_program();
}

SensedRows WeightArray::sense_rows(uint32_t first, uint32_t count, uint32_t words) {
  count_sense(count, words);
  return {cells_.data() + size_t(first) * words_per_row(), words_per_row()};
}

void WeightArray::collect_actions(ActionLedger& ledger) const {
  const std::string cls = component_class();
  ledger.add(name(), cls, action::kRowRead, row_reads_.by_layer());
  ledger.add(name(), cls, action::kBitSensed, bits_sensed_.by_layer());
  ledger.add(name(), cls, action::kWordWrite, word_writes_.by_layer());
}

void WeightArray::collect_hardware(HardwareInventory& inventory) const {
  const std::string n = name();
  inventory.add(n, component_class(), "cell", double(rows_) * columns_,
                std::to_string(rows_) + " x " + std::to_string(columns_) + " cells", cell_area());
  inventory.add(n + ".row_driver", component_class::kArrayRowDriver, "row", rows_, std::to_string(rows_) + " rows");
  inventory.add(n + ".column_driver", component_class::kArrayColumnDriver, "column", columns_,
                std::to_string(columns_) + " columns");
}

}  // namespace scbnn
