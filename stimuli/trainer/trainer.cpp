#include "scbnn/stimuli/trainer.h"

#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <thread>

#include "scbnn/base/errors.h"
#include "scbnn/stimuli/evaluate.h"

namespace scbnn {
namespace {

using torch::Tensor;
namespace F = torch::nn::functional;

constexpr int64_t kEvalBatch = 500;

// sign with +1 at zero (the hardware fires when a >= threshold), gradient passed
// straight through where |x| <= 1 (hardtanh STE).
Tensor sign_ste(const Tensor& x) {
  const Tensor clipped = x.clamp(-1.0, 1.0);
  const Tensor hard = torch::where(x >= 0, torch::ones_like(x), -torch::ones_like(x));
  return clipped + (hard - clipped).detach();
}

// Images as rows of HWC pixel bytes (the first `limit`; 0: all), a view of the data set.
Tensor to_bytes(const Dataset& d, uint32_t limit) {
  const int64_t n = limit ? std::min<int64_t>(limit, d.count()) : int64_t(d.count());
  return torch::from_blob(const_cast<uint8_t*>(d.images.data()), {n, int64_t(d.pixels())}, torch::kUInt8);
}

// Inputs (2x - 255)/255 -> mean over n samples of (2b - 1), b ~ Bernoulli(x / 256): what
// the comparator SNG (bit = r < x for a uniform 8-bit r) feeds the first layer.
Tensor stochastic_binarization(const Tensor& inputs, uint32_t n) {
  const Tensor p = inputs.add(1).mul(255.0 / 2 / 256);
  Tensor sum = torch::zeros_like(inputs);
  for (uint32_t k = 0; k < n; ++k) sum += torch::bernoulli(p).mul(2).sub(1);
  return sum.div(double(n));
}

// Data augmentation of a batch of HWC rows: each image is mirrored left-right with probability
// 1/2 and shifted by a random whole number of pixels in [-shift, shift] in each direction,
// the uncovered border filled with the pixel 0 (`black`: -1 for binarized inputs, 0 else).
Tensor augment(const Tensor& rows, const InputSpec& in, uint32_t shift, double black) {
  const int64_t n = rows.size(0), h = in.rows, w = in.cols, s = shift;
  Tensor x = rows.view({n, h, w, int64_t(in.channels)});
  const Tensor flip = torch::rand({n}).lt(0.5);
  x = torch::where(flip.view({n, 1, 1, 1}), x.flip({2}), x);
  if (s == 0) return x.reshape({n, -1});
  const Tensor padded = F::pad(x.permute({0, 3, 1, 2}), F::PadFuncOptions({s, s, s, s}).value(black));
  const Tensor offsets = torch::randint(0, 2 * s + 1, {n, 2}, torch::kInt64);
  std::vector<Tensor> out;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t dy = offsets[i][0].item<int64_t>(), dx = offsets[i][1].item<int64_t>();
    out.push_back(padded[i].slice(1, dy, dy + h).slice(2, dx, dx + w));
  }
  return torch::stack(out).permute({0, 2, 3, 1}).reshape({n, -1});
}

Tensor to_labels(const Dataset& d, uint32_t limit) {
  const int64_t n = limit ? std::min<int64_t>(limit, d.count()) : int64_t(d.count());
  return torch::from_blob(const_cast<uint8_t*>(d.labels.data()), {n}, torch::kUInt8).to(torch::kInt64);
}

// NCHW activations -> rows of HWC values (the order of the network file's tensors).
Tensor to_hwc_rows(const Tensor& x) { return x.dim() == 4 ? x.permute({0, 2, 3, 1}).reshape({x.size(0), -1}) : x; }

struct BinaryNet : torch::nn::Module {
  InputSpec input;
  std::vector<LayerShape> shapes;
  std::vector<Tensor> latent;                  // real-valued weights, binarized in the forward pass
  std::vector<torch::nn::BatchNorm2d> norm2d;  // conv layers (null for dense)
  std::vector<torch::nn::BatchNorm1d> norm1d;  // dense layers (null for conv)

  BinaryNet(const InputSpec& in, std::vector<LayerShape> layer_shapes) : input(in), shapes(std::move(layer_shapes)) {
    for (size_t i = 0; i < shapes.size(); ++i) {
      const LayerShape& s = shapes[i];
      const std::string n = std::to_string(i);
      if (s.is_conv()) {
        const int64_t k = s.conv.kernel;
        const double bound = std::sqrt(6.0 / double((s.conv.in_channels + s.outputs) * k * k));
        latent.push_back(register_parameter(
            "w" + n, torch::empty({int64_t(s.outputs), int64_t(s.conv.in_channels), k, k}).uniform_(-bound, bound)));
        norm2d.push_back(
            register_module("bn" + n, torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(s.outputs).eps(1e-5))));
        norm1d.push_back(nullptr);
      } else {
        const double bound = std::sqrt(6.0 / double(s.inputs + s.outputs));
        latent.push_back(
            register_parameter("w" + n, torch::empty({int64_t(s.outputs), int64_t(s.inputs)}).uniform_(-bound, bound)));
        norm1d.push_back(
            register_module("bn" + n, torch::nn::BatchNorm1d(torch::nn::BatchNorm1dOptions(s.outputs).eps(1e-5))));
        norm2d.push_back(nullptr);
      }
    }
  }

