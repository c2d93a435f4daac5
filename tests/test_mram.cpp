// The ST-MRAM error models. Statistical checks use fixed seeds and a 5-sigma binomial
// tolerance: |events - n p| <= 5 sqrt(n p (1 - p)) + 1 (a false alarm is then ~1e-6).
#include <gtest/gtest.h>

#include <cmath>

#include "array_patterns.h"
#include "scbnn/models/mram_array.h"
#include "scbnn/models/random_stream.h"

#include <map>
#include <random>
#include <set>
#include <tuple>

using namespace scbnn;

namespace {

void expect_binomial(uint64_t events, uint64_t n, double p, const std::string& what) {
  const double mean = double(n) * p, tolerance = 5 * std::sqrt(mean * (1 - p)) + 1;
  EXPECT_NEAR(double(events), mean, tolerance) << what << ": " << events << " events in " << n << " at p = " << p;
}

MramParams params_with(CellType cell, WriteErrorSource source, double ber, uint64_t seed = 7) {
  MramParams p;
  p.cell = cell;
  p.write_errors = source;
  p.ber = ber;
  p.seed = seed;
  return p;
}

// Programs the whole array with a fixed pseudo-random pattern; returns the pattern.
std::vector<uint64_t> program_pattern(MramArray& a, const WritePulse& pulse, uint64_t salt = 0) {
  return test::program_random_pattern(a, pulse, 1234 + salt);
}

}  // namespace

TEST(BernoulliGaps, EventCountsFollowTheBinomialLaw) {
  const uint64_t n = 20'000'000;
  for (double p : {1e-5, 1e-4, 1e-3, 1e-2, 1e-1}) {
    BernoulliGaps gaps(stream_seed(3, "test.gaps"), p);
    expect_binomial(gaps.count_events(n), n, p, "gaps");
  }
  BernoulliGaps never(1, 0), always(1, 1);
  EXPECT_EQ(never.count_events(1000), 0u);
  EXPECT_EQ(always.count_events(1000), 1000u);
  BernoulliGaps tiny(1, 1e-30);  // where std::geometric_distribution breaks down
  EXPECT_EQ(tiny.count_events(uint64_t(1) << 62), 0u);
}

TEST(BernoulliGaps, SplittingTheSequenceChangesNothing) {
  BernoulliGaps whole(11, 0.01), split(11, 0.01);
  std::vector<uint64_t> a, b;
  whole.for_each_event(100000, [&](uint64_t i) { a.push_back(i); });
  uint64_t base = 0;
  for (uint64_t chunk : {1u, 63u, 64u, 1000u, 7u, 98865u}) {
    split.for_each_event(chunk, [&](uint64_t i) { b.push_back(base + i); });
    base += chunk;
  }
  ASSERT_EQ(base, 100000u);
  EXPECT_EQ(a, b);
}

TEST(BernoulliGaps, StreamsDependOnSeedAndName) {
  EXPECT_EQ(stream_seed(1, "accel.core.array_0.write"), stream_seed(1, "accel.core.array_0.write"));
  EXPECT_NE(stream_seed(1, "accel.core.array_0.write"), stream_seed(2, "accel.core.array_0.write"));
  EXPECT_NE(stream_seed(1, "accel.core.array_0.write"), stream_seed(1, "accel.core.array_1.write"));
}

TEST(MtjPhysics, PrecessionalWerTextbookValues) {
  MtjParams m;  // Delta 60, Ic0 50 uA, tau_D 1 ns
  // x = (pi^2 * 60 / 4) * exp(-2 * (100/50 - 1) * 10 / 1) = 148.044 * 2.0612e-9 = 3.0515e-7
  EXPECT_NEAR(precessional_wer(m, 10, 100), 3.0515e-7, 1e-10);
  // log(WER) falls linearly with t at fixed current: slope -2 (I/Ic0 - 1) / tau_D per ns.
  const double slope = std::log(precessional_wer(m, 12, 100)) - std::log(precessional_wer(m, 11, 100));
  EXPECT_NEAR(slope, -2.0, 1e-3);
  EXPECT_NEAR(precessional_wer(m, 1e-9, 100), 1.0, 1e-12);  // no time: certain failure
  EXPECT_EQ(precessional_wer(m, 10, 50), 1.0);              // at Ic0: no precessional switching
  // Thermal activation: P = 1 - exp(-t / (tau0 exp(Delta (1 - I/Ic0)))).
  MtjParams weak = m;
  weak.delta = 20;
  EXPECT_NEAR(thermal_flip_probability(weak, 1e6, 0), -std::expm1(-1e6 / std::exp(20.0)), 1e-15);
  EXPECT_NEAR(thermal_flip_probability(m, 2, 10), 2 / std::exp(60 * 0.8), 1e-30);
}

