// Stochastic number generators and the stochastic first layer.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <map>

#include "scbnn/base/errors.h"
#include "scbnn/models/random_stream.h"
#include "scbnn/models/sng.h"
#include "scbnn/platforms/memory_technology.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/power/catalogue.h"
#include "test_support.h"

using namespace scbnn;

namespace {
std::string read_doc(const char* name) {
  std::ifstream in(std::string(SCBNN_SOURCE_DIR "/docs/") + name);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}
}  // namespace

// Issue 13, step 5: the shipped kinds keep their names and component classes (configs and
// committed experiments use them), each registered kind declares a class the power
// catalogue knows with the action it counts, and each is documented.
TEST(SngSourceKinds, ShippedKindsAreRegisteredDeclaredAndDocumented) {
  const std::vector<std::string> expected = {"ideal", "lfsr", "smtj", "sobol"};
  EXPECT_EQ(sng_source_names(), expected);
  const std::map<std::string, std::string> classes = {{"lfsr", "lfsr"},
                                                      {"sobol", "vdc_counter"},
                                                      {"ideal", "ideal_rng"},
                                                      {"smtj", "smtj_rng"}};
  const std::string sources_doc = read_doc("stochastic-input.md"), architecture = read_doc("architecture.md");
  for (const auto& [name, kind] : sng_source_registry().kinds()) {
    EXPECT_EQ(kind.component_class.name, classes.at(name)) << name;
    const ComponentClassSpec* spec = find_component_class(kind.component_class.name);
    ASSERT_TRUE(spec) << name;
    EXPECT_TRUE(spec->action(kind.action)) << name << ": " << kind.action;
    EXPECT_NE(sources_doc.find("| `" + name + "` |"), std::string::npos)
        << name << " missing in docs/stochastic-input.md";
  }
  EXPECT_TRUE(sng_source_kind("sobol").deterministic);
  EXPECT_FALSE(sng_source_kind("lfsr").deterministic);
  for (const auto& name : memory_technology_names())
    EXPECT_NE(architecture.find("| `" + name + "` |"), std::string::npos) << name << " missing in docs/architecture.md";
  EXPECT_EQ(memory_technology_names(), (std::vector<std::string>{"rram", "st-mram"}));
}

TEST(Lfsr, MaximalPeriodForEveryWidth) {
  for (uint32_t w = 8; w <= 32; ++w) {
    LfsrSource lfsr(w, 1);
    const uint64_t start = lfsr.state();
    uint64_t period = 0;
    do {
      lfsr.step();
      ++period;
    } while (lfsr.state() != start && period <= (uint64_t(1) << w));
    EXPECT_EQ(period, (uint64_t(1) << w) - 1) << "width " << w;
  }
  EXPECT_THROW(lfsr_tap_mask(7), std::invalid_argument);
  EXPECT_THROW(lfsr_tap_mask(33), std::invalid_argument);
}

TEST(VanDerCorput, ExactCountsForPowerOfTwoLengths) {
  for (uint32_t n : {1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u})
    for (uint32_t x = 0; x < 256; ++x) {
      VanDerCorputSource s(0);
      uint32_t ones = 0;
      for (uint32_t k = 0; k < n; ++k) ones += s.next() < x;
      EXPECT_EQ(ones, (x * n + 255) / 256) << "N " << n << " x " << x;  // ceil(x N / 256)
      EXPECT_LE(std::abs(double(ones) / n - x / 256.0), 1.0 / n);
    }
}

TEST(Comparator, RandomSourcesGiveTheBinomialMean) {
  const uint32_t n = 200000;
  for (uint32_t x : {1u, 64u, 128u, 200u, 255u}) {
    IdealSource ideal(stream_seed(1, "test.ideal"));
    LfsrSource lfsr(20, stream_seed(1, "test.lfsr"));
    uint32_t ones_ideal = 0, ones_lfsr = 0;
    for (uint32_t k = 0; k < n; ++k) {
      ones_ideal += ideal.next() < x;
      ones_lfsr += lfsr.next() < x;
    }
    const double p = x / 256.0, tol = 5 * std::sqrt(p * (1 - p) / n) + 1.0 / n;
    EXPECT_NEAR(double(ones_ideal) / n, p, tol) << "ideal x " << x;
    EXPECT_NEAR(double(ones_lfsr) / n, p, tol) << "lfsr x " << x;
  }
}

