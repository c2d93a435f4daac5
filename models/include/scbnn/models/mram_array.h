#pragma once
#include <systemc>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "scbnn/base/errors.h"
#include "scbnn/base/params.h"
#include "scbnn/base/text.h"
#include "scbnn/models/log.h"
#include "scbnn/models/mtj.h"
#include "scbnn/models/random_stream.h"
#include "scbnn/models/weight_array.h"

namespace scbnn {

enum class CellType { one_t_one_r, two_t_two_r };
inline constexpr std::array<EnumName<CellType>, 2> kCellTypeNames{
    {{CellType::two_t_two_r, "2T2R"}, {CellType::one_t_one_r, "1T1R"}}};
constexpr const auto& enum_names(CellType) { return kCellTypeNames; }

enum class MramErrorMode { physical, per_inference, ideal };
inline constexpr std::array<EnumName<MramErrorMode>, 3> kMramErrorModeNames{
    {{MramErrorMode::physical, "physical"},
     {MramErrorMode::per_inference, "per_inference"},
     {MramErrorMode::ideal, "ideal"}}};
constexpr const auto& enum_names(MramErrorMode) { return kMramErrorModeNames; }

enum class WriteErrorSource { pulse, table, ber };
inline constexpr std::array<EnumName<WriteErrorSource>, 3> kWriteErrorSourceNames{
    {{WriteErrorSource::pulse, "pulse"}, {WriteErrorSource::table, "table"}, {WriteErrorSource::ber, "ber"}}};
constexpr const auto& enum_names(WriteErrorSource) { return kWriteErrorSourceNames; }

enum class WriteVerify { off, on };
inline constexpr std::array<EnumName<WriteVerify>, 2> kWriteVerifyNames{
    {{WriteVerify::off, "off"}, {WriteVerify::on, "on"}}};
constexpr const auto& enum_names(WriteVerify) { return kWriteVerifyNames; }

// The precharge sense amplifiers of each array (keys accel.sa.*).
struct SenseAmplifierParams {
  double offset_sigma_ohm = 100;
  uint32_t columns_per_sa = 1;

  template <class V>
  void declare(V& v) {
    v("offset_sigma_ohm", offset_sigma_ohm, Range{0, 1e9}, "ohm",
      "precharge sense amplifier input offset (1 sigma, as an equivalent resistance)", "assumption");
    v("columns_per_sa", columns_per_sa, Range{1, 65536}, "columns",
      "columns sharing one sense amplifier; a row read takes this many sense steps", "assumption");
  }
};

// The ST-MRAM weight arrays, declared under accel.* (the arrays' read latency is
// accel.array.read_ns, their sense amplifiers accel.sa.*, the rest accel.mram.*).
struct MramParams {
  double read_ns = 2;  // sense latency of one step
  MramErrorMode error_mode = MramErrorMode::physical;
  CellType cell = CellType::two_t_two_r;
  WriteErrorSource write_errors = WriteErrorSource::pulse;
  double ber = 0;                  // write_errors = ber: MTJ write error rate; per_inference: weight flip rate
  std::string wer_table = "none";  // write_errors = table: the CSV file of wer_points
  WerTable wer_points;             // loaded from wer_table (load_wer_table)
  double read_current_ua = 10;
  double read_pulse_ns = 1;  // time the read current flows through an MTJ in one sense (<= read_ns)
  WriteVerify write_verify = WriteVerify::off;
  uint32_t write_verify_iterations = 3;  // re-pulse rounds after the first pulse
  MtjParams mtj;
  SenseAmplifierParams sa;
  uint64_t seed = 1;  // master seed (the configuration's top-level seed); each error source derives its own stream

