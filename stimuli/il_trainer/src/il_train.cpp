// The invertible-logic trainer of a binarized 2-layer CNN (docs/invertible-logic.md, "Training").
#include "scbnn/il_trainer/il_train.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <numeric>
#include <random>
#include <stdexcept>

#include "scbnn/base/errors.h"
#include "scbnn/models/random_stream.h"
#include "scbnn/stimuli/evaluate.h"

namespace scbnn {

void IlTrainParams::validate() const {
  if (hidden_i0_min > hidden_i0_max)
    throw InputError("il_train.hidden_i0_min = " + shortest_number_text(hidden_i0_min) +
                     " exceeds il_train.hidden_i0_max = " + shortest_number_text(hidden_i0_max));
  if (j_bits < 4 || j_bits > 24) throw InputError("il_train.j_bits = " + std::to_string(j_bits) + ": expected 4 to 24");
}

IlTrainKeys::IlTrainKeys() {
  // The learning Hamiltonians are scaled to a largest |J| of 1 (il_train.j_bits) but their
  // fields reach thousands (a bias sums over every example): I0 rises geometrically from
  // 1e-5 (every p-bit nearly free) to 20 (frozen) over 1000 sweeps. Starting at 0.05 froze
  // the weights in the first sweeps (measured: 2 points less training accuracy).
  il.schedule = AnnealShape::geometric;
  il.i0_min = 1e-5;
  il.i0_max = 20;
  il.sweeps = 1000;
}

std::vector<ParamSpec> il_train_schema() { return ParamSchema::of(IlTrainKeys{}); }

void check_il_architecture(const Architecture& arch, const std::string& where) {
  if (arch.layers.size() != 2 || arch.layers[0].type != LayerType::conv2d || arch.layers[1].type != LayerType::dense)
    throw InputError(where + " '" + to_string(arch) +
                     "': the invertible-logic trainer takes one convolution (its pool optional) and one dense "
                     "output layer, e.g. conv8k3,pool2,dense10");
}

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The convolution being trained, with the geometry of its windows and pools.
class ConvLayer {
 public:
  ConvLayer(const LayerShape& shape, uint32_t pixel_bits)
      : shape_(shape),
        full_(int32_t((1u << pixel_bits) - 1)),
        window_(shape.inputs),
        channels_(shape.outputs),
        positions_(uint32_t(shape.positions())),
        weights_(size_t(channels_) * window_, 1),
        threshold_(channels_, 0),
        direction_(channels_, 1) {
    build_pools();
  }
  uint32_t window() const { return window_; }
  uint32_t channels() const { return channels_; }
  uint32_t positions() const { return positions_; }
  uint32_t pooled_values() const { return uint32_t(members_.size()); }
  int32_t full_scale() const { return full_; }
  const LayerShape& shape() const { return shape_; }

  int8_t& weight(uint32_t c, uint32_t k) { return weights_[size_t(c) * window_ + k]; }
  int8_t weight(uint32_t c, uint32_t k) const { return weights_[size_t(c) * window_ + k]; }
  int32_t& threshold(uint32_t c) { return threshold_[c]; }
  int32_t& direction(uint32_t c) { return direction_[c]; }
  int32_t threshold(uint32_t c) const { return threshold_[c]; }
  int32_t direction(uint32_t c) const { return direction_[c]; }