TEST(Comparator, SccNearZeroForIndependentAndOneForIdenticalSources) {
  SngParams p;
  p.source = "ideal";
  SngBank bank("test.scc", p, 2);
  std::vector<uint8_t> pixels = {128, 128};
  std::vector<std::vector<uint64_t>> streams;
  bank.generate(pixels.data(), 2, 20000, streams);
  std::vector<bool> a, b;
  for (const auto& s : streams) {
    a.push_back(s[0] & 1);
    b.push_back((s[0] >> 1) & 1);
  }
  EXPECT_NEAR(stochastic_cross_correlation(a, b), 0.0, 0.05);
  EXPECT_NEAR(stochastic_cross_correlation(a, a), 1.0, 1e-12);
  // Shared source without offset (rotation 0 for inputs 0 and S): identical streams.
  p.sharing = SngSharing::shared_rotate;
  p.shared_sources = 1;
  SngBank shared("test.shared", p, 9);
  std::vector<uint8_t> nine(9, 100);
  shared.generate(nine.data(), 9, 5000, streams);
  std::vector<bool> s0, s8;
  for (const auto& s : streams) {
    s0.push_back(s[0] & 1);
    s8.push_back((s[0] >> 8) & 1);  // rotation (8 / 1) mod 8 = 0: same value as input 0
  }
  EXPECT_NEAR(stochastic_cross_correlation(s0, s8), 1.0, 1e-12);
}

TEST(Comparator, SameSeedSameStreamsAndComponentsIndependent) {
  SngParams p;
  SngBank a("accel.core.sng", p, 100), b("accel.core.sng", p, 100), c("other.sng", p, 100);
  std::vector<uint8_t> px(100, 77);
  std::vector<std::vector<uint64_t>> sa, sb, sc;
  a.generate(px.data(), 100, 16, sa);
  b.generate(px.data(), 100, 16, sb);
  c.generate(px.data(), 100, 16, sc);
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, sc);
}

namespace {

// Independent first layer + rest of the network from the recorded streams.
test::ReferenceResult reference_from_streams(const Network& net, const std::vector<std::vector<uint64_t>>& streams,
                                             uint32_t first, uint32_t count, bool sum_mode) {
  const Layer& l0 = net.layers[0];
  std::vector<int64_t> h(l0.outputs);
  const uint32_t samples = sum_mode ? uint32_t(streams.size()) : 1;
  for (uint32_t j = 0; j < l0.outputs; ++j) {
    int64_t a = 0;
    for (uint32_t n = first; n < first + count; ++n)
      for (uint32_t i = 0; i < l0.inputs; ++i) {
        const int bit = (streams[n][i / 64] >> (i % 64)) & 1;
        a += (bit == int(l0.weights.get(j, i))) ? 1 : -1;
      }
    const double scaled = double(l0.threshold[j]) * samples / 255.0;
    const int64_t t = l0.direction[j] > 0 ? int64_t(std::ceil(scaled)) : int64_t(std::floor(scaled));
    h[j] = (l0.direction[j] > 0 ? a >= t : a <= t) ? 1 : -1;
  }
  return test::reference_layers(net, 1, std::move(h));
}

RunOutcome run_stochastic(const Network& net, const Dataset& data, const char* combine,
                          std::vector<std::vector<std::vector<uint64_t>>>& log) {
  Config c;
  c.apply_override("accel.input_mode=stochastic");
  c.apply_override(std::string("accel.sc.combine=") + combine);
  c.apply_override("accel.sc.stream_length=5");
  c.apply_override("accel.mram.error_mode=ideal");
  c.apply_override("accel.array.rows=64");
  c.apply_override("accel.array.columns=64");
  Platform platform(platform_params(c), net, data, 0, uint32_t(data.count()));
  platform.accelerator().core.keep_streams(&log);
  return platform.run();
}

}  // namespace

TEST(StochasticFirstLayer, SumModeMatchesIndependentComputation) {
  const Network net = test::random_network({100, 70, 10}, 21, 10, 10);
  const Dataset data = test::random_dataset(25, 10, 10, 3);
  std::vector<std::vector<std::vector<uint64_t>>> log;
  const RunOutcome out = run_stochastic(net, data, "sum", log);
  ASSERT_EQ(log.size(), 25u);
  for (size_t i = 0; i < 25; ++i) {
    const auto ref = reference_from_streams(net, log[i], 0, 5, true);
    ASSERT_EQ(out.records[i].predicted, ref.predicted) << "image " << i;
    for (size_t c = 0; c < ref.scores.size(); ++c) ASSERT_EQ(out.records[i].scores[c], ref.scores[c]) << i << "/" << c;
  }
}