TEST(MtjPhysics, WerTableInterpolatesLogLinearly) {
  const WerTable t({{4, 1e-2}, {8, 1e-6}});
  EXPECT_NEAR(t.wer_at(6), 1e-4, 1e-10);
  EXPECT_DOUBLE_EQ(t.wer_at(2), 1e-2);  // clamped at the ends
  EXPECT_DOUBLE_EQ(t.wer_at(9), 1e-6);
}

namespace {

// Set bits of a pattern: the 1T1R MTJs a first programming has to switch (cells start at -1).
uint64_t ones(const std::vector<uint64_t>& pattern) {
  uint64_t n = 0;
  for (uint64_t w : pattern) n += uint64_t(__builtin_popcountll(w));
  return n;
}

}  // namespace

TEST(MramArray, WriteErrorsFollowTheConfiguredRateAndStay) {
  for (double ber : {1e-4, 1e-3, 1e-2, 1e-1}) {
    const std::string name = "w1t1r_" + std::to_string(int(-std::log10(ber)));
    MramArray a(name.c_str(), 256, 256, params_with(CellType::one_t_one_r, WriteErrorSource::ber, ber));
    const auto pattern = program_pattern(a, WritePulse{});
    uint64_t wrong = 0, wrong_at_minus_one = 0;
    for (uint32_t r = 0; r < a.rows(); ++r)
      for (uint32_t w = 0; w < a.words_per_row(); ++w) {
        const uint64_t want = pattern[size_t(r) * a.words_per_row() + w], diff = a.peek(r, w) ^ want;
        wrong += uint64_t(__builtin_popcountll(diff));
        wrong_at_minus_one += uint64_t(__builtin_popcountll(diff & ~want));
      }
    ErrorTally tally;
    a.collect_errors(tally);
    EXPECT_EQ(tally["write"].events, wrong) << "the stored pattern differs exactly where errors were drawn";
    // Only the MTJs that had to switch (weights +1 over the initial -1) could fail.
    EXPECT_EQ(tally["write"].opportunities, ones(pattern));
    EXPECT_EQ(wrong_at_minus_one, 0u);
    expect_binomial(wrong, ones(pattern), ber, "1T1R write errors");
    // Kept until rewritten: reading does not change them (read and disturb rates are ~1e-21 here).
    const uint64_t before = a.peek(17, 2);
    for (int i = 0; i < 10; ++i) a.sense(17, 4);
    EXPECT_EQ(a.peek(17, 2), before);
  }
}

TEST(MramArray, RareWriteErrorsOverALargeArray) {
  MramArray a("w_rare", 1024, 1024, params_with(CellType::one_t_one_r, WriteErrorSource::ber, 1e-5));
  for (int i = 0; i < 10; ++i) program_pattern(a, WritePulse{}, uint64_t(i));
  ErrorTally tally;
  a.collect_errors(tally);
  // Each new random pattern switches about half of the MTJs.
  const double writes = 10.0 * 1024 * 1024;
  EXPECT_NEAR(double(tally["write"].opportunities), writes / 2, 5 * std::sqrt(writes / 4));
  expect_binomial(tally["write"].events, tally["write"].opportunities, 1e-5, "1e-5 write errors");
}