  // Window values (positions x window, the weight order) of an image: 2x - full for pixel x,
  // the padding value (+-full) outside the image.
  void windows(const uint8_t* pixels, std::vector<int32_t>& out) const {
    const ConvGeometry& g = shape_.conv;
    out.resize(size_t(positions_) * window_);
    const int32_t pad = g.padding_value * full_;
    size_t at = 0;
    for (uint32_t oy = 0; oy < g.out_height(); ++oy)
      for (uint32_t ox = 0; ox < g.out_width(); ++ox)
        for (uint32_t ky = 0; ky < g.kernel; ++ky)
          for (uint32_t kx = 0; kx < g.kernel; ++kx) {
            const int64_t y = int64_t(oy) * g.stride + ky - g.padding;
            const int64_t x = int64_t(ox) * g.stride + kx - g.padding;
            const bool inside = y >= 0 && y < g.in_height && x >= 0 && x < g.in_width;
            for (uint32_t c = 0; c < g.in_channels; ++c)
              out[at++] =
                  inside ? 2 * int32_t(pixels[(size_t(y) * g.in_width + size_t(x)) * g.in_channels + c]) - full_ : pad;
          }
  }
  // Pre-activation a of channel c at one window.
  int32_t preactivation(const int32_t* window, uint32_t c) const {
    const int8_t* w = &weights_[size_t(c) * window_];
    int32_t a = 0;
    for (uint32_t k = 0; k < window_; ++k) a += w[k] > 0 ? window[k] : -window[k];
    return a;
  }
  // Margins d = direction (a - threshold) (positions x channels): the unit fires iff d >= 0.
  void margins(const std::vector<int32_t>& windows, std::vector<int32_t>& out) const {
    out.resize(size_t(positions_) * channels_);
    for (uint32_t p = 0; p < positions_; ++p)
      for (uint32_t c = 0; c < channels_; ++c)
        out[size_t(p) * channels_ + c] =
            direction_[c] * (preactivation(&windows[size_t(p) * window_], c) - threshold_[c]);
  }
  // Pooled +-1 outputs (HWC, the dense layer's inputs): +1 iff some unit of the window fires.
  void pool(const std::vector<int32_t>& margins, std::vector<int8_t>& z) const {
    z.resize(members_.size());
    for (size_t i = 0; i < members_.size(); ++i) z[i] = largest_margin(margins, i) >= 0 ? 1 : -1;
  }
  int32_t largest_margin(const std::vector<int32_t>& margins, size_t pooled) const {
    int32_t best = margins[members_[pooled].front()];
    for (uint32_t m : members_[pooled]) best = std::max(best, margins[m]);
    return best;
  }
  // Pre-pool units (index position x channels + channel) of pooled value i.
  const std::vector<uint32_t>& members(size_t i) const { return members_[i]; }

  Layer to_layer() const {
    Layer l;
    static_cast<LayerShape&>(l) = shape_;
    l.weights = BitMatrix(channels_, window_);
    for (uint32_t c = 0; c < channels_; ++c)
      for (uint32_t k = 0; k < window_; ++k) l.weights.set(c, k, weight(c, k) > 0);
    l.threshold = threshold_;
    l.direction = direction_;
    return l;
  }
  void from_layer(const Layer& l) {
    for (uint32_t c = 0; c < channels_; ++c) {
      for (uint32_t k = 0; k < window_; ++k) weight(c, k) = l.weights.get(c, k) ? 1 : -1;
      threshold_[c] = l.threshold[c];
      direction_[c] = l.direction[c];
    }
  }

 private:
  void build_pools() {
    const uint32_t ow = shape_.conv.out_width();
    const PoolGeometry& pg = shape_.pool;
    if (!pg.present()) {
      members_.resize(size_t(positions_) * channels_);
      for (uint32_t i = 0; i < members_.size(); ++i) members_[i] = {i};
      return;
    }
    const uint32_t ph = shape_.output_height(), pw = shape_.output_width();
    members_.resize(size_t(ph) * pw * channels_);
    for (uint32_t py = 0; py < ph; ++py)
      for (uint32_t px = 0; px < pw; ++px)
        for (uint32_t c = 0; c < channels_; ++c) {
          auto& m = members_[(size_t(py) * pw + px) * channels_ + c];
          for (uint32_t wy = 0; wy < pg.window; ++wy)
            for (uint32_t wx = 0; wx < pg.window; ++wx)
              m.push_back(((py * pg.stride + wy) * ow + px * pg.stride + wx) * channels_ + c);
        }
  }

  LayerShape shape_;
  int32_t full_;
  uint32_t window_, channels_, positions_;
  std::vector<int8_t> weights_;  // channels x window, +-1
  std::vector<int32_t> threshold_, direction_;
  std::vector<std::vector<uint32_t>> members_;
};

// What a training run works on.
struct Split {
  const Dataset* data = nullptr;
  size_t first = 0, count = 0;
};

struct Features {
  std::vector<std::vector<int8_t>> z;        // pooled outputs per image
  std::vector<std::vector<int32_t>> margin;  // pre-pool margins of the first `kept` images
};

class IlTrainer {
 public:
  IlTrainer(const IlTrainOptions& o, const Dataset& train, const Dataset& test,
            const std::function<void(const std::string&)>& log)
      : o_(o), k_(o.keys), p_(o.keys.il_train), train_(train), test_(test), log_(log) {
    p_.validate();
    k_.il.seed = k_.seed;
    k_.il.validate();
    check_il_architecture(o.arch, "--arch");
    input_.mode = InputMode::fixed;
    input_.bits = 8;
    input_.rows = train.rows;
    input_.cols = train.cols;
    input_.channels = train.channels;
    if (test.rows != train.rows || test.cols != train.cols || test.channels != train.channels)
      throw InputError("the training images (" + dataset_shape(train) + ") and the test images (" +
                       dataset_shape(test) + ") differ in shape");
    shapes_ = layer_shapes(o.arch, input_, "--arch");
    classes_ = shapes_[1].outputs;
    const size_t available = train.count();
    const size_t used = p_.train_images ? std::min<size_t>(p_.train_images, available) : available;
    if (p_.train_images > available)
      throw InputError("il_train.train_images = " + std::to_string(p_.train_images) + " but the training split holds " +
                       std::to_string(available) + " images");
    if (p_.validation_images >= used)
      throw InputError("il_train.validation_images = " + std::to_string(p_.validation_images) +
                       " leaves no training image of il_train.train_images = " + std::to_string(used));
    fit_ = {&train, 0, used - p_.validation_images};
    validation_ = {&train, fit_.count, p_.validation_images};
    for (size_t i = 0; i < used; ++i)
      if (train.labels[i] >= classes_)
        throw InputError("training image " + std::to_string(i) + " has label " + std::to_string(train.labels[i]) +
                         " but the output layer has " + std::to_string(classes_) + " classes");
  }

