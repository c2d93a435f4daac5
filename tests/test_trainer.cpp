// The trainer on small slices of Fashion-MNIST: its exported integer network must be what the
// independent references compute (test_support.h for MLPs, stimuli/evaluate.h for CNNs), the
// fold must reproduce the float network's layers, and training must replay from the seed.
#include <gtest/gtest.h>

#include <cmath>

#include "scbnn/stimuli/evaluate.h"
#include "scbnn/stimuli/trainer.h"
#include "test_support.h"

using namespace scbnn;

namespace {

TrainOptions tiny_mlp() {
  TrainOptions o;
  o.arch = mlp_architecture({64}, 10);
  o.epochs = 2;
  o.train_limit = 3000;
  o.seed = 42;
  o.threads = 1;
  return o;
}

// Two convolutions (padding -1 then +1, the second with stride 2) with max-pools, then dense
// layers: every geometry feature the fold and the HWC order touch.
TrainOptions tiny_cnn() {
  TrainOptions o;
  o.arch = parse_architecture("conv8k3p1,pool2,conv16k3s2p1v+1,pool2s1,dense32,dense10");
  o.epochs = 1;
  o.train_limit = 2000;
  o.seed = 7;
  o.threads = 1;
  o.recalibrate_norms = true;
  return o;
}

Dataset first_images(const Dataset& d, size_t n) {
  Dataset s = d;
  s.images.resize(n * d.pixels());
  s.labels.resize(n);
  return s;
}

}  // namespace

TEST(Trainer, FoldedNetworkIsExactAndReproducible) {
  const Dataset train = load_mnist_format(kFashionMnistDir, "train");
  const Dataset test = first_images(load_mnist_format(kFashionMnistDir, "test"), 2000);
  const TrainResult a = train_bnn(tiny_mlp(), train, test);
  EXPECT_GT(a.folded_test_accuracy, 0.6) << "a trained network, far above chance";
  EXPECT_NEAR(a.folded_test_accuracy, a.float_test_accuracy, 0.01) << "folding batch norm must not change much";

  size_t correct = 0;
  for (size_t i = 0; i < test.count(); ++i)
    correct += test::reference_inference(a.network, test.image(i)).predicted == test.labels[i];
  EXPECT_DOUBLE_EQ(double(correct) / double(test.count()), a.folded_test_accuracy)
      << "the trainer's integer evaluation must equal the independent reference";

  const TrainResult b = train_bnn(tiny_mlp(), train, test);
  ASSERT_EQ(a.network.layers.size(), b.network.layers.size());
  for (size_t l = 0; l < a.network.layers.size(); ++l) {
    EXPECT_EQ(a.network.layers[l].weights.words, b.network.layers[l].weights.words) << "layer " << l;
    EXPECT_EQ(a.network.layers[l].threshold, b.network.layers[l].threshold) << "layer " << l;
    EXPECT_EQ(a.network.layers[l].scale, b.network.layers[l].scale) << "layer " << l;
  }
  EXPECT_EQ(a.network.provenance["seed"], 42);
  EXPECT_EQ(a.network.provenance["epochs"], 2);
  EXPECT_EQ(a.network.provenance["dataset"], "fashion-mnist");
  EXPECT_EQ(a.network.provenance["architecture"], "dense64,dense10");
}

