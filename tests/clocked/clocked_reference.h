#pragma once
// A clocked, cycle-by-cycle reference of the accelerator's datapath (issue 15, item 4; the
// micro-architecture of docs/timing.md "Clocked reference"), for tests only. Every unit is
// an SC_METHOD on a clock edge: the row sequencer, the buffer port (fetch and writeback
// beats), the SNG comparator bank, the line buffer, per tile an array (input latch, sense
// amplifiers stepping through their columns), an XNOR/popcount PE (beats, popcount pipeline)
// and an accumulator (shift-add, partial-sum file), the reduce lanes (FIFO, adder trees,
// comparators, parameter banks) and the output scorer / argmax. Units hand tokens to each
// other through valid/ready handshakes; the cycles of each layer and phase are what the
// units were busy with, cycle by cycle. No closed-form timing formula appears in it.
#include <systemc>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "scbnn/base/layer_shape.h"
#include "scbnn/models/cycle_ledger.h"

namespace scbnn::clocked {

enum class LoopOrder { row_inner, pass_inner };
const char* to_string(LoopOrder order);
// Throws std::invalid_argument for anything but "row_inner" / "pass_inner".
LoopOrder loop_order_of(const std::string& name);

// How the first layer sees the image: 8 bit-planes, N stochastic samples summed, or the
// whole network run N times on one sample each and the classes voted.
enum class FirstLayerInput { fixed, stochastic_sum, stochastic_vote };

// The hardware the reference is built with (the same meaning as the accel.* keys).
struct Hardware {
  uint32_t rows = 256, columns = 256;  // weight array geometry; one tile per array
  uint32_t read_cycles = 1;            // cycles of one sense step
  uint32_t columns_per_sa = 1;         // sense steps per row read
  uint32_t pe_width = 256;             // XNOR/popcount inputs per PE beat
  uint32_t port_bits = 256;            // buffer port bits per cycle
  uint32_t lanes = 0;                  // reduce lanes; 0 = one per neuron of the widest layer
  LoopOrder loop_order = LoopOrder::row_inner;
  uint32_t sng_comparators = 1024;
};

struct Program {
  std::vector<LayerShape> layers;
  FirstLayerInput input = FirstLayerInput::fixed;
  uint32_t input_bits = 8;     // fixed: bit-planes of the first layer
  uint32_t stream_length = 1;  // stochastic: samples N
};

// Actions the units performed (for inspection; energy is not this model's business).
struct Stats {
  uint64_t port_beats = 0, sng_cycles = 0, row_reads = 0, sense_steps = 0, pe_beats = 0;
  uint64_t psum_reads = 0, psum_writes = 0, neurons_reduced = 0, param_reads = 0;
  uint64_t window_reads = 0, freeze_cycles = 0, scored = 0;
};

class ClockedAccelerator : public sc_core::sc_module {
 public:
  // Builds the units for `program` on `hardware`; throws std::invalid_argument when the
  // reference cannot represent it (e.g. a PE pipeline shallower than 2 stages). The run
  // starts at time 0 with the simulation and stops its own clock when the last class is
  // scored, or after `max_cycles` (then finished() is false).
  ClockedAccelerator(sc_core::sc_module_name name, const Hardware& hardware, const Program& program,
                     uint64_t max_cycles = 20'000'000);
  ~ClockedAccelerator() override;
  ClockedAccelerator(const ClockedAccelerator&) = delete;
  ClockedAccelerator& operator=(const ClockedAccelerator&) = delete;

  bool finished() const;
  uint64_t cycles_run() const;
  // Cycles per layer and phase: every clock cycle is given to the highest-priority phase
  // that had a unit busy in it (sng, fetch, compute, reduce, writeback, argmax, vote); a
  // cycle in which no unit did anything is reported as phase "idle".
  CycleLedger ledger() const;
  const Stats& stats() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  void clock();
};

}  // namespace scbnn::clocked