  IlTrainResult run() {
    const auto start = Clock::now();
    ConvLayer conv(shapes_[0], input_.bits);
    initialise_conv(conv);
    IlTrainResult result;
    Best best;
    const uint32_t kept = uint32_t(std::min<size_t>(p_.hidden_examples, fit_.count));
    for (uint32_t round = 0; round <= p_.rounds; ++round) {
      const auto round_start = Clock::now();
      IlRoundStats stats;
      stats.round = round;
      if (round > 0) {
        // Hidden phase on the previous round's weights, then the convolution from its targets.
        const auto targets = hidden_phase(conv, round, kept, stats);
        learn_convolution(conv, targets, round, stats);
      }
      Features f = feature_pass(conv, fit_, p_.rounds > 0 ? kept : 0, true);
      w2_ = learn_output(f.z, round);
      features_ = std::move(f);
      stats.train_accuracy = accuracy(conv, fit_, &features_.z);
      if (validation_.count) stats.validation_accuracy = accuracy(conv, validation_);
      stats.test_accuracy = accuracy(conv, {&test_, 0, test_.count()});
      stats.seconds = seconds_since(round_start);
      say("round " + std::to_string(round) + ": train " + percent(stats.train_accuracy) +
          (validation_.count ? ", validation " + percent(stats.validation_accuracy) : "") + ", test " +
          percent(stats.test_accuracy) + " (" + std::to_string(stats.seconds) + " s)");
      result.rounds.push_back(stats);
      const double score = validation_.count ? stats.validation_accuracy : double(round);
      if (round == 0 || score > best.score) best = {score, round, conv.to_layer(), w2_};
    }
    result.chosen_round = best.round;
    result.network = make_network(best);
    count_cycles();
    result.counts = counts_;
    result.host_seconds = seconds_since(start);
    evaluate(result);
    record_provenance(result);
    validate_network(result.network, "train-il");
    return result;
  }

 private:
  struct Best {
    double score = -1;
    uint32_t round = 0;
    Layer conv;
    std::vector<int8_t> w2;
  };

  void say(const std::string& line) const {
    if (log_) log_(line);
  }
  static std::string percent(double a) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f %%", 100 * a);
    return buf;
  }

  // Random kernels from the seed's stream, thresholds at each channel's median
  // pre-activation over (up to) the first 1000 training images; or a network file's layer.
  void initialise_conv(ConvLayer& conv) {
    if (o_.conv_init != "random") {
      Network init;
      try {
        init = load_network(o_.conv_init);
      } catch (const InputError& e) {
        throw InputError(std::string("--conv: ") + e.what());
      }
      const Layer& l = init.layers.front();
      const LayerShape& want = shapes_[0];
      if (!l.is_conv() || l.inputs != want.inputs || l.outputs != want.outputs || l.conv.kernel != want.conv.kernel ||
          l.conv.stride != want.conv.stride || l.conv.padding != want.conv.padding ||
          l.conv.padding_value != want.conv.padding_value || l.conv.in_height != want.conv.in_height ||
          l.conv.in_width != want.conv.in_width || l.pool.window != want.pool.window ||
          l.pool.stride != want.pool.stride || init.input.bits != input_.bits)
        throw InputError("--conv " + o_.conv_init + ": its first layer is " + l.describe() +
                         " but the architecture's is " + want.describe());
      conv.from_layer(l);
      return;
    }
    std::mt19937_64 rng(stream_seed(k_.seed, "train_il.conv_init"));
    for (uint32_t c = 0; c < conv.channels(); ++c)
      for (uint32_t k = 0; k < conv.window(); ++k) conv.weight(c, k) = (rng() >> 63) ? 1 : -1;
    std::vector<std::vector<int32_t>> pre(conv.channels());
    std::vector<int32_t> win;
    const size_t images = std::min<size_t>(fit_.count, 1000);
    for (size_t i = 0; i < images; ++i) {
      conv.windows(train_.image(fit_.first + i), win);
      for (uint32_t p = 0; p < conv.positions(); ++p)
        for (uint32_t c = 0; c < conv.channels(); ++c)
          pre[c].push_back(conv.preactivation(&win[size_t(p) * conv.window()], c));
    }
    for (uint32_t c = 0; c < conv.channels(); ++c) {
      auto& v = pre[c];
      std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
      conv.threshold(c) = v[v.size() / 2];
      conv.direction(c) = 1;
    }
  }