// Random weights over the initial all -1 state: only the +1 cells' MTJs switch (both of a
// 2T2R cell, the one of a 1T1R cell). Each fails with w; in a 2T2R cell one failure leaves
// equal branches (SA coin, wrong half the time), two invert the weight: P(weight wrong) =
// 2 w (1 - w) / 2 + w^2 = w for a +1 cell, 0 for a -1 cell, about w / 2 over random weights
// (the model that failed every MTJ written gave w).
TEST(MramArray, PhysicalWeightErrorRateIsTheBerTimesTheShareOfCellsThatSwitch) {
  const double w = 0.05;
  for (CellType cell : {CellType::two_t_two_r, CellType::one_t_one_r}) {
    const std::string name = std::string("wrate_") + enum_name(cell);
    MramArray a(name.c_str(), 512, 512, params_with(cell, WriteErrorSource::ber, w));
    const auto pattern = program_pattern(a, WritePulse{});
    uint64_t wrong_plus = 0, wrong_minus = 0, equal = 0;
    for (uint32_t r = 0; r < a.rows(); ++r)
      for (uint32_t c = 0; c < a.columns(); ++c) {
        const bool want = (pattern[size_t(r) * a.words_per_row() + c / 64] >> (c % 64)) & 1;
        const bool got = (a.peek(r, c / 64) >> (c % 64)) & 1;
        (want ? wrong_plus : wrong_minus) += want != got;
        if (cell == CellType::two_t_two_r) equal += a.mtj_parallel(r, c, 0) == a.mtj_parallel(r, c, 1);
      }
    const uint64_t plus = ones(pattern), cells = 512 * 512;
    EXPECT_EQ(wrong_minus, 0u) << name << ": a -1 cell was already in its state";
    expect_binomial(wrong_plus, plus, w, name + " +1 weights read wrong");
    expect_binomial(wrong_plus, cells, w * double(plus) / double(cells), name + " weights read wrong");
    EXPECT_NEAR(double(plus) / double(cells), 0.5, 0.01);
    ErrorTally tally;
    a.collect_errors(tally);
    EXPECT_EQ(tally["write"].opportunities, plus * a.mtjs_per_cell());
    if (cell == CellType::two_t_two_r) expect_binomial(equal, plus, 2 * w * (1 - w), "cells with equal branches");
  }
}

// The previous state matters: programming what a cell holds switches nothing and cannot
// fail; rewriting a pattern switches (and can fail) only the MTJs the last write left wrong.
TEST(MramArray, OnlyMtjsThatMustSwitchCanFail) {
  MramArray a("switch_only", 64, 128, params_with(CellType::two_t_two_r, WriteErrorSource::ber, 0.3));
  for (uint32_t r = 0; r < 64; ++r)
    for (uint32_t w = 0; w < 2; ++w) a.program(r, w, 0, ~uint64_t(0), WritePulse{});  // all -1: as reset
  ErrorTally tally;
  a.collect_errors(tally);
  EXPECT_EQ(tally["write"].opportunities, 0u);
  EXPECT_EQ(tally["write"].events, 0u);
  EXPECT_EQ(a.pulses_to_parallel() + a.pulses_to_antiparallel(), 64u * 128 * 2) << "every MTJ is pulsed";
  const auto pattern = program_pattern(a, WritePulse{});
  const auto wrong_mtjs = [&] {
    uint64_t n = 0;
    for (uint32_t r = 0; r < 64; ++r)
      for (uint32_t c = 0; c < 128; ++c) {
        const bool want = (pattern[r * 2 + c / 64] >> (c % 64)) & 1;
        n += (a.mtj_parallel(r, c, 0) != want) + (a.mtj_parallel(r, c, 1) != !want);
      }
    return n;
  };
  ErrorTally first;
  a.collect_errors(first);
  EXPECT_EQ(first["write"].opportunities, 2 * ones(pattern));
  const uint64_t left_wrong = wrong_mtjs();
  EXPECT_EQ(left_wrong, first["write"].events);
  EXPECT_GT(left_wrong, 0u);
  for (uint32_t r = 0; r < 64; ++r)
    for (uint32_t w = 0; w < 2; ++w) a.program(r, w, pattern[r * 2 + w], ~uint64_t(0), WritePulse{});
  ErrorTally second;
  a.collect_errors(second);
  EXPECT_EQ(second["write"].opportunities - first["write"].opportunities, left_wrong);
  EXPECT_EQ(wrong_mtjs(), second["write"].events - first["write"].events);
}