TEST(StochasticFirstLayer, VoteModeMatchesIndependentComputation) {
  const Network net = test::random_network({100, 70, 10}, 22, 10, 10);
  const Dataset data = test::random_dataset(20, 10, 10, 4);
  std::vector<std::vector<std::vector<uint64_t>>> log;
  const RunOutcome out = run_stochastic(net, data, "vote", log);
  ASSERT_EQ(log.size(), 20u);
  for (size_t i = 0; i < 20; ++i) {
    std::vector<int32_t> votes(10, 0);
    for (uint32_t round = 0; round < 5; ++round)
      ++votes[reference_from_streams(net, log[i], round, 1, false).predicted];
    uint32_t best = 0;
    for (uint32_t c = 1; c < 10; ++c)
      if (votes[c] > votes[best]) best = c;
    EXPECT_EQ(out.records[i].scores, votes) << "image " << i;
    EXPECT_EQ(out.records[i].predicted, best) << "image " << i;
  }
}

TEST(StochasticFirstLayer, CyclesCountTheSamplesAndTheSngs) {
  const Network net = test::random_network({100, 70, 10}, 23, 10, 10);
  const Dataset data = test::random_dataset(2, 10, 10, 5);
  std::vector<std::vector<std::vector<uint64_t>>> log;
  const RunOutcome out = run_stochastic(net, data, "sum", log);
  const auto& l0 = out.cycles.layers()[0];
  // N = 5 samples of 100 pixels on 1024 comparators: 5 SNG cycles; 5 passes of 2 column tiles.
  EXPECT_EQ(l0.phases[0], (std::pair<std::string, uint64_t>("sng", 2 * 5)));
  EXPECT_EQ(l0.phases[1], (std::pair<std::string, uint64_t>("fetch", 2 * 5 * 2)));
}

// Generating the samples is layer 0's work; the vote after the last round is the last
// layer's (vote mode: 5 rounds of the whole network, then one argmax over the votes).
TEST(StochasticFirstLayer, SngWorkCountsInLayerZeroAndTheVoteInTheLastLayer) {
  const Network net = test::random_network({100, 70, 10}, 24, 10, 10);
  const Dataset data = test::random_dataset(3, 10, 10, 6);
  std::vector<std::vector<std::vector<uint64_t>>> log;
  const RunOutcome out = run_stochastic(net, data, "vote", log);
  uint64_t compares = 0, argmax = 0;
  for (const auto& a : out.actions.entries()) {
    if (a.component_class == "sng_comparator") {
      EXPECT_EQ(a.by_layer.outside, 0u);
      ASSERT_EQ(a.by_layer.layers.size(), 1u);
      compares += a.by_layer.layers[0];
    }
    if (a.action == "argmax_compare") {
      EXPECT_EQ(a.by_layer.outside, 0u);
      ASSERT_EQ(a.by_layer.layers.size(), 2u);
      EXPECT_EQ(a.by_layer.layers[0], 0u);
      argmax += a.by_layer.layers[1];
    }
  }
  EXPECT_EQ(compares, 3u * 5 * 100);    // N = 5 samples of 100 pixels per image
  EXPECT_EQ(argmax, 3u * (5 * 9 + 9));  // 9 compares per round, 9 for the vote
  EXPECT_EQ(out.cycles.layers()[0].phases[0].first, "sng");
}

TEST(StochasticFirstLayer, BadOptionsNameTheKey) {
  Config c;
  EXPECT_THROW(c.apply_override("accel.sc.stream_length=0"), InputError);
  EXPECT_THROW(c.apply_override("accel.sc.stream_length=2000"), InputError);
  EXPECT_THROW(c.apply_override("accel.sng.source=quantum"), InputError);
  EXPECT_THROW(c.apply_override("accel.sng.lfsr_width=40"), InputError);
  Config vote_without_sc;
  vote_without_sc.apply_override("accel.sc.combine=vote");
  EXPECT_THROW(platform_params(vote_without_sc), InputError);
  Config sources_without_sharing;
  sources_without_sharing.apply_override("accel.sng.shared_sources=4");
  EXPECT_THROW(platform_params(sources_without_sharing), InputError);
}