  // The convolution over a split: pooled outputs of every image, and the margins of the
  // first `keep` images. Counted (when `counted`) as the training's feature work.
  Features feature_pass(const ConvLayer& conv, const Split& s, uint32_t keep, bool counted) {
    Features f;
    f.z.resize(s.count);
    f.margin.resize(std::min<size_t>(keep, s.count));
    std::vector<int32_t> win, margin;
    for (size_t i = 0; i < s.count; ++i) {
      conv.windows(s.data->image(s.first + i), win);
      conv.margins(win, margin);
      conv.pool(margin, f.z[i]);
      if (i < f.margin.size()) f.margin[i] = margin;
    }
    if (counted) count_features(conv, s.count);
    return f;
  }
  void count_features(const ConvLayer& conv, uint64_t images) {
    counts_.feature_adds += images * conv.positions() * conv.channels() * conv.window();
    counts_.feature_compares += images * conv.positions() * conv.channels();
  }

  // Output layer: the equality gates of every class over the fit split, one engine.
  std::vector<int8_t> learn_output(const std::vector<std::vector<int8_t>>& z, uint32_t round) {
    std::vector<uint8_t> labels(fit_.count);
    for (size_t i = 0; i < fit_.count; ++i) labels[i] = train_.labels[fit_.first + i];
    const BlockHamiltonian ham =
        output_hamiltonian(z, labels, classes_, p_.output_margin * shapes_[1].inputs, p_.other_target, &counts_);
    const QuantisedHamiltonian q = quantise(ham, p_.j_bits);
    counts_.accumulator_bits = std::max(counts_.accumulator_bits, bits_for(uint64_t(fit_.count)));
    return anneal(q, ham.n, "train_il.output.round" + std::to_string(round), k_.il.i0_min, k_.il.i0_max, k_.il.sweeps,
                  p_.readout_sweeps, nullptr);
  }

  // One anneal of a quantised Hamiltonian in a fresh engine (random start), counted.
  std::vector<int8_t> anneal(const QuantisedHamiltonian& q, uint32_t block, const std::string& name, double i0_min,
                             double i0_max, uint32_t sweeps, uint32_t readout, const std::vector<int8_t>* start) {
    PbitEngine engine(name, q.graph, k_.il);
    if (start)
      for (uint32_t i = 0; i < engine.size(); ++i) engine.set_spin(i, (*start)[i]);
    auto spins = anneal_majority(engine, q.scale, i0_min, i0_max, sweeps, readout);
    count_anneal(engine, block);
    return spins;
  }
  void count_anneal(const PbitEngine& engine, uint32_t block) {
    const PbitCounts& c = engine.counts();
    PbitCounts& t = counts_.engine;
    t.sweeps += c.sweeps;
    t.colour_steps += c.colour_steps;
    t.updates += c.updates;
    t.flips += c.flips;
    t.tanh_evaluations += c.tanh_evaluations;
    t.rng_draws += c.rng_draws;
    t.rng_bits += c.rng_bits;
    t.rng_events += c.rng_events;
    t.weight_reads += c.weight_reads;
    t.cycles += c.cycles;
    ++counts_.anneals;
    const IsingGraph& g = engine.graph();
    counts_.max_pbits = std::max(counts_.max_pbits, g.size());
    counts_.max_j_words = std::max<uint64_t>(counts_.max_j_words, g.neighbours.size());
    for (uint32_t i = 0; i < g.size(); ++i) counts_.max_row_words = std::max(counts_.max_row_words, g.degree(i));
    counts_.j_words_written += g.neighbours.size() + g.size();  // couplings and biases
    counts_.j_memory_words = std::max<uint64_t>(counts_.j_memory_words, uint64_t(block) * (block - 1) + g.size());
    counts_.field_bits = std::max(counts_.field_bits, bits_for(uint64_t(g.max_abs_field)) + 1);
  }
  // Cycles of the feature passes and of the accumulation (docs/invertible-logic.md, "Cost").
  void count_cycles() {
    const uint64_t banks = p_.row_banks ? p_.row_banks : shapes_[1].inputs;
    const uint64_t adders = p_.feature_adders ? p_.feature_adders : uint64_t(shapes_[0].inputs) * shapes_[0].outputs;
    counts_.accumulate_cycles = (counts_.coupling_updates + counts_.bias_updates + banks - 1) / banks;
    counts_.feature_cycles = (counts_.feature_adds + adders - 1) / adders;
  }
  static uint32_t bits_for(uint64_t v) {  // bits of the magnitude, plus a sign
    uint32_t b = 1;
    while (b < 63 && (uint64_t(1) << b) <= v) ++b;
    return b + 1;
  }

