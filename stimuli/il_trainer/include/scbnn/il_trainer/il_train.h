#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scbnn/base/params.h"
#include "scbnn/models/pbit_engine.h"
#include "scbnn/stimuli/arch.h"
#include "scbnn/stimuli/dataset.h"
#include "scbnn/stimuli/network.h"

namespace scbnn {

// Training a binarized 2-layer CNN (one binarized convolution with its max-pool, one dense
// output layer) with the p-bit engine in invertible-logic learning mode: inputs and labels
// clamped, weights free, sampled with annealing, read out as the majority over the last
// sweeps (docs/invertible-logic.md, "Training"). No gradient is computed anywhere.
//
// Every learning Hamiltonian is an equality gate over a neuron's pre-activation,
// H = 1/2 sum_examples (sum_k u_k w_k - target)^2, whose products u_k w_k have a clamped
// factor: folded, it couples the weight p-bits pairwise (J = -sum u u^T) and biases them
// (h = sum target u), so the examples leave no p-bit of their own in the graph.

// Keys il_train.* (declared relative to il_train).
struct IlTrainParams {
  uint32_t train_images = 0;        // first N images of the training split (0: all)
  uint32_t validation_images = 0;   // of those, the last N held out to choose the round (0: none)
  double output_margin = 0.125;     // output neurons' target pre-activation, a fraction m of their n inputs: +-m n
  double other_target = -1;         // the other classes' target, in units of the true class's
  uint32_t j_bits = 12;             // signed bits of a stored coupling (the largest |J| is 2^(j_bits-1) - 1)
  uint32_t readout_sweeps = 100;    // weights read out as the majority over the last N sweeps of an anneal
  uint32_t rounds = 0;              // block rounds that learn the convolution (0: it keeps its initial weights)
  uint32_t hidden_examples = 5000;  // examples of a round's hidden phase and convolution learning
  uint32_t hidden_batch = 64;       // examples per hidden-phase anneal (disjoint copies in one engine)
  uint32_t hidden_sweeps = 50;      // sweeps of a hidden-phase anneal
  double hidden_i0_min = 0.05, hidden_i0_max = 1.0;  // its I0 range (relative: largest |J| = 1)
  double conv_prior = 16;       // field on a pooled bit per pixel unit (2^bits - 1) of its window's largest margin
  double prior_clip = 4;        // the margin is clipped to +-prior_clip pixel units
  double conv_margin = 3;       // target of a convolution position, +-conv_margin pixel units
  uint32_t row_banks = 0;       // J memory banks updated per accumulation cycle (0: one per output-layer input)
  uint32_t feature_adders = 0;  // kernel-element adds per feature cycle (0: one per convolution weight)
  uint32_t lut_index_bits = 6;  // area only: a p-bit unit's tanh table has 2^bits entries of R + 1 bits