namespace {

// A crafted 784-10 network whose only layer is the output layer: small scales, offsets
// that matter (a fixed-point offset of 255 x d is worth d units of a x scale).
Network single_layer_network(int32_t scale_span, uint32_t seed) {
  Network net = test::random_network({784, 10}, seed, 28, 28);
  std::mt19937 rng(seed);
  for (uint32_t j = 0; j < 10; ++j) {
    net.layers[0].scale[j] = int32_t(rng() % uint32_t(scale_span)) + 1;
    net.layers[0].offset[j] = (int32_t(rng() % 2001) - 1000) * 2550;
  }
  return net;
}

// Offset x M / 255 rounded to nearest, halves away from zero, in integers.
int64_t reference_offset(int64_t offset, int64_t samples) {
  const int64_t num = 2 * offset * samples, den = 2 * 255;
  return num >= 0 ? (num + 255) / den : -((-num + 255) / den);
}

// Scores of a single-layer network on summed samples [first, first + count) of `streams`.
std::vector<int64_t> reference_single_layer(const Network& net, const std::vector<std::vector<uint64_t>>& streams,
                                            uint32_t first, uint32_t count) {
  const Layer& l0 = net.layers[0];
  std::vector<int64_t> scores(l0.outputs);
  for (uint32_t j = 0; j < l0.outputs; ++j) {
    int64_t a = 0;
    for (uint32_t n = first; n < first + count; ++n)
      for (uint32_t i = 0; i < l0.inputs; ++i)
        a += (((streams[n][i / 64] >> (i % 64)) & 1) == l0.weights.get(j, i)) ? 1 : -1;
    scores[j] = a * l0.scale[j] + reference_offset(l0.offset[j], count);
  }
  return scores;
}

Config single_layer_config(const char* combine, uint32_t samples) {
  Config c;
  c.apply_override("accel.input_mode=stochastic");
  c.apply_override(std::string("accel.sc.combine=") + combine);
  c.apply_override("accel.sc.max_stream_length=1024");
  c.apply_override("accel.sc.stream_length=" + std::to_string(samples));
  c.apply_override("accel.mram.error_mode=ideal");
  return c;
}

}  // namespace

// Layer 0 as the output layer at N = 1024: offsets rescaled by N / 255 like the
// thresholds of a hidden first layer, scores exact (no 32-bit wrap).
TEST(SingleLayerNetwork, SumModeScoresMatchIndependentReference) {
  const Network net = single_layer_network(2000, 31);  // 2000 x 784 x 1024 + offsets < 2^31
  const Dataset data = test::random_dataset(6, 28, 28, 8);
  std::vector<std::vector<std::vector<uint64_t>>> log;
  Platform platform(platform_params(single_layer_config("sum", 1024)), net, data, 0, 6);
  platform.accelerator().core.keep_streams(&log);
  const RunOutcome out = platform.run();
  ASSERT_EQ(log.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    const std::vector<int64_t> ref = reference_single_layer(net, log[i], 0, 1024);
    uint32_t best = 0;
    for (uint32_t c = 0; c < 10; ++c) {
      ASSERT_EQ(int64_t(out.records[i].scores[c]), ref[c]) << "image " << i << " class " << c;
      if (ref[c] > ref[best]) best = c;
    }
    EXPECT_EQ(out.records[i].predicted, best) << "image " << i;
  }
}

TEST(SingleLayerNetwork, VoteModeRoundsUseOffsetsOverTwoHundredFiftyFive) {
  const Network net = single_layer_network(2000, 32);
  const Dataset data = test::random_dataset(6, 28, 28, 9);
  std::vector<std::vector<std::vector<uint64_t>>> log;
  Platform platform(platform_params(single_layer_config("vote", 9)), net, data, 0, 6);
  platform.accelerator().core.keep_streams(&log);
  const RunOutcome out = platform.run();
  for (size_t i = 0; i < 6; ++i) {
    std::vector<int32_t> votes(10, 0);
    for (uint32_t round = 0; round < 9; ++round) {
      const std::vector<int64_t> s = reference_single_layer(net, log[i], round, 1);
      uint32_t best = 0;
      for (uint32_t c = 1; c < 10; ++c)
        if (s[c] > s[best]) best = c;
      ++votes[best];
    }
    EXPECT_EQ(out.records[i].scores, votes) << "image " << i;
  }
}

// Scores that could exceed the 32-bit scorer at this N are refused before simulating,
// naming the key and the longest stream that fits.
TEST(SingleLayerNetwork, StreamTooLongForThe32BitScoresIsRefused) {
  Network net = single_layer_network(2000, 33);
  net.layers[0].scale[4] = 10000;  // valid in fixed point: 10000 x 784 x 255 < 2^31
  const Dataset data = test::random_dataset(2, 28, 28, 10);
  try {
    Platform platform(platform_params(single_layer_config("sum", 1024)), net, data, 0, 2);
    FAIL() << "accepted a stream length whose scores overflow";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("accel.sc.stream_length = 1024"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("at most 273"), std::string::npos) << e.what();
  }
}