  // x: rows of HWC inputs. `trace` (optional) receives each layer's input and pre-activation
  // as rows of HWC values.
  Tensor forward(Tensor x, double flip_ber = 0, std::vector<std::pair<Tensor, Tensor>>* trace = nullptr) {
    const int64_t n = x.size(0);
    if (shapes[0].is_conv())
      x = x.view({n, int64_t(input.rows), int64_t(input.cols), int64_t(input.channels)}).permute({0, 3, 1, 2});
    for (size_t i = 0; i < latent.size(); ++i) {
      const LayerShape& s = shapes[i];
      Tensor w = sign_ste(latent[i]);
      if (flip_ber > 0) {
        const Tensor flips = torch::bernoulli(torch::full_like(w, flip_ber));
        w = w * (1 - 2 * flips);
      }
      Tensor a;
      if (s.is_conv()) {
        const Tensor in = x;
        if (s.conv.padding > 0) {
          const int64_t p = s.conv.padding;
          x = F::pad(x, F::PadFuncOptions({p, p, p, p}).value(double(s.conv.padding_value)));
        }
        a = F::conv2d(x, w, F::Conv2dFuncOptions().stride(int64_t(s.conv.stride)));
        if (trace) trace->emplace_back(to_hwc_rows(in), to_hwc_rows(a));
        x = norm2d[i]->forward(a);
        if (s.pool.present())
          x = F::max_pool2d(x, F::MaxPool2dFuncOptions(int64_t(s.pool.window)).stride(int64_t(s.pool.stride)));
      } else {
        x = to_hwc_rows(x);
        a = torch::matmul(x, w.t());
        if (trace) trace->emplace_back(x, a);
        x = norm1d[i]->forward(a);
      }
      if (i + 1 < latent.size()) x = sign_ste(x);
    }
    return x;
  }

  void clip_latent() {
    torch::NoGradGuard guard;
    for (auto& w : latent) w.clamp_(-1.0, 1.0);
  }

  // The generic training loop's interface (run_epochs).
  Tensor train_forward(Tensor x, const TrainOptions& o) {
    if (o.stochastic_samples > 0) x = stochastic_binarization(x, o.stochastic_samples);
    return forward(x, o.weight_flip_ber);
  }
  Tensor eval_forward(const Tensor& x) { return forward(x); }
  void after_step() { clip_latent(); }
  static constexpr double kBlack = -1.0;  // the pixel 0 in the inputs (2x - 255) / 255
  // Rows of 8-bit pixels -> inputs (2x - 255) / 255.
  Tensor inputs_of(const Tensor& bytes) const { return bytes.to(torch::kFloat32).mul(2.0 / 255.0).sub(1.0); }
  Tensor trace_forward(const Tensor& x, std::vector<std::pair<Tensor, Tensor>>* trace) { return forward(x, 0, trace); }
  // Layer i's input and pre-activation in the integer network's units.
  std::pair<double, double> integer_scales(size_t i) const {
    return i == 0 ? std::make_pair(255.0, 255.0) : std::make_pair(1.0, 1.0);
  }
};

// ---- Quantised networks: quantisation-aware training ----

// Symmetric per-layer fake quantisation of weights to integers -max_w .. max_w times the step
// max|w| / max_w; the gradient passes straight through.
Tensor weight_step(const Tensor& w, int64_t max_w) { return w.detach().abs().max().clamp_min(1e-12) / double(max_w); }
Tensor integer_weights(const Tensor& w, const Tensor& step, int64_t max_w) {
  return (w.detach() / step).round().clamp(-double(max_w), double(max_w));
}
Tensor fake_quant_weights(const Tensor& w, int64_t max_w) {
  const Tensor step = weight_step(w, max_w);
  return w + (integer_weights(w, step, max_w) * step - w).detach();
}

// ReLU clipped to [0, clip] and rounded to max_a uniform steps; the gradient passes straight
// through inside the clip range (and is 0 outside it, as the clamp's).
Tensor fake_quant_activations(const Tensor& y, double clip, int64_t max_a) {
  const Tensor clipped = y.clamp(0.0, clip);
  const double step = clip / double(max_a);
  return clipped + ((clipped / step).round() * step - clipped).detach();
}

// A quantised CNN or MLP (weight_bits >= 2) or its float baseline (weight_bits = 0): weighted
// layer (zero padding), batch norm, then in hidden layers the activation (clipped and
// quantised ReLU; float: ReLU) and a convolution's max-pool. Inputs: the integer first-layer
// activations p >> (8 - A) times input_step (float: p / 255).
struct QuantNet : torch::nn::Module {
  InputSpec input;
  std::vector<LayerShape> shapes;
  uint32_t weight_bits, activation_bits;
  double clip;
  std::vector<Tensor> latent;
  std::vector<torch::nn::BatchNorm2d> norm2d;
  std::vector<torch::nn::BatchNorm1d> norm1d;