  // Hidden phase: inputs, labels and both layers' weights clamped, the pooled bits free.
  // Per image: the output layer's equality gates (H = 1/2 sum_j (sum_i w_ji z_i - m t_j)^2)
  // and the convolution's forward vote (a field beta x clip(d / full) on z_i from the largest
  // margin d of its pooling window). Returns the pooled targets (kept x pooled values).
  std::vector<std::vector<int8_t>> hidden_phase(const ConvLayer& conv, uint32_t round, uint32_t kept,
                                                IlRoundStats& stats) {
    const uint32_t n = conv.pooled_values();
    BlockHamiltonian ham;
    ham.n = n;
    ham.copies = std::min(p_.hidden_batch, kept);
    ham.j.assign(size_t(n) * n, 0);
    for (uint32_t i = 0; i < n; ++i)
      for (uint32_t k = 0; k < n; ++k) {
        if (i == k) continue;
        double s = 0;
        for (uint32_t j = 0; j < classes_; ++j) s += double(w2_[size_t(j) * n + i]) * w2_[size_t(j) * n + k];
        ham.j[size_t(i) * n + k] = -s;
      }
    counts_.coupling_updates += uint64_t(n) * (n - 1) * classes_;
    const double margin = p_.output_margin * n;
    auto bias_of = [&](size_t e, uint32_t i) {
      double h = 0;
      const uint32_t label = train_.labels[fit_.first + e];
      for (uint32_t j = 0; j < classes_; ++j)
        h += (j == label ? margin : p_.other_target * margin) * w2_[size_t(j) * n + i];
      const double d = double(conv.largest_margin(features_.margin[e], i)) / conv.full_scale();
      return h + p_.conv_prior * std::clamp(d, -p_.prior_clip, p_.prior_clip);
    };
    // Every image's biases first: their largest sets the field bound the engine's tables cover.
    std::vector<double> bias(size_t(kept) * n);
    double bias_max = 0;
    for (uint32_t e = 0; e < kept; ++e)
      for (uint32_t i = 0; i < n; ++i)
        bias_max = std::max(bias_max, std::fabs(bias[size_t(e) * n + i] = bias_of(e, i)));
    counts_.bias_updates += uint64_t(kept) * n * (classes_ + 1);
    ham.h.assign(size_t(ham.copies) * n, 0);
    QuantisedHamiltonian q = quantise(ham, p_.j_bits, 0);
    const double bound = bias_max * q.scale + 1;
    q = quantise(ham, p_.j_bits, bound);
    PbitEngine engine("train_il.hidden.round" + std::to_string(round), q.graph, k_.il);
    std::vector<std::vector<int8_t>> targets(kept);
    uint64_t changed = 0;
    const uint32_t readout = std::max(1u, std::min(p_.readout_sweeps, p_.hidden_sweeps / 2));
    for (uint32_t first = 0; first < kept; first += ham.copies) {
      const uint32_t batch = std::min(ham.copies, kept - first);
      engine.release_all();
      for (uint32_t c = 0; c < ham.copies; ++c)
        for (uint32_t i = 0; i < n; ++i) {
          const uint32_t pbit = c * n + i;
          if (c < batch) {
            engine.set_bias(pbit, quantised_bias(bias[size_t(first + c) * n + i], q.scale));
            engine.set_spin(pbit, features_.z[first + c][i]);
          } else {
            engine.set_bias(pbit, 0);
            engine.clamp(pbit, -1);  // an unused copy of the last batch
          }
        }
      const auto spins =
          anneal_majority(engine, q.scale, p_.hidden_i0_min, p_.hidden_i0_max, p_.hidden_sweeps, readout);
      for (uint32_t c = 0; c < batch; ++c) {
        auto& t = targets[first + c];
        t.assign(spins.begin() + size_t(c) * n, spins.begin() + size_t(c + 1) * n);
        for (uint32_t i = 0; i < n; ++i) changed += t[i] != features_.z[first + c][i];
      }
    }
    count_anneal(engine, n);
    stats.hidden_changed = double(changed) / (double(kept) * n);
    say("  hidden phase: " + std::to_string(kept) + " images, " + percent(stats.hidden_changed) +
        " of the pooled bits changed");
    return targets;
  }

