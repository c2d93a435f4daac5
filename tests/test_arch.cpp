// Architecture descriptions (--arch strings and YAML files), untrained networks, the plain
// integer evaluation of conv layers (stimuli/evaluate.h) on hand-computed cases, and image
// downsampling.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scbnn/stimuli/arch.h"
#include "scbnn/stimuli/evaluate.h"
#include "test_support.h"

using namespace scbnn;
using test::error_of;

namespace {

InputSpec image(uint32_t rows, uint32_t cols, uint32_t channels = 1) {
  InputSpec in;
  in.rows = rows;
  in.cols = cols;
  in.channels = channels;
  return in;
}

std::string write_text(const std::string& name, const std::string& text) {
  const std::string path = test::temp_path(name);
  std::ofstream(path) << text;
  return path;
}

// A network around one hand-made layer (the output layer's parameters are placeholders).
Network one_conv(uint32_t rows, uint32_t cols, uint32_t channels, const ArchLayer& conv, bool first_layer) {
  Architecture a;
  a.layers = {conv, ArchLayer{}};
  a.layers[1].outputs = 2;
  Network net = untrained_network(a, image(rows, cols, channels), 1);
  if (!first_layer) net.input.bits = 1;  // inputs 2x - 1 = +-1: the first layer then reads +-1 like a hidden one
  return net;
}

}  // namespace

TEST(Architecture, ParsesTheDocumentedSyntax) {
  const Architecture a = parse_architecture(" conv32k3p1 ,pool2,conv64k5s2p2v+1,pool3s2,flatten,dense256,dense10");
  ASSERT_EQ(a.layers.size(), 4u);
  EXPECT_EQ(a.layers[0].type, LayerType::conv2d);
  EXPECT_EQ(a.layers[0].outputs, 32u);
  EXPECT_EQ(a.layers[0].kernel, 3u);
  EXPECT_EQ(a.layers[0].stride, 1u);
  EXPECT_EQ(a.layers[0].padding, 1u);
  EXPECT_EQ(a.layers[0].padding_value, -1);
  EXPECT_EQ(a.layers[0].pool.window, 2u);
  EXPECT_EQ(a.layers[0].pool.stride, 2u) << "a pool's stride defaults to its window";
  EXPECT_EQ(a.layers[1].kernel, 5u);
  EXPECT_EQ(a.layers[1].stride, 2u);
  EXPECT_EQ(a.layers[1].padding, 2u);
  EXPECT_EQ(a.layers[1].padding_value, 1);
  EXPECT_EQ(a.layers[1].pool.window, 3u);
  EXPECT_EQ(a.layers[1].pool.stride, 2u);
  EXPECT_EQ(a.layers[2].type, LayerType::dense);
  EXPECT_EQ(a.layers[2].outputs, 256u);
  EXPECT_EQ(a.classes(), 10u);
  EXPECT_EQ(to_string(a), "conv32k3p1,pool2,conv64k5s2p2v+1,pool3s2,dense256,dense10");
  EXPECT_EQ(to_string(parse_architecture(to_string(a))), to_string(a));
  EXPECT_EQ(to_string(parse_architecture("conv8k3v-1s1p0,dense10")), "conv8k3,dense10") << "options in any order";
  EXPECT_EQ(to_string(mlp_architecture({1024, 1024}, 10)), "dense1024,dense1024,dense10");
}

