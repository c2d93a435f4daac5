// Invertible-logic training (issue 17, second part): the learning Hamiltonians, the trainer
// on planted toy problems, the written network on the platform, and the engine's cost.
// Fixed seeds; tolerances are stated next to each check.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <random>
#include <set>

#include "scbnn/il_trainer/il_train.h"
#include "scbnn/il_trainer/il_train_cost.h"
#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/power/energy_model.h"
#include "scbnn/stimuli/evaluate.h"
#include "test_support.h"

using namespace scbnn;
using scbnn::test::error_of;

namespace {

std::string read_doc(const char* name) {
  std::ifstream in(std::string(SCBNN_SOURCE_DIR "/docs/") + name);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// A planted 2-layer toy: 6 x 6 random images, a random convolution (3 channels, 3 x 3,
// max-pool 2: 12 pooled bits) and a random output layer of 4 classes (scale 1, offset 0);
// every image is labelled by the planted network itself.
struct Toy {
  Network planted;
  Dataset train, test;
};

Dataset labelled(const Network& net, uint32_t count, uint32_t seed) {
  Dataset d = test::random_dataset(count, 6, 6, seed);
  for (uint32_t i = 0; i < count; ++i) d.labels[i] = uint8_t(predicted_class(integer_scores(net, d.image(i))));
  d.name = "planted";
  return d;
}

Toy planted_toy(uint32_t seed) {
  Toy t;
  t.planted = test::random_conv_network(6, 6, 1, {{3, 3, 1, 0, -1, 2, 2}}, {4}, seed, /*directions_up=*/true);
  Layer& conv = t.planted.layers[0];
  // Thresholds at each channel's 84th percentile over the training images, so that a pooled
  // bit (the OR of 4) is on about half the time (1 - 0.84^4 = 0.50) and the labels spread.
  const Dataset images = test::random_dataset(400, 6, 6, seed + 100);
  std::vector<std::vector<int64_t>> pre(conv.outputs);
  for (uint32_t i = 0; i < images.count(); ++i) {
    const auto a = layer_preactivations(t.planted, 0, input_values(t.planted, images.image(i)));
    for (size_t p = 0; p < a.size(); ++p) pre[p % conv.outputs].push_back(a[p]);
  }
  for (uint32_t c = 0; c < conv.outputs; ++c) {
    std::sort(pre[c].begin(), pre[c].end());
    conv.threshold[c] = int32_t(pre[c][size_t(0.84 * double(pre[c].size()))]);
  }
  Layer& out = t.planted.layers[1];
  out.scale.assign(out.outputs, 1);
  out.offset.assign(out.outputs, 0);
  t.train = labelled(t.planted, 400, seed + 100);
  t.train.split = "train";
  t.test = labelled(t.planted, 200, seed + 200);
  return t;
}

// Planted templates: 4 x 6 images whose pixels are 255 where a class template (random +-1,
// 24 bits) is +1 and 0 where it is -1, each bit flipped with probability 0.1; a 1 x 1
// convolution with weight +1 and threshold 0 reads the template bits back (z = pixel >= 128),
// and the output layer's weights are the templates. Labels: the planted network's argmax.
struct Templates {
  Network planted;
  Dataset train, test;
};

Dataset template_images(const Network& net, uint32_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  const Layer& out = net.layers[1];
  Dataset d = test::random_dataset(count, 4, 6, seed);
  for (uint32_t e = 0; e < count; ++e) {
    const uint32_t cls = rng() % out.outputs;
    for (uint32_t i = 0; i < 24; ++i) {
      const bool bit = out.weights.get(cls, i) != (rng() % 10 == 0);
      d.images[size_t(e) * 24 + i] = bit ? 255 : 0;
    }
    d.labels[e] = uint8_t(predicted_class(integer_scores(net, d.image(e))));
  }
  d.name = "templates";
  return d;
}

Templates planted_templates(uint32_t seed) {
  Templates t;
  t.planted = test::random_conv_network(4, 6, 1, {{1, 1, 1, 0, -1, 0, 0}}, {4}, seed, /*directions_up=*/true);
  Layer& conv = t.planted.layers[0];
  conv.weights.set(0, 0, true);
  conv.threshold[0] = 0;
  Layer& out = t.planted.layers[1];
  out.scale.assign(out.outputs, 1);
  out.offset.assign(out.outputs, 0);
  t.train = template_images(t.planted, 300, seed + 10);
  t.train.split = "train";
  t.test = template_images(t.planted, 200, seed + 20);
  return t;
}

IlTrainOptions toy_options(uint64_t seed) {
  IlTrainOptions o;
  o.arch = parse_architecture("conv3k3,pool2,dense4");
  o.keys.seed = seed;
  o.keys.il.sweeps = 400;
  o.dataset_name = "planted";
  return o;
}

double agreement(const BitMatrix& a, const BitMatrix& b) {
  uint32_t same = 0;
  for (uint32_t r = 0; r < a.rows; ++r)
    for (uint32_t c = 0; c < a.cols; ++c) same += a.get(r, c) == b.get(r, c);
  return double(same) / (double(a.rows) * a.cols);
}

}  // namespace

// The folded output Hamiltonian is the equality gates' squared error: for every weight
// vector of every class (n = 5, exhaustive), H(w) = 1/2 sum_e (sum_i z_ei w_i - m t_e)^2 minus
// a constant that does not depend on w.
TEST(IlTrain, OutputHamiltonianIsTheEqualityGatesSquaredError) {
  std::mt19937 rng(3);
  const uint32_t n = 5, examples = 7, classes = 3;
  const double m = 2.5;
  std::vector<std::vector<int8_t>> z(examples, std::vector<int8_t>(n));
  std::vector<uint8_t> labels(examples);
  for (auto& v : z)
    for (auto& x : v) x = rng() & 1 ? 1 : -1;
  for (auto& l : labels) l = uint8_t(rng() % classes);
  IlTrainCounts counts;
  const BlockHamiltonian ham = output_hamiltonian(z, labels, classes, m, -1, &counts);
  EXPECT_EQ(counts.coupling_updates, uint64_t(examples) * n * (n - 1));
  EXPECT_EQ(counts.bias_updates, uint64_t(examples) * n * classes);
  for (uint32_t j = 0; j < classes; ++j) {
    double offset = 0;
    for (uint32_t bits = 0; bits < (1u << n); ++bits) {
      std::vector<int> w(n);
      for (uint32_t i = 0; i < n; ++i) w[i] = (bits >> i) & 1 ? 1 : -1;
      double h = 0, err = 0;
      for (uint32_t i = 0; i < n; ++i) {
        h -= ham.h[size_t(j) * n + i] * w[i];
        for (uint32_t k = i + 1; k < n; ++k) h -= ham.j[size_t(i) * n + k] * w[i] * w[k];
      }
      for (uint32_t e = 0; e < examples; ++e) {
        double a = 0;
        for (uint32_t i = 0; i < n; ++i) a += z[e][i] * w[i];
        const double t = labels[e] == j ? m : -m;
        err += 0.5 * (a - t) * (a - t);
      }
      if (bits == 0) offset = err - h;
      EXPECT_NEAR(err - h, offset, 1e-9) << "class " << j << " weights " << bits;
    }
  }
}

// Quantisation scales the largest |J| to 2^(bits-1) - 1, keeps J symmetric and shared by
// the copies, rounds h at the same scale, and bounds every field; set_bias accepts biases
// up to the requested bound and refuses larger ones.
TEST(IlTrain, QuantisationScalesToTheLargestCouplingAndBoundsTheFields) {
  BlockHamiltonian ham;
  ham.n = 3;
  ham.copies = 2;
  ham.j = {0, -4, 1, -4, 0, 2, 1, 2, 0};
  ham.h = {3, -1, 0.5, -6, 0, 1};
  const QuantisedHamiltonian q = quantise(ham, 4, 20);  // largest |J| 4 -> 7
  EXPECT_DOUBLE_EQ(q.scale, 7.0 / 4.0);
  const IsingGraph& g = q.graph;
  ASSERT_EQ(g.size(), 6u);
  std::vector<int8_t> s = {1, -1, 1, 1, 1, -1};
  // I_0 = h_0 + J_01 s_1 + J_02 s_2 = round(5.25) + (-7)(-1) + round(1.75) (+1) = 5 + 7 + 2
  EXPECT_EQ(g.field(0, s), 5 + 7 + 2);
  // copy 1, p-bit 1: round(0) + J_10 s_3 + J_12 s_5 = -7 x 1 + round(3.5) x (-1) = -7 - 4
  EXPECT_EQ(g.field(4, s), -7 - 4);
  EXPECT_EQ(g.bias[3], int32_t(std::llround(-6 * 7.0 / 4.0)));
  EXPECT_EQ(g.max_abs_field, 7 + 4 + 20);  // largest row sum (p-bit 1: 7 + 4) + the bias bound
  PbitParams p;
  PbitEngine engine("quantised", g, p);
  EXPECT_NO_THROW(engine.set_bias(1, -20));
  EXPECT_EQ(engine.field(1), g.field(1, engine.spins()) - g.bias[1] - 20);
  EXPECT_THROW(engine.set_bias(1, 21), std::out_of_range);
}

// Planted templates, the convolution given (--conv with the planted network): the learnt
// output layer classifies as the planted network does and is close to it bit for bit. The
// encoding is set to fit the data: the true class's target 0.8 n (24 bits, 10 % flipped:
// 19.2 on average), the others' 0 (other_target 0: random templates are uncorrelated).
// Seeds 1..3, 300 training images, 1000 sweeps; measured: training accuracy 0.997 to 1.0,
// test 0.99 to 1.0, weights equal to the planted ones at 0.90 to 0.96 of the bits (the
// flipped bits let a least-squares fit differ from the templates where it does not change
// the argmax). Required: training >= 0.98, test >= 0.97, weights >= 0.85.
TEST(IlTrain, PlantedTemplatesReachThePlantedAccuracy) {
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    const Templates toy = planted_templates(seed);
    const std::string file = test::temp_path("templates_" + std::to_string(seed) + ".scbnn");
    save_network(toy.planted, file);
    IlTrainOptions o = toy_options(seed);
    o.arch = parse_architecture("conv1k1,dense4");
    o.conv_init = file;
    o.keys.il.sweeps = 1000;
    o.keys.il_train.output_margin = 0.8;
    o.keys.il_train.other_target = 0;
    const IlTrainResult r = train_invertible_logic(o, toy.train, toy.test);
    const double same = agreement(r.network.layers[1].weights, toy.planted.layers[1].weights);
    EXPECT_GE(same, 0.85) << "seed " << seed;
    EXPECT_GE(r.train_accuracy, 0.98) << "seed " << seed;
    EXPECT_GE(r.test_accuracy, 0.97) << "seed " << seed;
    RecordProperty("seed" + std::to_string(seed) + "_weights_equal", std::to_string(same));
    RecordProperty("seed" + std::to_string(seed) + "_test", std::to_string(r.test_accuracy));
  }
}

