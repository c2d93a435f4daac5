#include "scbnn/stimuli/evaluate.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "scbnn/base/errors.h"

namespace scbnn {

std::vector<int64_t> input_values(const Network& net, const uint8_t* pixels) {
  const int64_t full_scale = (int64_t(1) << net.input.bits) - 1;
  std::vector<int64_t> x(net.input.values());
  for (size_t i = 0; i < x.size(); ++i) x[i] = 2 * int64_t(pixels[i]) - full_scale;
  return x;
}

int64_t padding_input(const Network& net, size_t index) {
  const int64_t value = net.layers.at(index).conv.padding_value;
  return index == 0 ? value * ((int64_t(1) << net.input.bits) - 1) : value;
}

std::vector<int64_t> layer_preactivations(const Network& net, size_t index, const std::vector<int64_t>& x) {
  const Layer& l = net.layers.at(index);
  if (x.size() != l.input_values()) throw InputError("layer_preactivations: input size does not match the layer");
  const auto weight = [&](uint32_t neuron, uint32_t column) { return l.weights.get(neuron, column) ? 1 : -1; };
  if (!l.is_conv()) {
    std::vector<int64_t> a(l.outputs, 0);
    for (uint32_t j = 0; j < l.outputs; ++j)
      for (uint32_t i = 0; i < l.inputs; ++i) a[j] += weight(j, i) * x[i];
    return a;
  }
  const ConvGeometry& g = l.conv;
  const int64_t pad = padding_input(net, index);
  const uint32_t oh = g.out_height(), ow = g.out_width();
  std::vector<int64_t> a(size_t(oh) * ow * l.outputs, 0);
  for (uint32_t oy = 0; oy < oh; ++oy)
    for (uint32_t ox = 0; ox < ow; ++ox)
      for (uint32_t j = 0; j < l.outputs; ++j) {
        int64_t sum = 0;
        for (uint32_t ky = 0; ky < g.kernel; ++ky)
          for (uint32_t kx = 0; kx < g.kernel; ++kx) {
            // Position in the unpadded input; outside it the padding value is read.
            const int64_t y = int64_t(oy) * g.stride + ky - g.padding;
            const int64_t xx = int64_t(ox) * g.stride + kx - g.padding;
            const bool inside = y >= 0 && y < g.in_height && xx >= 0 && xx < g.in_width;
            for (uint32_t c = 0; c < g.in_channels; ++c) {
              const int64_t v = inside ? x[(size_t(y) * g.in_width + size_t(xx)) * g.in_channels + c] : pad;
              sum += weight(j, (ky * g.kernel + kx) * g.in_channels + c) * v;
            }
          }
        a[(size_t(oy) * ow + ox) * l.outputs + j] = sum;
      }
  return a;
}

std::vector<int64_t> hidden_layer_outputs(const Network& net, size_t index, const std::vector<int64_t>& x) {
  const Layer& l = net.layers.at(index);
  if (index + 1 >= net.layers.size()) throw InputError("hidden_layer_outputs: the output layer has no threshold");
  const std::vector<int64_t> a = layer_preactivations(net, index, x);
  std::vector<int64_t> bits(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const uint32_t j = uint32_t(i % l.outputs);
    const bool fires = l.direction[j] > 0 ? a[i] >= l.threshold[j] : a[i] <= l.threshold[j];
    bits[i] = fires ? 1 : -1;
  }
  if (!l.is_conv() || !l.pool.present()) return bits;
  const uint32_t ow = l.conv.out_width(), ph = l.output_height(), pw = l.output_width();
  std::vector<int64_t> pooled(size_t(ph) * pw * l.outputs, -1);
  for (uint32_t py = 0; py < ph; ++py)
    for (uint32_t px = 0; px < pw; ++px)
      for (uint32_t j = 0; j < l.outputs; ++j)
        for (uint32_t wy = 0; wy < l.pool.window; ++wy)
          for (uint32_t wx = 0; wx < l.pool.window; ++wx) {
            const size_t y = size_t(py) * l.pool.stride + wy, xx = size_t(px) * l.pool.stride + wx;
            if (bits[(y * ow + xx) * l.outputs + j] > 0) pooled[(size_t(py) * pw + px) * l.outputs + j] = 1;
          }
  return pooled;
}

std::vector<int32_t> integer_scores(const Network& net, const uint8_t* pixels) {
  std::vector<int64_t> x = input_values(net, pixels);
  for (size_t i = 0; i + 1 < net.layers.size(); ++i) x = hidden_layer_outputs(net, i, x);
  const Layer& out = net.layers.back();
  const std::vector<int64_t> a = layer_preactivations(net, net.layers.size() - 1, x);
  std::vector<int32_t> scores(out.outputs);
  for (uint32_t j = 0; j < out.outputs; ++j) scores[j] = int32_t(a[j] * out.scale[j] + out.offset[j]);
  return scores;
}

uint32_t predicted_class(const std::vector<int32_t>& scores) {
  uint32_t best = 0;
  for (uint32_t c = 1; c < scores.size(); ++c)
    if (scores[c] > scores[best]) best = c;
  return best;
}

// ---- Quantised networks ----

namespace {

void require_quantised(const Network& net, const char* what) {
  if (!net.quantised())
    throw InputError(std::string(what) + ": " + (net.file.empty() ? std::string("the network") : net.file) +
                     " is binarized (quantisation.weight_bits 1); integer_scores evaluates it");
}

// floor(v / 2^shift) for any sign (>> of a negative value is implementation-defined before C++20).
int64_t floor_shift(int64_t v, uint32_t shift) { return v >= 0 ? v >> shift : ~((~v) >> shift); }

bool is_exact(const ProductRule& product) {
  using Fn = int64_t (*)(int32_t, uint32_t);
  const Fn* f = product.target<Fn>();
  return f != nullptr && *f == &exact_product;
}

// The activation a value of layer `l`'s receptive field reads at unrolled column k of output
// position (oy, ox): the input's value, or 0 at a padded position.
template <typename T>
void gather_window(const ConvGeometry& g, const T* x, uint32_t oy, uint32_t ox, T* window) {
  const uint32_t c = g.in_channels;
  for (uint32_t ky = 0; ky < g.kernel; ++ky) {
    const int64_t y = int64_t(oy) * g.stride + ky - g.padding;
    for (uint32_t kx = 0; kx < g.kernel; ++kx, window += c) {
      const int64_t xx = int64_t(ox) * g.stride + kx - g.padding;
      if (y >= 0 && y < g.in_height && xx >= 0 && xx < g.in_width)
        std::memcpy(window, x + (size_t(y) * g.in_width + size_t(xx)) * c, c * sizeof(T));
      else
        std::fill(window, window + c, T(0));
    }
  }
}

// Max over each pooling window of a convolution's HWC output (before pooling) `q`.
template <typename T>
std::vector<T> max_pool(const Layer& l, const std::vector<T>& q) {
  if (!l.is_conv() || !l.pool.present()) return q;
  const uint32_t ow = l.conv.out_width(), ph = l.output_height(), pw = l.output_width(), o = l.outputs;
  std::vector<T> pooled(size_t(ph) * pw * o, T(0));
  for (uint32_t py = 0; py < ph; ++py)
    for (uint32_t px = 0; px < pw; ++px) {
      T* out = pooled.data() + (size_t(py) * pw + px) * o;
      for (uint32_t wy = 0; wy < l.pool.window; ++wy)
        for (uint32_t wx = 0; wx < l.pool.window; ++wx) {
          const T* in = q.data() + ((size_t(py) * l.pool.stride + wy) * ow + size_t(px) * l.pool.stride + wx) * o;
          for (uint32_t j = 0; j < o; ++j) out[j] = std::max(out[j], in[j]);
        }
    }
  return pooled;
}

}  // namespace

int64_t exact_product(int32_t w, uint32_t a) { return int64_t(w) * int64_t(a); }

uint32_t requantise(int64_t acc, int32_t multiplier, int64_t bias, uint32_t activation_bits) {
  const int64_t q = floor_shift(acc * multiplier + bias, kRequantShift);
  return uint32_t(std::clamp<int64_t>(q, 0, (int64_t(1) << activation_bits) - 1));
}

std::vector<uint32_t> quantised_input(const Network& net, const uint8_t* pixels) {
  require_quantised(net, "quantised_input");
  const uint32_t shift = net.input.bits - net.quant.activation_bits;
  std::vector<uint32_t> x(net.input.values());
  for (size_t i = 0; i < x.size(); ++i) x[i] = uint32_t(pixels[i]) >> shift;
  return x;
}

std::vector<int64_t> quantised_accumulators(const Network& net, size_t index, const std::vector<uint32_t>& x,
                                            const ProductRule& product) {
  require_quantised(net, "quantised_accumulators");
  const Layer& l = net.layers.at(index);
  if (x.size() != l.input_values()) throw InputError("quantised_accumulators: input size does not match the layer");
  const auto dot = [&](uint32_t j, const uint32_t* window) {
    int64_t acc = 0;
    for (uint32_t i = 0; i < l.inputs; ++i) acc += product(l.qweights[size_t(j) * l.inputs + i], window[i]);
    return acc;
  };
  if (!l.is_conv()) {
    std::vector<int64_t> acc(l.outputs);
    for (uint32_t j = 0; j < l.outputs; ++j) acc[j] = dot(j, x.data());
    return acc;
  }
  const uint32_t oh = l.conv.out_height(), ow = l.conv.out_width();
  std::vector<int64_t> acc(size_t(oh) * ow * l.outputs);
  std::vector<uint32_t> window(l.inputs);
  for (uint32_t oy = 0; oy < oh; ++oy)
    for (uint32_t ox = 0; ox < ow; ++ox) {
      gather_window(l.conv, x.data(), oy, ox, window.data());
      for (uint32_t j = 0; j < l.outputs; ++j) acc[(size_t(oy) * ow + ox) * l.outputs + j] = dot(j, window.data());
    }
  return acc;
}

std::vector<uint32_t> quantised_hidden_outputs(const Network& net, size_t index, const std::vector<uint32_t>& x,
                                               const ProductRule& product) {
  const Layer& l = net.layers.at(index);
  if (index + 1 >= net.layers.size()) throw InputError("quantised_hidden_outputs: the output layer is not requantised");
  const std::vector<int64_t> acc = quantised_accumulators(net, index, x, product);
  std::vector<uint32_t> q(acc.size());
  for (size_t i = 0; i < acc.size(); ++i) {
    const uint32_t j = uint32_t(i % l.outputs);
    q[i] = requantise(acc[i], l.multiplier[j], l.bias[j], net.quant.activation_bits);
  }
  return max_pool(l, q);
}

// ---- QuantisedEvaluator ----

struct QuantisedEvaluator::Impl {
  enum class Mode { exact32, exact64, table, call };
  struct LayerData {
    Layer layer;
    std::vector<int16_t> weights;  // qweights widened
    Mode mode = Mode::exact64;
  };
  std::vector<LayerData> layers;
  Quantisation quant;
  uint32_t input_shift = 0;
  ProductRule product;
  std::vector<int64_t> table;            // product(w, a) at (w + max_w) x (max_a + 1) + a (Mode::table)
  bool zero_activation_is_zero = false;  // the table's product(w, 0) = 0 for every w: skip zero activations

