// The HfO2 RRAM technology (issue 15, item 8): its programming-current law, its error
// statistics, its selection through accel.memory.technology, its pricing. Statistical
// checks use fixed seeds and a 5-sigma binomial tolerance |events - n p| <= 5 sqrt(n p (1 - p)) + 1
// (a false alarm is then ~1e-6).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "array_patterns.h"
#include "scbnn/models/mram_array.h"
#include "scbnn/models/rram_array.h"
#include "scbnn/platforms/memory_technology.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/power/catalogue.h"
#include "scbnn/tools/power_setup.h"
#include "scbnn/tools/report.h"
#include "test_support.h"

using namespace scbnn;

namespace {

void expect_binomial(uint64_t events, uint64_t n, double p, const std::string& what) {
  const double mean = double(n) * p, tolerance = 5 * std::sqrt(mean * (1 - p)) + 1;
  EXPECT_NEAR(double(events), mean, tolerance) << what << ": " << events << " events in " << n << " at p = " << p;
}

RramParams rram_params(CellType cell, RramErrorMode mode = RramErrorMode::physical, uint64_t seed = 7) {
  RramParams p;
  p.cell = cell;
  p.error_mode = mode;
  p.seed = seed;
  return p;
}

// Programs the whole array with a fixed pseudo-random pattern; returns the pattern.
std::vector<uint64_t> program_pattern(RramArray& a, const WritePulse& pulse, uint64_t salt = 0) {
  return test::program_random_pattern(a, pulse, 4321 + salt);
}

uint64_t wrong_weights(const RramArray& a, const std::vector<uint64_t>& pattern) {
  uint64_t wrong = 0;
  for (uint32_t r = 0; r < a.rows(); ++r)
    for (uint32_t w = 0; w < a.words_per_row(); ++w)
      wrong += uint64_t(__builtin_popcountll(a.peek(r, w) ^ pattern[size_t(r) * a.words_per_row() + w]));
  return wrong;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

// The law with the default device passes through the published correspondence it was
// calibrated on (Hirtzlin et al., AICAS 2019: BER 1e-4 and 4e-2 a factor 30 of programming
// energy apart; here at 100 uA and 100/30 uA), falls monotonically with the current, and
// rram_current_for_error inverts it.
TEST(RramLaw, PassesThroughThePublishedCorrespondenceAndInverts) {
  const RramDeviceParams d;
  EXPECT_NEAR(rram_law(d, CellType::two_t_two_r, 100).mean_error(), 1e-4, 0.01e-4);
  EXPECT_NEAR(rram_law(d, CellType::two_t_two_r, 100.0 / 30).mean_error(), 4e-2, 0.01 * 4e-2);
  double previous = 1;
  for (double i = 1; i <= 1000; i *= 1.25) {
    const double e = rram_law(d, CellType::two_t_two_r, i).mean_error();
    EXPECT_LT(e, previous) << i << " uA";
    previous = e;
  }
  for (double e : {1e-5, 1e-4, 1e-3, 1e-2, 4e-2, 1e-1}) {
    const double i = rram_current_for_error(d, CellType::two_t_two_r, e);
    EXPECT_NEAR(rram_law(d, CellType::two_t_two_r, i).mean_error(), e, 1e-6 * e) << e;
  }
  EXPECT_NEAR(
      rram_current_for_error(d, CellType::two_t_two_r, 1e-4) / rram_current_for_error(d, CellType::two_t_two_r, 4e-2),
      30, 0.5);
}

// The law's closed form: R_LRS = V_C / I_C, sigma_LRS = s (I_ref / I)^beta, and the 2T2R
// error Phi(-(ln R_HRS - ln R_LRS) / sqrt(sigma_LRS^2 + sigma_HRS^2)), by hand at 25 uA.
TEST(RramLaw, FollowsItsFormulaByHand) {
  RramDeviceParams d;
  d.lrs_vc_v = 0.5;
  d.lrs_sigma = 0.2;
  d.lrs_sigma_exponent = 0.5;
  d.sigma_reference_ua = 100;
  d.hrs_median_kohm = 200;
  d.hrs_sigma = 0.8;
  const RramLaw law = rram_law(d, CellType::two_t_two_r, 25);
  EXPECT_NEAR(law.lrs_median_ohm, 20000, 1e-9);
  EXPECT_NEAR(law.lrs_sigma, 0.4, 1e-12);
  const double expected = normal_cdf(-std::log(10.0) / std::sqrt(0.16 + 0.64));  // 7.02e-3
  EXPECT_NEAR(law.mean_error(), expected, 1e-12);
  EXPECT_NEAR(law.error_lrs, law.error_hrs, 0);
  EXPECT_EQ(law.reference_ohm, 0);
}

// Monte Carlo of the devices (fixed seed) against the law: programming errors (2T2R: the
// LRS device above the HRS device; 1T1R: either device on the wrong side of the reference)
// and read errors (per-read noise and offset moving a programmed cell across the decision).
TEST(RramLaw, ProgrammingAndReadErrorsMatchAMonteCarloOfTheDevices) {
  RramDeviceParams d;
  d.read_noise_sigma = 0.2;  // large enough for thousands of read errors in the sample
  d.sense_offset_sigma = 0.1;
  const double current = 10;
  std::mt19937_64 rng(99);
  std::normal_distribution<double> n01;
  const uint64_t n = 2'000'000;
  for (CellType cell : {CellType::two_t_two_r, CellType::one_t_one_r}) {
    const RramLaw law = rram_law(d, cell, current);
    const double mu_l = std::log(law.lrs_median_ohm), mu_h = std::log(law.hrs_median_ohm);
    const double r = std::log(law.reference_ohm);
    uint64_t wrong_lrs = 0, wrong_hrs = 0, read_flips = 0;
    for (uint64_t k = 0; k < n; ++k) {
      const double l = mu_l + law.lrs_sigma * n01(rng), h = mu_h + law.hrs_sigma * n01(rng);
      if (cell == CellType::two_t_two_r) {
        // The PCSA decides by the sign of the margin ln R_HRS - ln R_LRS, each device's
        // read noise and the amplifier's offset added at every read.
        const double margin = h - l;
        wrong_lrs += margin < 0;
        const double read = margin + d.read_noise_sigma * (n01(rng) - n01(rng)) + d.sense_offset_sigma * n01(rng);
        read_flips += (read < 0) != (margin < 0);
      } else {
        // Half the cells hold +1 (an LRS device), half -1 (an HRS device), against the reference.
        const bool plus = k % 2 == 0;
        const double margin = plus ? r - l : h - r;
        (plus ? wrong_lrs : wrong_hrs) += margin < 0;
        const double read = margin + d.read_noise_sigma * n01(rng) + d.sense_offset_sigma * n01(rng);
        read_flips += (read < 0) != (margin < 0);
      }
    }
    const std::string what = cell == CellType::two_t_two_r ? "2T2R" : "1T1R";
    if (cell == CellType::two_t_two_r) {
      expect_binomial(wrong_lrs, n, law.error_lrs, what + " programming");
    } else {
      expect_binomial(wrong_lrs, n / 2, law.error_lrs, what + " LRS programming");
      expect_binomial(wrong_hrs, n / 2, law.error_hrs, what + " HRS programming");
    }
    expect_binomial(read_flips, n, law.read_error, what + " read");
    EXPECT_GT(read_flips, 1000u) << what;
  }
}

// The differential cell is the reason for 2T2R (Bocquet et al., IEDM 2018; Hirtzlin et al.,
// Frontiers 2020): at any programming current it errs far less than one device against a
// reference, in programming and in reading.
TEST(RramLaw, TwoT2RErrsLessThanOneT1R) {
  const RramDeviceParams d;
  // At 100 uA: 1.0e-4 against Phi(-6.43 / (2 x 1.222)) = 4.3e-3 (equal spreads: the reference at the midpoint).
  EXPECT_NEAR(rram_law(d, CellType::one_t_one_r, 100).mean_error(), 4.28e-3, 0.02e-3);
  EXPECT_NEAR(rram_law(d, CellType::one_t_one_r, 100).reference_ohm,
              std::sqrt(rram_law(d, CellType::one_t_one_r, 100).lrs_median_ohm * 2.47e6), 1e-3 * 2e4);
  for (double i : {5.0, 20.0, 100.0}) {
    const RramLaw two = rram_law(d, CellType::two_t_two_r, i), one = rram_law(d, CellType::one_t_one_r, i);
    EXPECT_LT(2 * two.mean_error(), one.mean_error()) << i << " uA";
    EXPECT_LT(two.read_error, one.read_error) << i << " uA";
    EXPECT_GT(one.reference_ohm, one.lrs_median_ohm);
    EXPECT_LT(one.reference_ohm, one.hrs_median_ohm);
  }
  // Weak programming: more read errors too (the cells' margins shrink).
  EXPECT_GT(rram_law(d, CellType::two_t_two_r, 100.0 / 30).read_error,
            100 * rram_law(d, CellType::two_t_two_r, 100).read_error);
}

// Programming errors are drawn once per programming and kept: the realised rate follows
// the law at the pulse's current, the errors stay until rewritten, and rewriting draws anew.
TEST(RramArray, ProgrammingErrorsFollowTheLawAtTheCurrentAndStay) {
  for (CellType cell : {CellType::two_t_two_r, CellType::one_t_one_r}) {
    RramArray a(cell == CellType::two_t_two_r ? "rram_two" : "rram_one", 256, 1024, rram_params(cell));
    const WritePulse weak{10, 5};
    const RramLaw law = a.law(weak);
    const auto pattern = program_pattern(a, weak);
    ErrorTally tally;
    a.collect_errors(tally);
    const uint64_t cells = 256 * 1024;
    if (cell == CellType::two_t_two_r) {
      ASSERT_EQ(tally.count("write"), 1u);
      EXPECT_EQ(tally.at("write").opportunities, cells);
      expect_binomial(tally.at("write").events, cells, law.error_lrs, "2T2R write");
      EXPECT_EQ(wrong_weights(a, pattern), tally.at("write").events);
    } else {
      const ErrorCount &l = tally.at("write_lrs"), &h = tally.at("write_hrs");
      EXPECT_EQ(l.opportunities + h.opportunities, cells);
      expect_binomial(l.events, l.opportunities, law.error_lrs, "1T1R LRS write");
      expect_binomial(h.events, h.opportunities, law.error_hrs, "1T1R HRS write");
      EXPECT_EQ(wrong_weights(a, pattern), l.events + h.events);
    }
    // Kept: an inference's sensing does not change the array.
    const uint64_t wrong = wrong_weights(a, pattern);
    a.begin_inference(sc_core::SC_ZERO_TIME, 0);
    a.sense_rows(0, 256, 16);
    EXPECT_EQ(wrong_weights(a, pattern), wrong);
    // Strong programming rewrites every cell: far fewer errors, none left over.
    const auto strong = program_pattern(a, WritePulse{10, 1000}, 1);
    EXPECT_LT(wrong_weights(a, strong), wrong / 20);
  }
}

// Read errors are drawn per sensed bit and read, at the law's read error probability, and
// never reach the stored weights.
TEST(RramArray, ReadErrorsFollowTheLawPerReadAndStayOutOfTheArray) {
  RramArray a("rram_read", 64, 1024, rram_params(CellType::two_t_two_r));
  const WritePulse weak{10, 100.0 / 30};
  const auto pattern = program_pattern(a, weak);
  const uint64_t wrong = wrong_weights(a, pattern);
  uint64_t flips = 0, bits = 0;
  for (uint64_t image = 0; image < 40; ++image) {
    a.begin_inference(sc_core::SC_ZERO_TIME, image);
    const SensedRows s = a.sense_rows(0, 64, 16);
    for (uint32_t r = 0; r < 64; ++r)
      for (uint32_t w = 0; w < 16; ++w) flips += uint64_t(__builtin_popcountll(s.row(r)[w] ^ a.peek(r, w)));
    bits += 64 * 1024;
  }
  expect_binomial(flips, bits, a.law(weak).read_error, "read errors");
  ErrorTally tally;
  a.collect_errors(tally);
  EXPECT_EQ(tally.at("read").events, flips);
  EXPECT_EQ(tally.at("read").opportunities, bits);
  EXPECT_EQ(wrong_weights(a, pattern), wrong);
  // An image's read errors depend on the image index only, not on what was read before it.
  a.begin_inference(sc_core::SC_ZERO_TIME, 5);
  const SensedRows first = a.sense_rows(0, 64, 16);
  const std::vector<uint64_t> image5(first.data, first.data + 64 * 16);
  a.begin_inference(sc_core::SC_ZERO_TIME, 6);
  a.sense_rows(0, 64, 16);
  a.begin_inference(sc_core::SC_ZERO_TIME, 5);
  const SensedRows again = a.sense_rows(0, 64, 16);
  EXPECT_EQ(std::vector<uint64_t>(again.data, again.data + 64 * 16), image5);
}

// The programming energy follows the configured current: the counted SET and RESET charge
// is current x duration per device pulse (2T2R: one SET and one RESET per weight; 1T1R: one
// of them), so doubling the current doubles it; the priced energy is that charge at the
// preset's programming voltage.
TEST(RramArray, ProgrammingChargeFollowsTheCurrentAndDuration) {
  const auto charges = [](CellType cell, const char* name, const WritePulse& pulse) {
    RramArray a(name, 32, 128, rram_params(cell, RramErrorMode::ideal));
    a.program(0, 0, 0x00000000ffffffffull, ~uint64_t(0), pulse);  // 32 weights +1, 32 weights -1
    a.program(0, 1, 0xffull, 0xffull, pulse);                     // 8 weights +1
    ActionLedger ledger;
    a.collect_actions(ledger);
    std::map<std::string, uint64_t> c;
    for (const auto& e : ledger.entries()) c[e.action] += e.count;
    return c;
  };
  const auto two = charges(CellType::two_t_two_r, "two", {10, 50});
  EXPECT_EQ(two.at("device_pulse"), 2u * 72);
  EXPECT_EQ(two.at("set_charge"), 72u * 500);
  EXPECT_EQ(two.at("reset_charge"), 72u * 500);
  EXPECT_EQ(two.at("word_write"), 2u);
  const auto doubled = charges(CellType::two_t_two_r, "doubled", {10, 100});
  EXPECT_EQ(doubled.at("set_charge"), 2 * two.at("set_charge"));
  EXPECT_EQ(doubled.at("reset_charge"), 2 * two.at("reset_charge"));
  EXPECT_EQ(doubled.at("device_pulse"), two.at("device_pulse"));
  const auto longer = charges(CellType::two_t_two_r, "longer", {20, 50});
  EXPECT_EQ(longer.at("set_charge"), 2 * two.at("set_charge"));
  const auto one = charges(CellType::one_t_one_r, "one", {10, 50});
  EXPECT_EQ(one.at("device_pulse"), 72u);
  EXPECT_EQ(one.at("set_charge"), 40u * 500);
  EXPECT_EQ(one.at("reset_charge"), 32u * 500);
}

// accel.memory.technology=rram builds RRAM arrays through the registry: the platform runs
// (error-free here: the scores equal the reference), the arrays count under the RRAM
// classes, and the default preset prices the programming as V x I x t per device pulse plus
// the drivers, and the cells as 2 x accel.rram.area_f2 (RramArray.ProgrammingCharge... shows
// the charge doubling with the current).
TEST(RramTechnology, SelectedByConfigurationRunsAndIsPricedFromTheCurrent) {
  const auto names = memory_technology_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "rram"), names.end());
  const Network net = test::random_network({128, 64, 10}, 7, 8, 16);
  const Dataset data = test::random_dataset(3, 8, 16, 9);
  Config c;
  for (const char* o :
       {"accel.array.rows=32", "accel.array.columns=64", "accel.array.count=5", "accel.memory.technology=rram",
        "accel.rram.error_mode=ideal", "accel.mram.pulse_ns=10", "accel.mram.pulse_ua=50"})
    c.apply_override(o);
  const PlatformParams params = platform_params(c);
  EXPECT_EQ(params.memory_technology, "rram");
  Platform platform(params, net, data, 0, 3);
  const RunOutcome out = platform.run();
  const PowerReport power = price_outcome(technology_from(c), params, net, out);
  for (size_t i = 0; i < out.records.size(); ++i) {
    const auto reference = test::reference_inference(net, data.image(uint32_t(i)));
    ASSERT_EQ(out.records[i].scores.size(), reference.scores.size());
    for (size_t k = 0; k < reference.scores.size(); ++k)
      EXPECT_EQ(out.records[i].scores[k], reference.scores[k]) << "image " << i << " class " << k;
  }
  const uint64_t weights = 128 * 64 + 64 * 10;
  double set_pj = 0, reset_pj = 0, pulse_pj = 0, area = 0;
  for (const auto& a : power.actions) {
    if (a.component_class != "rram_2t2r_array") continue;
    if (a.action == "set_charge") set_pj += a.energy_pj;
    if (a.action == "reset_charge") reset_pj += a.energy_pj;
    if (a.action == "device_pulse") pulse_pj += a.energy_pj;
  }
  bool mram = false;
  for (const auto& h : power.hardware) {
    if (h.item.component_class == "rram_2t2r_array") area += h.area_um2;
    mram |= h.item.component_class.rfind("mram", 0) == 0;
  }
  EXPECT_FALSE(mram);
  // 50 uA x 10 ns = 500 fC per pulse at 2.0 V = 1 pJ; 80 fJ of driver per pulse.
  EXPECT_NEAR(set_pj, weights * 1.0, 1e-6);
  EXPECT_NEAR(reset_pj, weights * 1.0, 1e-6);
  EXPECT_NEAR(pulse_pj, 2.0 * weights * 0.08, 1e-6);
  // 5 arrays of 32 x 64 cells, 2 x 48 F^2 each at 28 nm.
  EXPECT_NEAR(area, 5.0 * 32 * 64 * 2 * 48 * 0.028 * 0.028, 1e-6);
}

