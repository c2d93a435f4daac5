#include "scbnn/models/mram_array.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "scbnn/models/bit_kernels.h"

namespace scbnn {
namespace {

double gaussian_tail(double mu, double sigma) {
  if (sigma <= 0) return mu > 0 ? 0.0 : 0.5;
  return 0.5 * std::erfc(mu / (sigma * std::sqrt(2.0)));
}

// Bit of the n-th (0-based) set bit of `mask`: whole bytes skipped by their popcounts, then
// at most seven bits cleared (a write error costs a few steps, not one per set bit).
uint64_t nth_set_bit(uint64_t mask, uint64_t n) {
  if (mask == ~uint64_t(0)) return uint64_t(1) << n;  // whole-word writes, the common case
  uint32_t shift = 0;
  for (uint64_t in_byte = uint64_t(popcount64(mask & 0xff)); n >= in_byte;
       in_byte = uint64_t(popcount64((mask >> shift) & 0xff))) {
    n -= in_byte;
    shift += 8;
  }
  uint64_t byte = (mask >> shift) & 0xff;
  for (uint64_t i = 0; i < n; ++i) byte &= byte - 1;
  return (byte & (~byte + 1)) << shift;
}

}  // namespace

PrechargeSenseAmplifiers::PrechargeSenseAmplifiers(sc_core::sc_module_name name, uint32_t columns,
                                                   uint32_t columns_per_sa, double offset_sigma_ohm)
    : sc_core::sc_module(name),
      columns_(columns),
      columns_per_sa_(columns_per_sa),
      offset_sigma_ohm_(offset_sigma_ohm) {}

double pcsa_decision_error_probability(const MtjParams& m, CellType cell, double off) {
  const double rp = m.r_p_ohm, rap = m.r_ap_ohm(), s = m.sigma_r;
  if (cell == CellType::two_t_two_r)
    return gaussian_tail(rap - rp, std::sqrt(s * s * (rp * rp + rap * rap) + off * off));
  const double mu = (rap - rp) / 2;
  return 0.5 * (gaussian_tail(mu, std::sqrt(s * s * rp * rp + off * off)) +
                gaussian_tail(mu, std::sqrt(s * s * rap * rap + off * off)));
}

void PrechargeSenseAmplifiers::collect_actions(ActionLedger& ledger) const {
  ledger.add(name(), component_class::kPcsa, action::kSenseXnor, senses_.by_layer());
  ledger.add(name(), component_class::kPcsa, action::kVerifySense, verify_senses_.by_layer());
}

void PrechargeSenseAmplifiers::collect_hardware(HardwareInventory& inventory) const {
  inventory.add(name(), component_class::kPcsa, "instance", count(),
                std::to_string(columns_) + " columns, " + std::to_string(columns_per_sa_) + " per amplifier");
}

MramArray::MramArray(sc_core::sc_module_name name, uint32_t rows, uint32_t columns, const MramParams& p)
    : WeightArray(name, rows, columns),
      sa("sa", columns, p.sa.columns_per_sa, p.sa.offset_sigma_ohm),
      params_(p),
      bl_(size_t(rows) * (columns / 64), 0),
      blb_(p.cell == CellType::two_t_two_r ? bl_.size() : 0, ~uint64_t(0)),
      tie_(blb_.size(), 0),
      decoded_(bl_.size(), 0),
      write_errors_(stream_seed(p.seed, std::string(this->name()) + ".write"), 0),
      read_errors_(stream_seed(p.seed, std::string(this->name()) + ".read"), 0),
      disturbs_(stream_seed(p.seed, std::string(this->name()) + ".disturb"), 0),
      retention_(stream_seed(p.seed, std::string(this->name()) + ".retention"), 0),
      flips_(stream_seed(p.seed, std::string(this->name()) + ".inference_flip"), 0),
      tie_coins_(stream_seed(p.seed, std::string(this->name()) + ".sa_tie")),
      read_seed_(stream_seed(p.seed, std::string(this->name()) + ".read")),
      disturb_seed_(stream_seed(p.seed, std::string(this->name()) + ".disturb")),
      retention_seed_(stream_seed(p.seed, std::string(this->name()) + ".retention")),
      flip_seed_(stream_seed(p.seed, std::string(this->name()) + ".inference_flip")),
      tie_seed_(stream_seed(p.seed, std::string(this->name()) + ".sa_tie")) {
  // Cells start holding weight -1 exactly (BL antiparallel, BLb parallel): an assumption.
  if (p.error_mode == MramErrorMode::physical) {
    p_read_ = read_decision_error_probability();
    p_disturb_ = read_disturb_probability();
    read_errors_.set_probability(p_read_);
    disturbs_.set_probability(p_disturb_);
  } else if (p.error_mode == MramErrorMode::per_inference) {
    flips_.set_probability(p.ber);
  }
}

double MramArray::write_error_probability(const WritePulse& pulse) const {
  if (params_.error_mode != MramErrorMode::physical) return 0;
  switch (params_.write_errors) {
    case WriteErrorSource::pulse: return precessional_wer(params_.mtj, pulse.duration_ns, pulse.current_ua);
    case WriteErrorSource::table: return params_.wer_points.wer_at(pulse.duration_ns);
    case WriteErrorSource::ber: return params_.ber;
  }
  return 0;
}

uint64_t MramArray::static_word(size_t i) const {
  if (params_.cell == CellType::one_t_one_r) return bl_[i];
  return (bl_[i] & ~blb_[i]) | (~(bl_[i] ^ blb_[i]) & tie_[i]);
}

void MramArray::settle_ties(size_t i, uint64_t cells) {
  if (params_.cell != CellType::two_t_two_r) return;
  for (uint64_t equal = ~(bl_[i] ^ blb_[i]) & cells; equal; equal &= equal - 1) {
    const uint64_t bit = equal & (~equal + 1);
    tie_[i] = (tie_coins_() & 1) ? (tie_[i] | bit) : (tie_[i] & ~bit);
  }
}

// A word is programmed in two pulse phases of opposite polarity: first every selected MTJ
// whose target is parallel (BL of a +1 cell, BLb of a -1 cell), then every one whose target
// is antiparallel. Each selected MTJ gets one pulse; only those not already in their target
// state can fail. With write-verify, every MTJ of the word is then read back and the failed
// ones re-pulsed (in the phases their targets need), up to write_verify_iterations rounds.
void MramArray::program(uint32_t row, uint32_t word, uint64_t value, uint64_t mask, const WritePulse& pulse) {
  count_program();
  ++words_since_log_;
  if (pulse.duration_ns != last_pulse_.duration_ns || pulse.current_ua != last_pulse_.current_ua) {
    last_pulse_ = pulse;
    const double p = write_error_probability(pulse);
    if (p != last_write_p_) write_errors_.set_probability(last_write_p_ = p);
  }
  const size_t i = index(row, word);
  last_steps_ = {pulse_phases_per_word(), 0};
  pulse_mtjs(i, row, word, value, mask, mtjs_per_cell() == 2 ? mask : 0, pulse);
  if (params_.write_verify == WriteVerify::on) verify_word(i, row, word, value, mask, pulse);
  settle_ties(i, mask);
  decoded_[i] = static_word(i);
}

// Pulses the BL MTJs selected by `bl` and the BLb MTJs selected by `blb` of word i towards
// their cells' targets (BL: value, BLb: ~value), counting the pulses by phase and their
// charge; draws the write errors among the MTJs that had to switch (a failed one stays in
// its previous state).
void MramArray::pulse_mtjs(size_t i, uint32_t row, uint32_t word, uint64_t value, uint64_t bl, uint64_t blb,
                           const WritePulse& pulse) {
  const uint64_t to_p = uint64_t(popcount64(bl & value)) + uint64_t(popcount64(blb & ~value));
  const uint64_t to_ap = uint64_t(popcount64(bl & ~value)) + uint64_t(popcount64(blb & value));
  pulses_to_parallel_ += to_p;
  pulses_to_antiparallel_ += to_ap;
  mtj_write_pulses_.add(to_p + to_ap);
  write_charge_fc_ += double(to_p + to_ap) * pulse.current_ua * pulse.duration_ns;
  const uint64_t switch_bl = (bl_[i] ^ value) & bl;
  bl_[i] = (bl_[i] & ~bl) | (value & bl);
  uint64_t switch_blb = 0;
  if (blb) {
    switch_blb = (blb_[i] ^ ~value) & blb;
    blb_[i] = (blb_[i] & ~blb) | (~value & blb);
  }
  if (params_.error_mode == MramErrorMode::ideal) return;
  const uint64_t on_bl = uint64_t(popcount64(switch_bl)), switching = on_bl + uint64_t(popcount64(switch_blb));
  ErrorCount& e = tally_[kWrite];
  e.opportunities += switching;
  e.probability = last_write_p_;
  write_errors_.for_each_event(switching, [&](uint64_t pos) {
    const uint32_t which = pos < on_bl ? 0 : 1;
    const uint64_t bit = which == 0 ? nth_set_bit(switch_bl, pos) : nth_set_bit(switch_blb, pos - on_bl);
    (which == 0 ? bl_[i] : blb_[i]) ^= bit;  // the MTJ stays in its previous state
    ++e.events;
    ++write_errors_since_log_;
    const uint32_t column = word * 64 + uint32_t(popcount64(bit - 1));
    if (write_log_) write_log_->push_back({row, column, which});
    if (log_.enabled(LogLevel::debug))
      log_.debug("write error at row " + std::to_string(row) + " column " + std::to_string(column) + ", MTJ " +
                 (which == 0 ? "BL" : "BLb"));
  });
}

// Write-verify: each round reads every selected MTJ of the word against a mid-point reference
// (one MTJ per branch and sense step: the differential read cannot tell a cell with one failed
// MTJ from a good one), then re-pulses the failed ones; it stops when all passed or after
// write_verify_iterations re-pulse rounds (the last round's read is the final check).
void MramArray::verify_word(size_t i, uint32_t row, uint32_t word, uint64_t value, uint64_t mask,
                            const WritePulse& pulse) {
  const bool two = mtjs_per_cell() == 2;
  const uint64_t mtjs = uint64_t(popcount64(mask)) * mtjs_per_cell();
  for (uint32_t round = 0;; ++round) {
    verify_mtj_reads_.add(mtjs);
    sa.count_verify_senses(mtjs);
    last_steps_.verify_steps += mtjs_per_cell() * sa.columns_per_sa();
    const uint64_t bad_bl = (bl_[i] ^ value) & mask, bad_blb = two ? (blb_[i] ^ ~value) & mask : 0;
    if ((bad_bl | bad_blb) == 0 || round == params_.write_verify_iterations) return;
    last_steps_.pulse_phases += ((bad_bl & value) | (bad_blb & ~value)) != 0 ? 1 : 0;  // a phase to P
    last_steps_.pulse_phases += ((bad_bl & ~value) | (bad_blb & value)) != 0 ? 1 : 0;  // a phase to AP
    ++verify_repulse_rounds_;
    pulse_mtjs(i, row, word, value, bad_bl, bad_blb, pulse);
  }
}

SensedRows MramArray::sense_rows(uint32_t first, uint32_t count, uint32_t words) {
  count_sense(count, words);
  const uint64_t row_bits = uint64_t(words) * 64, bits = row_bits * count;
  sa.count_senses(bits);
  const SensedRows stored{decoded_.data() + index(first, 0), words_per_row()};
  if (params_.error_mode == MramErrorMode::ideal) return stored;
  const uint64_t read_errors = tally_[kRead].events, disturbs = tally_[kDisturb].events;
  uint64_t flips = 0;
  // The stored rows are returned as they are unless an error touches this read: then they
  // are copied first, so that read errors stay out of the array and disturbs act after it.
  bool copied = false;
  const auto copy_once = [&] {
    if (copied) return;
    copied = true;
    scratch_.resize(size_t(count) * words);
    for (uint32_t r = 0; r < count; ++r)
      std::copy(stored.row(r), stored.row(r) + words, scratch_.begin() + size_t(r) * words);
  };
  const auto flip_sensed = [&](uint64_t pos) {  // bit `pos` of the block, row-major
    copy_once();
    scratch_[(pos / row_bits) * words + (pos % row_bits) / 64] ^= uint64_t(1) << (pos % 64);
  };
  if (params_.error_mode == MramErrorMode::per_inference) {
    for (uint32_t r = 0; r < count; ++r) {
      const uint64_t cell0 = uint64_t(first + r) * columns_;
      for (auto it = std::lower_bound(inference_flips_.begin(), inference_flips_.end(), cell0);
           it != inference_flips_.end() && *it < cell0 + row_bits; ++it, ++flips)
        flip_sensed(r * row_bits + (*it - cell0));
    }
  } else {
    // Opportunities of read errors and disturb follow from bits_sensed_ (collect_errors).
    read_errors_.for_each_event(bits, [&](uint64_t pos) {
      flip_sensed(pos);
      ++tally_[kRead].events;
    });
    const uint32_t mtjs = mtjs_per_cell();
    const uint64_t row_mtjs = row_bits * mtjs;
    disturbs_.for_each_event(bits * mtjs, [&](uint64_t pos) {
      copy_once();
      flip_mtj((uint64_t(first) + pos / row_mtjs) * columns_ * mtjs + pos % row_mtjs);
      ++tally_[kDisturb].events;
    });
  }
  if (copied && log_.enabled(LogLevel::debug))
    log_read(first, count, tally_[kRead].events - read_errors, tally_[kDisturb].events - disturbs, flips);
  return copied ? SensedRows{scratch_.data(), words} : stored;
}

void MramArray::log_read(uint32_t first, uint32_t count, uint64_t read_errors, uint64_t disturbs,
                         uint64_t flips) const {
  std::string text = "read rows " + std::to_string(first) + " to " + std::to_string(first + count - 1) + ":";
  if (params_.error_mode == MramErrorMode::per_inference) {
    text += " " + std::to_string(flips) + " weights flipped for this inference";
  } else {
    text += " " + std::to_string(read_errors) + " read errors, " + std::to_string(disturbs) + " disturbs";
  }
  log_.debug(text);
}

// Once per programming (before the inference that follows it): what was written and what it drew.
void MramArray::log_programming() {
  if (words_since_log_ == 0) return;
  if (log_.enabled(LogLevel::debug)) {
    char pulse[96];
    std::snprintf(pulse, sizeof pulse, "%g ns / %g uA pulses, MTJ write error rate %g", last_pulse_.duration_ns,
                  last_pulse_.current_ua, std::max(last_write_p_, 0.0));
    log_.debug("programmed " + std::to_string(words_since_log_) + " words with " + pulse + ": " +
               std::to_string(write_errors_since_log_) + " write errors drawn");
  }
  words_since_log_ = write_errors_since_log_ = 0;
}

uint64_t MramArray::peek(uint32_t row, uint32_t word) const { return decoded_[index(row, word)]; }

bool MramArray::mtj_parallel(uint32_t row, uint32_t column, uint32_t which) const {
  const auto& plane = which == 0 ? bl_ : blb_;
  return (plane[index(row, column / 64)] >> (column % 64)) & 1;
}

void MramArray::flip_mtj(uint64_t mtj_index) {
  const uint32_t mtjs = mtjs_per_cell();
  const uint64_t cell = mtj_index / mtjs;
  const size_t i = index(uint32_t(cell / columns_), uint32_t(cell % columns_) / 64);
  const uint64_t bit = uint64_t(1) << (cell % columns_ % 64);
  (mtj_index % mtjs == 0 ? bl_[i] : blb_[i]) ^= bit;
  settle_ties(i, bit);
  decoded_[i] = static_word(i);
}

void MramArray::queue_image_streams(uint64_t image, ReseedBatch& batch) {
  if (params_.error_mode == MramErrorMode::per_inference) {
    batch.add(flips_, image_stream_seed(flip_seed_, image));
  } else if (params_.error_mode == MramErrorMode::physical) {
    batch.add(read_errors_, image_stream_seed(read_seed_, image));
    batch.add(disturbs_, image_stream_seed(disturb_seed_, image));
    batch.add(retention_, image_stream_seed(retention_seed_, image));
  }
}

void MramArray::start_inference(const sc_core::sc_time& now, uint64_t image) {
  ++inferences_;
  log_programming();
  if (params_.error_mode == MramErrorMode::ideal) return;
  const uint64_t cells = uint64_t(rows_) * columns_;
  if (params_.error_mode == MramErrorMode::per_inference) {
    flips_.draw_events(cells, inference_flips_);
    ErrorCount& f = tally_[kInferenceFlip];
    f.events += inference_flips_.size();
    f.opportunities += cells;
    f.probability = params_.ber;
    return;
  }
  tie_coins_.seed(image_stream_seed(tie_seed_, image));
  const double dt_ns = (now - last_aged_).to_seconds() * 1e9;
  if (dt_ns <= 0) return;
  last_aged_ = now;
  const double p = thermal_flip_probability(params_.mtj, dt_ns, 0);
  retention_.set_probability(p);
  ErrorCount& r = tally_[kRetention];
  r.opportunities += cells * mtjs_per_cell();
  r.probability = p;
  retention_.for_each_event(cells * mtjs_per_cell(), [&](uint64_t pos) {
    flip_mtj(pos);
    ++r.events;
  });
}

void MramArray::collect_errors(ErrorTally& tally) const {
  ErrorCount sources[kSources];
  std::copy(std::begin(tally_), std::end(tally_), sources);
  if (params_.error_mode == MramErrorMode::physical) {
    sources[kRead].opportunities = bits_sensed_.total();
    sources[kRead].probability = p_read_;
    sources[kDisturb].opportunities = bits_sensed_.total() * mtjs_per_cell();
    sources[kDisturb].probability = p_disturb_;
  }
  add_error_counts(tally, sources, kSourceNames, kSources);
}

std::string MramArray::component_class() const {
  return params_.cell == CellType::two_t_two_r ? component_class::kMram2t2rArray : component_class::kMram1t1rArray;
}

// A 1T1R cell is one MTJ with its access transistor (accel.mram.mtj.area_f2); a 2T2R cell is two.
DeviceArea MramArray::cell_area() const {
  const bool two = params_.cell == CellType::two_t_two_r;
  char text[160];
  std::snprintf(text, sizeof text, "%u x accel.mram.mtj.area_f2 (%g F^2 per MTJ and access transistor) per %s cell",
                mtjs_per_cell(), params_.mtj.area_f2, two ? "2T2R" : "1T1R");
  return {mtjs_per_cell() * params_.mtj.area_f2, text};
}

// E = I_read^2 (R_P + R_AP) t_read: each PCSA branch carries the read current for the
// evaluation time; 2T2R: one MTJ in P, one in AP; 1T1R: the cell (R_P or R_AP, balanced
// weights on average) and its reference at (R_P + R_AP) / 2.
DeviceEnergy MramArray::read_current_energy() const {
  const MtjParams& m = params_.mtj;
  const double i_ua = params_.read_current_ua, r_ohm = m.r_p_ohm + m.r_ap_ohm(), t_ns = params_.read_pulse_ns;
  const double fj = i_ua * i_ua * r_ohm * t_ns * 1e-6;  // uA^2 x ohm x ns = 1e-21 J
  char text[320];
  std::snprintf(
      text, sizeof text,
      "I_read^2 (R_P + R_AP) t_read = (%g uA)^2 x (%g + %g) ohm x %g ns = %.4g fJ (accel.mram.read_current_ua, "
      "mtj.r_p_ohm, mtj.tmr, read_pulse_ns)",
      i_ua, m.r_p_ohm, m.r_ap_ohm(), t_ns, fj);
  return {fj, text};
}

void MramArray::collect_actions(ActionLedger& ledger) const {
  const std::string cls = component_class();
  const uint64_t bit_line_cells = uint64_t(rows_) * 2;  // both PCSA branches, the whole column
  const DeviceEnergy cell_current = read_current_energy();
  ledger.add(name(), cls, action::kRowRead, row_reads_.by_layer());
  ledger.add(name(), cls, action::kBitSensed, bits_sensed_.by_layer(), cell_current);
  ledger.add(name(), cls, action::kBitLineCell, bits_sensed_.by_layer(bit_line_cells));
  ledger.add(name(), cls, action::kWordWrite, word_writes_.by_layer());
  ledger.add(name(), cls, action::kMtjWritePulse, mtj_write_pulses_.by_layer());
  const uint64_t charge_fc = uint64_t(std::llround(write_charge_fc_));
  ledger.add(name(), cls, action::kMtjWriteCharge, charge_fc);
  ledger.add(name(), cls, action::kWritePumpCharge, charge_fc);
  ledger.add(name(), cls, action::kVerifyMtjRead, verify_mtj_reads_.by_layer(), cell_current);
  ledger.add(name(), cls, action::kVerifyBitLineCell, verify_mtj_reads_.by_layer(bit_line_cells));
}

}  // namespace scbnn