  // Mode::table: the sum over the inputs listed in `nonzero` (all inputs whose activation is
  // not 0 when zero_activation_is_zero, else all inputs).
  int64_t table_dot(const LayerData& d, uint32_t j, const int16_t* x, const std::vector<uint32_t>& nonzero) const {
    const int16_t* w = d.weights.data() + size_t(j) * d.layer.inputs;
    const int64_t stride = int64_t(quant.max_activation()) + 1;
    const int64_t* origin = table.data() + int64_t(quant.max_weight()) * stride;  // the row of w = 0
    int64_t sum = 0;
    for (uint32_t i : nonzero) sum += origin[w[i] * stride + x[i]];
    return sum;
  }

  // The inputs table_dot sums over.
  void list_inputs(const int16_t* x, uint32_t n, std::vector<uint32_t>& nonzero) const {
    nonzero.clear();
    for (uint32_t i = 0; i < n; ++i)
      if (x[i] != 0 || !zero_activation_is_zero) nonzero.push_back(i);
  }

  // Every neuron's accumulator on the input (or window) x.
  void accumulate(const LayerData& d, const int16_t* x, std::vector<uint32_t>& nonzero, int64_t* acc) const {
    if (d.mode == Mode::table) {
      list_inputs(x, d.layer.inputs, nonzero);
      for (uint32_t j = 0; j < d.layer.outputs; ++j) acc[j] = table_dot(d, j, x, nonzero);
      return;
    }
    for (uint32_t j = 0; j < d.layer.outputs; ++j) acc[j] = dot(d, j, x);
  }