// Planted 3 x 3 toy, the convolution given: the output layer the engine learns is the ground
// state of each class's equality-gate Hamiltonian (found by enumerating all 2^12 weight
// vectors) in at least 10 of the 12 (seed, class) blocks (measured: 11 at 2000 sweeps; the
// other within 6 energy units of it). The planted network's argmax labels are not what the
// equality gates encode, so the ground state classifies 0.6 to 0.75 of them (recorded), not
// all: docs/invertible-logic.md discusses it.
TEST(IlTrain, PlantedToyOutputLayerReachesItsHamiltoniansGroundState) {
  uint32_t ground = 0;
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    const Toy toy = planted_toy(seed);
    const std::string file = test::temp_path("planted_" + std::to_string(seed) + ".scbnn");
    save_network(toy.planted, file);
    IlTrainOptions o = toy_options(seed);
    o.conv_init = file;
    o.keys.il.sweeps = 2000;
    const IlTrainResult r = train_invertible_logic(o, toy.train, toy.test);
    EXPECT_EQ(agreement(r.network.layers[0].weights, toy.planted.layers[0].weights), 1.0);  // kept as given
    std::vector<std::vector<int8_t>> z;
    for (uint32_t i = 0; i < toy.train.count(); ++i) {
      const auto h = hidden_layer_outputs(toy.planted, 0, input_values(toy.planted, toy.train.image(i)));
      z.emplace_back(h.begin(), h.end());
    }
    const uint32_t n = 12;
    const BlockHamiltonian ham = output_hamiltonian(z, toy.train.labels, 4, 0.125 * n);
    for (uint32_t j = 0; j < 4; ++j) {
      auto energy = [&](uint32_t bits) {
        double e = 0;
        for (uint32_t i = 0; i < n; ++i) {
          const int wi = (bits >> i) & 1 ? 1 : -1;
          e -= ham.h[size_t(j) * n + i] * wi;
          for (uint32_t k = i + 1; k < n; ++k) e -= ham.j[size_t(i) * n + k] * wi * ((bits >> k) & 1 ? 1 : -1);
        }
        return e;
      };
      double best = 1e300;
      for (uint32_t b = 0; b < (1u << n); ++b) best = std::min(best, energy(b));
      uint32_t learnt = 0;
      for (uint32_t i = 0; i < n; ++i) learnt |= uint32_t(r.network.layers[1].weights.get(j, i)) << i;
      ground += energy(learnt) <= best + 1e-9;
    }
    RecordProperty("seed" + std::to_string(seed) + "_train", std::to_string(r.train_accuracy));
  }
  EXPECT_GE(ground, 10u);
  RecordProperty("ground_states_of_12", int(ground));
}