// The report names the technology and what its law gives at the configured pulse.
TEST(RramTechnology, ReportGivesTheLawAtThePulse) {
  Config c;
  for (const char* o : {"accel.array.rows=32", "accel.array.columns=64", "accel.array.count=5",
                        "accel.memory.technology=rram", "accel.mram.pulse_ua=10"})
    c.apply_override(o);
  const PlatformParams params = platform_params(c);
  const auto& tech = memory_technology("rram");
  ASSERT_TRUE(tech.report);
  const Network net = test::random_network({128, 64, 10}, 7, 8, 16);
  const Dataset data = test::random_dataset(1, 8, 16, 9);
  Platform platform(params, net, data, 0, 1);
  platform.run();
  const auto j = tech.report(params, platform.accelerator());
  EXPECT_EQ(j["technology"], "rram");
  EXPECT_EQ(j["model"], "physical");
  EXPECT_NEAR(j["write_error_probability"].get<double>(),
              rram_law(params.rram.device, CellType::two_t_two_r, 10).mean_error(), 1e-15);
  ASSERT_TRUE(j.contains("programming_current_for_error"));
  for (const auto& p : j["programming_current_for_error"])
    EXPECT_NEAR(rram_law(params.rram.device, CellType::two_t_two_r, p["current_ua"].get<double>()).mean_error(),
                p["write_error_probability"].get<double>(), 1e-6 * p["write_error_probability"].get<double>());
}

