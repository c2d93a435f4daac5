#pragma once
#include <systemc>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "scbnn/base/params.h"
#include "scbnn/models/log.h"
#include "scbnn/models/mram_array.h"  // CellType and the precharge sense amplifiers, shared by both technologies
#include "scbnn/models/random_stream.h"
#include "scbnn/models/weight_array.h"

namespace scbnn {

enum class RramErrorMode { physical, per_inference, ideal };
inline constexpr std::array<EnumName<RramErrorMode>, 3> kRramErrorModeNames{
    {{RramErrorMode::physical, "physical"},
     {RramErrorMode::per_inference, "per_inference"},
     {RramErrorMode::ideal, "ideal"}}};
constexpr const auto& enum_names(RramErrorMode) { return kRramErrorModeNames; }

enum class RramWriteErrors { law, ber };
inline constexpr std::array<EnumName<RramWriteErrors>, 2> kRramWriteErrorsNames{
    {{RramWriteErrors::law, "law"}, {RramWriteErrors::ber, "ber"}}};
constexpr const auto& enum_names(RramWriteErrors) { return kRramWriteErrorsNames; }

// The HfO2 device's resistance distributions (keys accel.rram.*; docs/memory-model.md).
// Both states are log-normal. The LRS median follows the SET compliance current I_C as
// R_LRS = V_C / I_C, its log spread may grow at low current (lrs_sigma_exponent); the HRS
// does not depend on I_C. The spreads and the HRS median are calibrated (their sources).
struct RramDeviceParams {
  double lrs_vc_v = 0.4;
  double lrs_sigma = 1.222;
  double lrs_sigma_exponent = 0;
  double sigma_reference_ua = 100;
  double hrs_median_kohm = 2470;
  double hrs_sigma = 1.222;
  double read_noise_sigma = 0.05;
  double sense_offset_sigma = 0.05;
  double reset_current_ratio = 1;
  double area_f2 = 48;

  template <class V>
  void declare(V& v) {
    v("lrs_vc_v", lrs_vc_v, Range{1e-3, 100}, "V",
      "LRS median resistance times the SET compliance current: R_LRS = V_C / I_C",
      "Ielmini, Nardi & Cagli, IEEE TED 58(10) 2011 (set-state resistance inversely proportional to the compliance "
      "current, universal over metal oxides); assumption: V_C = 0.4 V within its range");
    v("lrs_sigma", lrs_sigma, Range{0, 10}, "ln(ohm)",
      "standard deviation of ln R_LRS at accel.rram.sigma_reference_ua (device-to-device and cycle-to-cycle)",
      "calibrated with hrs_median_kohm (same source); assumption: the LRS spread equals the HRS spread, which "
      "also gives the published 2T2R advantage over 1T1R (Hirtzlin et al., Frontiers 2020): 1e-4 against 4e-3");
    v("lrs_sigma_exponent", lrs_sigma_exponent, Range{0, 4}, "",
      "LRS spread law: sigma_LRS(I) = lrs_sigma x (sigma_reference_ua / I)^exponent",
      "assumption: 0, forced by the calibration (a spread growing at low current, as Ambrogio et al., IEEE TED "
      "61(8) 2014 measured in HfOx, cannot meet both published error rates with equal spreads)");
    v("sigma_reference_ua", sigma_reference_ua, Range{1e-3, 1e6}, "uA", "current at which lrs_sigma is given",
      "assumption: the strong programming condition (the PROG_CURRENT_NA reset value)");
    v("hrs_median_kohm", hrs_median_kohm, Range{1e-3, 1e9}, "kohm", "HRS median resistance",
      "calibrated: with the other defaults, the 2T2R law gives BER 1e-4 at 100 uA and 4e-2 at 100/30 uA, the "
      "published correspondence of those error rates to a /30 programming energy (Hirtzlin et al., AICAS 2019, "
      "measured HfO2 2T2R arrays); assumption: the strong condition at 100 uA; not a measured median");
    v("hrs_sigma", hrs_sigma, Range{0, 10}, "ln(ohm)", "standard deviation of ln R_HRS",
      "calibrated with hrs_median_kohm and lrs_sigma (same source)");
    v("read_noise_sigma", read_noise_sigma, Range{0, 10}, "ln(ohm)",
      "read-to-read fluctuation of a device's resistance (random telegraph noise), drawn per read and device",
      "assumption: a few % (Ambrogio et al., IEEE TED 61(8) 2014, part II: RTN in HfOx)");
    v("sense_offset_sigma", sense_offset_sigma, Range{0, 10}, "ln(ohm)",
      "precharge sense amplifier offset as an equivalent resistance ratio, drawn per read",
      "assumption: a 5 % PCSA mismatch");
    v("reset_current_ratio", reset_current_ratio, Range{0, 100}, "",
      "RESET current over the SET compliance current (prices the RESET pulse's charge)",
      "Ielmini, Nardi & Cagli, IEEE TED 58(10) 2011 (universal reset: I_reset ~ I_C)");
    v("area_f2", area_f2, Range{1, 10000}, "F^2",
      "area of one 1T1R device (RRAM in the back end above its access transistor); a 2T2R cell is two",
      "NeuroSim (neurosim/NeuroSim, NeuroSIM/Param.cpp): 1T1R cell 4 F x 12 F = 48 F^2");
  }
};

// The HfO2 RRAM weight arrays, declared under accel.rram.*.
struct RramParams {
  RramErrorMode error_mode = RramErrorMode::physical;
  CellType cell = CellType::two_t_two_r;
  RramWriteErrors write_errors = RramWriteErrors::law;
  double ber = 0;
  RramDeviceParams device;
  uint32_t columns_per_sa = 1;  // accel.sa.columns_per_sa (declared with the sense amplifiers)
  uint64_t seed = 1;            // master seed; each error source derives its own stream

