// The benchmark's bare kernel and the full platform predict the same classes (the timing
// itself is in bench/, not here).
#include <gtest/gtest.h>

#include "bare_conv_kernel.h"
#include "bare_kernel.h"
#include "scbnn/platforms/platform.h"
#include "test_support.h"

using namespace scbnn;

namespace {

void expect_same_predictions(bool stochastic, uint32_t images) {
  Config c;
  c.apply_override(std::string("network.path=" SCBNN_SOURCE_DIR "/stimuli/networks/") +
                   (stochastic ? "fmnist_bnn_sc8.scbnn" : "fmnist_bnn_fixed.scbnn"));
  if (stochastic) {
    c.apply_override("accel.input_mode=stochastic");
    c.apply_override("accel.sc.stream_length=8");
  }
  const Network net = load_network(c.text("network.path"));
  const Dataset data = load_mnist_format(kFashionMnistDir, "test");
  const PlatformParams params = platform_params(c);
  bench::BareKernel kernel(net, stochastic ? 8 : 0, params.accel.core.sng);
  const uint32_t first = 500;
  Platform platform(params, net, data, first, images);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), images);
  for (uint32_t i = 0; i < images; ++i)
    ASSERT_EQ(out.records[i].predicted, kernel.classify(data.image(first + i), first + i)) << "image " << first + i;
}

}  // namespace

TEST(BareKernel, AgreesWithThePlatformOnFixedInputs) { expect_same_predictions(false, 300); }
TEST(BareKernel, AgreesWithThePlatformOnStochasticInputs) { expect_same_predictions(true, 300); }

// The bench's bare conv kernel (its own window extraction and popcount) agrees with the
// independent reference, scores included, on padding, strides, pools and multi-word windows.
TEST(BareConvKernel, MatchesTheIndependentReference) {
  const Network net = test::random_conv_network(
      9, 8, 3, {{40, 3, 1, 1, 1, 3, 2}, {70, 2, 2, 1, -1}, {9, 3, 1, 2, 1, 2, 1}}, {20, 10}, 61);
  const Dataset data = test::random_tensor_dataset(6, 9, 8, 3, 62);
  bench::BareConvKernel kernel(net);
  for (size_t i = 0; i < data.count(); ++i) {
    const test::ReferenceResult ref = test::reference_conv_network(net, test::fixed_input(net, data.image(i)));
    EXPECT_EQ(kernel.classify(data.image(i)), ref.predicted) << i;
    EXPECT_EQ(std::vector<int64_t>(kernel.scores().begin(), kernel.scores().end()), ref.scores) << i;
  }
}