// A tiny BCNN: the trainer's folded accuracy equals the plain integer evaluation image by
// image, the folded network predicts as the float network in eval mode on nearly every image,
// and every layer's integer pre-activations equal the float model's (HWC order, kernel
// unrolling, padding values, flatten order) on the same inputs.
TEST(Trainer, ConvolutionalNetworkFoldsExactly) {
  const Dataset train = load_mnist_format(kFashionMnistDir, "train");
  const Dataset test = first_images(load_mnist_format(kFashionMnistDir, "test"), 500);
  const TrainResult r = train_bnn(tiny_cnn(), train, test);
  const Network& net = r.network;
  ASSERT_EQ(net.layers.size(), 4u);
  EXPECT_TRUE(net.layers[0].is_conv() && net.layers[1].is_conv());
  EXPECT_EQ(net.layers[1].conv.padding_value, 1);
  EXPECT_EQ(net.layers[2].inputs, 6u * 6u * 16u) << "28 -> pool 14 -> stride-2 conv 7 -> pool 2 stride 1: 6 x 6 x 16";
  EXPECT_GT(r.folded_test_accuracy, 0.5) << "one epoch on 2000 images is far above chance (10 %)";
  EXPECT_EQ(net.provenance["batch_norm_statistics"], "recomputed over the training set after the last epoch");

  size_t correct = 0, agree = 0;
  for (size_t i = 0; i < test.count(); ++i) {
    const uint32_t folded = predicted_class(integer_scores(net, test.image(i)));
    correct += folded == test.labels[i];
    agree += folded == r.float_network->predict(test.image(i));
  }
  EXPECT_DOUBLE_EQ(double(correct) / double(test.count()), r.folded_test_accuracy)
      << "the trainer's folded accuracy must equal the plain integer evaluation (stimuli/evaluate.h)";
  // The fold is exact in real arithmetic; the float network differs only where float32
  // rounding puts a pre-activation on the other side of a threshold.
  EXPECT_GE(double(agree) / double(test.count()), 0.97) << agree << " of " << test.count() << " agree";

  size_t bits = 0, bits_equal = 0;
  for (size_t i = 0; i < 5; ++i) {
    const auto trace = r.float_network->trace(test.image(i));
    ASSERT_EQ(trace.size(), net.layers.size());
    std::vector<int64_t> x0 = input_values(net, test.image(i));
    for (size_t l = 0; l < net.layers.size(); ++l) {
      std::vector<int64_t> x(trace[l].input.size());
      for (size_t k = 0; k < x.size(); ++k) {
        x[k] = std::llround(trace[l].input[k]);
        ASSERT_NEAR(trace[l].input[k], double(x[k]), 1e-3) << "layer " << l << " input " << k;
      }
      if (l == 0) {
        EXPECT_EQ(x, x0) << "the float model's first-layer inputs are (2x - 255) / 255";
      }
      const std::vector<int64_t> a = layer_preactivations(net, l, x);
      ASSERT_EQ(a.size(), trace[l].preactivation.size()) << "layer " << l;
      for (size_t k = 0; k < a.size(); ++k)
        ASSERT_NEAR(double(a[k]), trace[l].preactivation[k], 0.05) << "image " << i << " layer " << l << " value " << k;
      if (l + 1 < net.layers.size()) {
        const std::vector<int64_t> y = hidden_layer_outputs(net, l, x);
        ASSERT_EQ(y.size(), trace[l + 1].input.size());
        for (size_t k = 0; k < y.size(); ++k) bits_equal += y[k] == std::llround(trace[l + 1].input[k]);
        bits += y.size();
      }
    }
  }
  EXPECT_GE(double(bits_equal), 0.999 * double(bits))
      << "threshold, sign and max-pool of the fold match the float network's activations";
}

TEST(Trainer, DownsampledImagesAreRecorded) {
  const Dataset train = load_mnist_format(kFashionMnistDir, "train");
  const Dataset test = first_images(load_mnist_format(kFashionMnistDir, "test"), 300);
  TrainOptions o;
  o.arch = parse_architecture("conv4k3,pool2,dense10");
  o.epochs = 1;
  o.train_limit = 300;
  o.threads = 1;
  o.downsample = 2;
  const TrainResult r = train_bnn(o, train, test);
  EXPECT_EQ(r.network.input.rows, 14u);
  EXPECT_EQ(r.network.input.cols, 14u);
  EXPECT_EQ(r.network.layers[1].inputs, 6u * 6u * 4u);
  EXPECT_EQ(r.network.provenance["preprocessing"]["downsample"], 2);
  const Dataset small = downsample(test, 2);
  size_t correct = 0;
  for (size_t i = 0; i < small.count(); ++i)
    correct += predicted_class(integer_scores(r.network, small.image(i))) == small.labels[i];
  EXPECT_DOUBLE_EQ(double(correct) / double(small.count()), r.folded_test_accuracy);
}

TEST(Trainer, RefusesAnArchitectureWithTheWrongClassCount) {
  const Dataset test = first_images(load_mnist_format(kFashionMnistDir, "test"), 100);
  TrainOptions o;
  o.arch = parse_architecture("conv4k3,pool2,dense12");
  EXPECT_NE(test::error_of([&] { train_bnn(o, test, test); }).find("10 classes"), std::string::npos);
  o.arch = parse_architecture("conv4k29,dense10");
  EXPECT_NE(test::error_of([&] { train_bnn(o, test, test); }).find("layer 1 (conv2d)"), std::string::npos);
}

