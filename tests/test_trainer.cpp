// The trainer on a small slice of Fashion-MNIST: its exported integer network must be
// what the independent reference computes, and training must replay from the seed.
#include <gtest/gtest.h>

#include "scbnn/stimuli/trainer.h"
#include "test_support.h"

using namespace scbnn;

namespace {

TrainOptions tiny() {
  TrainOptions o;
  o.hidden = {64};
  o.epochs = 2;
  o.train_limit = 3000;
  o.seed = 42;
  o.threads = 1;
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
  const TrainResult a = train_bnn(tiny(), train, test);
  EXPECT_GT(a.folded_test_accuracy, 0.6) << "a trained network, far above chance";
  EXPECT_NEAR(a.folded_test_accuracy, a.float_test_accuracy, 0.01) << "folding batch norm must not change much";

  size_t correct = 0;
  for (size_t i = 0; i < test.count(); ++i)
    correct += test::reference_inference(a.network, test.image(i)).predicted == test.labels[i];
  EXPECT_DOUBLE_EQ(double(correct) / double(test.count()), a.folded_test_accuracy)
      << "the trainer's integer evaluation must equal the independent reference";

  const TrainResult b = train_bnn(tiny(), train, test);
  ASSERT_EQ(a.network.layers.size(), b.network.layers.size());
  for (size_t l = 0; l < a.network.layers.size(); ++l) {
    EXPECT_EQ(a.network.layers[l].weights.words, b.network.layers[l].weights.words) << "layer " << l;
    EXPECT_EQ(a.network.layers[l].threshold, b.network.layers[l].threshold) << "layer " << l;
    EXPECT_EQ(a.network.layers[l].scale, b.network.layers[l].scale) << "layer " << l;
  }
  EXPECT_EQ(a.network.provenance["seed"], 42);
  EXPECT_EQ(a.network.provenance["epochs"], 2);
  EXPECT_EQ(a.network.provenance["dataset"], "fashion-mnist");
}