TEST(Architecture, RefusesBadItemsNamingThem) {
  const auto err = [](const std::string& text) { return error_of([&] { parse_architecture(text); }); };
  EXPECT_EQ(err(""), "--arch: item 1 is empty (stray comma?)");
  EXPECT_EQ(err("conv8k3,,dense10"), "--arch: item 2 is empty (stray comma?)");
  EXPECT_EQ(err("conv32,dense10"),
            "--arch: item 1 'conv32': expected conv<channels>k<kernel>[s<stride>][p<padding>][v<+1|-1>], e.g. "
            "conv32k3p1");
  EXPECT_NE(err("conv32k3k5,dense10").find("item 1 'conv32k3k5': expected conv<channels>"), std::string::npos)
      << "an option given twice";
  EXPECT_NE(err("conv32k3x1,dense10").find("item 1 'conv32k3x1': expected"), std::string::npos);
  EXPECT_NE(err("conv32k3v2,dense10").find("item 1 'conv32k3v2': expected"), std::string::npos);
  EXPECT_NE(err("convk3,dense10").find("item 1 'convk3'"), std::string::npos);
  EXPECT_EQ(err("conv8k3p3,dense10"), "--arch: item 1 'conv8k3p3': padding must be smaller than the kernel");
  EXPECT_EQ(err("conv0k3,dense10"), "--arch: item 1 'conv0k3': channels must be 1 to 65536");
  EXPECT_EQ(err("conv8k3s0,dense10"), "--arch: item 1 'conv8k3s0': stride must be 1 to 64");
  EXPECT_EQ(err("conv8k65,dense10"), "--arch: item 1 'conv8k65': kernel must be 1 to 64");
  EXPECT_EQ(err("pool2,dense10"),
            "--arch: item 1 'pool2': a max-pool must directly follow a convolution (one per convolution)");
  EXPECT_NE(err("conv8k3,pool2,pool2,dense10").find("item 3 'pool2': a max-pool must directly follow"),
            std::string::npos);
  EXPECT_NE(err("conv8k3,pool0,dense10").find("item 2 'pool0': window and stride must be 1 to 64"), std::string::npos);
  EXPECT_NE(err("conv8k3,pool2x,dense10").find("item 2 'pool2x': expected pool<window>[s<stride>]"), std::string::npos);
  EXPECT_EQ(err("dense64,conv8k3,dense10"), "--arch: item 2 'conv8k3': a convolution cannot follow a dense layer");
  EXPECT_NE(err("dense0").find("item 1 'dense0': neurons must be 1 to"), std::string::npos);
  EXPECT_NE(err("dense99999999999").find("item 1 'dense99999999999': expected dense<neurons>"), std::string::npos);
  EXPECT_NE(err("dense10x").find("item 1 'dense10x': expected dense<neurons>"), std::string::npos);
  EXPECT_NE(err("flatten,dense10").find("item 1 'flatten': flatten must follow a convolution"), std::string::npos);
  EXPECT_NE(err("conv8k3,relu,dense10").find("item 2 'relu' is not a layer"), std::string::npos);
  EXPECT_EQ(err("conv8k3,pool2"), "--arch: the last layer must be dense (it scores the classes), e.g. ...,dense10");
  EXPECT_EQ(err("dense1"), "--arch: the output layer needs at least 2 classes");
  EXPECT_NE(error_of([] { parse_architecture("conv8", "arch of run 3"); }).find("arch of run 3: item 1"),
            std::string::npos);
}

TEST(Architecture, ReadsYamlFilesNamingFileAndLine) {
  const std::string good = write_text("arch.yaml", R"(layers:
  - {type: conv2d, out_channels: 32, kernel: 3, padding: 1}
  - {type: maxpool, window: 2}
  - type: conv2d
    out_channels: 64
    kernel: 3
    stride: 2
    padding: 1
    padding_value: 1
  - {type: flatten}
  - {type: dense, outputs: 10}
)");
  EXPECT_EQ(to_string(load_architecture_file(good)), "conv32k3p1,pool2,conv64k3s2p1v+1,dense10");

  const auto err = [](const std::string& text) {
    const std::string path = write_text("bad.yaml", text);
    return error_of([&] { load_architecture_file(path); });
  };
  const std::string bad = test::temp_path("bad.yaml");
  EXPECT_EQ(err("layers: []\n"), bad + ": expected a mapping with a non-empty list 'layers'");
  EXPECT_NE(err("layers:\n  - {type: dense, outputs: 10}\nseed: 3\n").find(bad + ":3: unknown key 'seed'"),
            std::string::npos);
  EXPECT_NE(err("layers:\n  - {type: conv2d, out_channels: 8}\n  - {type: dense, outputs: 10}\n")
                .find(bad + ":2: layers[0] (conv2d): 'kernel' is missing"),
            std::string::npos);
  EXPECT_NE(err("layers:\n  - {type: conv2d, out_channels: 8, kernel: 3, padding_value: 0}\n")
                .find("layers[0] (conv2d): padding_value must be -1 or 1"),
            std::string::npos);
  EXPECT_NE(err("layers:\n  - {type: conv2d, out_channels: 8, kernal: 3}\n").find("unknown key 'kernal'"),
            std::string::npos);
  EXPECT_NE(err("layers:\n  - {type: dense, outputs: -3}\n").find("outputs must be a non-negative integer"),
            std::string::npos);
  EXPECT_NE(err("layers:\n  - {type: lstm}\n").find(bad + ":2: layers[0]: type 'lstm' is not a layer"),
            std::string::npos);
  EXPECT_NE(err("layers:\n  - {type: dense, outputs: 10}\n  - {type: maxpool, window: 2}\n")
                .find("layers[1]: a max-pool must directly follow a convolution"),
            std::string::npos);
  EXPECT_NE(err("layers:\n  - {type: conv2d, out_channels: 8, kernel: 3}\n").find("the last layer must be dense"),
            std::string::npos);
  EXPECT_NE(error_of([] { load_architecture_file("/nonexistent/arch.yaml"); }).find("/nonexistent/arch.yaml"),
            std::string::npos);
}