  // Pre-pool targets from pooled targets (the OR backwards at zero temperature): a pooled -1
  // turns every unit of its window off; a pooled +1 whose window has no firing unit turns on
  // the unit of largest margin; every other unit keeps its forward value. Off wins where
  // overlapping windows disagree. Returns +-1 per (position, channel).
  std::vector<int8_t> prepool_targets(const ConvLayer& conv, const std::vector<int32_t>& margin,
                                      const std::vector<int8_t>& pooled) const {
    std::vector<int8_t> t(margin.size());
    for (size_t u = 0; u < margin.size(); ++u) t[u] = margin[u] >= 0 ? 1 : -1;
    std::vector<uint8_t> forced_off(margin.size(), 0);
    for (size_t i = 0; i < pooled.size(); ++i) {
      const auto& m = conv.members(i);
      if (pooled[i] < 0) {
        for (uint32_t u : m) forced_off[u] = 1;
        continue;
      }
      uint32_t best = m.front();
      bool any = false;
      for (uint32_t u : m) {
        any |= margin[u] >= 0;
        if (margin[u] > margin[best]) best = u;
      }
      if (!any) t[best] = 1;
    }
    for (size_t u = 0; u < t.size(); ++u)
      if (forced_off[u]) t[u] = -1;
    return t;
  }