// Planted toy from a random convolution (the default) with two block rounds: each round is
// recorded, the round with the best validation accuracy is chosen, and the hidden phase's
// targets are mostly reproduced by the convolution it keeps or learns. (A random 3-channel
// convolution hardly sees this toy's planted features: measured test accuracy 0.33, chance
// 0.25; recorded, not required.)
TEST(IlTrain, PlantedToyFromARandomConvolutionAndTheRoundsChooseByValidation) {
  const Toy toy = planted_toy(1);
  IlTrainOptions o = toy_options(1);
  o.keys.il_train.rounds = 2;
  o.keys.il_train.validation_images = 100;
  o.keys.il_train.hidden_examples = 100;
  o.keys.il_train.hidden_batch = 16;
  const IlTrainResult r = train_invertible_logic(o, toy.train, toy.test);
  ASSERT_EQ(r.rounds.size(), 3u);
  double best = -1;
  for (const auto& s : r.rounds) best = std::max(best, s.validation_accuracy);
  EXPECT_EQ(r.rounds[r.chosen_round].validation_accuracy, best);
  for (uint32_t k = 0; k < r.chosen_round; ++k) EXPECT_LT(r.rounds[k].validation_accuracy, best);
  EXPECT_EQ(r.validation_accuracy, best);
  EXPECT_GT(r.rounds[1].targets_reproduced, 0.5);
  EXPECT_EQ(r.network.provenance.at("training"), "invertible-logic");
  EXPECT_EQ(r.network.provenance.at("chosen_round"), r.chosen_round);
  RecordProperty("test_accuracy", std::to_string(r.test_accuracy));
}