  template <class V>
  void declare(V& v) {
    v("train_images", train_images, Range{0, 1e7}, "images",
      "first N images of the training split used for training (0: all)",
      "assumption: all 60 000 (the folded Hamiltonians make the example count cheap)");
    v("validation_images", validation_images, Range{0, 1e7}, "images",
      "of the training images, the last N held out to choose the best round (0: none, the last round is kept)",
      "assumption");
    v("output_margin", output_margin, Range{1e-3, 1}, "of the inputs",
      "target pre-activation of an output neuron in its equality gate, as a fraction of the layer's inputs n: "
      "+margin n for the true class, -margin n for the others",
      "measured: of 1/18, 1/9, 1/8 and 2/9 (16, 32, 36 and 64 of 288 inputs), 1/8 gave the best training accuracy "
      "(docs/invertible-logic.md)");
    v("other_target", other_target, Range{-1, 0}, "of the margin",
      "target of the output neurons of the classes an image is not, as a multiple of the true class's target "
      "(-1: -margin n; 0: zero)",
      "measured: of -1, -1/2, -1/3 and 0, -1 gave the best training accuracy (docs/invertible-logic.md)");
    v("j_bits", j_bits, Range{4, 24}, "bits",
      "signed width of a stored coupling: each learning Hamiltonian is scaled so that its largest coupling "
      "magnitude is 2^(j_bits-1) - 1 and rounded",
      "assumption: 12-bit J words");
    v("readout_sweeps", readout_sweeps, Range{1, 1e6}, "sweeps",
      "weights are read out as the majority of their spins over the last N sweeps of an anneal",
      "as the learning test of docs/invertible-logic.md (last 100 sweeps)");
    v("rounds", rounds, Range{0, 100}, "rounds",
      "block rounds learning the convolution (hidden phase, convolution learning, output learning); 0: the "
      "convolution keeps its initial weights",
      "assumption");
    v("hidden_examples", hidden_examples, Range{1, 1e7}, "images",
      "training images of each round's hidden phase and convolution learning", "assumption");
    v("hidden_batch", hidden_batch, Range{1, 65536}, "images",
      "images per hidden-phase anneal (disjoint copies of the pooled p-bits in one engine)", "assumption");
    v("hidden_sweeps", hidden_sweeps, Range{2, 1e6}, "sweeps", "sweeps of a hidden-phase anneal", "assumption");
    v("hidden_i0_min", hidden_i0_min, Range{0, 1e6}, "1/largest coupling",
      "I0 of a hidden-phase anneal's first sweep (the Hamiltonian scaled to a largest coupling of 1)", "assumption");
    v("hidden_i0_max", hidden_i0_max, Range{0, 1e6}, "1/largest coupling", "I0 of a hidden-phase anneal's last sweep",
      "assumption");
    v("conv_prior", conv_prior, Range{0, 1e6}, "field per pixel unit",
      "hidden phase: field on a pooled bit per pixel unit (2^bits - 1) of its pooling window's largest "
      "convolution margin (the forward pass's vote)",
      "assumption");
    v("prior_clip", prior_clip, Range{0, 1e6}, "pixel units", "hidden phase: the margin is clipped to +-this",
      "assumption");
    v("conv_margin", conv_margin, Range{1e-3, 1e6}, "pixel units",
      "convolution learning: target pre-activation of a position, +-this many pixel units (2^bits - 1)", "assumption");
    v("row_banks", row_banks, Range{0, 1e7}, "banks",
      "cost model: J memory banks, each accumulating one coupling word per cycle (0: one per output-layer input)",
      "assumption");
    v("feature_adders", feature_adders, Range{0, 1e7}, "adders",
      "cost model: kernel-element adds of the feature pass per cycle (0: one per convolution weight)", "assumption");
    v("lut_index_bits", lut_index_bits, Range{1, 20}, "bits",
      "cost model (area): a p-bit unit's tanh table has 2^bits entries of il.rng_bits + 1 bits, addressed by "
      "the I0-scaled field",
      "assumption: 64 entries over I0 I in [-4, 4) in steps of 1/8; beyond, (1 + tanh) / 2 is within 2^-8 of 0 or 1");
  }
  void validate() const;
};

// Keys of `scbnn train-il`: the engine's il.*, the training's il_train.* and the master seed.
struct IlTrainKeys {
  uint64_t seed = 1;
  PbitParams il;
  IlTrainParams il_train;
  IlTrainKeys();  // train-il's own engine defaults (il.i0_*, il.sweeps), see il_train_schema()
  template <class V>
  void declare(V& v) {
    v("seed", seed, Range{0, 1.8e19}, "", "master seed of every random stream (engines, initial weights)",
      "assumption");
    v.group("il", il);
    v.group("il_train", il_train);
  }
};
std::vector<ParamSpec> il_train_schema();

// Counted work of a training run, for the cost model (il_train_cost.h).
struct IlTrainCounts {
  PbitCounts engine;  // summed over every anneal
  uint64_t anneals = 0;
  uint64_t feature_adds = 0;      // feature passes: kernel-element adds (one per weight per position)
  uint64_t feature_compares = 0;  // threshold compares (one per output position and channel)
  uint64_t coupling_updates = 0;  // J accumulation: one per coupling word (both directions) per example
  uint64_t bias_updates = 0;      // h accumulation: one per bias word per example
  uint64_t products = 0;          // multi-bit products of the convolution learning's accumulation
  uint64_t j_words_written = 0;   // coupling words written for the anneals (both directions)
  uint32_t max_pbits = 0;         // p-bits of the largest anneal: the engine's p-bit units
  uint64_t max_j_words = 0;       // coupling words of the largest anneal's graph (both directions)
  uint64_t j_memory_words = 0;    // largest Hamiltonian's words, copies sharing theirs: n (n - 1) + copies x n
  uint32_t max_row_words = 0;     // largest number of coupling words of one p-bit (its J row)
  uint32_t accumulator_bits = 0;  // width of a J accumulator word (holds the sum over the examples)
  uint32_t field_bits = 0;        // width of a p-bit's field register
  uint64_t feature_cycles = 0, accumulate_cycles = 0;  // cycles of the feature passes and the accumulation
  uint64_t engine_cycles() const { return engine.cycles; }
  uint64_t cycles() const { return feature_cycles + accumulate_cycles + engine.cycles; }
};

// One round's figures (round 0: the initial convolution, output layer learnt).
struct IlRoundStats {
  uint32_t round = 0;
  double train_accuracy = 0, validation_accuracy = -1, test_accuracy = 0;  // -1: no validation set
  double hidden_changed = 0;                        // fraction of pooled bits the hidden phase changed (rounds >= 1)
  double targets_reproduced = 0;                    // fraction of the pooled targets the convolution kept reproduces
  double prepool_learnt = 0, prepool_previous = 0;  // pre-pool targets reproduced by the learnt / previous kernels
  uint32_t channels_accepted = 0;                   // channels that took the learnt kernel
  double seconds = 0;                               // host time of the round
};

struct IlTrainOptions {
  Architecture arch;                 // one conv2d (with its pool) and one dense output layer
  std::string conv_init = "random";  // "random", or a network file whose first layer starts the convolution
  IlTrainKeys keys;
  std::string dataset_name = "fashion-mnist";
  uint32_t downsample = 1;  // recorded in the provenance (the data sets come downsampled)
};

struct IlTrainResult {
  Network network;  // folded, integer-only, with provenance
  std::vector<IlRoundStats> rounds;
  uint32_t chosen_round = 0;
  double train_accuracy = 0, validation_accuracy = -1, test_accuracy = 0;  // of `network`
  std::vector<uint8_t> test_predictions;  // `network`'s class per test image (stimuli/evaluate.h)
  IlTrainCounts counts;
  double host_seconds = 0;
};

// Checks that `arch` is one convolution (its pool optional) followed by one dense layer of
// `classes` neurons; InputError naming `where` otherwise.
void check_il_architecture(const Architecture& arch, const std::string& where);

// Trains on `train` (its first il_train.train_images), tests on `test`; both hold the images
// the network reads (already downsampled). `log` (optional) receives one line per step.
IlTrainResult train_invertible_logic(const IlTrainOptions& options, const Dataset& train, const Dataset& test,
                                     const std::function<void(const std::string&)>& log = {});

// ---------------------------------------------------------------------------------------
// The pieces (exposed for the tests).

// A learning Hamiltonian over `copies` disjoint copies of an n-p-bit block that share the
// couplings j (n x n, symmetric, diagonal ignored), with biases h (copies x n), in real
// numbers: H = - sum_{i<k} J_ik m_i m_k - sum_i h_i m_i per copy.
struct BlockHamiltonian {
  uint32_t n = 0, copies = 0;
  std::vector<double> j, h;
};
// Scaled by s = (2^(bits-1) - 1) / max|J| and rounded (J and h alike): the engine runs it at
// I0 = I0' / s for an I0' relative to a largest |J| of 1. `bias_bound` (scaled units, 0: the
// largest |h|) raises the field bound so that later set_bias() calls up to it are accepted.
struct QuantisedHamiltonian {
  IsingGraph graph;
  double scale = 1;  // s
};
QuantisedHamiltonian quantise(const BlockHamiltonian& hamiltonian, uint32_t j_bits, double bias_bound = 0);
// h quantised at an existing scale (for set_bias).
int32_t quantised_bias(double h, double scale);

// Anneals `engine` from its current state with I0 from i0_min / scale to i0_max / scale over
// `sweeps` sweeps (il.schedule) and returns the majority of every p-bit's spin over the last
// `readout` sweeps.
std::vector<int8_t> anneal_majority(PbitEngine& engine, double scale, double i0_min, double i0_max, uint32_t sweeps,
                                    uint32_t readout);

// The output layer's equality gates (one per class, sharing the couplings) for examples
// with pooled features z (each a +-1 vector of n) and labels: J_ik = -sum z_i z_k,
// h_ji = m sum t_j z_i with t_j = +1 for the true class and `other` otherwise.
BlockHamiltonian output_hamiltonian(const std::vector<std::vector<int8_t>>& z, const std::vector<uint8_t>& labels,
                                    uint32_t classes, double margin, double other = -1,
                                    IlTrainCounts* counts = nullptr);

}  // namespace scbnn
