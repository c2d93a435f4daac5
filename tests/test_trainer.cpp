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