// ---- Quantised networks: quantisation-aware training (issue 16) ----

namespace {

TrainOptions tiny_quantised(uint32_t bits) {
  TrainOptions o;
  o.arch = parse_architecture("conv8k5p2,pool2,conv16k3p1,pool2,dense10");
  o.weight_bits = o.activation_bits = bits;
  o.epochs = 1;
  o.train_limit = 600;
  o.batch_size = 25;
  o.seed = 3;
  o.threads = 1;
  o.command = "scbnn train (test)";
  return o;
}

}  // namespace

// A few hundred images, one epoch: the exported integer network's accuracy (stimuli/evaluate.h,
// exact) equals libtorch's evaluation of the folded integer network image by image, is clearly
// above chance and close to the fake-quantised model's; every layer's integer activations and
// accumulators equal the trained model's (zero padding, kernel unrolling, HWC order, pooling
// after the activation quantiser).
TEST(Trainer, QuantisedNetworkFoldsToItsIntegerSemantics) {
  const Dataset train = load_mnist_format(kFashionMnistDir, "train");
  const Dataset test = first_images(load_mnist_format(kFashionMnistDir, "test"), 500);
  const TrainResult r = train_bnn(tiny_quantised(8), train, test);
  const Network& net = r.network;
  ASSERT_TRUE(net.quantised());
  EXPECT_EQ(net.quant.weight_bits, 8u);
  EXPECT_EQ(net.quant.activation_bits, 8u);
  EXPECT_EQ(net.layers[0].conv.padding_value, 0);
  EXPECT_EQ(net.layers[2].inputs, 7u * 7u * 16u);
  EXPECT_GT(r.folded_test_accuracy, 0.4) << "one epoch on 600 images, far above chance (10 %)";
  EXPECT_NEAR(r.folded_test_accuracy, r.float_test_accuracy, 0.02) << "the fold keeps the fake-quantised model";
  EXPECT_DOUBLE_EQ(folded_accuracy(net, test), r.folded_test_accuracy)
      << "libtorch's evaluation of the folded integer network equals quantised_scores'";
  size_t correct = 0;
  for (size_t i = 0; i < test.count(); ++i)
    correct += predicted_class(quantised_scores(net, test.image(i))) == test.labels[i];
  EXPECT_DOUBLE_EQ(double(correct) / double(test.count()), r.folded_test_accuracy);

  const Network back = parse_network(serialize_network(net), "trained.scbnn");
  EXPECT_EQ(back.layers[1].qweights, net.layers[1].qweights);
  EXPECT_EQ(net.provenance["training"], "quantisation_aware");
  EXPECT_EQ(net.provenance["weight_bits"], 8);
  EXPECT_EQ(net.provenance["activation_bits"], 8);
  EXPECT_EQ(net.provenance["command"], "scbnn train (test)");
  EXPECT_DOUBLE_EQ(net.provenance["fake_quant_test_accuracy"].get<double>(), r.float_test_accuracy);
  EXPECT_FALSE(net.provenance.contains("float_baseline"));

  size_t values = 0, equal = 0;
  for (size_t i = 0; i < 5; ++i) {
    const auto trace = r.float_network->trace(test.image(i));
    ASSERT_EQ(trace.size(), net.layers.size());
    for (size_t l = 0; l < net.layers.size(); ++l) {
      std::vector<uint32_t> x(trace[l].input.size());
      for (size_t k = 0; k < x.size(); ++k) {
        x[k] = uint32_t(std::llround(trace[l].input[k]));
        ASSERT_NEAR(trace[l].input[k], double(x[k]), 1e-3) << "layer " << l << " input " << k;
      }
      if (l == 0) {
        EXPECT_EQ(x, quantised_input(net, test.image(i))) << "the model's inputs are p >> (8 - A)";
      }
      const std::vector<int64_t> acc = quantised_accumulators(net, l, x);
      ASSERT_EQ(acc.size(), trace[l].preactivation.size()) << "layer " << l;
      int64_t largest = 1;
      for (int64_t a : acc) largest = std::max(largest, std::abs(a));
      for (size_t k = 0; k < acc.size(); ++k)  // float32 sums: within a few units in the last place
        ASSERT_NEAR(double(acc[k]), trace[l].preactivation[k], 1e-5 * double(largest) + 0.05)
            << "image " << i << " layer " << l << " value " << k;
      if (l + 1 < net.layers.size()) {
        const std::vector<uint32_t> q = quantised_hidden_outputs(net, l, x);
        ASSERT_EQ(q.size(), trace[l + 1].input.size());
        for (size_t k = 0; k < q.size(); ++k) equal += int64_t(q[k]) == std::llround(trace[l + 1].input[k]);
        values += q.size();
      }
    }
  }
  // Different only where float32 rounding puts a value on the other side of a rounding step.
  EXPECT_GE(double(equal), 0.995 * double(values)) << equal << " of " << values;
}

