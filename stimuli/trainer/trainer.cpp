#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>

#include "scbnn/base/errors.h"
#include "scbnn/stimuli/trainer.h"

namespace scbnn {
namespace {

using torch::Tensor;

// sign with +1 at zero (the hardware fires when a >= threshold), gradient passed
// straight through where |x| <= 1 (hardtanh STE).
Tensor sign_ste(const Tensor& x) {
  const Tensor clipped = x.clamp(-1.0, 1.0);
  const Tensor hard = torch::where(x >= 0, torch::ones_like(x), -torch::ones_like(x));
  return clipped + (hard - clipped).detach();
}

Tensor to_inputs(const Dataset& d, uint32_t limit) {
  const int64_t n = limit ? std::min<int64_t>(limit, d.count()) : int64_t(d.count());
  auto bytes = torch::from_blob(const_cast<uint8_t*>(d.images.data()), {n, int64_t(d.pixels())}, torch::kUInt8);
  return bytes.to(torch::kFloat32).mul(2.0 / 255.0).sub(1.0);
}

// Inputs (2x - 255)/255 -> mean over n samples of (2b - 1), b ~ Bernoulli(x / 256): what
// the comparator SNG (bit = r < x for a uniform 8-bit r) feeds the first layer.
Tensor stochastic_binarization(const Tensor& inputs, uint32_t n) {
  const Tensor p = inputs.add(1).mul(255.0 / 2 / 256);
  Tensor sum = torch::zeros_like(inputs);
  for (uint32_t k = 0; k < n; ++k) sum += torch::bernoulli(p).mul(2).sub(1);
  return sum.div(double(n));
}

Tensor to_labels(const Dataset& d, uint32_t limit) {
  const int64_t n = limit ? std::min<int64_t>(limit, d.count()) : int64_t(d.count());
  return torch::from_blob(const_cast<uint8_t*>(d.labels.data()), {n}, torch::kUInt8).to(torch::kInt64);
}

struct BinaryMlp : torch::nn::Module {
  std::vector<Tensor> latent;  // real-valued weights, binarized in the forward pass
  std::vector<torch::nn::BatchNorm1d> norms;

  explicit BinaryMlp(const std::vector<uint32_t>& widths) {
    for (size_t i = 0; i + 1 < widths.size(); ++i) {
      const double bound = std::sqrt(6.0 / (widths[i] + widths[i + 1]));
      latent.push_back(register_parameter(
          "w" + std::to_string(i), torch::empty({int64_t(widths[i + 1]), int64_t(widths[i])}).uniform_(-bound, bound)));
      norms.push_back(register_module("bn" + std::to_string(i),
                                      torch::nn::BatchNorm1d(torch::nn::BatchNorm1dOptions(widths[i + 1]).eps(1e-5))));
    }
  }

  Tensor forward(Tensor x, double flip_ber = 0) {
    for (size_t i = 0; i < latent.size(); ++i) {
      Tensor w = sign_ste(latent[i]);
      if (flip_ber > 0) {
        const Tensor flips = torch::bernoulli(torch::full_like(w, flip_ber));
        w = w * (1 - 2 * flips);
      }
      x = norms[i]->forward(torch::matmul(x, w.t()));
      if (i + 1 < latent.size()) x = sign_ste(x);
    }
    return x;
  }