  // Convolution learning: with the windows and the pre-pool targets clamped, each channel's
  // kernel is the equality gate sum_k (v_k / full) w_k = +-conv_margin over every position of
  // the kept images: J = -sum u u^T is shared by the channels (one weight p-bit per kernel
  // element, coupled to every position through the folded sum), h_c = margin sum y_c u.
  // Thresholds then match each channel's target firing rate (a quantile, counted as compares).
  void learn_convolution(ConvLayer& conv, const std::vector<std::vector<int8_t>>& pooled_targets, uint32_t round,
                         IlRoundStats& stats) {
    const uint32_t w = conv.window(), channels = conv.channels(), positions = conv.positions();
    const size_t kept = pooled_targets.size();
    std::vector<double> gram(size_t(w) * w, 0), target_sum(size_t(channels) * w, 0);
    std::vector<std::vector<int8_t>> targets(kept);
    std::vector<uint64_t> on(channels, 0);
    std::vector<int32_t> win;
    const double full = conv.full_scale();
    for (size_t e = 0; e < kept; ++e) {
      targets[e] = prepool_targets(conv, features_.margin[e], pooled_targets[e]);
      conv.windows(train_.image(fit_.first + e), win);
      for (uint32_t p = 0; p < positions; ++p) {
        const int32_t* v = &win[size_t(p) * w];
        for (uint32_t a = 0; a < w; ++a)
          for (uint32_t b = a + 1; b < w; ++b) gram[size_t(a) * w + b] += double(v[a]) * v[b];
        for (uint32_t c = 0; c < channels; ++c) {
          const int8_t y = targets[e][size_t(p) * channels + c];
          on[c] += y > 0;
          for (uint32_t a = 0; a < w; ++a) target_sum[size_t(c) * w + a] += y * double(v[a]);
        }
      }
    }
    const uint64_t samples = uint64_t(kept) * positions;
    counts_.products += samples * (uint64_t(w) * (w - 1) / 2);
    counts_.coupling_updates += samples * uint64_t(w) * (w - 1);
    counts_.bias_updates += samples * uint64_t(channels) * w;
    counts_.accumulator_bits =
        std::max(counts_.accumulator_bits, bits_for(samples * uint64_t(conv.full_scale()) * conv.full_scale()));
    BlockHamiltonian ham;
    ham.n = w;
    ham.copies = channels;
    ham.j.assign(size_t(w) * w, 0);
    for (uint32_t a = 0; a < w; ++a)
      for (uint32_t b = a + 1; b < w; ++b)
        ham.j[size_t(a) * w + b] = ham.j[size_t(b) * w + a] = -gram[size_t(a) * w + b] / (full * full);
    ham.h.resize(size_t(channels) * w);
    for (size_t i = 0; i < ham.h.size(); ++i) ham.h[i] = p_.conv_margin * target_sum[i] / full;
    const auto spins = anneal(quantise(ham, p_.j_bits), w, "train_il.conv.round" + std::to_string(round), k_.il.i0_min,
                              k_.il.i0_max, k_.il.sweeps, p_.readout_sweeps, nullptr);
    const Layer previous = conv.to_layer();
    for (uint32_t c = 0; c < channels; ++c)
      for (uint32_t k = 0; k < w; ++k) conv.weight(c, k) = spins[size_t(c) * w + k];
    // Thresholds: the pre-activations of the new kernels, each channel firing as often as its targets.
    std::vector<std::vector<int32_t>> pre(channels);
    pre_unsorted_.assign(channels, {});
    for (size_t e = 0; e < kept; ++e) {
      conv.windows(train_.image(fit_.first + e), win);
      for (uint32_t p = 0; p < positions; ++p)
        for (uint32_t c = 0; c < channels; ++c) pre[c].push_back(conv.preactivation(&win[size_t(p) * w], c));
    }
    count_features(conv, kept);
    counts_.feature_compares += samples * channels;  // the quantile's counting compares
    for (uint32_t c = 0; c < channels; ++c) {
      pre_unsorted_[c] = pre[c];
      auto& v = pre[c];
      std::sort(v.begin(), v.end(), std::greater<int32_t>());
      conv.direction(c) = 1;
      conv.threshold(c) = on[c] == 0 ? v.front() + 1 : v[size_t(on[c] - 1)];
    }
    // A channel keeps its previous kernel where that reproduces its pre-pool targets better
    // (the anneal proposes, a zero-temperature acceptance keeps the better).
    std::vector<uint64_t> agree_new(channels, 0), agree_old(channels, 0);
    for (size_t e = 0; e < kept; ++e)
      for (uint32_t p = 0; p < positions; ++p)
        for (uint32_t c = 0; c < channels; ++c) {
          const size_t u = size_t(p) * channels + c;
          const bool target = targets[e][u] > 0;
          agree_new[c] += (pre_unsorted_[c][e * positions + p] >= conv.threshold(c)) == target;
          agree_old[c] += (features_.margin[e][u] >= 0) == target;
        }
    uint64_t sum_new = 0, sum_old = 0;
    for (uint32_t c = 0; c < channels; ++c) sum_new += agree_new[c], sum_old += agree_old[c];
    stats.prepool_learnt = double(sum_new) / (double(samples) * channels);
    stats.prepool_previous = double(sum_old) / (double(samples) * channels);
    say("  learnt kernels reproduce " + percent(stats.prepool_learnt) + " of the pre-pool targets, the previous " +
        percent(stats.prepool_previous));
    uint32_t accepted = 0;
    for (uint32_t c = 0; c < channels; ++c) {
      if (agree_new[c] >= agree_old[c]) {
        ++accepted;
        continue;
      }
      for (uint32_t k = 0; k < w; ++k) conv.weight(c, k) = previous.weights.get(c, k) ? 1 : -1;
      conv.threshold(c) = previous.threshold[c];
      conv.direction(c) = previous.direction[c];
    }
    say("  convolution: " + std::to_string(accepted) + " of " + std::to_string(channels) +
        " channels take the learnt kernel");
    stats.channels_accepted = accepted;
    // How well the new convolution reproduces the pooled targets.
    uint64_t same = 0;
    std::vector<int32_t> margin;
    std::vector<int8_t> z;
    for (size_t e = 0; e < kept; ++e) {
      conv.windows(train_.image(fit_.first + e), win);
      conv.margins(win, margin);
      conv.pool(margin, z);
      for (size_t i = 0; i < z.size(); ++i) same += z[i] == pooled_targets[e][i];
    }
    stats.targets_reproduced = double(same) / (double(kept) * conv.pooled_values());
    say("  the convolution kept reproduces " + percent(stats.targets_reproduced) + " of the pooled targets");
  }

  // First-argmax classification by the output layer (scale 1, offset 0).
  uint32_t classify(const std::vector<int8_t>& z, const std::vector<int8_t>& w2) const {
    const size_t n = z.size();
    uint32_t best = 0;
    int64_t best_score = 0;
    for (uint32_t j = 0; j < classes_; ++j) {
      int64_t a = 0;
      for (size_t i = 0; i < n; ++i) a += z[i] * w2[j * n + i];
      if (j == 0 || a > best_score) best = j, best_score = a;
    }
    return best;
  }
  double accuracy(const ConvLayer& conv, const Split& s, const std::vector<std::vector<int8_t>>* z = nullptr) const {
    if (s.count == 0) return -1;
    uint64_t right = 0;
    std::vector<int32_t> win, margin;
    std::vector<int8_t> zz;
    for (size_t i = 0; i < s.count; ++i) {
      if (!z) {
        conv.windows(s.data->image(s.first + i), win);
        conv.margins(win, margin);
        conv.pool(margin, zz);
      }
      right += classify(z ? (*z)[i] : zz, w2_) == s.data->labels[s.first + i];
    }
    return double(right) / double(s.count);
  }