TEST(Architecture, ShapesFollowTheInput) {
  const Architecture a = parse_architecture("conv32k3p1,pool2,conv64k3p1,pool2,conv128k3p1,pool2,dense256,dense10");
  const auto s = layer_shapes(a, image(28, 28));
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].inputs, 9u);
  EXPECT_EQ(s[1].inputs, 288u);
  EXPECT_EQ(s[2].inputs, 576u);
  EXPECT_EQ(s[2].output_height(), 3u) << "7 x 7 pooled by 2 keeps 3 x 3";
  EXPECT_EQ(s[3].inputs, 3u * 3u * 128u);
  EXPECT_EQ(s[4].inputs, 256u);
  EXPECT_EQ(layer_shapes(parse_architecture("conv8k3,dense10"), image(32, 32, 3))[0].inputs, 27u);
  EXPECT_EQ(
      error_of([] { layer_shapes(parse_architecture("conv8k3,pool2,conv8k3,dense10"), image(5, 5)); }),
      "architecture: layer 2 (conv2d) on its 1 x 1 x 8 input: kernel 3 is larger than the padded input 1 x 1 x 8");
  EXPECT_NE(error_of([] {
              layer_shapes(parse_architecture("conv8k3,pool4,dense10"), image(5, 5));
            }).find("layer 1 (conv2d) on its 5 x 5 x 1 input: maxpool window 4 is larger than its input 3 x 3 x 8"),
            std::string::npos);
}

TEST(UntrainedNetwork, IsValidReproducibleAndHalfActive) {
  const Architecture a = parse_architecture("conv16k3p1,pool2,conv32k3p1,pool2,dense64,dense10");
  const Network net = untrained_network(a, image(28, 28), 5);
  EXPECT_EQ(net.provenance["training"], "untrained");
  EXPECT_FALSE(net.provenance.contains("folded_test_accuracy"));
  const Network again = parse_network(serialize_network(net), "round trip");
  for (size_t l = 0; l < net.layers.size(); ++l) {
    EXPECT_EQ(again.layers[l].weights.words, net.layers[l].weights.words);
    EXPECT_EQ(again.layers[l].threshold, net.layers[l].threshold);
  }
  EXPECT_EQ(untrained_network(a, image(28, 28), 5).layers[1].weights.words, net.layers[1].weights.words);
  EXPECT_NE(untrained_network(a, image(28, 28), 6).layers[1].weights.words, net.layers[1].weights.words);

  const Dataset images = test::random_dataset(4, 28, 28, 9);
  for (size_t l = 0; l + 1 < net.layers.size(); ++l) {
    size_t fired = 0, total = 0;
    for (size_t i = 0; i < images.count(); ++i) {
      std::vector<int64_t> x = input_values(net, images.image(i));
      for (size_t k = 0; k < l; ++k) x = hidden_layer_outputs(net, k, x);
      const std::vector<int64_t> a_values = layer_preactivations(net, l, x);
      for (size_t k = 0; k < a_values.size(); ++k) {
        const uint32_t j = uint32_t(k % net.layers[l].outputs);
        fired += net.layers[l].direction[j] > 0 ? a_values[k] >= net.layers[l].threshold[j]
                                                : a_values[k] <= net.layers[l].threshold[j];
      }
      total += a_values.size();
    }
    EXPECT_GT(fired, total / 5) << "layer " << l;
    EXPECT_LT(fired, total * 4 / 5) << "layer " << l;
  }
}