  void clip_latent() {
    torch::NoGradGuard guard;
    for (auto& w : latent) w.clamp_(-1.0, 1.0);
  }
};

double accuracy(BinaryMlp& model, const Tensor& x, const Tensor& y) {
  torch::NoGradGuard guard;
  model.eval();
  int64_t correct = 0;
  for (int64_t start = 0; start < x.size(0); start += 1000) {
    const int64_t end = std::min<int64_t>(start + 1000, x.size(0));
    correct += model.forward(x.slice(0, start, end)).argmax(1).eq(y.slice(0, start, end)).sum().item<int64_t>();
  }
  return double(correct) / double(x.size(0));
}

// A trained batch norm's per-neuron statistics, in double precision.
struct NormStats {
  std::vector<double> gamma, beta, mu, sigma;
  explicit NormStats(const torch::nn::BatchNorm1d& bn) {
    const auto to_vec = [](const Tensor& t) {
      const Tensor d = t.detach().to(torch::kFloat64).contiguous();
      return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
    };
    gamma = to_vec(bn->weight);
    beta = to_vec(bn->bias);
    mu = to_vec(bn->running_mean);
    sigma = to_vec(bn->running_var.add(bn->options.eps()).sqrt());
  }
};

// Threshold on the integer pre-activation a (a = input_scale * real pre-activation) such
// that sign(bn(a / input_scale)) == +1 exactly when the folded compare fires.
void fold_hidden(const torch::nn::BatchNorm1d& bn, double input_scale, int64_t max_abs_a, Layer& layer) {
  const NormStats n(bn);
  const int64_t never = max_abs_a + 1;
  for (uint32_t j = 0; j < layer.outputs; ++j) {
    const double g = n.gamma[j], b = n.beta[j], m = n.mu[j], s = n.sigma[j];
    if (g == 0.0) {  // constant neuron: fires iff beta >= 0
      layer.direction.push_back(1);
      layer.threshold.push_back(int32_t(b >= 0 ? -never : never));
      continue;
    }
    const double tau = input_scale * (m - b * s / g);
    const double bounded = std::clamp(tau, double(-never), double(never));
    if (g > 0) {
      layer.direction.push_back(1);
      layer.threshold.push_back(int32_t(std::ceil(bounded)));
    } else {
      layer.direction.push_back(-1);
      layer.threshold.push_back(int32_t(std::floor(bounded)));
    }
  }
}

// Output scores: bn(a / input_scale) = (g / (s * input_scale)) a + (b - g m / s), in fixed
// point with the largest fraction (<= 16 bits) whose scores cannot overflow int32.
uint32_t fold_output(const torch::nn::BatchNorm1d& bn, double input_scale, int64_t max_abs_a, Layer& layer) {
  const NormStats n(bn);
  std::vector<double> scale(layer.outputs), offset(layer.outputs);
  double worst = 0;
  for (uint32_t j = 0; j < layer.outputs; ++j) {
    const double g = n.gamma[j], s = n.sigma[j];
    scale[j] = g / (s * input_scale);
    offset[j] = n.beta[j] - g * n.mu[j] / s;
    worst = std::max(worst, std::abs(scale[j]) * double(max_abs_a) + std::abs(offset[j]));
  }
  uint32_t frac = 16;
  // Rounding the scale moves a score by up to max|a| / 2 units; keep that margin too.
  while (frac > 0 && worst * std::ldexp(1.0, int(frac)) + 0.5 * double(max_abs_a) + 2.0 >= double(INT32_MAX)) --frac;
  for (uint32_t j = 0; j < layer.outputs; ++j) {
    layer.scale.push_back(int32_t(std::llround(std::ldexp(scale[j], int(frac)))));
    layer.offset.push_back(int32_t(std::llround(std::ldexp(offset[j], int(frac)))));
  }
  return frac;
}

BitMatrix pack_signs(const Tensor& latent) {
  const auto w = latent.detach().ge(0).to(torch::kUInt8).contiguous();
  BitMatrix m(uint32_t(w.size(0)), uint32_t(w.size(1)));
  const uint8_t* p = w.data_ptr<uint8_t>();
  for (uint32_t r = 0; r < m.rows; ++r)
    for (uint32_t c = 0; c < m.cols; ++c) m.set(r, c, p[size_t(r) * m.cols + c] != 0);
  return m;
}

// Accuracy of the exported integer network, computed exactly with integer-valued tensors
// (|a| < 2^24, so float32 sums are exact; scores use int64).
double folded_accuracy(const Network& net, const Dataset& test) {
  torch::NoGradGuard guard;
  const int64_t n = int64_t(test.count());
  Tensor x = torch::from_blob(const_cast<uint8_t*>(test.images.data()), {n, int64_t(test.pixels())}, torch::kUInt8)
                 .to(torch::kFloat32)
                 .mul(2)
                 .sub(double((1u << net.input.bits) - 1));
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    std::vector<float> w(size_t(l.outputs) * l.inputs);
    for (uint32_t r = 0; r < l.outputs; ++r)
      for (uint32_t c = 0; c < l.inputs; ++c) w[size_t(r) * l.inputs + c] = l.weights.get(r, c) ? 1.f : -1.f;
    const Tensor wt = torch::from_blob(w.data(), {int64_t(l.outputs), int64_t(l.inputs)}).clone();
    const Tensor a = torch::matmul(x, wt.t()).round().to(torch::kInt64);
    if (i + 1 < net.layers.size()) {
      const Tensor t = torch::tensor(std::vector<int64_t>(l.threshold.begin(), l.threshold.end()));
      const Tensor d = torch::tensor(std::vector<int64_t>(l.direction.begin(), l.direction.end()));
      const Tensor fire = (a * d).ge(t * d);
      x = torch::where(fire, torch::ones_like(a), -torch::ones_like(a)).to(torch::kFloat32);
    } else {
      const Tensor s = torch::tensor(std::vector<int64_t>(l.scale.begin(), l.scale.end()));
      const Tensor o = torch::tensor(std::vector<int64_t>(l.offset.begin(), l.offset.end()));
      const Tensor scores = a * s + o;
      const Tensor labels =
          torch::from_blob(const_cast<uint8_t*>(test.labels.data()), {n}, torch::kUInt8).to(torch::kInt64);
      // torch argmax returns the first maximum, as the hardware does.
      return double(scores.argmax(1).eq(labels).sum().item<int64_t>()) / double(n);
    }
  }
  return 0;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

}  // namespace

TrainResult train_bnn(const TrainOptions& o, const Dataset& train, const Dataset& test,
                      const std::function<void(const EpochStats&)>& on_epoch) {
  if (o.epochs == 0 || o.batch_size == 0) throw InputError("train: epochs and batch size must be positive");
  if (!(o.weight_flip_ber >= 0 && o.weight_flip_ber <= 0.5))
    throw InputError("train: --flip-ber must be between 0 and 0.5");
  if (train.pixels() != test.pixels()) throw InputError("train: train and test images differ in size");
  torch::manual_seed(o.seed);
  torch::set_num_threads(int(std::max<uint32_t>(1, o.threads)));

  std::vector<uint32_t> widths = {uint32_t(train.pixels())};
  widths.insert(widths.end(), o.hidden.begin(), o.hidden.end());
  widths.push_back(10);

  const Tensor x_train = to_inputs(train, o.train_limit), y_train = to_labels(train, o.train_limit);
  const Tensor x_test = to_inputs(test, 0), y_test = to_labels(test, 0);
  const int64_t n = x_train.size(0);

  BinaryMlp model(widths);
  torch::optim::Adam optimizer(model.parameters(), torch::optim::AdamOptions(o.learning_rate));
  const double decay = o.epochs > 1 ? std::pow(o.final_learning_rate / o.learning_rate, 1.0 / (o.epochs - 1)) : 1.0;

  const auto t_start = std::chrono::steady_clock::now();
  for (uint32_t epoch = 0; epoch < o.epochs; ++epoch) {
    const auto t0 = std::chrono::steady_clock::now();
    const double lr = o.learning_rate * std::pow(decay, epoch);
    for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    model.train();
    const Tensor order = torch::randperm(n, torch::TensorOptions().dtype(torch::kInt64));
    double loss_sum = 0;
    int64_t correct = 0;
    for (int64_t start = 0; start < n; start += o.batch_size) {
      const Tensor idx = order.slice(0, start, std::min<int64_t>(start + o.batch_size, n));
      Tensor xb = x_train.index_select(0, idx);
      const Tensor yb = y_train.index_select(0, idx);
      if (o.stochastic_samples > 0) xb = stochastic_binarization(xb, o.stochastic_samples);
      optimizer.zero_grad();
      const Tensor out = model.forward(xb, o.weight_flip_ber);
      const Tensor loss = torch::nn::functional::cross_entropy(out, yb);
      loss.backward();
      optimizer.step();
      model.clip_latent();
      loss_sum += loss.item<double>() * double(idx.size(0));
      correct += out.argmax(1).eq(yb).sum().item<int64_t>();
    }
    EpochStats stats{epoch + 1, loss_sum / double(n), double(correct) / double(n), accuracy(model, x_test, y_test),
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
    if (on_epoch) on_epoch(stats);
  }
  const double train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();

  TrainResult result;
  Network& net = result.network;
  net.input.mode = o.stochastic_samples > 0 ? InputMode::stochastic : InputMode::fixed;
  net.input.trained_stream_length = o.stochastic_samples;
  net.input.bits = 8;
  net.input.rows = train.rows;
  net.input.cols = train.cols;
  int64_t max_abs_a = 255;  // first layer: |2x - 255| <= 255 per input
  for (size_t i = 0; i < model.latent.size(); ++i) {
    Layer layer;
    layer.inputs = widths[i];
    layer.outputs = widths[i + 1];
    layer.weights = pack_signs(model.latent[i]);
    const double input_scale = i == 0 ? 255.0 : 1.0;
    const int64_t bound = int64_t(layer.inputs) * max_abs_a;
    if (i + 1 < model.latent.size())
      fold_hidden(model.norms[i], input_scale, bound, layer);
    else
      net.score_frac_bits = fold_output(model.norms[i], input_scale, bound, layer);
    net.layers.push_back(std::move(layer));
    max_abs_a = 1;
  }
  result.float_test_accuracy = accuracy(model, x_test, y_test);
  result.folded_test_accuracy = folded_accuracy(net, test);
  net.provenance = {
      {"dataset", o.dataset_name},
      {"train_images", n},
      {"test_images", test.count()},
      {"epochs", o.epochs},
      {"batch_size", o.batch_size},
      {"optimizer", "adam"},
      {"learning_rate", {{"first", o.learning_rate}, {"last", o.final_learning_rate}, {"schedule", "exponential"}}},
      {"seed", o.seed},
      {"threads", o.threads},
      {"loss", "cross_entropy"},
      {"training", o.stochastic_samples > 0 ? "sc_aware"
                   : o.weight_flip_ber > 0  ? "error_aware"
                                            : "standard"},
      {"weight_flip_ber", o.weight_flip_ber},
      {"stochastic_samples", o.stochastic_samples},
      {"trainer", std::string("scbnn train (libtorch ") + TORCH_VERSION + ")"},
      {"train_seconds", std::round(train_seconds)},
      {"created", utc_now()},
      {"float_test_accuracy", result.float_test_accuracy},
      {"folded_test_accuracy", result.folded_test_accuracy},
  };
  validate_network(net, "trained network");
  return result;
}

}  // namespace scbnn