// A word is programmed in two pulse phases of opposite polarity: the MTJs going to P, then
// those going to AP; every selected MTJ gets one pulse (current x duration of charge).
TEST(MramArray, AWordIsProgrammedInTwoPulsePhasesOfOppositePolarity) {
  MramArray two("phases_2t2r", 8, 64, params_with(CellType::two_t_two_r, WriteErrorSource::ber, 0));
  MramArray one("phases_1t1r", 8, 64, params_with(CellType::one_t_one_r, WriteErrorSource::ber, 0));
  const uint64_t value = 0x00000000FFFF000Full;  // 20 weights +1, 44 weights -1
  for (MramArray* a : {&two, &one}) {
    EXPECT_EQ(a->pulse_phases_per_word(), 2u);
    a->program(3, 0, value, ~uint64_t(0), WritePulse{10, 100});
    EXPECT_EQ(a->last_program_steps().pulse_phases, 2u);
    EXPECT_EQ(a->last_program_steps().verify_steps, 0u);
  }
  // 2T2R: each cell has one MTJ of each polarity (BL P for +1, BLb P for -1).
  EXPECT_EQ(two.pulses_to_parallel(), 64u);
  EXPECT_EQ(two.pulses_to_antiparallel(), 64u);
  // 1T1R: the +1 cells go to P, the -1 cells to AP.
  EXPECT_EQ(one.pulses_to_parallel(), 20u);
  EXPECT_EQ(one.pulses_to_antiparallel(), 44u);
  std::map<std::string, uint64_t> counts;
  ActionLedger ledger;
  two.collect_actions(ledger);
  for (const auto& e : ledger.entries()) counts[e.action] += e.count;
  EXPECT_EQ(counts["mtj_write_pulse"], 128u);
  EXPECT_EQ(counts["mtj_write_charge"], 128u * 1000);  // 100 uA x 10 ns = 1000 fC per pulse
  EXPECT_EQ(counts["write_pump_charge"], 128u * 1000);
}

// Write-verify: every MTJ is read back against a reference and the failed ones re-pulsed, up
// to n rounds: an MTJ that has to switch is left wrong with probability WER^(n + 1), and the
// re-pulses number about N (WER + ... + WER^n) for N switching MTJs.
TEST(MramArray, WriteVerifyLeavesWerToTheRoundsPlusOne) {
  const double w = 0.1;
  for (uint32_t rounds : {0u, 1u, 2u}) {
    MramParams p = params_with(CellType::two_t_two_r, WriteErrorSource::ber, w, 11 + rounds);
    p.write_verify = WriteVerify::on;
    p.write_verify_iterations = rounds;
    const std::string name = "verify_" + std::to_string(rounds);
    MramArray a(name.c_str(), 256, 256, p);
    const auto pattern = program_pattern(a, WritePulse{});
    uint64_t wrong = 0;
    for (uint32_t r = 0; r < 256; ++r)
      for (uint32_t c = 0; c < 256; ++c) {
        const bool want = (pattern[r * 4 + c / 64] >> (c % 64)) & 1;
        wrong += (a.mtj_parallel(r, c, 0) != want) + (a.mtj_parallel(r, c, 1) != !want);
      }
    const uint64_t switching = 2 * ones(pattern), words = 256 * 4, mtjs = 256 * 256 * 2;
    expect_binomial(wrong, switching, std::pow(w, rounds + 1), name + ": MTJs left wrong");
    // Pulses: one per MTJ, then the re-pulses; F_j ~ Binomial(N, w^(j+1)) fail j + 1 times.
    const uint64_t repulses = a.pulses_to_parallel() + a.pulses_to_antiparallel() - mtjs;
    double mean = 0, tolerance = 1;
    for (uint32_t j = 1; j <= rounds; ++j) {
      mean += double(switching) * std::pow(w, j);
      tolerance += 5 * std::sqrt(double(switching) * std::pow(w, j));
    }
    EXPECT_NEAR(double(repulses), mean, tolerance) << name;
    if (rounds == 0) {
      EXPECT_EQ(repulses, 0u);
    }
    // Each round reads all 128 MTJs of the word (the first after the two pulse phases).
    EXPECT_EQ(a.verify_mtj_reads(), 128 * (words + a.verify_repulse_rounds())) << name;
    ErrorTally tally;
    a.collect_errors(tally);
    EXPECT_EQ(tally["write"].opportunities, switching + repulses) << "a re-pulsed MTJ has to switch";
  }
  // The steps of one word: two pulse phases, a verify read (two sense steps, one per branch),
  // then for each re-pulse round one or two phases and another read.
  MramParams p = params_with(CellType::two_t_two_r, WriteErrorSource::ber, 0.5, 3);
  p.write_verify = WriteVerify::on;
  p.write_verify_iterations = 4;
  MramArray a("verify_steps", 4, 64, p);
  const uint64_t before = a.verify_repulse_rounds();
  a.program(0, 0, 0xF0F0F0F0F0F0F0F0ull, ~uint64_t(0), WritePulse{});
  const uint64_t repulse_rounds = a.verify_repulse_rounds() - before;
  EXPECT_GT(repulse_rounds, 0u);
  EXPECT_EQ(a.last_program_steps().verify_steps, 2 * (1 + repulse_rounds));
  EXPECT_GE(a.last_program_steps().pulse_phases, 2 + repulse_rounds);
  EXPECT_LE(a.last_program_steps().pulse_phases, 2 + 2 * repulse_rounds);
  // Without verify nothing is read back.
  MramArray plain("verify_off", 4, 64, params_with(CellType::two_t_two_r, WriteErrorSource::ber, 0.5, 3));
  plain.program(0, 0, 0xF0F0F0F0F0F0F0F0ull, ~uint64_t(0), WritePulse{});
  EXPECT_EQ(plain.verify_mtj_reads(), 0u);
  EXPECT_EQ(plain.last_program_steps().verify_steps, 0u);
}