TEST(Trainer, QuantisedTrainingReplaysAndLowPrecisionTrains) {
  const Dataset train = load_mnist_format(kFashionMnistDir, "train");
  const Dataset test = first_images(load_mnist_format(kFashionMnistDir, "test"), 300);
  TrainOptions o = tiny_quantised(4);
  o.arch = parse_architecture("dense32,dense10");  // an MLP: dense layers read the image directly
  const TrainResult a = train_bnn(o, train, test);
  const TrainResult b = train_bnn(o, train, test);
  for (size_t l = 0; l < a.network.layers.size(); ++l) {
    EXPECT_EQ(a.network.layers[l].qweights, b.network.layers[l].qweights) << l;
    EXPECT_EQ(a.network.layers[l].multiplier, b.network.layers[l].multiplier) << l;
    EXPECT_EQ(a.network.layers[l].scale, b.network.layers[l].scale) << l;
  }
  for (int8_t w : a.network.layers[0].qweights) ASSERT_LE(std::abs(int(w)), 7) << "4-bit symmetric";
  EXPECT_GT(a.folded_test_accuracy, 0.4);
  EXPECT_DOUBLE_EQ(folded_accuracy(a.network, test), a.folded_test_accuracy);
}

TEST(Trainer, FloatBaselineIsARecordWithoutANetwork) {
  const Dataset train = load_mnist_format(kFashionMnistDir, "train");
  const Dataset test = first_images(load_mnist_format(kFashionMnistDir, "test"), 300);
  TrainOptions o = tiny_quantised(0);
  const TrainResult r = train_bnn(o, train, test);
  EXPECT_TRUE(r.network.layers.empty());
  EXPECT_EQ(r.network.provenance["training"], "float");
  EXPECT_EQ(r.network.provenance["architecture"], "conv8k5p2,pool2,conv16k3p1,pool2,dense10");
  EXPECT_DOUBLE_EQ(r.network.provenance["float_test_accuracy"].get<double>(), r.float_test_accuracy);
  EXPECT_GT(r.float_test_accuracy, 0.4);
  EXPECT_LT(r.float_network->predict(test.image(0)), 10u);
}

TEST(Trainer, PrecisionOptionsAreChecked) {
  const Dataset test = first_images(load_mnist_format(kFashionMnistDir, "test"), 50);
  const auto error = [&](const std::function<void(TrainOptions&)>& edit) {
    TrainOptions o = tiny_quantised(8);
    edit(o);
    return test::error_of([&] { train_bnn(o, test, test); });
  };
  EXPECT_NE(error([](TrainOptions& o) { o.weight_bits = 9; }).find("--weight-bits 9 (expected 0 for the float"),
            std::string::npos);
  EXPECT_NE(error([](TrainOptions& o) { o.weight_bits = 1; }).find("--activation-bits 8 with --weight-bits 1"),
            std::string::npos);
  EXPECT_NE(error([](TrainOptions& o) { o.weight_bits = 0; }).find("--activation-bits 8 with --weight-bits 0"),
            std::string::npos);
  EXPECT_NE(error([](TrainOptions& o) { o.activation_bits = 1; }).find("--activation-bits 1 (expected 2 to 8"),
            std::string::npos);
  EXPECT_NE(error([](TrainOptions& o) { o.stochastic_samples = 4; }).find("--stochastic-samples trains binarized"),
            std::string::npos);
  EXPECT_NE(error([](TrainOptions& o) { o.weight_flip_ber = 0.01; }).find("--flip-ber trains binarized"),
            std::string::npos);
  EXPECT_NE(error([](TrainOptions& o) { o.activation_clip = 0; }).find("--activation-clip must be a positive"),
            std::string::npos);
  EXPECT_NE(error([](TrainOptions& o) {
              o.arch = parse_architecture("conv4k3p1v+1,dense10");
            }).find("layer 1 (conv2d) pads with +1 (v+1); a quantised network pads with zeros"),
            std::string::npos);
}
