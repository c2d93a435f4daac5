#pragma once
#include <systemc>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scbnn/base/action_ledger.h"
#include "scbnn/base/hardware_inventory.h"
#include "scbnn/models/random_stream.h"

namespace scbnn {

// The programming pulse in force for a write (set through the accelerator's registers).
struct WritePulse {
  double duration_ns = 10;
  double current_ua = 100;
};

// What programming one word took, in the steps the accelerator times (docs/registers.md):
// pulses applied one after another (each the programming pulse long) and write-verify sense
// steps (each accel.array.read_ns long).
struct ProgramSteps {
  uint32_t pulse_phases = 1;
  uint32_t verify_steps = 0;
};

// Errors a memory injected, per source: events, the opportunities they were drawn over
// (MTJ writes, bits sensed, ...) and the probability per opportunity in force.
struct ErrorCount {
  uint64_t events = 0;
  uint64_t opportunities = 0;
  double probability = 0;
};
using ErrorTally = std::map<std::string, ErrorCount>;
// Adds `count` per-source tallies to `tally` under their names, skipping sources with no
// opportunities (an error model's collect_errors).
inline void add_error_counts(ErrorTally& tally, const ErrorCount* sources, const char* const* names, int count) {
  for (int s = 0; s < count; ++s) {
    const ErrorCount& e = sources[s];
    if (e.opportunities == 0) continue;
    ErrorCount& t = tally[names[s]];
    t.events += e.events;
    t.opportunities += e.opportunities;
    t.probability = e.probability;
  }
}

// Rows as the sense amplifiers delivered them: row i starts at data + i * stride.
struct SensedRows {
  const uint64_t* data = nullptr;
  size_t stride = 0;
  const uint64_t* row(uint32_t i) const { return data + i * stride; }
};

// A weight array of rows x columns binary cells, one neuron's weights per row. This base
// is the ideal (error-free) array; error-prone memories override the virtual hooks.
class WeightArray : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  WeightArray(sc_core::sc_module_name name, uint32_t rows, uint32_t columns);
  WeightArray(const WeightArray&) = delete;
  WeightArray& operator=(const WeightArray&) = delete;

  uint32_t rows() const { return rows_; }
  uint32_t columns() const { return columns_; }
  uint32_t words_per_row() const { return columns_ / 64; }

  // Programs the bits selected by `mask` in word `word` of `row` (a bus write).
  virtual void program(uint32_t row, uint32_t word, uint64_t value, uint64_t mask, const WritePulse& pulse);
  // Senses the first `words` words of rows [first, first + count) for computation, as the
  // sense amplifiers see them (one call per tile: the rows are read one after another,
  // and the error sources act on them in that order). Valid until the next call.
  virtual SensedRows sense_rows(uint32_t first, uint32_t count, uint32_t words);
  const uint64_t* sense(uint32_t row, uint32_t words) { return sense_rows(row, 1, words).data; }
  // Stored contents as a noiseless read would see them, without side effects (debug).
  virtual uint64_t peek(uint32_t row, uint32_t word) const { return cells_[size_t(row) * words_per_row() + word]; }
  // Called when the inference of image `image` (the IMAGE_INDEX register) starts, at
  // simulated time `now`; random draws of that inference are positioned by `image`.
  void begin_inference(const sc_core::sc_time& now, uint64_t image) {
    ReseedBatch batch;
    queue_image_streams(image, batch);
    batch.run();
    start_inference(now, image);
  }
  // begin_inference in two steps, so that a core reseeds all its arrays' per-image streams
  // in one batch: first queue them, then (after the batch ran) start the inference.
  virtual void queue_image_streams(uint64_t image, ReseedBatch& batch) { (void)image, (void)batch; }
  virtual void start_inference(const sc_core::sc_time& now, uint64_t image) { (void)now, (void)image; }
  // Sequential sense steps per row read (columns sharing one sense amplifier).
  virtual uint32_t sense_steps() const { return 1; }
  // Programming pulses one word needs without write-verify (a bipolar memory drives the cells
  // going to one state, then those going to the other), and what the last program() took.
  virtual uint32_t pulse_phases_per_word() const { return 1; }
  virtual ProgramSteps last_program_steps() const { return {pulse_phases_per_word(), 0}; }
  virtual void collect_errors(ErrorTally& tally) const { (void)tally; }

  // Component class priced by power/ (the ideal base array has no technology).
  virtual std::string component_class() const { return component_class::kWeightArray; }
  // A cell's area when the device parameters fix it (none for the ideal base array).
  virtual DeviceArea cell_area() const { return {}; }
  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 protected:
  void count_sense(uint32_t rows, uint32_t words) {
    row_reads_.add(rows);
    bits_sensed_.add(uint64_t(rows) * words * 64);
  }
  void count_program() { word_writes_.add(); }

  uint32_t rows_, columns_;
  std::vector<uint64_t> cells_;
  LayerCounter row_reads_, bits_sensed_, word_writes_;
};

}  // namespace scbnn
