// The benchmark's bare kernel and the full platform predict the same classes (the timing
// itself is in bench/, not here).
#include <gtest/gtest.h>

#include "bare_kernel.h"
#include "scbnn/platforms/platform.h"

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