  QuantNet(const InputSpec& in, std::vector<LayerShape> layer_shapes, const TrainOptions& o)
      : input(in),
        shapes(std::move(layer_shapes)),
        weight_bits(o.weight_bits),
        activation_bits(o.activation_bits),
        clip(o.activation_clip) {
    for (size_t i = 0; i < shapes.size(); ++i) {
      const LayerShape& s = shapes[i];
      const std::string n = std::to_string(i);
      const double bound = std::sqrt(6.0 / double(s.inputs));  // He (Kaiming) uniform for ReLU
      if (s.is_conv()) {
        const int64_t k = s.conv.kernel;
        latent.push_back(register_parameter(
            "w" + n, torch::empty({int64_t(s.outputs), int64_t(s.conv.in_channels), k, k}).uniform_(-bound, bound)));
        norm2d.push_back(
            register_module("bn" + n, torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(s.outputs).eps(1e-5))));
        norm1d.push_back(nullptr);
      } else {
        latent.push_back(
            register_parameter("w" + n, torch::empty({int64_t(s.outputs), int64_t(s.inputs)}).uniform_(-bound, bound)));
        norm1d.push_back(
            register_module("bn" + n, torch::nn::BatchNorm1d(torch::nn::BatchNorm1dOptions(s.outputs).eps(1e-5))));
        norm2d.push_back(nullptr);
      }
    }
  }

  bool quantised() const { return weight_bits >= 2; }
  int64_t max_weight() const { return (int64_t(1) << (weight_bits - 1)) - 1; }
  int64_t max_activation() const { return (int64_t(1) << activation_bits) - 1; }
  // The real value of one unit of layer i's integer input: 1 / (2^A - 1) for the pixels'
  // activations, clip / (2^A - 1) after a hidden layer (float: 1 / 255 for pixels, 1 after).
  double input_step(size_t i) const {
    if (!quantised()) return i == 0 ? 1.0 / 255.0 : 1.0;
    return (i == 0 ? 1.0 : clip) / double(max_activation());
  }
  Tensor weights(size_t i) const { return quantised() ? fake_quant_weights(latent[i], max_weight()) : latent[i]; }

  Tensor forward(Tensor x, std::vector<std::pair<Tensor, Tensor>>* trace = nullptr) {
    const int64_t n = x.size(0);
    if (shapes[0].is_conv())
      x = x.view({n, int64_t(input.rows), int64_t(input.cols), int64_t(input.channels)}).permute({0, 3, 1, 2});
    for (size_t i = 0; i < latent.size(); ++i) {
      const LayerShape& s = shapes[i];
      const Tensor w = weights(i);
      Tensor a;
      if (s.is_conv()) {
        const Tensor in = x;
        a = F::conv2d(x, w, F::Conv2dFuncOptions().stride(int64_t(s.conv.stride)).padding(int64_t(s.conv.padding)));
        if (trace) trace->emplace_back(to_hwc_rows(in), to_hwc_rows(a));
        x = norm2d[i]->forward(a);
      } else {
        x = to_hwc_rows(x);
        a = torch::matmul(x, w.t());
        if (trace) trace->emplace_back(x, a);
        x = norm1d[i]->forward(a);
      }
      if (i + 1 == latent.size()) break;
      x = quantised() ? fake_quant_activations(x, clip, max_activation()) : torch::relu(x);
      if (s.is_conv() && s.pool.present())
        x = F::max_pool2d(x, F::MaxPool2dFuncOptions(int64_t(s.pool.window)).stride(int64_t(s.pool.stride)));
    }
    return x;
  }

  Tensor train_forward(const Tensor& x, const TrainOptions&) { return forward(x); }
  Tensor eval_forward(const Tensor& x) { return forward(x); }
  void after_step() {}
  static constexpr double kBlack = 0.0;  // the pixel 0
  // Rows of 8-bit pixels -> inputs: (p >> (8 - A)) x input_step(0) (float: p / 255).
  Tensor inputs_of(const Tensor& bytes) const {
    if (!quantised()) return bytes.to(torch::kFloat32).div(255.0);
    const int64_t shift = 8 - int64_t(activation_bits);
    return bytes.to(torch::kInt32).div(int64_t(1) << shift, "floor").to(torch::kFloat32).mul(input_step(0));
  }
  Tensor trace_forward(const Tensor& x, std::vector<std::pair<Tensor, Tensor>>* trace) { return forward(x, trace); }
  // Layer i's integer input activations and accumulators (quantised networks).
  std::pair<double, double> integer_scales(size_t i) const {
    torch::NoGradGuard guard;
    const double w_step = quantised() ? weight_step(latent[i], max_weight()).item<double>() : 1.0;
    return {1.0 / input_step(i), 1.0 / (w_step * input_step(i))};
  }
};

// Batch-norm statistics measured again over the whole training set with the final weights
// (cumulative average over every batch, inputs and weight flips drawn as in training): the
// running averages kept during training lag the binarized weights, whose flips can move a
// layer's statistics from one batch to the next.
template <typename Norm>
void restart_statistics(Norm& bn) {
  bn->options.momentum(c10::nullopt);
  bn->reset_running_stats();
}

template <typename Model>
void recalibrate_norms(Model& model, const Tensor& x, const TrainOptions& o) {
  torch::NoGradGuard guard;
  for (size_t i = 0; i < model.shapes.size(); ++i) {
    if (model.norm2d[i]) restart_statistics(model.norm2d[i]);
    if (model.norm1d[i]) restart_statistics(model.norm1d[i]);
  }
  model.train();
  for (int64_t start = 0; start < x.size(0); start += o.batch_size)
    model.train_forward(x.slice(0, start, std::min<int64_t>(start + o.batch_size, x.size(0))), o);
  model.eval();
}

template <typename Model>
double accuracy(Model& model, const Tensor& x, const Tensor& y) {
  torch::NoGradGuard guard;
  model.eval();
  int64_t correct = 0;
  for (int64_t start = 0; start < x.size(0); start += kEvalBatch) {
    const int64_t end = std::min<int64_t>(start + kEvalBatch, x.size(0));
    const Tensor scores = model.eval_forward(x.slice(0, start, end));
    correct += scores.argmax(1).eq(y.slice(0, start, end)).sum().item<int64_t>();
  }
  return double(correct) / double(x.size(0));
}

// Adam with the exponential learning-rate schedule, mini-batches in a fresh random order every
// epoch; returns the training time in seconds.
template <typename Model>
double run_epochs(Model& model, const TrainOptions& o, const InputSpec& input, const Tensor& x_train,
                  const Tensor& y_train, const Tensor& x_test, const Tensor& y_test,
                  const std::function<void(const EpochStats&)>& on_epoch) {
  const int64_t n = x_train.size(0);
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
      if (o.augment) xb = augment(xb, input, o.augment_shift, Model::kBlack);
      optimizer.zero_grad();
      const Tensor out = model.train_forward(xb, o);
      const Tensor loss = torch::nn::functional::cross_entropy(out, yb);
      loss.backward();
      optimizer.step();
      model.after_step();
      loss_sum += loss.item<double>() * double(idx.size(0));
      correct += out.argmax(1).eq(yb).sum().item<int64_t>();
    }
    EpochStats stats{epoch + 1, loss_sum / double(n), double(correct) / double(n), accuracy(model, x_test, y_test),
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
    if (on_epoch) on_epoch(stats);
  }
  if (o.recalibrate_norms) recalibrate_norms(model, x_train, o);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
}