// The written network runs on the platform (the default accelerator, ideal memory) and
// predicts exactly what the trainer reported, image by image.
TEST(IlTrain, TheWrittenNetworkRunsOnThePlatformWithTheTrainersPredictions) {
  const Toy toy = planted_toy(2);
  const IlTrainResult r = train_invertible_logic(toy_options(2), toy.train, toy.test);
  const std::string file = test::temp_path("il_trained.scbnn");
  save_network(r.network, file);
  const Network loaded = load_network(file);
  Config c;
  c.apply_override("accel.mram.error_mode=ideal");
  Platform platform(platform_params(c), loaded, toy.test, 0, uint32_t(toy.test.count()));
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), toy.test.count());
  ASSERT_EQ(r.test_predictions.size(), toy.test.count());
  uint32_t right = 0;
  std::set<uint32_t> classes;
  for (size_t i = 0; i < out.records.size(); ++i) {
    EXPECT_EQ(out.records[i].predicted, r.test_predictions[i]) << "image " << i;
    right += out.records[i].predicted == toy.test.labels[i];
    classes.insert(out.records[i].predicted);
  }
  EXPECT_DOUBLE_EQ(double(right) / double(toy.test.count()), r.test_accuracy);
  EXPECT_GE(classes.size(), 3u);  // not a vacuous comparison
}