TEST(MramArray, ProgrammingPulseSetsTheWer) {
  MramParams p = params_with(CellType::one_t_one_r, WriteErrorSource::pulse, 0);
  MramArray a("w_pulse", 256, 256, p);
  const WritePulse weak{5, 100};  // WER = 1 - exp(-148.04 e^-10) = 6.70e-3
  EXPECT_NEAR(a.write_error_probability(weak), 6.698e-3, 1e-5);
  const auto pattern = program_pattern(a, weak);
  ErrorTally tally;
  a.collect_errors(tally);
  expect_binomial(tally["write"].events, ones(pattern), a.write_error_probability(weak), "pulse write errors");
}

TEST(MramArray, ReadDecisionErrorsFollowTheGaussianMargin) {
  MramParams p = params_with(CellType::one_t_one_r, WriteErrorSource::ber, 0);
  p.mtj.tmr = 0.3;  // a small margin so that read errors are measurable
  p.mtj.sigma_r = 0.06;
  p.sa.offset_sigma_ohm = 200;
  MramArray a("r1t1r", 64, 256, p);
  // 1T1R: mu = 750 ohm; sigma_P = sqrt(300^2 + 200^2) = 360.6, sigma_AP = sqrt(390^2 + 200^2) = 438.3
  const double expected =
      0.5 * (0.5 * std::erfc(750 / (360.555 * std::sqrt(2.0))) + 0.5 * std::erfc(750 / (438.292 * std::sqrt(2.0))));
  EXPECT_NEAR(a.read_error_probability(), expected, 1e-6);
  program_pattern(a, WritePulse{});
  uint64_t flips = 0, bits = 0;
  for (int rep = 0; rep < 200; ++rep)
    for (uint32_t r = 0; r < a.rows(); ++r) {
      const uint64_t* s = a.sense(r, 4);
      for (uint32_t w = 0; w < 4; ++w) flips += uint64_t(__builtin_popcountll(s[w] ^ a.peek(r, w)));
      bits += 256;
    }
  expect_binomial(flips, bits, expected, "1T1R read decision errors");
  ErrorTally tally;
  a.collect_errors(tally);
  EXPECT_EQ(tally["read"].events, flips);

  // The differential cell has twice the margin: far fewer errors for the same devices.
  p.cell = CellType::two_t_two_r;
  const double diff = pcsa_decision_error_probability(p.mtj, p.cell, p.sa.offset_sigma_ohm);
  EXPECT_NEAR(diff, 0.5 * std::erfc(1500 / (std::sqrt(300.0 * 300 + 390.0 * 390 + 200.0 * 200) * std::sqrt(2.0))),
              1e-12);
  EXPECT_LT(diff, expected / 10);  // 2.4e-3 against 3.1e-2 here
}