// A trained batch norm's per-channel statistics, in double precision.
struct NormStats {
  std::vector<double> gamma, beta, mu, sigma;
  template <typename Norm>
  explicit NormStats(const Norm& bn) {
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
void fold_hidden(const NormStats& n, double input_scale, int64_t max_abs_a, Layer& layer) {
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
// point with the largest fraction (<= max_frac bits) whose scores cannot overflow int32.
// Binarized networks use at most 16 bits; quantised ones up to 30 (the format's limit), as
// their accumulators are large and their real scales small.
uint32_t fold_output(const NormStats& n, double input_scale, int64_t max_abs_a, Layer& layer, uint32_t max_frac = 16) {
  std::vector<double> scale(layer.outputs), offset(layer.outputs);
  double worst = 0;
  for (uint32_t j = 0; j < layer.outputs; ++j) {
    const double g = n.gamma[j], s = n.sigma[j];
    scale[j] = g / (s * input_scale);
    offset[j] = n.beta[j] - g * n.mu[j] / s;
    worst = std::max(worst, std::abs(scale[j]) * double(max_abs_a) + std::abs(offset[j]));
  }
  uint32_t frac = max_frac;
  // Rounding the scale moves a score by up to max|a| / 2 units; keep that margin too.
  while (frac > 0 && worst * std::ldexp(1.0, int(frac)) + 0.5 * double(max_abs_a) + 2.0 >= double(INT32_MAX)) --frac;
  for (uint32_t j = 0; j < layer.outputs; ++j) {
    layer.scale.push_back(int32_t(std::llround(std::ldexp(scale[j], int(frac)))));
    layer.offset.push_back(int32_t(std::llround(std::ldexp(offset[j], int(frac)))));
  }
  return frac;
}

// Weight bit 1 where the latent weight is >= 0; a convolution's kernel [out, in, ky, kx] is
// unrolled as column (ky * kernel + kx) * in_channels + c.
BitMatrix pack_signs(const Tensor& latent) {
  const Tensor rows =
      latent.dim() == 4 ? latent.detach().permute({0, 2, 3, 1}).reshape({latent.size(0), -1}) : latent.detach();
  const auto w = rows.ge(0).to(torch::kUInt8).contiguous();
  BitMatrix m(uint32_t(w.size(0)), uint32_t(w.size(1)));
  const uint8_t* p = w.data_ptr<uint8_t>();
  for (uint32_t r = 0; r < m.rows; ++r)
    for (uint32_t c = 0; c < m.cols; ++c) m.set(r, c, p[size_t(r) * m.cols + c] != 0);
  return m;
}

// A quantised hidden layer's requantisation: the trained network outputs
// q = clamp(round(y / step_out), 0, 2^A - 1) with y = g (acc_scale acc - m) / s + b, i.e.
// q = round(gain acc + level0) with gain = g acc_scale / (s step_out) and
// level0 = (b - g m / s) / step_out. Integer: q = floor((acc M + B) / 2^16) with
// M = round(gain 2^16) and B = round(level0 2^16) + 2^15 (the half of round half up). |M| is
// kept where |acc| M + |B| cannot overflow int64 for any accumulator in range (it binds only
// for degenerate channels of near-zero variance).
void fold_requantisation(const NormStats& n, double acc_scale, double step_out, const Quantisation& q, Layer& layer) {
  constexpr double kUnit = double(int64_t(1) << kRequantShift), kBiasLimit = 4.0e18;
  for (uint32_t j = 0; j < layer.outputs; ++j) {
    const double g = n.gamma[j], b = n.beta[j], m = n.mu[j], s = n.sigma[j];
    const double gain = g * acc_scale / (s * step_out), level0 = (b - g * m / s) / step_out;
    const double bound = double(std::max<uint64_t>(1, quantised_accumulator_bound(q, layer, j)));
    const double max_m = std::min(double(INT32_MAX), std::floor(kBiasLimit / bound));
    const double multiplier = std::clamp(std::round(gain * kUnit), -max_m, max_m);
    const double bias = std::clamp(std::round(level0 * kUnit) + kUnit / 2, -kBiasLimit, kBiasLimit);
    layer.multiplier.push_back(int32_t(multiplier));
    layer.bias.push_back(int64_t(bias));
  }
}

// Integer weights of a quantised layer, row-major in the file's unrolled (HWC) order, and the
// real value of one weight unit.
std::vector<int8_t> pack_integer_weights(const Tensor& latent, int64_t max_w, double& step) {
  torch::NoGradGuard guard;
  const Tensor w_step = weight_step(latent, max_w);
  step = w_step.item<double>();
  Tensor w = integer_weights(latent, w_step, max_w);
  if (w.dim() == 4) w = w.permute({0, 2, 3, 1});
  const Tensor rows = w.reshape({latent.size(0), -1}).to(torch::kInt8).contiguous();
  return std::vector<int8_t>(rows.data_ptr<int8_t>(), rows.data_ptr<int8_t>() + rows.numel());
}

// Folded evaluation runs in float32: every product is an integer and every partial sum stays
// below 2^24 for the layer sizes the network file allows in practice (checked by
// exact_in_float), so the sums are exact in any order; double would be exact always but
// several times slower for convolutions.
constexpr double kFloatExact = 16777216.0;  // 2^24

bool exact_in_float(const Network& net) {
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const double max_x = i == 0 ? double((1u << net.input.bits) - 1) : 1.0;
    if (double(net.layers[i].inputs) * max_x >= kFloatExact) return false;
  }
  return true;
}

// A layer's +-1 weights as a tensor: [outputs, inputs], or [out, in, ky, kx] for a
// convolution (the inverse of pack_signs' unrolling).
Tensor unpack_weights(const Layer& l, torch::Dtype type) {
  std::vector<double> w(size_t(l.outputs) * l.inputs);
  for (uint32_t r = 0; r < l.outputs; ++r)
    for (uint32_t c = 0; c < l.inputs; ++c) w[size_t(r) * l.inputs + c] = l.weights.get(r, c) ? 1.0 : -1.0;
  Tensor t = torch::from_blob(w.data(), {int64_t(l.outputs), int64_t(l.inputs)}, torch::kFloat64).to(type);
  if (!l.is_conv()) return t;
  const int64_t k = l.conv.kernel;
  return t.view({int64_t(l.outputs), k, k, int64_t(l.conv.in_channels)}).permute({0, 3, 1, 2}).contiguous();
}

Tensor as_tensor(const std::vector<int32_t>& v) {
  return torch::tensor(std::vector<int64_t>(v.begin(), v.end()), torch::kInt64);
}

// Integer scores of a batch of images (rows of pixels) under the folded network: integer
// values in floating-point tensors (exact, see kFloatExact), int64 thresholds and scores.
Tensor folded_scores(const Network& net, const std::vector<Tensor>& weights, Tensor pixels) {
  const double full_scale = double((1u << net.input.bits) - 1);
  Tensor x = pixels.to(weights[0].scalar_type()).mul(2).sub(full_scale);
  const int64_t n = x.size(0);
  if (net.layers[0].is_conv())
    x = x.view({n, int64_t(net.input.rows), int64_t(net.input.cols), int64_t(net.input.channels)})
            .permute({0, 3, 1, 2});
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    Tensor a;
    if (l.is_conv()) {
      if (l.conv.padding > 0) {
        const int64_t p = l.conv.padding;
        const double pad = l.conv.padding_value * (i == 0 ? full_scale : 1.0);
        x = F::pad(x, F::PadFuncOptions({p, p, p, p}).value(pad));
      }
      a = F::conv2d(x, weights[i], F::Conv2dFuncOptions().stride(int64_t(l.conv.stride)));
    } else {
      x = to_hwc_rows(x);
      a = torch::matmul(x, weights[i].t());
    }
    a = a.round().to(torch::kInt64);
    if (i + 1 == net.layers.size()) return a * as_tensor(l.scale) + as_tensor(l.offset);
    Tensor t = as_tensor(l.threshold), d = as_tensor(l.direction);
    if (l.is_conv()) {
      t = t.view({1, -1, 1, 1});
      d = d.view({1, -1, 1, 1});
    }
    x = torch::where((a * d).ge(t * d), torch::ones_like(a), -torch::ones_like(a)).to(weights[i].scalar_type());
    if (l.is_conv() && l.pool.present())
      x = F::max_pool2d(x, F::MaxPool2dFuncOptions(int64_t(l.pool.window)).stride(int64_t(l.pool.stride)));
  }
  return x;
}

// ---- The folded quantised network in libtorch (an implementation independent of evaluate.h) ----

// Float32 holds the layer's sums exactly when no partial sum can reach 2^24 (every product is
// an integer and |partial sum| <= sum_i |w_i| (2^A - 1)); float64 otherwise.
torch::Dtype quantised_layer_type(const Network& net, const Layer& l) {
  uint64_t widest = 0;
  for (uint32_t j = 0; j < l.outputs; ++j) {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < l.inputs; ++i) sum += uint64_t(std::abs(int32_t(l.qweights[size_t(j) * l.inputs + i])));
    widest = std::max(widest, sum * net.quant.max_activation());
  }
  return double(widest) < kFloatExact ? torch::kFloat32 : torch::kFloat64;
}