// A 3 x 3 single-channel image, a 2 x 2 kernel with padding 1: every output position by hand.
TEST(IntegerEvaluation, ConvolutionWithPaddingByHand) {
  ArchLayer c;
  c.type = LayerType::conv2d;
  c.outputs = 1;
  c.kernel = 2;
  c.padding = 1;
  for (int32_t pad : {-1, 1}) {
    c.padding_value = pad;
    Network net = one_conv(3, 3, 1, c, false);
    // weights (ky, kx): (0,0) +1, (0,1) -1, (1,0) -1, (1,1) +1
    const bool w[4] = {true, false, false, true};
    for (uint32_t k = 0; k < 4; ++k) net.layers[0].weights.set(0, k, w[k]);
    const std::vector<int64_t> x = {1, -1, 1, 1, 1, -1, -1, 1, 1};  // rows (1 -1 1), (1 1 -1), (-1 1 1)
    // padded image p (5 x 5, border = pad); out(oy, ox) = p(oy,ox) - p(oy,ox+1) - p(oy+1,ox) + p(oy+1,ox+1)
    std::vector<int64_t> p(25, pad);
    for (int y = 0; y < 3; ++y)
      for (int xx = 0; xx < 3; ++xx) p[size_t((y + 1) * 5 + xx + 1)] = x[size_t(y * 3 + xx)];
    std::vector<int64_t> expected;
    for (int oy = 0; oy < 4; ++oy)
      for (int ox = 0; ox < 4; ++ox)
        expected.push_back(p[size_t(oy * 5 + ox)] - p[size_t(oy * 5 + ox + 1)] - p[size_t((oy + 1) * 5 + ox)] +
                           p[size_t((oy + 1) * 5 + ox + 1)]);
    EXPECT_EQ(layer_preactivations(net, 0, x), expected) << "padding value " << pad;
  }
  // Spot values for padding -1 (computed on paper): corner (0,0) reads -1 -1 / -1 x(0,0)=1.
  c.padding_value = -1;
  Network net = one_conv(3, 3, 1, c, false);
  for (uint32_t k = 0; k < 4; ++k) net.layers[0].weights.set(0, k, k == 0 || k == 3);
  const auto a = layer_preactivations(net, 0, {1, -1, 1, 1, 1, -1, -1, 1, 1});
  EXPECT_EQ(a[0], -1 + 1 + 1 + 1);
  EXPECT_EQ(a[5], 1 + 1 - 1 + 1) << "(1,1): x(0,0) - x(0,1) - x(1,0) + x(1,1)";
  EXPECT_EQ(a[15], 1 + 1 + 1 - 1) << "(3,3): x(2,2) then padding";
}

// The first layer pads with the pixel 0 (-255) or 255 (+255), in the fixed-point scale.
TEST(IntegerEvaluation, FirstLayerPaddingIsAPixelValue) {
  ArchLayer c;
  c.type = LayerType::conv2d;
  c.outputs = 1;
  c.kernel = 3;
  c.padding = 1;
  for (int32_t pad : {-1, 1}) {
    c.padding_value = pad;
    Network net = one_conv(1, 1, 1, c, true);
    for (uint32_t k = 0; k < 9; ++k) net.layers[0].weights.set(0, k, true);
    const uint8_t pixel = 100;
    EXPECT_EQ(padding_input(net, 0), pad * 255);
    EXPECT_EQ(layer_preactivations(net, 0, input_values(net, &pixel)),
              std::vector<int64_t>{8 * pad * 255 + (200 - 255)});
  }
}

// Channels are fastest in the input, the weight row and the output; stride skips positions.
TEST(IntegerEvaluation, ChannelOrderAndStride) {
  ArchLayer c;
  c.type = LayerType::conv2d;
  c.outputs = 2;
  c.kernel = 1;
  c.stride = 2;
  Network net = one_conv(3, 3, 2, c, false);
  // neuron 0 = channel 0 - channel 1; neuron 1 = -channel 0 + channel 1 ... with 1x1 kernels
  net.layers[0].weights.set(0, 0, true);
  net.layers[0].weights.set(0, 1, false);
  net.layers[0].weights.set(1, 0, true);
  net.layers[0].weights.set(1, 1, true);
  std::vector<int64_t> x(18, -1);
  x[(0 * 3 + 2) * 2 + 1] = 1;  // (y 0, x 2, channel 1)
  x[(2 * 3 + 0) * 2 + 0] = 1;  // (y 2, x 0, channel 0)
  const auto a = layer_preactivations(net, 0, x);
  // outputs at (0,0), (0,2), (2,0), (2,2), two channels each
  EXPECT_EQ(a, (std::vector<int64_t>{0, -2, -2, 0, 2, 0, 0, -2}));
}