// The counts follow the work: one output anneal of classes x pooled p-bits, every one decided
// each sweep; the accumulation's coupling and bias words per example; the feature pass's adds;
// and the cycles are the three phases' sums.
TEST(IlTrain, CountsFollowTheWork) {
  const Toy toy = planted_toy(3);
  IlTrainOptions o = toy_options(3);
  o.keys.il_train.train_images = 300;
  const IlTrainResult r = train_invertible_logic(o, toy.train, toy.test);
  const IlTrainCounts& c = r.counts;
  const uint64_t n = 12, classes = 4, images = 300, positions = 16, channels = 3, window = 9;
  EXPECT_EQ(c.anneals, 1u);
  EXPECT_EQ(c.engine.sweeps, 400u);
  EXPECT_EQ(c.engine.updates, 400 * n * classes);
  EXPECT_EQ(c.engine.tanh_evaluations, c.engine.updates);
  EXPECT_EQ(c.max_pbits, n * classes);
  EXPECT_EQ(c.coupling_updates, images * n * (n - 1));
  EXPECT_EQ(c.bias_updates, images * n * classes);
  EXPECT_EQ(c.feature_adds, images * positions * channels * window);
  EXPECT_EQ(c.feature_compares, images * positions * channels);
  EXPECT_EQ(c.j_memory_words, n * (n - 1) + n * classes);
  EXPECT_EQ(c.accumulate_cycles, (c.coupling_updates + c.bias_updates + n - 1) / n);  // one bank per input
  EXPECT_EQ(c.feature_cycles, (c.feature_adds + channels * window - 1) / (channels * window));
  EXPECT_EQ(c.cycles(), c.feature_cycles + c.accumulate_cycles + c.engine.cycles);
  EXPECT_EQ(c.accumulator_bits, 10u);  // |J| <= 300 < 2^9, plus a sign
  EXPECT_GT(c.engine.cycles, 0u);
}

// Energy and cycles follow from the counts, by hand on a small case priced with the 28 nm
// preset: 100 decisions x 0.179 pJ, 3200 LFSR bit steps x 1.56 fJ, 2000 J words read x 12
// bits + 50 accumulated words x 10 bits read, the same 50 x 10 written plus 30 words x 12
// bits loaded, all at 0.0217 pJ per bit, field adds 2000 x 16 bits, accumulation 500 bits at
// 1.56 fJ, 7 products x 0.1 pJ, 900 feature adds x 13 bits at 1.56 fJ, 10 compares x 0.03 pJ
// and 1000 controller cycles x 1 pJ.
TEST(IlTrainCost, EnergyAndCyclesFollowFromTheCountsByHand) {
  IlTrainCounts c;
  c.engine.updates = 100;
  c.engine.tanh_evaluations = 100;
  c.engine.rng_events = 3200;
  c.engine.weight_reads = 2000;
  c.engine.cycles = 600;
  c.coupling_updates = 40;
  c.bias_updates = 10;
  c.products = 7;
  c.feature_adds = 900;
  c.feature_compares = 10;
  c.j_words_written = 30;
  c.max_pbits = 20;
  c.j_memory_words = 64;
  c.accumulator_bits = 10;
  c.field_bits = 16;
  c.feature_cycles = 100;
  c.accumulate_cycles = 300;
  IlTrainKeys keys;
  const IlEngineCost cost = il_engine_cost(c, keys, 2, 9, 8);
  EXPECT_EQ(cost.cycles, 1000u);
  EXPECT_DOUBLE_EQ(cost.seconds, 1000 / 100e6);
  EXPECT_EQ(cost.pbit_units, 20u);
  EXPECT_EQ(cost.row_banks, 8u);
  EXPECT_EQ(cost.feature_adders, 18u);
  const TechnologyPreset preset = load_preset(SCBNN_SOURCE_DIR "/power/presets/st-mram-28nm.yaml");
  RunTimes times;
  times.simulated_s = times.inference_s = cost.seconds;
  times.inferences = 1;
  times.clock_mhz = 100;
  const PowerReport p = price_run(preset, cost.actions.entries(), cost.hardware.items(), times);
  const double expected_pj = 100 * 0.179 + 3200 * 1.56e-3 + (2000 * 12 + 50 * 10) * 0.0217 +
                             (50 * 10 + 30 * 12) * 0.0217 + 2000 * 16 * 1.56e-3 + 500 * 1.56e-3 + 7 * 0.1 +
                             900 * 13 * 1.56e-3 + 10 * 0.03 + 1000 * 1.0;
  EXPECT_NEAR(p.inference_dynamic_pj, expected_pj, 1e-6 * expected_pj);
  // Area: 20 units x 117.2 um^2, their tables 20 x 64 x 9 bits and 20 x 32-bit LFSRs, 20 x 16
  // field bits, 64 x 10 J bits, 8 x 10 accumulator bits, 18 x 13 feature-adder bits, 2 x 13
  // comparator bits, the controller; logic / 0.7 (logic_utilisation), memories as they are.
  const double logic =
      20 * 117.2 + 20 * 32 * 1.92 + 20 * 16 * 3.31 + 8 * 10 * 3.31 + 18 * 13 * 3.31 + 2 * 13 * 1.6 + 5000;
  const double memory = 20 * 64 * 9 * 0.17 + 64 * 10 * 0.17;
  EXPECT_NEAR(p.area_um2, logic / 0.7 + memory, 1e-6 * p.area_um2);
  EXPECT_NEAR(p.total_pj(), p.inference_dynamic_pj + p.leakage_nw * cost.seconds * 1e3, 1e-9 * p.total_pj());
}

