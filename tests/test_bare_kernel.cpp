// The benchmark's yardsticks and the full platform predict the same classes (the timing
// itself is in bench/, not here).
#include <gtest/gtest.h>

#include "bare_conv_kernel.h"
#include "bare_quant_kernel.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/stimuli/evaluate.h"
#include "test_support.h"
#include "yardstick_kernel.h"

using namespace scbnn;

namespace {

// The yardstick (bench/yardstick_kernel.h: its own kernels and SNG, no platform code), in
// every instruction-set path this CPU runs, predicts what the platform predicts.
void expect_same_predictions(const std::string& mode, uint32_t images) {
  namespace ys = bench::yardstick;
  Config c;
  const bool stochastic = mode != "fixed";
  c.apply_override(std::string("network.path=" SCBNN_SOURCE_DIR "/stimuli/networks/") +
                   (stochastic ? "fmnist_bnn_sc8.scbnn" : "fmnist_bnn_fixed.scbnn"));
  if (stochastic) {
    c.apply_override("accel.input_mode=stochastic");
    c.apply_override("accel.sc.stream_length=8");
    if (mode == "vote") c.apply_override("accel.sc.combine=vote");
  }
  const Network net = load_network(c.text("network.path"));
  const Dataset data = load_mnist_format(kFashionMnistDir, "test", images);
  Platform platform(platform_params(c), net, data, 0, images);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), images);
  const ys::Mode m = mode == "fixed" ? ys::Mode::fixed : mode == "sum" ? ys::Mode::sc_sum : ys::Mode::sc_vote;
  for (ys::Isa isa : {ys::Isa::scalar, ys::Isa::avx2, ys::Isa::avx512}) {
    if (!ys::cpu_has(isa)) continue;
    ys::Kernel kernel(net, m, 8, isa);
    for (uint32_t i = 0; i < images; ++i)
      ASSERT_EQ(out.records[i].predicted, kernel.classify(data.image(i))) << ys::isa_name(isa) << ", image " << i;
  }
}

}  // namespace

TEST(Yardstick, AgreesWithThePlatformOnFixedInputs) { expect_same_predictions("fixed", 300); }
TEST(Yardstick, AgreesWithThePlatformOnStochasticSums) { expect_same_predictions("sum", 300); }
TEST(Yardstick, AgreesWithThePlatformOnStochasticVotes) { expect_same_predictions("vote", 150); }

// The bench's bare conv kernel (its own window extraction; the yardstick's row-group kernels
// in every instruction set this CPU runs) agrees with the independent reference, scores
// included, on padding, strides, pools and multi-word windows.
TEST(BareConvKernel, MatchesTheIndependentReference) {
  const Network net = test::random_conv_network(
      9, 8, 3, {{40, 3, 1, 1, 1, 3, 2}, {70, 2, 2, 1, -1}, {9, 3, 1, 2, 1, 2, 1}}, {20, 10}, 61);
  const Dataset data = test::random_tensor_dataset(6, 9, 8, 3, 62);
  namespace ys = bench::yardstick;
  for (ys::Isa isa : {ys::Isa::scalar, ys::Isa::avx2, ys::Isa::avx512}) {
    if (!ys::cpu_has(isa)) continue;
    bench::BareConvKernel kernel(net, isa);
    for (size_t i = 0; i < data.count(); ++i) {
      const test::ReferenceResult ref = test::reference_conv_network(net, test::fixed_input(net, data.image(i)));
      EXPECT_EQ(kernel.classify(data.image(i)), ref.predicted) << ys::isa_name(isa) << ", image " << i;
      EXPECT_EQ(std::vector<int64_t>(kernel.scores().begin(), kernel.scores().end()), ref.scores)
          << ys::isa_name(isa) << ", image " << i;
    }
  }
}

// The bench's bare integer kernel of quantised networks (its own padded windows and int16
// dot products in int32) gives quantised_scores' exact scores, in every instruction-set
// variant this CPU runs, over precisions, padding, strides, pools and dense-only networks.
TEST(BareQuantKernel, MatchesQuantisedScoresInEveryVariant) {
  namespace qd = bench::quant_dot;
  std::vector<qd::Dispatch> variants = {{qd::dot_baseline, "baseline"}};
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) variants.push_back({qd::dot_avx2, "avx2"});
  if (qd::best_dot().fn == qd::dot_avx512) variants.push_back({qd::dot_avx512, "avx512"});
  const std::vector<Network> nets = {
      test::random_quantised_network(9, 8, 3, {{40, 3, 1, 1, 0, 3, 2}, {70, 2, 2, 1, 0}, {9, 3, 1, 2, 0, 2, 1}},
                                     {20, 10}, {8, 8}, 71),
      test::random_quantised_network(9, 8, 3, {{33, 3, 2, 1, 0, 2, 2}}, {10}, {4, 4}, 72),
      test::random_quantised_network(9, 8, 3, {{5, 1, 1, 0}, {17, 3, 1, 1, 0, 2, 1}}, {7}, {6, 7}, 73),
      test::random_quantised_network(9, 8, 3, {}, {100, 10}, {2, 3}, 74)};
  const Dataset data = test::random_tensor_dataset(6, 9, 8, 3, 75);
  for (size_t n = 0; n < nets.size(); ++n)
    for (const qd::Dispatch& d : variants) {
      bench::BareQuantKernel kernel(nets[n], d);
      for (size_t i = 0; i < data.count(); ++i) {
        const std::vector<int32_t> want = quantised_scores(nets[n], data.image(i));
        EXPECT_EQ(kernel.classify(data.image(i)), predicted_class(want)) << "network " << n << ", " << d.isa;
        EXPECT_EQ(kernel.scores(), want) << "network " << n << ", " << d.isa << ", image " << i;
      }
    }
}

TEST(BareQuantKernel, RefusesABinarizedNetwork) {
  const Network bnn = test::random_conv_network(9, 8, 3, {{8, 3, 1, 1, 1}}, {10}, 76);
  EXPECT_THROW(bench::BareQuantKernel{bnn}, std::invalid_argument);
}

// The kernel and the MAC-array platform with binary MAC PEs (exact products) predict the same
// classes on the shipped 8-bit CNN: what the benchmark's binary_mac ratio is measured on.
TEST(BareQuantKernel, AgreesWithTheBinaryMacPlatform) {
  Config c;
  c.apply_override("network.path=" SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_qcnn_w8a8.scbnn");
  c.apply_override("accel.datapath=mac");
  c.apply_override("accel.mac.pe=binary_mac");
  const Network net = load_network(c.text("network.path"));
  const Dataset data = load_mnist_format(kFashionMnistDir, "test");
  bench::BareQuantKernel kernel(net);
  const uint32_t first = 700, images = 100;
  Platform platform(platform_params(c), net, data, first, images);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), images);
  for (uint32_t i = 0; i < images; ++i)
    ASSERT_EQ(out.records[i].predicted, kernel.classify(data.image(first + i))) << "image " << first + i;
}