  Network make_network(const Best& best) const {
    Network net;
    net.input = input_;
    net.score_frac_bits = 0;
    net.layers.push_back(best.conv);
    Layer out;
    static_cast<LayerShape&>(out) = shapes_[1];
    out.weights = BitMatrix(out.outputs, out.inputs);
    for (uint32_t j = 0; j < out.outputs; ++j)
      for (uint32_t i = 0; i < out.inputs; ++i) out.weights.set(j, i, best.w2[size_t(j) * out.inputs + i] > 0);
    out.scale.assign(out.outputs, 1);
    out.offset.assign(out.outputs, 0);
    net.layers.push_back(out);
    return net;
  }

  // The written network's accuracy by the plain integer evaluation (stimuli/evaluate.h).
  void evaluate(IlTrainResult& r) const {
    auto split_accuracy = [&](const Split& s, std::vector<uint8_t>* predictions) {
      if (s.count == 0) return -1.0;
      uint64_t right = 0;
      for (size_t i = 0; i < s.count; ++i) {
        const uint32_t c = predicted_class(integer_scores(r.network, s.data->image(s.first + i)));
        right += c == s.data->labels[s.first + i];
        if (predictions) predictions->push_back(uint8_t(c));
      }
      return double(right) / double(s.count);
    };
    r.train_accuracy = split_accuracy(fit_, nullptr);
    r.validation_accuracy = split_accuracy(validation_, nullptr);
    r.test_accuracy = split_accuracy({&test_, 0, test_.count()}, &r.test_predictions);
    const IlRoundStats& chosen = r.rounds[r.chosen_round];
    if (r.test_accuracy != chosen.test_accuracy || r.train_accuracy != chosen.train_accuracy)
      throw std::logic_error("train-il: the written network's accuracy differs from the trainer's own evaluation");
  }

  void record_provenance(IlTrainResult& r) const {
    nlohmann::json& p = r.network.provenance;
    p["training"] = "invertible-logic";
    p["trainer"] = "scbnn train-il";
    p["architecture"] = to_string(o_.arch);
    p["dataset"] = o_.dataset_name;
    if (o_.downsample > 1)
      p["preprocessing"] = {{"downsample", o_.downsample},
                            {"rule", "each pixel the mean of a " + std::to_string(o_.downsample) + " x " +
                                         std::to_string(o_.downsample) + " block of 8-bit pixels, rounded half up"}};
    p["train_images"] = fit_.count;
    p["validation_images"] = validation_.count;
    p["test_images"] = test_.count();
    p["conv_init"] = o_.conv_init;
    p["seed"] = k_.seed;
    p["rounds"] = p_.rounds;
    p["chosen_round"] = r.chosen_round;
    nlohmann::json keys = nlohmann::json::object();
    IlTrainKeys copy = k_;
    for (const auto& [key, value] : ParamPrinter::of(copy)) keys[key] = value;
    p["keys"] = keys;
    p["train_accuracy"] = r.train_accuracy;
    if (validation_.count) p["validation_accuracy"] = r.validation_accuracy;
    p["test_accuracy"] = r.test_accuracy;
    p["host_seconds"] = std::round(r.host_seconds * 10) / 10;
    p["engine_cycles"] = r.counts.cycles();
    const std::time_t now = std::time(nullptr);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    p["created"] = date;
  }

  const IlTrainOptions& o_;
  IlTrainKeys k_;
  IlTrainParams p_;
  const Dataset& train_;
  const Dataset& test_;
  std::function<void(const std::string&)> log_;
  InputSpec input_;
  std::vector<LayerShape> shapes_;
  uint32_t classes_ = 0;
  Split fit_, validation_;
  Features features_;
  std::vector<int8_t> w2_;
  IlTrainCounts counts_;
  std::vector<std::vector<int32_t>> pre_unsorted_;  // learn_convolution: new kernels' pre-activations per channel
};

}  // namespace

IlTrainResult train_invertible_logic(const IlTrainOptions& options, const Dataset& train, const Dataset& test,
                                     const std::function<void(const std::string&)>& log) {
  IlTrainer trainer(options, train, test, log);
  return trainer.run();
}

}  // namespace scbnn