// A quantised layer's integer weights: [outputs, inputs], or [out, in, ky, kx] for a convolution.
Tensor quantised_weight_tensor(const Layer& l, torch::Dtype type) {
  std::vector<int8_t> w = l.qweights;
  Tensor t = torch::from_blob(w.data(), {int64_t(l.outputs), int64_t(l.inputs)}, torch::kInt8).to(type);
  if (!l.is_conv()) return t;
  const int64_t k = l.conv.kernel;
  return t.view({int64_t(l.outputs), k, k, int64_t(l.conv.in_channels)}).permute({0, 3, 1, 2}).contiguous();
}

Tensor as_tensor64(const std::vector<int64_t>& v) { return torch::tensor(v, torch::kInt64); }

Tensor quantised_folded_scores(const Network& net, const std::vector<Tensor>& weights, const Tensor& pixels) {
  const int64_t n = pixels.size(0), max_a = net.quant.max_activation();
  Tensor x = pixels.to(torch::kInt64).div(int64_t(1) << (net.input.bits - net.quant.activation_bits), "floor");
  if (net.layers[0].is_conv())
    x = x.view({n, int64_t(net.input.rows), int64_t(net.input.cols), int64_t(net.input.channels)})
            .permute({0, 3, 1, 2});
  for (size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    x = x.to(weights[i].scalar_type());
    Tensor acc;
    if (l.is_conv()) {
      acc = F::conv2d(x, weights[i],
                      F::Conv2dFuncOptions().stride(int64_t(l.conv.stride)).padding(int64_t(l.conv.padding)));
    } else {
      x = to_hwc_rows(x);
      acc = torch::matmul(x, weights[i].t());
    }
    acc = acc.round().to(torch::kInt64);
    if (i + 1 == net.layers.size()) return acc * as_tensor(l.scale) + as_tensor(l.offset);
    Tensor m = as_tensor(l.multiplier), b = as_tensor64(l.bias);
    if (l.is_conv()) {
      m = m.view({1, -1, 1, 1});
      b = b.view({1, -1, 1, 1});
    }
    x = (acc * m + b).div(int64_t(1) << kRequantShift, "floor").clamp(0, max_a).to(torch::kFloat32);
    if (l.is_conv() && l.pool.present())
      x = F::max_pool2d(x, F::MaxPool2dFuncOptions(int64_t(l.pool.window)).stride(int64_t(l.pool.stride)));
  }
  return x;
}