TEST(MramArray, RetentionFlipsOverSimulatedTime) {
  MramParams p = params_with(CellType::one_t_one_r, WriteErrorSource::ber, 0);
  p.mtj.delta = 20;  // tau = 1 ns * e^20 = 0.485 s
  MramArray a("ret", 256, 256, p);
  program_pattern(a, WritePulse{});
  a.begin_inference(sc_core::sc_time(1, sc_core::SC_MS), 0);
  a.begin_inference(sc_core::sc_time(3, sc_core::SC_MS), 1);
  ErrorTally tally;
  a.collect_errors(tally);
  const double p1 = thermal_flip_probability(p.mtj, 1e6, 0), p2 = thermal_flip_probability(p.mtj, 2e6, 0);
  const double mean = 65536 * (p1 + p2), sd = std::sqrt(65536 * (p1 + p2));
  EXPECT_NEAR(double(tally["retention"].events), mean, 5 * sd + 1);
  EXPECT_EQ(tally["retention"].opportunities, 2u * 65536u);
}

TEST(MramArray, PerInferenceFlipsAreRedrawnEachInference) {
  MramParams p = params_with(CellType::two_t_two_r, WriteErrorSource::ber, 0.01);
  p.error_mode = MramErrorMode::per_inference;
  MramArray a("flips", 256, 256, p);
  const auto pattern = program_pattern(a, WritePulse{});
  EXPECT_EQ(a.peek(3, 1), pattern[3 * 4 + 1]) << "storage is exact in this mode";
  auto wrong_bits = [&]() {
    std::vector<uint64_t> sensed;
    uint64_t wrong = 0;
    for (uint32_t r = 0; r < a.rows(); ++r) {
      const uint64_t* s = a.sense(r, 4);
      for (uint32_t w = 0; w < 4; ++w) {
        wrong += uint64_t(__builtin_popcountll(s[w] ^ pattern[r * 4 + w]));
        sensed.push_back(s[w]);
      }
    }
    return std::make_pair(wrong, sensed);
  };
  a.begin_inference(sc_core::SC_ZERO_TIME, 0);
  const auto first = wrong_bits();
  EXPECT_EQ(wrong_bits().second, first.second) << "the same flips hold within one inference";
  a.begin_inference(sc_core::SC_ZERO_TIME, 1);
  const auto second = wrong_bits();
  EXPECT_NE(second.second, first.second) << "redrawn at the next inference";
  expect_binomial(first.first + second.first, 2 * 65536, 0.01, "per-inference flips");
}

TEST(MramArray, WriteErrorLogMatchesTheStoredState) {
  MramArray a("log2t2r", 128, 128, params_with(CellType::two_t_two_r, WriteErrorSource::ber, 0.02));
  std::vector<MramArray::WriteErrorEvent> log;
  a.record_write_errors(&log);
  const auto pattern = program_pattern(a, WritePulse{});
  std::set<std::tuple<uint32_t, uint32_t, uint32_t>> logged;
  for (const auto& e : log) logged.insert({e.row, e.column, e.mtj});
  for (uint32_t r = 0; r < 128; ++r)
    for (uint32_t c = 0; c < 128; ++c) {
      const bool w = (pattern[r * 2 + c / 64] >> (c % 64)) & 1;
      EXPECT_EQ(a.mtj_parallel(r, c, 0) != w, logged.count({r, c, 0}) == 1) << r << "," << c;
      EXPECT_EQ(a.mtj_parallel(r, c, 1) != !w, logged.count({r, c, 1}) == 1) << r << "," << c;
    }
  EXPECT_FALSE(log.empty());
}