  int64_t dot(const LayerData& d, uint32_t j, const int16_t* x) const {
    const uint32_t n = d.layer.inputs;
    const int16_t* w = d.weights.data() + size_t(j) * n;
    switch (d.mode) {
      case Mode::exact32: {  // no partial sum can leave int32 (checked per layer)
        int32_t sum = 0;
        for (uint32_t i = 0; i < n; ++i) sum += int32_t(w[i]) * int32_t(x[i]);
        return sum;
      }
      case Mode::exact64: {
        int64_t sum = 0;
        for (uint32_t i = 0; i < n; ++i) sum += int64_t(w[i]) * x[i];
        return sum;
      }
      case Mode::table:  // scores() calls table_dot
      case Mode::call: break;
    }
    int64_t sum = 0;
    for (uint32_t i = 0; i < n; ++i) sum += product(w[i], uint32_t(x[i]));
    return sum;
  }
};

QuantisedEvaluator::QuantisedEvaluator(const Network& net, const ProductRule& product) : impl_(new Impl) {
  require_quantised(net, "QuantisedEvaluator");
  if (!product) throw InputError("QuantisedEvaluator: no product rule");
  Impl& m = *impl_;
  m.quant = net.quant;
  m.input_shift = net.input.bits - net.quant.activation_bits;
  m.product = product;
  const bool exact = is_exact(product);
  const uint32_t max_w = uint32_t(net.quant.max_weight()), max_a = net.quant.max_activation();
  const uint64_t table_size = uint64_t(2 * max_w + 1) * (max_a + 1);
  uint64_t products = 0;  // per image
  for (const Layer& l : net.layers) products += l.positions() * l.outputs * l.inputs;
  const bool use_table = !exact && products > table_size;
  if (use_table) {
    m.table.resize(table_size);
    for (int32_t w = -int32_t(max_w); w <= int32_t(max_w); ++w)
      for (uint32_t a = 0; a <= max_a; ++a) m.table[size_t(w + int32_t(max_w)) * (max_a + 1) + a] = product(w, a);
    m.zero_activation_is_zero = true;
    for (uint32_t k = 0; k < m.table.size(); k += max_a + 1) m.zero_activation_is_zero &= m.table[k] == 0;
  }
  for (const Layer& l : net.layers) {
    Impl::LayerData d;
    d.layer = l;
    d.weights.assign(l.qweights.begin(), l.qweights.end());
    uint64_t widest = 0;  // max over neurons of sum |w| x max_a
    for (uint32_t j = 0; j < l.outputs; ++j) {
      uint64_t sum = 0;
      for (uint32_t i = 0; i < l.inputs; ++i) sum += uint64_t(std::abs(int32_t(l.qweights[size_t(j) * l.inputs + i])));
      widest = std::max(widest, sum * max_a);
    }
    d.mode = !exact ? (use_table ? Impl::Mode::table : Impl::Mode::call)
             : widest <= uint64_t(std::numeric_limits<int32_t>::max()) ? Impl::Mode::exact32
                                                                       : Impl::Mode::exact64;
    m.layers.push_back(std::move(d));
  }
}

QuantisedEvaluator::~QuantisedEvaluator() = default;
QuantisedEvaluator::QuantisedEvaluator(QuantisedEvaluator&&) noexcept = default;
QuantisedEvaluator& QuantisedEvaluator::operator=(QuantisedEvaluator&&) noexcept = default;

std::vector<int32_t> QuantisedEvaluator::scores(const uint8_t* pixels) const {
  const Impl& m = *impl_;
  const size_t n_in = m.layers.front().layer.input_values();
  std::vector<int16_t> x(n_in), window, q;
  std::vector<int64_t> acc;
  std::vector<uint32_t> nonzero;
  for (size_t i = 0; i < n_in; ++i) x[i] = int16_t(pixels[i] >> m.input_shift);
  const uint32_t bits = m.quant.activation_bits;
  for (size_t li = 0; li + 1 < m.layers.size(); ++li) {
    const Impl::LayerData& d = m.layers[li];
    const Layer& l = d.layer;
    acc.resize(l.outputs);
    const auto requantise_into = [&](int16_t* out) {
      for (uint32_t j = 0; j < l.outputs; ++j) out[j] = int16_t(requantise(acc[j], l.multiplier[j], l.bias[j], bits));
    };
    if (!l.is_conv()) {
      q.resize(l.outputs);
      m.accumulate(d, x.data(), nonzero, acc.data());
      requantise_into(q.data());
      x.swap(q);
      continue;
    }
    const uint32_t oh = l.conv.out_height(), ow = l.conv.out_width();
    window.resize(l.inputs);
    q.resize(size_t(oh) * ow * l.outputs);
    for (uint32_t oy = 0; oy < oh; ++oy)
      for (uint32_t ox = 0; ox < ow; ++ox) {
        gather_window(l.conv, x.data(), oy, ox, window.data());
        m.accumulate(d, window.data(), nonzero, acc.data());
        requantise_into(q.data() + (size_t(oy) * ow + ox) * l.outputs);
      }
    x = max_pool(l, q);
  }
  const Impl::LayerData& d = m.layers.back();
  acc.resize(d.layer.outputs);
  m.accumulate(d, x.data(), nonzero, acc.data());
  std::vector<int32_t> scores(d.layer.outputs);
  for (uint32_t j = 0; j < d.layer.outputs; ++j)
    scores[j] = int32_t(int64_t(d.layer.scale[j]) * acc[j] + d.layer.offset[j]);
  return scores;
}

std::vector<int32_t> quantised_scores(const Network& net, const uint8_t* pixels, const ProductRule& product) {
  require_quantised(net, "quantised_scores");
  return QuantisedEvaluator(net, product).scores(pixels);
}

}  // namespace scbnn