  template <class V>
  void declare(V& v) {
    v("rram.error_mode", error_mode,
      "physical: programming errors drawn from the resistance distributions at the programming current and "
      "kept until rewritten, read errors drawn per read; per_inference: each weight's sign flips with "
      "accel.rram.ber, redrawn every inference; ideal: no errors",
      "Hirtzlin et al., AICAS 2019 (per-inference flips are how its curves were computed)");
    v("rram.cell", cell,
      "bit cell: two complementary devices (one LRS, one HRS) compared by the sense amplifier, or one device "
      "against a reference",
      "Bocquet et al., IEDM 2018; Hirtzlin et al., Frontiers 2020 (2T2R with PCSA, 130 nm HfO2)");
    v("rram.write_errors", write_errors,
      "where the programming error rate comes from: the resistance-distribution law at the programming "
      "current (PROG_CURRENT_NA), or accel.rram.ber directly",
      "simulation setting");
    v("rram.ber", ber, Range{0, 1}, "probability",
      "write_errors = ber: weight programming error rate; error_mode = per_inference: weight sign-flip rate",
      "simulation setting");
    v.group("rram", device);
  }
};

// The error and energy laws of the device, for a SET compliance current `current_ua`.
struct RramLaw {
  double lrs_median_ohm = 0, lrs_sigma = 0, hrs_median_ohm = 0, hrs_sigma = 0;
  // Programming error per weight: 2T2R both equal P(ln R_LRS > ln R_HRS); 1T1R: an LRS
  // device above the reference (lrs) or an HRS device below it (hrs).
  double error_lrs = 0, error_hrs = 0;
  double reference_ohm = 0;  // 1T1R: the reference minimising the mean error (0 for 2T2R)
  double read_error = 0;     // per sensed bit and read, averaged over the programmed cells
  double mean_error() const { return 0.5 * (error_lrs + error_hrs); }
};
RramLaw rram_law(const RramDeviceParams& device, CellType cell, double current_ua);
// The current at which the mean programming error equals `error` (bisection in ln I over
// [1e-3, 1e6] uA; the law falls monotonically with the current).
double rram_current_for_error(const RramDeviceParams& device, CellType cell, double error);

// An HfO2 RRAM weight array (2T2R or 1T1R cells) with its error sources:
//  - programming: every programmed cell draws its devices' resistances (SET of the LRS
//    device at the pulse's compliance current, RESET of the HRS device); a weight whose
//    devices end on the wrong side of each other (2T2R) or of the reference (1T1R) reads
//    inverted until rewritten. Only the outcome is kept, one bit per cell;
//  - read: a sensed bit flips with the read error probability (device read noise and
//    sense-amplifier offset against the margin of the programmed cells), drawn per read.
// In per_inference mode every weight's sign flips with probability `ber`, redrawn at each
// inference, with the same streams (array name + ".inference_flip") and draws as the
// ST-MRAM arrays. Every draw of an inference comes from a stream reseeded for that image.
// Counted: programming pulses per device and the charge of SET and RESET pulses (current
// x duration, fC), priced at the preset's programming voltages.
class RramArray : public WeightArray {
 public:
  RramArray(sc_core::sc_module_name name, uint32_t rows, uint32_t columns, const RramParams& params);

  void program(uint32_t row, uint32_t word, uint64_t value, uint64_t mask, const WritePulse& pulse) override;
  SensedRows sense_rows(uint32_t first, uint32_t count, uint32_t words) override;
  void queue_image_streams(uint64_t image, ReseedBatch& batch) override;
  void start_inference(const sc_core::sc_time& now, uint64_t image) override;
  uint32_t sense_steps() const override { return sa.columns_per_sa(); }
  void collect_errors(ErrorTally& tally) const override;
  std::string component_class() const override;
  DeviceArea cell_area() const override;
  void collect_actions(ActionLedger& ledger) const override;

  const RramParams& params() const { return params_; }
  uint32_t devices_per_cell() const { return params_.cell == CellType::two_t_two_r ? 2 : 1; }
  // The law at `pulse`'s current (all zero probabilities in ideal and per_inference modes;
  // the `ber` rate for both states with write_errors = ber).
  RramLaw law(const WritePulse& pulse) const;

  PrechargeSenseAmplifiers sa;

 private:
  size_t index(uint32_t row, uint32_t word) const { return size_t(row) * words_per_row() + word; }
  void set_pulse(const WritePulse& pulse);
  void draw_errors(size_t i, uint64_t cells, BernoulliGaps& stream, int source);

  RramParams params_;
  std::vector<uint64_t> scratch_;          // a sensed block that an error touched
  std::vector<uint64_t> inference_flips_;  // sorted cell indices flipped in this inference
  BernoulliGaps write_lrs_, write_hrs_, read_errors_, flips_;
  uint64_t read_seed_, flip_seed_;
  double p_read_ = 0;
  WritePulse last_pulse_{-1, -1};
  // Per-source tallies in fixed slots: the sense path must not look names up.
  enum Source { kWrite, kWriteLrs, kWriteHrs, kRead, kInferenceFlip, kSources };
  static constexpr const char* kSourceNames[kSources] = {"write", "write_lrs", "write_hrs", "read", "inference_flip"};
  ErrorCount tally_[kSources];
  LayerCounter device_pulses_;
  double set_charge_fc_ = 0, reset_charge_fc_ = 0;  // sum of current x duration (uA x ns = fC)
  Logger log_{*this, "scbnn/rram"};
};

}  // namespace scbnn
