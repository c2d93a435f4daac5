#pragma once
#include <systemc>

#include <cstdint>
#include <vector>

#include "scbnn/models/action_ledger.h"

namespace scbnn {

// A weight array of rows x columns binary cells, one neuron's weights per row. This is
// the ideal (error-free) array; an error-prone memory overrides program() and sense().
class WeightArray : public sc_core::sc_module, public CountsActions {
 public:
  WeightArray(sc_core::sc_module_name name, uint32_t rows, uint32_t columns);
  WeightArray(const WeightArray&) = delete;
  WeightArray& operator=(const WeightArray&) = delete;

  uint32_t rows() const { return rows_; }
  uint32_t columns() const { return columns_; }
  uint32_t words_per_row() const { return columns_ / 64; }

  // Programs the bits selected by `mask` in word `word` of `row` (a bus write).
  virtual void program(uint32_t row, uint32_t word, uint64_t value, uint64_t mask);
  // Senses the first `words` words of `row` for computation, as the sense amplifiers
  // see them. The pointer stays valid until the next call.
  virtual const uint64_t* sense(uint32_t row, uint32_t words);
  // Stored contents without side effects (debug transport, tests).
  uint64_t peek(uint32_t row, uint32_t word) const { return cells_[size_t(row) * words_per_row() + word]; }

  void collect_actions(ActionLedger& ledger) const override;

 protected:
  uint32_t rows_, columns_;
  std::vector<uint64_t> cells_;
  uint64_t row_reads_ = 0, bits_sensed_ = 0, word_writes_ = 0, bits_programmed_ = 0;
};

}  // namespace scbnn
