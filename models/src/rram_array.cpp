#include "scbnn/models/rram_array.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "scbnn/models/bit_kernels.h"

namespace scbnn {
namespace {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// P(X > 0) for X ~ N(mu, sigma^2); a point mass at mu when sigma = 0.
double positive_probability(double mu, double sigma) {
  if (sigma <= 0) return mu > 0 ? 1.0 : (mu < 0 ? 0.0 : 0.5);
  return normal_cdf(mu / sigma);
}

// E[Phi(-|m| / s)] for m ~ N(mu, sigma^2): the probability that read noise of standard
// deviation s moves a cell of margin m across the decision threshold, averaged over the
// programmed cells. Simpson's rule in t = (m - mu) / sigma over [-12, 12], with steps
// fine enough for the kink at m = 0 (width s).
double mean_crossing_probability(double mu, double sigma, double s) {
  if (s <= 0) return 0;
  if (sigma <= 0) return normal_cdf(-std::fabs(mu) / s);
  const double lo = -12, hi = 12;
  const double step = std::min(0.01, s / sigma / 8);
  const int n = 2 * int(std::ceil((hi - lo) / step / 2));
  const double h = (hi - lo) / n;
  const auto f = [&](double t) {
    return std::exp(-0.5 * t * t) / std::sqrt(2 * 3.14159265358979323846) * normal_cdf(-std::fabs(mu + sigma * t) / s);
  };
  double sum = f(lo) + f(hi);
  for (int k = 1; k < n; ++k) sum += f(lo + k * h) * (k % 2 ? 4 : 2);
  return sum * h / 3;
}

// Bit of the n-th (0-based) set bit of `mask`.
uint64_t nth_set_bit(uint64_t mask, uint64_t n) {
  if (mask == ~uint64_t(0)) return uint64_t(1) << n;  // whole-word writes, the common case
  for (uint64_t i = 0; i < n; ++i) mask &= mask - 1;
  return mask & (~mask + 1);
}

std::string stream_name(const sc_core::sc_module& m, const char* source) { return std::string(m.name()) + source; }

}  // namespace

RramLaw rram_law(const RramDeviceParams& d, CellType cell, double current_ua) {
  RramLaw law;
  const double current = std::max(current_ua, 1e-9);
  law.lrs_median_ohm = d.lrs_vc_v / (current * 1e-6);
  law.lrs_sigma = d.lrs_sigma * std::pow(d.sigma_reference_ua / current, d.lrs_sigma_exponent);
  law.hrs_median_ohm = d.hrs_median_kohm * 1e3;
  law.hrs_sigma = d.hrs_sigma;
  const double mu_l = std::log(law.lrs_median_ohm), mu_h = std::log(law.hrs_median_ohm);
  const double s_l = law.lrs_sigma, s_h = law.hrs_sigma;
  if (cell == CellType::two_t_two_r) {
    // Margin m = ln R_HRS - ln R_LRS ~ N(mu_h - mu_l, s_l^2 + s_h^2); wrong when m < 0.
    // Read: both devices' noise and the amplifier's offset act on the margin.
    const double sigma = std::sqrt(s_l * s_l + s_h * s_h);
    law.error_lrs = law.error_hrs = 1 - positive_probability(mu_h - mu_l, sigma);
    const double rn = d.read_noise_sigma, off = d.sense_offset_sigma;
    law.read_error = mean_crossing_probability(mu_h - mu_l, sigma, std::sqrt(2 * rn * rn + off * off));
    return law;
  }
  // 1T1R: the reference r (in ln ohm) minimising the mean error, by golden-section search
  // between the medians (the mean error is unimodal there).
  const auto errors = [&](double r) {
    return std::make_pair(1 - positive_probability(r - mu_l, s_l), 1 - positive_probability(mu_h - r, s_h));
  };
  const auto mean_error = [&](double r) {
    const auto e = errors(r);
    return e.first + e.second;
  };
  double a = std::min(mu_l, mu_h), b = std::max(mu_l, mu_h);
  const double g = (std::sqrt(5.0) - 1) / 2;
  double c = b - g * (b - a), e = a + g * (b - a);
  for (int k = 0; k < 200 && b - a > 1e-12; ++k) {
    if (mean_error(c) < mean_error(e)) {
      b = e;
    } else {
      a = c;
    }
    c = b - g * (b - a);
    e = a + g * (b - a);
  }
  const double r = (a + b) / 2;
  law.reference_ohm = std::exp(r);
  std::tie(law.error_lrs, law.error_hrs) = errors(r);
  const double s = std::hypot(d.read_noise_sigma, d.sense_offset_sigma);
  law.read_error = 0.5 * (mean_crossing_probability(r - mu_l, s_l, s) + mean_crossing_probability(mu_h - r, s_h, s));
  return law;
}

double rram_current_for_error(const RramDeviceParams& d, CellType cell, double error) {
  double lo = std::log(1e-3), hi = std::log(1e6);  // the error falls as ln I grows
  for (int k = 0; k < 100; ++k) {
    const double mid = (lo + hi) / 2;
    if (rram_law(d, cell, std::exp(mid)).mean_error() > error) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return std::exp((lo + hi) / 2);
}

RramArray::RramArray(sc_core::sc_module_name name, uint32_t rows, uint32_t columns, const RramParams& p)
    : WeightArray(name, rows, columns),
      // The amplifiers' offset of the RRAM arrays is accel.rram.sense_offset_sigma (a resistance ratio).
      sa("sa", columns, p.columns_per_sa, 0),
      params_(p),
      write_lrs_(stream_seed(p.seed, stream_name(*this, p.cell == CellType::two_t_two_r ? ".write" : ".write_lrs")), 0),
      write_hrs_(stream_seed(p.seed, stream_name(*this, ".write_hrs")), 0),
      read_errors_(stream_seed(p.seed, stream_name(*this, ".read")), 0),
      flips_(stream_seed(p.seed, stream_name(*this, ".inference_flip")), 0),
      read_seed_(stream_seed(p.seed, stream_name(*this, ".read"))),
      flip_seed_(stream_seed(p.seed, stream_name(*this, ".inference_flip"))) {
  // Cells start holding weight -1 exactly (an assumption; the first programming writes every cell).
  if (p.error_mode == RramErrorMode::per_inference) flips_.set_probability(p.ber);
}

RramLaw RramArray::law(const WritePulse& pulse) const {
  if (params_.error_mode != RramErrorMode::physical) return {};
  RramLaw law = rram_law(params_.device, params_.cell, pulse.current_ua);
  if (params_.write_errors == RramWriteErrors::ber) law.error_lrs = law.error_hrs = params_.ber;
  return law;
}

void RramArray::set_pulse(const WritePulse& pulse) {
  if (pulse.duration_ns == last_pulse_.duration_ns && pulse.current_ua == last_pulse_.current_ua) return;
  last_pulse_ = pulse;
  if (params_.error_mode != RramErrorMode::physical) return;
  const RramLaw l = law(pulse);
  write_lrs_.set_probability(l.error_lrs);
  write_hrs_.set_probability(l.error_hrs);
  // The read error follows the distributions of the last programming (one pulse per network load).
  p_read_ = l.read_error;
  read_errors_.set_probability(p_read_);
  if (log_.enabled(LogLevel::debug)) {
    char text[200];
    std::snprintf(text, sizeof text,
                  "%g ns / %g uA programming: R_LRS %.3g ohm (sigma %.3g), error %.3g (LRS) / %.3g (HRS), read %.3g",
                  pulse.duration_ns, pulse.current_ua, l.lrs_median_ohm, l.lrs_sigma, l.error_lrs, l.error_hrs,
                  l.read_error);
    log_.debug(text);
  }
}

// Draws the programming errors of the cells in `cells` (bits of word i) from `stream`:
// each event inverts the weight the cell holds.
void RramArray::draw_errors(size_t i, uint64_t cells, BernoulliGaps& stream, int source) {
  const uint64_t n = uint64_t(popcount64(cells));
  ErrorCount& e = tally_[source];
  e.opportunities += n;
  e.probability = stream.probability();
  stream.for_each_event(n, [&](uint64_t pos) {
    cells_[i] ^= nth_set_bit(cells, pos);
    ++e.events;
  });
}

void RramArray::program(uint32_t row, uint32_t word, uint64_t value, uint64_t mask, const WritePulse& pulse) {
  count_program();
  set_pulse(pulse);
  const size_t i = index(row, word);
  cells_[i] = (cells_[i] & ~mask) | (value & mask);
  // 2T2R: every cell gets a SET (its LRS device) and a RESET (its HRS device); 1T1R: a SET
  // for weight +1, a RESET for -1. Each pulse drives the compliance current for the pulse's
  // duration (RESET at reset_current_ratio times it).
  const uint64_t plus = uint64_t(popcount64(mask & value)), minus = uint64_t(popcount64(mask & ~value));
  const bool two = params_.cell == CellType::two_t_two_r;
  const uint64_t sets = two ? plus + minus : plus, resets = two ? plus + minus : minus;
  device_pulses_.add(sets + resets);
  const double charge = pulse.current_ua * pulse.duration_ns;
  set_charge_fc_ += double(sets) * charge;
  reset_charge_fc_ += double(resets) * charge * params_.device.reset_current_ratio;
  if (params_.error_mode != RramErrorMode::physical) return;
  if (two) {
    draw_errors(i, mask, write_lrs_, kWrite);
  } else {
    draw_errors(i, mask & value, write_lrs_, kWriteLrs);
    draw_errors(i, mask & ~value, write_hrs_, kWriteHrs);
  }
}

SensedRows RramArray::sense_rows(uint32_t first, uint32_t count, uint32_t words) {
  count_sense(count, words);
  const uint64_t row_bits = uint64_t(words) * 64, bits = row_bits * count;
  sa.count_senses(bits);
  const SensedRows stored{cells_.data() + index(first, 0), words_per_row()};
  if (params_.error_mode == RramErrorMode::ideal) return stored;
  // The stored rows are returned as they are unless an error touches this read: then they
  // are copied first, so that read errors and inference flips stay out of the array.
  bool copied = false;
  const auto flip_sensed = [&](uint64_t pos) {  // bit `pos` of the block, row-major
    if (!copied) {
      copied = true;
      scratch_.resize(size_t(count) * words);
      for (uint32_t r = 0; r < count; ++r)
        std::copy(stored.row(r), stored.row(r) + words, scratch_.begin() + size_t(r) * words);
    }
    scratch_[(pos / row_bits) * words + (pos % row_bits) / 64] ^= uint64_t(1) << (pos % 64);
  };
  if (params_.error_mode == RramErrorMode::per_inference) {
    for (uint32_t r = 0; r < count; ++r) {
      const uint64_t cell0 = uint64_t(first + r) * columns_;
      for (auto it = std::lower_bound(inference_flips_.begin(), inference_flips_.end(), cell0);
           it != inference_flips_.end() && *it < cell0 + row_bits; ++it)
        flip_sensed(r * row_bits + (*it - cell0));
    }
  } else {
    // Opportunities of read errors follow from bits_sensed_ (collect_errors).
    read_errors_.for_each_event(bits, [&](uint64_t pos) {
      flip_sensed(pos);
      ++tally_[kRead].events;
    });
  }
  return copied ? SensedRows{scratch_.data(), words} : stored;
}

void RramArray::queue_image_streams(uint64_t image, ReseedBatch& batch) {
  if (params_.error_mode == RramErrorMode::per_inference)
    batch.add(flips_, image_stream_seed(flip_seed_, image));
  else if (params_.error_mode == RramErrorMode::physical)
    batch.add(read_errors_, image_stream_seed(read_seed_, image));
}

void RramArray::start_inference(const sc_core::sc_time&, uint64_t) {
  if (params_.error_mode == RramErrorMode::per_inference) {
    const uint64_t cells = uint64_t(rows_) * columns_;
    flips_.draw_events(cells, inference_flips_);
    ErrorCount& f = tally_[kInferenceFlip];
    f.events += inference_flips_.size();
    f.opportunities += cells;
    f.probability = params_.ber;
  }
}

void RramArray::collect_errors(ErrorTally& tally) const {
  ErrorCount sources[kSources];
  std::copy(std::begin(tally_), std::end(tally_), sources);
  if (params_.error_mode == RramErrorMode::physical) {
    sources[kRead].opportunities = bits_sensed_.total();
    sources[kRead].probability = p_read_;
  }
  add_error_counts(tally, sources, kSourceNames, kSources);
}

std::string RramArray::component_class() const {
  return params_.cell == CellType::two_t_two_r ? component_class::kRram2t2rArray : component_class::kRram1t1rArray;
}

// A device sits above its access transistor: a 1T1R cell is one accel.rram.area_f2, a 2T2R cell two.
DeviceArea RramArray::cell_area() const {
  char text[160];
  std::snprintf(text, sizeof text, "%u x accel.rram.area_f2 (%g F^2 per device and access transistor) per %s cell",
                devices_per_cell(), params_.device.area_f2, params_.cell == CellType::two_t_two_r ? "2T2R" : "1T1R");
  return {devices_per_cell() * params_.device.area_f2, text};
}

void RramArray::collect_actions(ActionLedger& ledger) const {
  WeightArray::collect_actions(ledger);
  const std::string cls = component_class();
  ledger.add(name(), cls, action::kDevicePulse, device_pulses_.by_layer());
  ledger.add(name(), cls, action::kSetCharge, uint64_t(std::llround(set_charge_fc_)));
  ledger.add(name(), cls, action::kResetCharge, uint64_t(std::llround(reset_charge_fc_)));
}

}  // namespace scbnn