  template <class V>
  void declare(V& v) {
    v("array.read_ns", read_ns, Range{0.001, 1e6}, "ns",
      "sense latency of one step (rounded up to cycles): precharge, evaluation and latch of the sense amplifiers",
      "assumption: ST-MRAM sensing in a few ns");
    v("mram.error_mode", error_mode,
      "physical: write errors kept until rewritten, read errors and read disturb per read, retention over "
      "time; per_inference: each weight's sign flips with accel.mram.ber, redrawn every inference; "
      "ideal: no errors",
      "Hirtzlin et al., NANOARCH 2019 (per-inference flips are how its curves were computed)");
    v("mram.cell", cell, "bit cell: two complementary MTJs read differentially, or one MTJ against a reference",
      "Bocquet et al., IEDM 2018; Hirtzlin et al., Frontiers 2020 (2T2R with PCSA)");
    v("mram.write_errors", write_errors,
      "where the MTJ write error rate comes from: the precessional law at the programming pulse, "
      "accel.mram.wer_table, or accel.mram.ber directly",
      "simulation setting");
    v("mram.ber", ber, Range{0, 1}, "probability",
      "write_errors = ber: MTJ write error rate; error_mode = per_inference: weight sign-flip rate",
      "simulation setting");
    v("mram.wer_table", wer_table,
      "CSV file of 'pulse_ns,wer' points at accel.mram.pulse_ua (log-linear interpolation), for write_errors = table",
      "simulation setting");
    v("mram.read_current_ua", read_current_ua, Range{0, 1e6}, "uA",
      "read current through an MTJ: the cell-current read energy I^2 R t and read disturb", "assumption: 0.2 x Ic0");
    v("mram.read_pulse_ns", read_pulse_ns, Range{1e-6, 1e6}, "ns",
      "time the read current flows through an MTJ in one sense (the PCSA's evaluation, until its latch "
      "resolves): the cell-current read energy and the read-disturb pulse; at most accel.array.read_ns",
      "assumption: half of the 2 ns sense step; a PCSA has no static current path once its latch has resolved "
      "(Zhao et al., IEEE Trans. Magn. 2009)");
    v("mram.write_verify", write_verify,
      "off: one pulse per MTJ (weak programming without verify); on: program, read every MTJ back against a "
      "reference, re-pulse the failed ones, up to accel.mram.write_verify_iterations times",
      "the classic alternative to error-tolerant weak programming (Hirtzlin et al., NANOARCH 2019)");
    v("mram.write_verify_iterations", write_verify_iterations, Range{0, 64}, "rounds",
      "write_verify = on: most re-pulse rounds after the first pulse (residual MTJ error rate WER^(n+1))",
      "assumption");
    v.group("mram.mtj", mtj);
    v.group("sa", sa);
  }
  // Cross-field rules; throws InputError naming the keys.
  void validate() const {
    if (read_pulse_ns > read_ns)
      throw InputError("accel.mram.read_pulse_ns = " + fmt("%g", read_pulse_ns) + " exceeds accel.array.read_ns = " +
                       fmt("%g", read_ns) + " (the read current flows within one sense step)");
  }
  // write_errors = table: reads wer_points from wer_table (InputError naming the key).
  void load_wer_table() {
    if (write_errors != WriteErrorSource::table) return;
    if (wer_table == "none")
      throw InputError("accel.mram.write_errors = table needs accel.mram.wer_table (a CSV of pulse_ns,wer)");
    wer_points = WerTable::load(wer_table, "accel.mram.wer_table");
  }
};

// Gaussian-margin decision error per read of a precharge sense amplifier: the branch
// difference against the resistance spread of the MTJs involved and the SA offset, both
// drawn per read.
//   2T2R: mu = R_AP - R_P,      sigma^2 = (s R_P)^2 + (s R_AP)^2 + offset^2
//   1T1R: mu = (R_AP - R_P)/2,  sigma^2 = (s R)^2 + offset^2, averaged over R in {R_P, R_AP}
double pcsa_decision_error_probability(const MtjParams& mtj, CellType cell, double offset_sigma_ohm);

// The precharge sense amplifiers of one array (Zhao et al. 2009): each compares the two
// branches of a cell (2T2R) or the cell against a mid-point reference (1T1R), computes
// the XNOR with the input activation in the same step, and serves `columns_per_sa`
// columns one after another.
class PrechargeSenseAmplifiers : public sc_core::sc_module, public CountsActions, public DescribesHardware {
 public:
  PrechargeSenseAmplifiers(sc_core::sc_module_name name, uint32_t columns, uint32_t columns_per_sa,
                           double offset_sigma_ohm);
  uint32_t count() const { return (columns_ + columns_per_sa_ - 1) / columns_per_sa_; }
  uint32_t columns_per_sa() const { return columns_per_sa_; }
  double offset_sigma_ohm() const { return offset_sigma_ohm_; }