// Bad input is named: an architecture that is not one convolution and one dense layer, a
// validation split that leaves nothing to train on, an inverted I0 range, and an initial
// convolution of another shape.
TEST(IlTrain, BadInputIsNamed) {
  const Toy toy = planted_toy(1);
  IlTrainOptions o = toy_options(1);
  o.arch = parse_architecture("conv3k3,pool2,conv4k1,dense4");
  EXPECT_NE(error_of([&] { train_invertible_logic(o, toy.train, toy.test); }).find("--arch"), std::string::npos);
  o = toy_options(1);
  o.keys.il_train.validation_images = 400;
  EXPECT_NE(error_of([&] { train_invertible_logic(o, toy.train, toy.test); }).find("il_train.validation_images = 400"),
            std::string::npos);
  o = toy_options(1);
  o.keys.il_train.hidden_i0_min = 2;
  EXPECT_NE(error_of([&] { train_invertible_logic(o, toy.train, toy.test); }).find("il_train.hidden_i0_min = 2"),
            std::string::npos);
  o = toy_options(1);
  const Network other = test::random_conv_network(6, 6, 1, {{5, 3, 1, 0, -1, 2, 2}}, {4}, 9, true);
  o.conv_init = test::temp_path("other.scbnn");
  save_network(other, o.conv_init);
  const std::string msg = error_of([&] { train_invertible_logic(o, toy.train, toy.test); });
  EXPECT_NE(msg.find("--conv"), std::string::npos) << msg;
  Config c(il_train_schema());
  EXPECT_NE(error_of([&] { c.apply_override("il_train.j_bits=40"); }).find("il_train.j_bits"), std::string::npos);
}

// The il_train.* keys carry their sources and docs/invertible-logic.md lists them.
TEST(IlTrain, KeysAreDocumented) {
  std::vector<ParamSpec> keys;
  for (const auto& s : il_train_schema()) {
    EXPECT_FALSE(s.source.empty()) << s.key;
    EXPECT_FALSE(s.description.empty()) << s.key;
    if (s.key.rfind("il_train.", 0) == 0) keys.push_back(s);
  }
  EXPECT_GE(keys.size(), 10u);
  const std::string doc = read_doc("invertible-logic.md");
  EXPECT_NE(doc.find(schema_markdown(keys)), std::string::npos)
      << "docs/invertible-logic.md's il_train key table is out of date; it should read:\n"
      << schema_markdown(keys);
}