// Per-inference flips are the technology-free published semantics: an RRAM array draws the
// same flips from the same stream (its name + ".inference_flip") as an ST-MRAM array of the
// same name, so the two technologies classify identically at the same accel.*.ber.
TEST(RramTechnology, PerInferenceFlipsEqualTheMramOnes) {
  const auto sensed = [](auto& array) {
    std::mt19937_64 rng(5);
    for (uint32_t r = 0; r < array.rows(); ++r)
      for (uint32_t w = 0; w < array.words_per_row(); ++w) array.program(r, w, rng(), ~uint64_t(0), WritePulse{});
    std::vector<uint64_t> all;
    for (uint64_t image = 0; image < 5; ++image) {
      array.begin_inference(sc_core::SC_ZERO_TIME, image);
      const SensedRows s = array.sense_rows(0, array.rows(), array.words_per_row());
      for (uint32_t r = 0; r < array.rows(); ++r) all.insert(all.end(), s.row(r), s.row(r) + array.words_per_row());
    }
    return all;
  };
  std::vector<uint64_t> mram, rram;
  {
    MramParams p;
    p.error_mode = MramErrorMode::per_inference;
    p.ber = 0.02;
    MramArray a("flip_array", 64, 256, p);
    mram = sensed(a);
  }
  {
    RramParams p = rram_params(CellType::two_t_two_r, RramErrorMode::per_inference, 1);
    p.ber = 0.02;
    RramArray a("flip_array", 64, 256, p);
    rram = sensed(a);
    ErrorTally tally;
    a.collect_errors(tally);
    expect_binomial(tally.at("inference_flip").events, 5 * 64 * 256, 0.02, "inference flips");
  }
  EXPECT_EQ(mram, rram);
}

// Every shipped preset prices the RRAM classes (the catalogue lists them once the
// technology is registered, and Power.ShippedPresetsPriceEveryCatalogueEntry checks every
// preset against every catalogue entry); the array's area comes from accel.rram.area_f2.
TEST(RramTechnology, CatalogueListsItsClassesWithTheirDeviceArea) {
  for (const char* cls : {"rram_2t2r_array", "rram_1t1r_array"}) {
    const ComponentClassSpec* spec = find_component_class(cls);
    ASSERT_TRUE(spec) << cls;
    EXPECT_EQ(spec->area_parameter, "accel.rram.area_f2");
    for (const char* action : {"row_read", "bit_sensed", "word_write", "device_pulse", "set_charge", "reset_charge"})
      EXPECT_TRUE(spec->action(action)) << cls << "." << action;
    EXPECT_EQ(spec->action("set_charge")->pricing, Pricing::per_charge);
  }
}