  double decision_error_probability(const MtjParams& mtj, CellType cell) const {
    return pcsa_decision_error_probability(mtj, cell, offset_sigma_ohm_);
  }

  void count_senses(uint64_t bits) { senses_.add(bits); }
  void count_verify_senses(uint64_t mtjs) { verify_senses_.add(mtjs); }
  void collect_actions(ActionLedger& ledger) const override;
  void collect_hardware(HardwareInventory& inventory) const override;

 private:
  uint32_t columns_, columns_per_sa_;
  double offset_sigma_ohm_;
  LayerCounter senses_, verify_senses_;
};

// An ST-MRAM weight array with per-MTJ state and its error sources:
//  - write: a word is programmed in two pulse phases of opposite polarity (the MTJs going to
//    P, then those going to AP); an MTJ already in its target state stays, one that has to
//    switch stays in its previous state with the pulse's WER (precessional law, a user
//    table, or a direct rate); drawn once per write and kept until rewritten. With
//    write-verify every MTJ is read back and the failed ones re-pulsed;
//  - read: sense-amplifier decision errors, drawn per read;
//  - disturb: thermally activated flips of the MTJs being read, per read, kept;
//  - retention: thermally activated flips over simulated time, kept.
// In a 2T2R cell (weight +1 = BL MTJ parallel, BLb antiparallel) a failed MTJ leaves both
// branches equal; the SA then decides by its mismatch, modelled as a coin drawn when the
// cell became equal and kept while it stays so.
// In per_inference mode the storage is exact and every weight's sign flips with
// probability `ber`, redrawn at each inference (how the published curves were computed).
// Every draw made during an inference (read, disturb, retention, tie coins, flips) comes
// from a stream reseeded for that image from (stream seed, image index).
// All sampling visits errors only (gaps between events), never every bit.
class MramArray : public WeightArray {
 public:
  MramArray(sc_core::sc_module_name name, uint32_t rows, uint32_t columns, const MramParams& params);

  void program(uint32_t row, uint32_t word, uint64_t value, uint64_t mask, const WritePulse& pulse) override;
  SensedRows sense_rows(uint32_t first, uint32_t count, uint32_t words) override;
  uint64_t peek(uint32_t row, uint32_t word) const override;
  void queue_image_streams(uint64_t image, ReseedBatch& batch) override;
  void start_inference(const sc_core::sc_time& now, uint64_t image) override;
  uint32_t sense_steps() const override { return sa.columns_per_sa(); }
  uint32_t pulse_phases_per_word() const override { return 2; }
  ProgramSteps last_program_steps() const override { return last_steps_; }
  void collect_errors(ErrorTally& tally) const override;
  std::string component_class() const override;
  DeviceArea cell_area() const override;
  void collect_actions(ActionLedger& ledger) const override;

