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

// Bit of the n-th (0-based) set bit of `mask`.
uint64_t nth_set_bit(uint64_t mask, uint64_t n) {
  if (mask == ~uint64_t(0)) return uint64_t(1) << n;  // whole-word writes, the common case
  for (uint64_t i = 0; i < n; ++i) mask &= mask - 1;
  return mask & (~mask + 1);
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

void MramArray::program(uint32_t row, uint32_t word, uint64_t value, uint64_t mask, const WritePulse& pulse) {
  count_program();
  ++words_since_log_;
  if (pulse.duration_ns != last_pulse_.duration_ns || pulse.current_ua != last_pulse_.current_ua) {
    last_pulse_ = pulse;
    const double p = write_error_probability(pulse);
    if (p != last_write_p_) write_errors_.set_probability(last_write_p_ = p);
  }
  const size_t i = index(row, word);
  const uint32_t mtjs = mtjs_per_cell();
  bl_[i] = (bl_[i] & ~mask) | (value & mask);
  if (mtjs == 2) blb_[i] = (blb_[i] & ~mask) | (~value & mask);
  const uint64_t writes = uint64_t(popcount64(mask)) * mtjs;
  mtj_write_pulses_.add(writes);
  write_charge_fc_ += double(writes) * pulse.current_ua * pulse.duration_ns;
  if (params_.error_mode == MramErrorMode::ideal) {
    decoded_[i] = static_word(i);
    return;
  }
  ErrorCount& e = tally_[kWrite];
  e.opportunities += writes;
  e.probability = last_write_p_;
  write_errors_.for_each_event(writes, [&](uint64_t pos) {
    const uint64_t bit = nth_set_bit(mask, pos / mtjs);
    (pos % mtjs == 0 ? bl_[i] : blb_[i]) ^= bit;  // the MTJ stays in the wrong state
    ++e.events;
    ++write_errors_since_log_;
    const uint32_t column = word * 64 + uint32_t(popcount64(bit - 1));
    if (write_log_) write_log_->push_back({row, column, uint32_t(pos % mtjs)});
    if (log_.enabled(LogLevel::debug))
      log_.debug("write error at row " + std::to_string(row) + " column " + std::to_string(column) + ", MTJ " +
                 (pos % mtjs == 0 ? "BL" : "BLb"));
  });
  settle_ties(i, mask);
  decoded_[i] = static_word(i);
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

void MramArray::begin_inference(const sc_core::sc_time& now, uint64_t image) {
  ++inferences_;
  log_programming();
  if (params_.error_mode == MramErrorMode::ideal) return;
  const uint64_t cells = uint64_t(rows_) * columns_;
  if (params_.error_mode == MramErrorMode::per_inference) {
    flips_.reseed(image_stream_seed(flip_seed_, image));
    inference_flips_.clear();
    flips_.for_each_event(cells, [&](uint64_t pos) { inference_flips_.push_back(pos); });
    ErrorCount& f = tally_[kInferenceFlip];
    f.events += inference_flips_.size();
    f.opportunities += cells;
    f.probability = params_.ber;
    return;
  }
  read_errors_.reseed(image_stream_seed(read_seed_, image));
  disturbs_.reseed(image_stream_seed(disturb_seed_, image));
  tie_coins_.seed(image_stream_seed(tie_seed_, image));
  retention_.reseed(image_stream_seed(retention_seed_, image));
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
  for (int s = 0; s < kSources; ++s) {
    const ErrorCount& e = sources[s];
    if (e.opportunities == 0) continue;
    ErrorCount& t = tally[kSourceNames[s]];
    t.events += e.events;
    t.opportunities += e.opportunities;
    t.probability = e.probability;
  }
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

void MramArray::collect_actions(ActionLedger& ledger) const {
  WeightArray::collect_actions(ledger);
  ledger.add(name(), component_class(), action::kMtjWritePulse, mtj_write_pulses_.by_layer());
  ledger.add(name(), component_class(), action::kMtjWriteCharge, uint64_t(std::llround(write_charge_fc_)));
}

}  // namespace scbnn