double quantised_folded_accuracy(const Network& net, const Dataset& test) {
  std::vector<Tensor> weights;
  for (const Layer& l : net.layers) weights.push_back(quantised_weight_tensor(l, quantised_layer_type(net, l)));
  const int64_t n = int64_t(test.count());
  const Tensor pixels =
      torch::from_blob(const_cast<uint8_t*>(test.images.data()), {n, int64_t(net.input.values())}, torch::kUInt8);
  const Tensor labels =
      torch::from_blob(const_cast<uint8_t*>(test.labels.data()), {n}, torch::kUInt8).to(torch::kInt64);
  int64_t correct = 0;
  for (int64_t start = 0; start < n; start += kEvalBatch) {
    const int64_t end = std::min(start + kEvalBatch, n);
    correct += quantised_folded_scores(net, weights, pixels.slice(0, start, end))
                   .argmax(1)
                   .eq(labels.slice(0, start, end))
                   .sum()
                   .item<int64_t>();
  }
  return double(correct) / double(n);
}

// The accuracy of a quantised network by stimuli/evaluate.h (exact product), on `threads` threads.
double evaluator_accuracy(const Network& net, const Dataset& test, uint32_t threads) {
  const QuantisedEvaluator evaluator(net);
  std::atomic<size_t> next{0}, correct{0};
  const auto work = [&] {
    for (size_t i = next++; i < test.count(); i = next++)
      correct += predicted_class(evaluator.scores(test.image(i))) == test.labels[i];
  };
  std::vector<std::thread> pool;
  for (uint32_t t = 1; t < std::max<uint32_t>(1, threads); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  return double(correct) / double(test.count());
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

// The trained model in eval mode behind the FloatNetwork interface.
template <typename Model>
class TorchFloatNetwork : public FloatNetwork {
 public:
  explicit TorchFloatNetwork(std::shared_ptr<Model> model) : model_(std::move(model)) { model_->eval(); }

  std::vector<LayerTrace> trace(const uint8_t* pixels) const override {
    torch::NoGradGuard guard;
    std::vector<std::pair<Tensor, Tensor>> raw;
    model_->trace_forward(image(pixels), &raw);
    std::vector<LayerTrace> out;
    for (size_t i = 0; i < raw.size(); ++i) {
      const auto [input_scale, preactivation_scale] = model_->integer_scales(i);
      out.push_back({to_vector(raw[i].first, input_scale), to_vector(raw[i].second, preactivation_scale)});
    }
    return out;
  }
  uint32_t predict(const uint8_t* pixels) const override {
    torch::NoGradGuard guard;
    const Tensor scores = model_->eval_forward(image(pixels));
    return uint32_t(scores.argmax(1).item<int64_t>());
  }

 private:
  Tensor image(const uint8_t* pixels) const {
    const int64_t v = int64_t(model_->input.values());
    return model_->inputs_of(torch::from_blob(const_cast<uint8_t*>(pixels), {1, v}, torch::kUInt8));
  }
  static std::vector<double> to_vector(const Tensor& t, double scale) {
    const Tensor d = t.to(torch::kFloat64).mul(scale).contiguous();
    return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
  }
  std::shared_ptr<Model> model_;
};

}  // namespace

double folded_accuracy(const Network& net, const Dataset& test) {
  torch::NoGradGuard guard;
  if (test.pixels() * net.input.channels != net.input.values())
    throw InputError("folded_accuracy: the images do not have the network's input shape");
  if (net.quantised()) return quantised_folded_accuracy(net, test);
  const torch::Dtype type = exact_in_float(net) ? torch::kFloat32 : torch::kFloat64;
  std::vector<Tensor> weights;
  for (const Layer& l : net.layers) weights.push_back(unpack_weights(l, type));
  const int64_t n = int64_t(test.count());
  const Tensor pixels =
      torch::from_blob(const_cast<uint8_t*>(test.images.data()), {n, int64_t(net.input.values())}, torch::kUInt8);
  const Tensor labels =
      torch::from_blob(const_cast<uint8_t*>(test.labels.data()), {n}, torch::kUInt8).to(torch::kInt64);
  int64_t correct = 0;
  for (int64_t start = 0; start < n; start += kEvalBatch) {
    const int64_t end = std::min(start + kEvalBatch, n);
    // torch argmax returns the first maximum, as the hardware does.
    correct += folded_scores(net, weights, pixels.slice(0, start, end))
                   .argmax(1)
                   .eq(labels.slice(0, start, end))
                   .sum()
                   .item<int64_t>();
  }
  return double(correct) / double(n);
}

namespace {

// The precision options: 1/1 binarized, 2..8 each quantised, 0/0 float; SC-aware and
// error-aware training only for binarized networks; zero padding for the others.
void check_precision(const TrainOptions& o) {
  const uint32_t w = o.weight_bits, a = o.activation_bits;
  if (w > 8)
    throw InputError("train: --weight-bits " + std::to_string(w) +
                     " (expected 0 for the float baseline, 1 for a binarized network, or 2 to 8)");
  if (w == 1 && a != 1)
    throw InputError("train: --activation-bits " + std::to_string(a) +
                     " with --weight-bits 1 (a binarized network has 1-bit activations; give --weight-bits 2 to 8 for "
                     "a quantised network)");
  if (w == 0 && a != 0)
    throw InputError(
        "train: --activation-bits " + std::to_string(a) +
        " with --weight-bits 0 (the float baseline has no quantisation: give --activation-bits 0 or leave it out)");
  if (w >= 2 && (a < 2 || a > 8))
    throw InputError("train: --activation-bits " + std::to_string(a) + " (expected 2 to 8 with --weight-bits " +
                     std::to_string(w) + ")");
  if (w == 1) return;
  const std::string kind = w == 0 ? "the float baseline (--weight-bits 0)" : "a quantised network";
  if (o.stochastic_samples > 0) throw InputError("train: --stochastic-samples trains binarized networks, not " + kind);
  if (o.weight_flip_ber > 0) throw InputError("train: --flip-ber trains binarized networks, not " + kind);
  if (!(o.activation_clip > 0 && std::isfinite(o.activation_clip)))
    throw InputError("train: --activation-clip must be a positive number");
  for (size_t i = 0; i < o.arch.layers.size(); ++i)
    if (o.arch.layers[i].type == LayerType::conv2d && o.arch.layers[i].padding_value != -1)
      throw InputError("--arch: layer " + std::to_string(i + 1) + " (conv2d) pads with +1 (v+1); " + kind +
                       " pads with zeros (leave v out)");
}

nlohmann::json common_provenance(const TrainOptions& o, int64_t train_images, size_t test_images, double seconds) {
  nlohmann::json p = {
      {"dataset", o.dataset_name},
      {"architecture", to_string(o.arch)},
      {"train_images", train_images},
      {"test_images", test_images},
      {"epochs", o.epochs},
      {"batch_size", o.batch_size},
      {"optimizer", "adam"},
      {"learning_rate", {{"first", o.learning_rate}, {"last", o.final_learning_rate}, {"schedule", "exponential"}}},
      {"seed", o.seed},
      {"threads", o.threads},
      {"loss", "cross_entropy"},
      {"batch_norm_statistics", o.recalibrate_norms ? "recomputed over the training set after the last epoch"
                                                    : "running averages of training (momentum 0.1)"},
      {"augmentation", o.augment ? "mirror left-right (p = 1/2), shift by up to " + std::to_string(o.augment_shift) +
                                       " pixels in x and y (border: pixel 0)"
                                 : "none"},
      {"trainer", std::string("scbnn train (libtorch ") + TORCH_VERSION + ")"},
      {"train_seconds", std::round(seconds)},
      {"created", utc_now()},
  };
  if (!o.note.empty()) p["note"] = o.note;
  if (!o.command.empty()) p["command"] = o.command;
  if (o.downsample > 1)
    p["preprocessing"] = {
        {"downsample", o.downsample},
        {"rule", "each pixel the mean of a " + std::to_string(o.downsample) + " x " + std::to_string(o.downsample) +
                     " block of 8-bit pixels, rounded half up: (sum + " +
                     std::to_string(o.downsample * o.downsample / 2) + ") / " +
                     std::to_string(o.downsample * o.downsample)}};
  return p;
}

TrainResult train_binarized(const TrainOptions& o, const Dataset& train, const Dataset& test, InputSpec input,
                            const std::function<void(const EpochStats&)>& on_epoch) {
  TrainResult result;
  Network& net = result.network;
  input.mode = o.stochastic_samples > 0 ? InputMode::stochastic : InputMode::fixed;
  input.trained_stream_length = o.stochastic_samples;
  net.input = input;
  const std::vector<LayerShape> shapes = layer_shapes(o.arch, net.input, "--arch");
  auto model = std::make_shared<BinaryNet>(net.input, shapes);

  const Tensor x_train = model->inputs_of(to_bytes(train, o.train_limit)), y_train = to_labels(train, o.train_limit);
  const Tensor x_test = model->inputs_of(to_bytes(test, 0)), y_test = to_labels(test, 0);
  const double train_seconds = run_epochs(*model, o, net.input, x_train, y_train, x_test, y_test, on_epoch);

  int64_t max_abs_x = 255;  // first layer: |2x - 255| <= 255 per input
  for (size_t i = 0; i < shapes.size(); ++i) {
    Layer layer;
    static_cast<LayerShape&>(layer) = shapes[i];
    layer.weights = pack_signs(model->latent[i]);
    const double input_scale = i == 0 ? 255.0 : 1.0;
    const int64_t bound = int64_t(layer.inputs) * max_abs_x;
    const NormStats stats = shapes[i].is_conv() ? NormStats(model->norm2d[i]) : NormStats(model->norm1d[i]);
    if (i + 1 < shapes.size())
      fold_hidden(stats, input_scale, bound, layer);
    else
      net.score_frac_bits = fold_output(stats, input_scale, bound, layer);
    net.layers.push_back(std::move(layer));
    max_abs_x = 1;
  }
  result.float_test_accuracy = accuracy(*model, x_test, y_test);
  result.folded_test_accuracy = folded_accuracy(net, test);
  result.float_network = std::make_shared<TorchFloatNetwork<BinaryNet>>(model);
  net.provenance = common_provenance(o, x_train.size(0), test.count(), train_seconds);
  net.provenance["training"] = o.stochastic_samples > 0 ? "sc_aware"
                               : o.weight_flip_ber > 0  ? "error_aware"
                                                        : "standard";
  net.provenance["weight_flip_ber"] = o.weight_flip_ber;
  net.provenance["stochastic_samples"] = o.stochastic_samples;
  net.provenance["float_test_accuracy"] = result.float_test_accuracy;
  net.provenance["folded_test_accuracy"] = result.folded_test_accuracy;
  validate_network(net, "trained network");
  return result;
}

// Exports the trained quantised model: integer weights, batch norm folded into multipliers
// and biases (hidden layers) or scales and offsets (output layer).
void export_quantised(QuantNet& model, const std::vector<LayerShape>& shapes, Network& net) {
  for (size_t i = 0; i < shapes.size(); ++i) {
    Layer layer;
    static_cast<LayerShape&>(layer) = shapes[i];
    double w_step = 0;
    layer.qweights = pack_integer_weights(model.latent[i], model.max_weight(), w_step);
    const double acc_scale = w_step * model.input_step(i);  // real pre-activation per unit of acc
    const NormStats stats = shapes[i].is_conv() ? NormStats(model.norm2d[i]) : NormStats(model.norm1d[i]);
    if (i + 1 < shapes.size()) {
      fold_requantisation(stats, acc_scale, model.input_step(i + 1), net.quant, layer);
    } else {
      uint64_t bound = 1;
      for (uint32_t j = 0; j < layer.outputs; ++j)
        bound = std::max(bound, quantised_accumulator_bound(net.quant, layer, j));
      net.score_frac_bits = fold_output(stats, 1.0 / acc_scale, int64_t(bound), layer, 30);
    }
    net.layers.push_back(std::move(layer));
  }
}

TrainResult train_quantised(const TrainOptions& o, const Dataset& train, const Dataset& test, InputSpec input,
                            const std::function<void(const EpochStats&)>& on_epoch) {
  TrainResult result;
  Network& net = result.network;
  net.input = input;
  std::vector<LayerShape> shapes = layer_shapes(o.arch, net.input, "--arch");
  for (LayerShape& s : shapes)
    if (s.is_conv()) s.conv.padding_value = 0;  // zero padding
  auto model = std::make_shared<QuantNet>(net.input, shapes, o);

  const Tensor x_train = model->inputs_of(to_bytes(train, o.train_limit)), y_train = to_labels(train, o.train_limit);
  const Tensor x_test = model->inputs_of(to_bytes(test, 0)), y_test = to_labels(test, 0);
  const double train_seconds = run_epochs(*model, o, net.input, x_train, y_train, x_test, y_test, on_epoch);
  result.float_test_accuracy = accuracy(*model, x_test, y_test);
  result.float_network = std::make_shared<TorchFloatNetwork<QuantNet>>(model);
  nlohmann::json provenance = common_provenance(o, x_train.size(0), test.count(), train_seconds);

  if (o.weight_bits == 0) {  // the float baseline: a record, no network
    provenance["training"] = "float";
    provenance["activations"] = "ReLU";
    provenance["padding"] = "zeros";
    provenance["float_test_accuracy"] = result.float_test_accuracy;
    net.provenance = provenance;
    return result;
  }
  net.quant.weight_bits = o.weight_bits;
  net.quant.activation_bits = o.activation_bits;
  export_quantised(*model, shapes, net);
  result.folded_test_accuracy = evaluator_accuracy(net, test, o.threads);
  provenance["training"] = "quantisation_aware";
  provenance["weight_bits"] = o.weight_bits;
  provenance["activation_bits"] = o.activation_bits;
  provenance["activation_clip"] = o.activation_clip;
  provenance["quantisers"] = {
      {"weights", "symmetric per layer: step max|w| / (2^(B-1) - 1), round to nearest, straight-through gradient"},
      {"activations",
       "ReLU clipped to [0, activation_clip], 2^A - 1 uniform steps, round to nearest, "
       "straight-through gradient inside the clip"},
      {"inputs", "pixel p >> (8 - A)"},
      {"fold",
       "batch norm into per-channel multiplier and bias, requantisation shift " + std::to_string(kRequantShift)}};
  provenance["fake_quant_test_accuracy"] = result.float_test_accuracy;
  provenance["folded_test_accuracy"] = result.folded_test_accuracy;
  if (!o.float_baseline.is_null()) provenance["float_baseline"] = o.float_baseline;
  net.provenance = provenance;
  validate_network(net, "trained network");
  return result;
}

}  // namespace

TrainResult train_bnn(const TrainOptions& o, const Dataset& train_in, const Dataset& test_in,
                      const std::function<void(const EpochStats&)>& on_epoch) {
  if (o.epochs == 0 || o.batch_size == 0) throw InputError("train: epochs and batch size must be positive");
  if (!(o.weight_flip_ber >= 0 && o.weight_flip_ber <= 0.5))
    throw InputError("train: --flip-ber must be between 0 and 0.5");
  if (o.arch.layers.empty()) throw InputError("train: the architecture has no layers");
  if (o.arch.classes() != 10)
    throw InputError("train: the architecture's last layer has " + std::to_string(o.arch.classes()) +
                     " neurons; the data set has 10 classes (labels 0 to 9)");
  check_precision(o);
  const Dataset train = o.downsample > 1 ? downsample(train_in, o.downsample) : train_in;
  const Dataset test = o.downsample > 1 ? downsample(test_in, o.downsample) : test_in;
  if (train.rows != test.rows || train.cols != test.cols)
    throw InputError("train: train and test images differ in size");
  torch::manual_seed(o.seed);
  torch::set_num_threads(int(std::max<uint32_t>(1, o.threads)));
  InputSpec input;
  input.bits = 8;
  input.rows = train.rows;
  input.cols = train.cols;
  input.channels = 1;
  return o.weight_bits == 1 ? train_binarized(o, train, test, input, on_epoch)
                            : train_quantised(o, train, test, input, on_epoch);
}

}  // namespace scbnn