  const MramParams& params() const { return params_; }
  uint32_t mtjs_per_cell() const { return params_.cell == CellType::two_t_two_r ? 2 : 1; }
  // The error model's derived figures (0 where the mode draws no such error for the
  // write probability; the others as the formulas give them for this array's device).
  double write_error_probability(const WritePulse& pulse) const;
  double read_decision_error_probability() const { return sa.decision_error_probability(params_.mtj, params_.cell); }
  double read_disturb_probability() const {
    return thermal_flip_probability(params_.mtj, params_.read_pulse_ns, params_.read_current_ua);
  }
  // The cell current's energy per sensed bit (and per MTJ verified): I_read^2 (R_P + R_AP) x
  // read_pulse_ns, both branches of the PCSA (docs/power-model.md), with its formula.
  DeviceEnergy read_current_energy() const;
  // Programming pulses applied so far, by phase: to parallel (low resistance), to antiparallel.
  uint64_t pulses_to_parallel() const { return pulses_to_parallel_; }
  uint64_t pulses_to_antiparallel() const { return pulses_to_antiparallel_; }
  // Write-verify: MTJs read back, and re-pulse rounds (words x rounds) so far.
  uint64_t verify_mtj_reads() const { return verify_mtj_reads_.total(); }
  uint64_t verify_repulse_rounds() const { return verify_repulse_rounds_; }
  double retention_time_constant_s() const { return params_.mtj.tau0_ns * 1e-9 * std::exp(params_.mtj.delta); }
  double read_error_probability() const { return p_read_; }
  // State of MTJ `which` (0 = BL, 1 = BLb) of a cell: true = parallel (low resistance).
  bool mtj_parallel(uint32_t row, uint32_t column, uint32_t which) const;

  // Optional record of every write error drawn (row, column, MTJ; with write-verify also the
  // failures a later pulse corrected), for tests and debugging.
  struct WriteErrorEvent {
    uint32_t row, column, mtj;
  };
  void record_write_errors(std::vector<WriteErrorEvent>* log) { write_log_ = log; }

  PrechargeSenseAmplifiers sa;

 private:
  std::vector<WriteErrorEvent>* write_log_ = nullptr;
  size_t index(uint32_t row, uint32_t word) const { return size_t(row) * words_per_row() + word; }
  uint64_t static_word(size_t i) const;
  void flip_mtj(uint64_t mtj_index);  // over the array: cell * mtjs_per_cell + which
  void pulse_mtjs(size_t i, uint32_t row, uint32_t word, uint64_t value, uint64_t bl, uint64_t blb,
                  const WritePulse& pulse);
  void verify_word(size_t i, uint32_t row, uint32_t word, uint64_t value, uint64_t mask, const WritePulse& pulse);
  void settle_ties(size_t i, uint64_t cells);
  void log_programming();
  void log_read(uint32_t first, uint32_t count, uint64_t read_errors, uint64_t disturbs, uint64_t flips) const;

  MramParams params_;
  std::vector<uint64_t> bl_, blb_, tie_;   // MTJ states (1 = parallel) and tie decisions
  std::vector<uint64_t> decoded_;          // what the sense amplifiers decide from them (static_word)
  std::vector<uint64_t> scratch_;          // a sensed block that an error touched
  std::vector<uint64_t> inference_flips_;  // sorted cell indices flipped in this inference
  BernoulliGaps write_errors_, read_errors_, disturbs_, retention_, flips_;
  MersenneTwister64 tie_coins_;  // std::mt19937_64's sequence, seeded per image at no cost until a tie
  uint64_t read_seed_, disturb_seed_, retention_seed_, flip_seed_, tie_seed_;
  double p_read_ = 0, p_disturb_ = 0, last_write_p_ = -1;
  WritePulse last_pulse_{-1, -1};
  sc_core::sc_time last_aged_ = sc_core::SC_ZERO_TIME;
  // Per-source tallies in fixed slots: the sense path must not look names up.
  enum Source { kWrite, kRead, kDisturb, kRetention, kInferenceFlip, kSources };
  static constexpr const char* kSourceNames[kSources] = {"write", "read", "disturb", "retention", "inference_flip"};
  ErrorCount tally_[kSources];
  LayerCounter mtj_write_pulses_, verify_mtj_reads_;
  uint64_t pulses_to_parallel_ = 0, pulses_to_antiparallel_ = 0, verify_repulse_rounds_ = 0;
  ProgramSteps last_steps_{2, 0};
  uint64_t inferences_ = 0;
  double write_charge_fc_ = 0;  // sum over MTJ pulses of current x duration (uA x ns = fC)
  // Programming since the last log_programming(): words written, write errors drawn.
  uint64_t words_since_log_ = 0, write_errors_since_log_ = 0;
  Logger log_{*this, "scbnn/mram"};
};

}  // namespace scbnn