// A kernel as large as the input, without padding, is a dense layer over the HWC vector;
// max-pool is the OR of the thresholded bits.
TEST(IntegerEvaluation, FullKernelEqualsDenseAndPoolIsOr) {
  ArchLayer c;
  c.type = LayerType::conv2d;
  c.outputs = 3;
  c.kernel = 4;
  Network conv = one_conv(4, 4, 2, c, false);
  Network dense = test::random_network({32, 3, 2}, 1, 4, 8);
  dense.input.bits = 1;
  dense.layers[0].weights = conv.layers[0].weights;
  std::mt19937 rng(3);
  std::vector<int64_t> x(32);
  for (auto& v : x) v = rng() & 1 ? 1 : -1;
  EXPECT_EQ(layer_preactivations(conv, 0, x), layer_preactivations(dense, 0, x));

  c.kernel = 1;
  c.outputs = 1;
  c.pool = {2, 2};
  Network pooled = one_conv(2, 4, 1, c, false);
  pooled.layers[0].weights.set(0, 0, true);
  pooled.layers[0].threshold = {1};
  pooled.layers[0].direction = {1};
  EXPECT_EQ(hidden_layer_outputs(pooled, 0, {-1, -1, -1, 1, -1, -1, -1, -1}), (std::vector<int64_t>{-1, 1}));
  pooled.layers[0].threshold = {-1};
  pooled.layers[0].direction = {-1};  // fires where x = -1
  EXPECT_EQ(hidden_layer_outputs(pooled, 0, {1, 1, 1, 1, 1, 1, 1, -1}), (std::vector<int64_t>{-1, 1}));
}

TEST(Downsample, MeansRoundedHalfUp) {
  Dataset d;
  d.split = "test";
  d.rows = 2;
  d.cols = 6;
  // blocks: (0,0,1,1) mean 0.5 -> 1; (0,0,0,1) 0.25 -> 0; (1,2,2,2) 1.75 -> 2
  d.images = {0, 0, 0, 0, 1, 2, 1, 1, 0, 1, 2, 2};
  d.labels = {4};
  const Dataset s = downsample(d, 2);
  EXPECT_EQ(s.rows, 1u);
  EXPECT_EQ(s.cols, 3u);
  EXPECT_EQ(s.images, (std::vector<uint8_t>{1, 0, 2}));
  EXPECT_EQ(downsample(d, 1).images, d.images);
  d.images = {255, 255, 1, 0, 0, 0, 255, 254, 1, 0, 0, 0};
  EXPECT_EQ(downsample(d, 2).images, (std::vector<uint8_t>{255, 1, 0})) << "1019/4 = 254.75 -> 255; 2/4 -> 1";
  EXPECT_NE(error_of([&] { downsample(d, 4); }).find("--downsample 4: the images are 2 x 6 pixels"), std::string::npos);

  const Dataset fm = load_mnist_format(kFashionMnistDir, "test");
  const std::string dir = test::temp_path("fmnist14");
  write_mnist_format(dir, downsample(fm, 2));
  const Dataset back = load_mnist_format(dir, "test");
  EXPECT_EQ(back.rows, 14u);
  EXPECT_EQ(back.images, downsample(fm, 2).images);
  EXPECT_EQ(back.labels, fm.labels);
}

// The shipped convolutional networks: each file loads, its recorded architecture string
// gives exactly its layers on its input, and it classifies test images as a trained network
// does (first 300 images, plain integer evaluation; docs/training.md has the full figures).
TEST(ShippedNetworks, ConvolutionalNetworksMatchTheirProvenance) {
  size_t checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SCBNN_SOURCE_DIR "/stimuli/networks")) {
    if (entry.path().extension() != ".scbnn") continue;  // the float baselines' .json training records
    const Network net = load_network(entry.path().string());
    if (!net.layers.front().is_conv()) continue;
    SCOPED_TRACE(entry.path().filename().string());
    ++checked;
    const std::string arch = net.provenance.at("architecture").get<std::string>();
    auto shapes = layer_shapes(parse_architecture(arch), net.input);
    if (net.quantised())  // quantised convolutions pad with activation 0
      for (auto& shape : shapes) shape.conv.padding_value = 0;
    ASSERT_EQ(shapes.size(), net.layers.size());
    for (size_t l = 0; l < shapes.size(); ++l) EXPECT_EQ(shapes[l].describe(), net.layers[l].describe());
    Dataset test = load_mnist_format(kFashionMnistDir, "test");
    const uint32_t factor =
        net.provenance.contains("preprocessing") ? net.provenance["preprocessing"].at("downsample").get<uint32_t>() : 1;
    test = downsample(test, factor);
    size_t correct = 0;
    for (size_t i = 0; i < 300; ++i) {
      const auto scores = net.quantised() ? quantised_scores(net, test.image(i)) : integer_scores(net, test.image(i));
      correct += predicted_class(scores) == test.labels[i];
    }
    EXPECT_GT(correct, 300u * 7 / 10) << "a trained network (chance is 10 %)";
  }
  EXPECT_GE(checked, 1u);
}
