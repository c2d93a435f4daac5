// Quantised networks (issue 16): the network file's version 3 (round trip, every validation
// error), the exact integer semantics of stimuli/evaluate.h on hand-computed networks, the fast
// evaluator against the plain layer-by-layer one, and the independent Python reference
// (tests/reference/scbnn_net.py) against quantised_scores with the exact and the SC product.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "scbnn/base/errors.h"
#include "scbnn/stimuli/evaluate.h"
#include "scbnn/stimuli/network.h"
#include "test_support.h"

using namespace scbnn;

namespace {

std::string reseal(std::string bytes) {
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()), uInt(bytes.size() - 4));
  for (int i = 0; i < 4; ++i) bytes[bytes.size() - 4 + i] = char((crc >> (8 * i)) & 0xff);
  return bytes;
}

uint32_t header_length(const std::string& bytes) {
  uint32_t len = 0;
  for (int i = 3; i >= 0; --i) len = (len << 8) | uint8_t(bytes[12 + i]);
  return len;
}

// The file with its JSON header edited (length and checksum follow).
std::string edit_header(const std::string& bytes, const std::function<void(nlohmann::json&)>& edit) {
  const uint32_t len = header_length(bytes);
  nlohmann::json header = nlohmann::json::parse(bytes.substr(16, len));
  edit(header);
  const std::string text = header.dump(1);
  std::string out = bytes.substr(0, 12);
  for (int i = 0; i < 4; ++i) out.push_back(char((text.size() >> (8 * i)) & 0xff));
  out += text + bytes.substr(16 + len);
  return reseal(out);
}

// The file with payload byte `at` (from the payload's start) set to `value`.
std::string edit_payload(const std::string& bytes, size_t at, uint8_t value) {
  std::string out = bytes;
  out[16 + header_length(bytes) + at] = char(value);
  return reseal(out);
}

std::string parse_error(const std::string& bytes) {
  return test::error_of([&] { parse_network(bytes, "q.scbnn"); });
}

std::string validation_error(const Network& net) {
  return test::error_of([&] { validate_network(net, "q.scbnn"); });
}

#define EXPECT_ERROR(message, fragment)                                           \
  do {                                                                            \
    const std::string m_ = (message);                                             \
    EXPECT_NE(m_.find(fragment), std::string::npos) << "got: '" << m_ << "'";     \
    EXPECT_NE(m_.find("q.scbnn"), std::string::npos) << "names the file: " << m_; \
  } while (0)

Quantisation bits(uint32_t w, uint32_t a) {
  Quantisation q;
  q.weight_bits = w;
  q.activation_bits = a;
  return q;
}

// conv(1 -> 4, K 3, P 1) + maxpool 2, conv(4 -> 6, K 3, S 2), flatten, dense 12, dense 10 on 8 x 8.
Network small_quantised(Quantisation q = bits(4, 4), uint32_t seed = 5) {
  return test::random_quantised_network(8, 8, 1, {{4, 3, 1, 1, 0, 2, 2}, {6, 3, 2, 0}}, {12, 10}, q, seed);
}

// A quantised dense layer from its rows.
Layer dense_layer(const std::vector<std::vector<int8_t>>& rows) {
  Layer l;
  l.inputs = uint32_t(rows[0].size());
  l.outputs = uint32_t(rows.size());
  for (const auto& r : rows) l.qweights.insert(l.qweights.end(), r.begin(), r.end());
  return l;
}

// Hand-computed (see each value's derivation in the comments): input 1 x 4, 4-bit weights and
// activations, dense 4 -> 4 -> 2.
constexpr int64_t kUnit = int64_t(1) << kRequantShift;  // the multiplier of x 1

Network hand_dense_network() {
  Network net;
  net.quant = bits(4, 4);
  net.input.rows = 1;
  net.input.cols = 4;
  Layer hidden = dense_layer({{1, -2, 3, 7}, {-7, 0, 2, 5}, {7, 7, 7, 7}, {-7, -7, -7, -7}});
  hidden.multiplier = {int32_t(kUnit / 8), int32_t(-kUnit / 16), int32_t(kUnit), int32_t(kUnit)};
  hidden.bias = {0, 2 * kUnit, 0, 0};  // +2 for neuron 1
  Layer out = dense_layer({{1, 2, -3, 4}, {-1, 0, 1, 7}});
  out.scale = {3, -2};
  out.offset = {100, 7};
  net.layers = {hidden, out};
  return net;
}
const uint8_t kHandDensePixels[4] = {200, 17, 255, 0};  // activations p >> 4 = 12, 1, 15, 0

// Input 3 x 3 x 1 with 2-bit activations, 3-bit weights: conv(1 -> 2, K 2, S 2, P 1) with zero
// padding, maxpool 2 (the 2 x 2 output to 1 x 1), dense 2 -> 2.
Network hand_conv_network() {
  Network net;
  net.quant = bits(3, 2);
  net.input.rows = net.input.cols = 3;
  Layer conv = dense_layer({{1, -2, 3, 2}, {-3, 3, -1, 1}});
  conv.type = LayerType::conv2d;
  conv.conv = {3, 3, 1, 2, 2, 1, 0};
  conv.pool = {2, 2};
  conv.multiplier = {int32_t(kUnit / 4), int32_t(-kUnit / 2)};  // x 1/4, x -1/2
  conv.bias = {kUnit / 2, 2 * kUnit};                           // +1/2, +2
  Layer out = dense_layer({{3, -1}, {-2, 2}});
  out.scale = {5, 7};
  out.offset = {-1, 0};
  net.layers = {conv, out};
  return net;
}
// Activations p >> 6: 3 0 1 / 2 3 1 / 0 1 2.
const uint8_t kHandConvPixels[9] = {255, 63, 100, 128, 200, 64, 10, 70, 191};

}  // namespace

// ---- The file format, version 3 ----

TEST(QuantisedFile, RoundTripIsExactAsVersionThree) {
  const Network net = small_quantised();
  const std::string bytes = serialize_network(net);
  EXPECT_EQ(uint8_t(bytes[8]), 3u) << "a quantised network is written as version 3";
  const Network back = parse_network(bytes, "q.scbnn");
  EXPECT_TRUE(back.quantised());
  EXPECT_EQ(back.quant.weight_bits, 4u);
  EXPECT_EQ(back.quant.activation_bits, 4u);
  ASSERT_EQ(back.layers.size(), net.layers.size());
  for (size_t i = 0; i < net.layers.size(); ++i) {
    EXPECT_EQ(back.layers[i].describe(), net.layers[i].describe()) << i;
    EXPECT_EQ(back.layers[i].qweights, net.layers[i].qweights) << i;
    EXPECT_EQ(back.layers[i].multiplier, net.layers[i].multiplier) << i;
    EXPECT_EQ(back.layers[i].bias, net.layers[i].bias) << i;
    EXPECT_EQ(back.layers[i].scale, net.layers[i].scale) << i;
    EXPECT_EQ(back.layers[i].offset, net.layers[i].offset) << i;
    EXPECT_TRUE(back.layers[i].weights.words.empty());
  }
  EXPECT_EQ(back.layers[0].conv.padding_value, 0);
  EXPECT_EQ(serialize_network(back), bytes);
  nlohmann::json header = nlohmann::json::parse(bytes.substr(16, header_length(bytes)));
  EXPECT_EQ(header["quantisation"], (nlohmann::json{{"activation_bits", 4}, {"weight_bits", 4}}));
  EXPECT_EQ(header["layers"][0]["padding_value"], 0);
  // Payload: per layer O x I int8 padded to 8 bytes, then 16 bytes per neuron.
  // (conv 2 reads the pooled 4 x 4 x 4 tensor and gives 1 x 1 x 6.)
  const size_t payload = (4 * 9 + 4) + 4 * 16 + (6 * 36) + 6 * 16 + (12 * 6) + 12 * 16 + (10 * 12) + 10 * 16;
  EXPECT_EQ(header["payload_bytes"], payload);

  // The bytes of the first layer: weight 0 of neuron 0 first; neuron 0's multiplier after the
  // weights and their padding (36 + 4 bytes), then 4 zero bytes and the int64 bias.
  const char* p = bytes.data() + 16 + header_length(bytes);
  EXPECT_EQ(int8_t(p[0]), net.layers[0].qweights[0]);
  EXPECT_EQ(int8_t(p[35]), net.layers[0].qweights[35]);
  int32_t multiplier = 0;
  int64_t bias = 0;
  std::memcpy(&multiplier, p + 40, 4);  // little-endian host
  std::memcpy(&bias, p + 48, 8);
  EXPECT_EQ(multiplier, net.layers[0].multiplier[0]);
  EXPECT_EQ(bias, net.layers[0].bias[0]);
}

TEST(QuantisedFile, DenseOnlyQuantisedNetworksAreVersionThreeToo) {
  Network net = hand_dense_network();
  const std::string bytes = serialize_network(net);
  EXPECT_EQ(uint8_t(bytes[8]), 3u);
  EXPECT_EQ(serialize_network(parse_network(bytes, "q.scbnn")), bytes);
  // Binarized networks keep versions 1 and 2.
  EXPECT_EQ(uint8_t(serialize_network(test::random_network({64, 32, 10}, 1))[8]), 1u);
  EXPECT_EQ(test::error_of([] {
              std::string b = serialize_network(test::random_network({64, 32, 10}, 1));
              b[8] = 4;
              parse_network(reseal(b), "q.scbnn");
            }),
            "q.scbnn: unsupported network format version 4 (this build reads 1 to 3)");
}

TEST(QuantisedFile, HeaderErrorsNameTheField) {
  const std::string bytes = serialize_network(small_quantised());
  using nlohmann::json;
  EXPECT_ERROR(parse_error(edit_header(bytes, [](json& h) { h.erase("quantisation"); })),
               "header field 'quantisation' is missing (version 3)");
  EXPECT_ERROR(parse_error(edit_header(bytes, [](json& h) { h["quantisation"].erase("weight_bits"); })),
               "header field 'weight_bits' is missing");
  EXPECT_ERROR(parse_error(edit_header(bytes, [](json& h) { h["quantisation"]["activation_bits"] = "4"; })),
               "header field 'activation_bits' must be a non-negative integer");
  EXPECT_ERROR(parse_error(edit_header(bytes, [](json& h) { h["quantisation"]["weight_bits"] = 1; })),
               "quantisation.weight_bits is 1 (expected 2 to 8 in version 3)");
  EXPECT_ERROR(parse_error(edit_header(bytes, [](json& h) { h["quantisation"]["weight_bits"] = 9; })),
               "quantisation.weight_bits is 9 (expected 2 to 8 in version 3)");
  EXPECT_ERROR(parse_error(edit_header(bytes, [](json& h) { h["quantisation"]["activation_bits"] = 1; })),
               "quantisation.activation_bits is 1 (expected 2 to 8 in version 3)");
  for (const json& v : {json(-1), json(1), json("0"), json(0.0)})
    EXPECT_ERROR(parse_error(edit_header(bytes, [&](json& h) { h["layers"][0]["padding_value"] = v; })),
                 "header field 'padding_value' must be 0 in a quantised network (zero padding)");
  EXPECT_ERROR(parse_error(edit_header(bytes, [](json& h) { h["input"]["bits"] = 7; })),
               "input.bits is 7; a quantised network reads 8-bit pixels");
  EXPECT_ERROR(parse_error(edit_header(bytes, [](json& h) { h["input"]["mode"] = "stochastic"; })),
               "input.mode must be fixed in a quantised network");
  EXPECT_ERROR(parse_error(edit_header(bytes, [](json& h) { h["input"]["trained_stream_length"] = 8; })),
               "input.trained_stream_length must be 0 in a quantised network");
  // The payload length follows the bits-per-weight of version 3; a version-2 reading of the same
  // header (byte 8 = 2) expects packed bits and refuses the file.
  std::string as_v2 = bytes;
  as_v2[8] = 2;
  EXPECT_ERROR(parse_error(reseal(as_v2)), "header field 'padding_value' must be -1 or 1");
  EXPECT_ERROR(parse_error(edit_header(bytes, [](json& h) { h["payload_bytes"] = 5; })), "payload holds");
}

TEST(QuantisedFile, PayloadErrorsNameTheLayer) {
  const Network net = small_quantised();
  const std::string bytes = serialize_network(net);
  // Layer 0: 36 weights, 4 padding bytes, then 4 neurons of 16 bytes.
  EXPECT_ERROR(parse_error(edit_payload(bytes, 37, 1)),
               "layer 0 (conv2d): padding bytes after the weights are not zero");
  EXPECT_ERROR(parse_error(edit_payload(bytes, 40 + 16 + 5, 1)),
               "layer 0 (conv2d): bytes 4-7 of neuron 1's parameters are not zero");
  // A weight outside the symmetric 4-bit range -7 .. 7.
  EXPECT_ERROR(parse_error(edit_payload(bytes, 2, uint8_t(-8))),
               "layer 0 (conv2d): weight 2 of neuron 0 is -8, outside -7 .. 7 (symmetric 4-bit weights)");
  EXPECT_ERROR(parse_error(edit_payload(bytes, 9, 8)), "layer 0 (conv2d): weight 0 of neuron 1 is 8, outside -7 .. 7");
  // The output layer's reserved bytes 8-15 (class 2).
  const size_t out_params = bytes.size() - 4 - 16 - header_length(bytes) - 10 * 16;
  EXPECT_ERROR(parse_error(edit_payload(bytes, out_params + 2 * 16 + 9, 1)),
               "layer 3 (dense) (output): bytes 8-15 of class 2's parameters are not zero");
}

TEST(QuantisedFile, EveryValidationErrorIsNamed) {
  const Network good = small_quantised();
  ASSERT_EQ(validation_error(good), "");
  auto with = [&](const std::function<void(Network&)>& edit) {
    Network n = good;
    edit(n);
    return validation_error(n);
  };
  EXPECT_ERROR(with([](Network& n) { n.quant.weight_bits = 0; }),
               "quantisation.weight_bits is 0 (expected 1 for a binarized network or 2 to 8)");
  EXPECT_ERROR(with([](Network& n) { n.quant.weight_bits = 9; }), "quantisation.weight_bits is 9");
  EXPECT_ERROR(with([](Network& n) { n.quant.activation_bits = 9; }),
               "quantisation.activation_bits is 9 (expected 2 to 8 in a quantised network)");
  EXPECT_ERROR(with([](Network& n) { n.quant.activation_bits = 1; }), "quantisation.activation_bits is 1");
  EXPECT_ERROR(with([](Network& n) { n.layers[1].qweights[7] = -8; }),
               "layer 1 (conv2d): weight 7 of neuron 0 is -8, outside -7 .. 7 (symmetric 4-bit weights)");
  EXPECT_ERROR(with([](Network& n) { n.layers[2].qweights.pop_back(); }),
               "layer 2 (dense): needs outputs x inputs = 72 quantised weights, has 71");
  EXPECT_ERROR(with([](Network& n) { n.layers[0].conv.padding_value = -1; }),
               "layer 0 (conv2d): padding_value is -1; a quantised convolution pads with 0 (zero padding)");
  EXPECT_ERROR(with([](Network& n) { n.layers[0].weights = BitMatrix(4, 9); }),
               "layer 0 (conv2d): a quantised network has no binarized weights, thresholds or directions");
  EXPECT_ERROR(with([](Network& n) { n.layers[1].threshold = {1}; }),
               "layer 1 (conv2d): a quantised network has no binarized weights, thresholds or directions");
  EXPECT_ERROR(with([](Network& n) { n.layers[2].multiplier.pop_back(); }),
               "layer 2 (dense): needs one multiplier and one bias per neuron (and no scale or offset)");
  EXPECT_ERROR(with([](Network& n) { n.layers[2].scale = {1}; }), "layer 2 (dense): needs one multiplier and one bias");
  EXPECT_ERROR(with([](Network& n) { n.layers[3].offset.pop_back(); }),
               "layer 3 (dense) (output): needs one scale and one offset per class (and no multiplier or bias)");
  EXPECT_ERROR(with([](Network& n) { n.layers[3].bias = {0}; }), "layer 3 (dense) (output): needs one scale");
  EXPECT_ERROR(with([](Network& n) { n.input.bits = 6; }), "input.bits is 6; a quantised network reads 8-bit pixels");
  EXPECT_ERROR(with([](Network& n) { n.input.mode = InputMode::stochastic; }),
               "input.mode must be fixed in a quantised network");

  // Scores: |scale| x max|acc| + |offset| must fit int32, max|acc| the sum of the product bound.
  Network n = good;
  const uint64_t bound = quantised_accumulator_bound(n.quant, n.layers[3], 4);
  n.layers[3].offset[4] = 0;
  n.layers[3].scale[4] = int32_t(INT32_MAX / bound);
  EXPECT_EQ(validation_error(n), "") << "exactly at the limit";
  n.layers[3].offset[4] = int32_t(INT32_MAX - int64_t(n.layers[3].scale[4]) * int64_t(bound));
  EXPECT_EQ(validation_error(n), "");
  n.layers[3].offset[4] += 1;
  EXPECT_ERROR(validation_error(n), "layer 3 (dense) (output): score of class 4 can overflow int32");
  n.layers[3].offset[4] = -n.layers[3].offset[4];
  EXPECT_ERROR(validation_error(n), "score of class 4 can overflow int32");

  // Requantisation: |multiplier| x max|acc| + |bias| must fit int64.
  n = good;
  n.layers[1].multiplier[2] = INT32_MIN;
  EXPECT_EQ(validation_error(n), "") << "a 4-bit layer's accumulator is small";
  n.layers[1].bias[2] = INT64_MAX;
  EXPECT_ERROR(validation_error(n), "layer 1 (conv2d): requantisation of neuron 2 can overflow int64");
  n.layers[1].bias[2] = INT64_MIN;
  EXPECT_ERROR(validation_error(n), "requantisation of neuron 2 can overflow int64");
  n.layers[1].bias[2] = INT64_MAX - int64_t(quantised_accumulator_bound(n.quant, n.layers[1], 2)) * (int64_t(1) << 31);
  EXPECT_EQ(validation_error(n), "") << "exactly at the limit";

  // Binarized networks refuse the quantised fields and zero padding.
  Network bnn = test::random_conv_network(8, 8, 1, {{4, 3, 1, 1, -1, 2, 2}}, {10}, 3);
  ASSERT_EQ(validation_error(bnn), "");
  bnn.quant.activation_bits = 4;
  EXPECT_ERROR(validation_error(bnn), "quantisation.activation_bits is 4 but weight_bits is 1");
  bnn.quant.activation_bits = 1;
  bnn.layers[0].conv.padding_value = 0;
  EXPECT_ERROR(validation_error(bnn), "layer 0 (conv2d): padding_value 0 (zero padding) is for quantised networks");
  bnn.layers[0].conv.padding_value = -1;
  bnn.layers[1].qweights = {1};
  EXPECT_ERROR(validation_error(bnn),
               "layer 1 (dense): a binarized network (quantisation.weight_bits 1) has no quantised weights");
}

TEST(QuantisedFile, ProductBoundCoversTheExactAndTheScProduct) {
  // 2^m min(2^A - 1, ceil((2^A - 1) / 2^m) v): w8a8 (m 7): 128 min(255, 2 v); w8a4: 128 min(15, v).
  EXPECT_EQ(quantised_product_bound(bits(8, 8), 127), 128u * 254u);
  EXPECT_EQ(quantised_product_bound(bits(8, 8), 1), 256u);
  EXPECT_EQ(quantised_product_bound(bits(8, 4), 100), 128u * 15u);
  EXPECT_EQ(quantised_product_bound(bits(8, 4), 3), 128u * 3u);
  EXPECT_EQ(quantised_product_bound(bits(4, 4), 0), 0u);
  for (uint32_t b = 2; b <= 8; ++b)
    for (uint32_t a = 2; a <= 8; ++a)
      for (uint32_t v = 0; v < (1u << (b - 1)); ++v)
        ASSERT_GE(quantised_product_bound(bits(b, a), v), uint64_t(v) * ((1u << a) - 1)) << b << " " << a << " " << v;
}

// ---- The integer semantics ----

TEST(QuantisedEvaluation, HandComputedDenseNetwork) {
  const Network net = hand_dense_network();
  ASSERT_EQ(validation_error(net), "");
  EXPECT_EQ(quantised_input(net, kHandDensePixels), (std::vector<uint32_t>{12, 1, 15, 0}));
  // acc = 12 - 2 + 45 + 0 = 55; -84 + 0 + 30 + 0 = -54; 7 x 28 = 196; -196.
  EXPECT_EQ(quantised_accumulators(net, 0, {12, 1, 15, 0}), (std::vector<int64_t>{55, -54, 196, -196}));
  // floor(55 / 8) = 6; floor(54 / 16 + 2) = floor(5.375) = 5; 196 -> 15 (clamped); -196 -> 0.
  EXPECT_EQ(quantised_hidden_outputs(net, 0, {12, 1, 15, 0}), (std::vector<uint32_t>{6, 5, 15, 0}));
  // Output acc: 6 + 10 - 45 = -29 -> 3 x -29 + 100 = 13; -6 + 15 = 9 -> -2 x 9 + 7 = -11.
  EXPECT_EQ(quantised_scores(net, kHandDensePixels), (std::vector<int32_t>{13, -11}));
  EXPECT_EQ(QuantisedEvaluator(net).scores(kHandDensePixels), (std::vector<int32_t>{13, -11}));
}

TEST(QuantisedEvaluation, HandComputedConvolutionWithZeroPaddingAndPool) {
  const Network net = hand_conv_network();
  ASSERT_EQ(validation_error(net), "");
  const std::vector<uint32_t> a = quantised_input(net, kHandConvPixels);
  EXPECT_EQ(a, (std::vector<uint32_t>{3, 0, 1, 2, 3, 1, 0, 1, 2}));
  // Windows (zero padding) at the 2 x 2 positions: [0 0 0 3], [0 0 0 1], [0 2 0 0], [3 1 1 2].
  // Channel 0 (1 -2 3 2): 6, 2, -4, 8; channel 1 (-3 3 -1 1): 3, 1, 6, -5. HWC order.
  EXPECT_EQ(quantised_accumulators(net, 0, a), (std::vector<int64_t>{6, 3, 2, 1, -4, 6, 8, -5}));
  // q0 = floor(acc / 4 + 1/2): 2, 1, 0 (from -1), 2 -> max 2; q1 = floor(-acc / 2 + 2): 0, 1, 0, 3
  // (4 clamped) -> max 3.
  EXPECT_EQ(quantised_hidden_outputs(net, 0, a), (std::vector<uint32_t>{2, 3}));
  // Output: 6 - 3 = 3 -> 5 x 3 - 1 = 14; -4 + 6 = 2 -> 7 x 2 = 14: a tie, class 0 wins.
  const std::vector<int32_t> scores = quantised_scores(net, kHandConvPixels);
  EXPECT_EQ(scores, (std::vector<int32_t>{14, 14}));
  EXPECT_EQ(predicted_class(scores), 0u);
}

TEST(QuantisedEvaluation, EveryProductGoesThroughTheRuleIncludingPaddedPositions) {
  const Network net = hand_conv_network();
  const ProductRule plus_one = [](int32_t w, uint32_t a) { return int64_t(w) * a + 1; };
  // Each of the 4 window terms adds 1 (padded ones too): channel 0: 10, 6, 0, 12 -> q 3, 2, 0, 3;
  // channel 1: 7, 5, 10, -1 -> q 0, 0, 0, 2. Pooled [3, 2]. Output (2 terms, + 2 each):
  // 9 - 2 + 2 = 9 -> 44; -6 + 4 + 2 = 0 -> 0.
  EXPECT_EQ(quantised_scores(net, kHandConvPixels, plus_one), (std::vector<int32_t>{44, 0}));
  EXPECT_EQ(QuantisedEvaluator(net, plus_one).scores(kHandConvPixels), (std::vector<int32_t>{44, 0}));
}

TEST(QuantisedEvaluation, RequantiseRoundsDownAndClamps) {
  const int32_t one = int32_t(kUnit);
  EXPECT_EQ(requantise(kUnit - 1, 1, 0, 8), 0u);
  EXPECT_EQ(requantise(kUnit, 1, 0, 8), 1u);
  EXPECT_EQ(requantise(3, one, -1, 8), 2u) << "floor(3 - 2^-24) = 2";
  EXPECT_EQ(requantise(-1, one, 0, 8), 0u);
  EXPECT_EQ(requantise(1000, one, 0, 8), 255u);
  EXPECT_EQ(requantise(1000, one, 0, 2), 3u);
  EXPECT_EQ(requantise(-7, -one, kUnit / 2, 4), 7u) << "floor(7.5)";
  EXPECT_EQ(requantise(int64_t(1) << 40, 1 << 20, 0, 8), 255u) << "the product is int64";
}

TEST(QuantisedEvaluation, BinarizedNetworksAreRefusedByName) {
  Network bnn = test::random_network({16, 8, 10}, 1);
  bnn.file = "bnn.scbnn";
  const uint8_t pixels[16] = {};
  EXPECT_NE(test::error_of([&] {
              quantised_scores(bnn, pixels);
            }).find("quantised_scores: bnn.scbnn is binarized (quantisation.weight_bits 1)"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { QuantisedEvaluator e(bnn); }).find("is binarized"), std::string::npos);
}

// The evaluator's paths (int32 and int64 exact sums, a product table, direct rule calls) equal
// the plain layer-by-layer evaluation image by image.
TEST(QuantisedEvaluation, FastEvaluatorEqualsThePlainOne) {
  // A rule whose product with the activation 0 is not 0 (every input summed), and one whose is
  // (zero activations skipped, as for the SC product).
  const ProductRule odd = [](int32_t w, uint32_t a) { return int64_t(w) * a + (w > 0 ? int64_t(a % 3) : -1); };
  const ProductRule rounded = [](int32_t w, uint32_t a) { return a == 0 ? 0 : int64_t(w) * ((a | 3) + 1); };
  struct Case {
    Network net;
    const char* what;
  };
  std::vector<Case> cases = {
      {small_quantised(bits(8, 8), 11), "w8a8"},
      {small_quantised(bits(2, 2), 12), "w2a2"},
      {small_quantised(bits(5, 3), 13), "w5a3"},
      {test::random_quantised_network(9, 7, 3, {{5, 3, 2, 1, 0, 3, 2}, {4, 2, 1, 1}}, {3}, bits(6, 7), 14),
       "3 channels, overlapping pool"},
  };
  // A layer whose sums can leave int32: 70 000 inputs of weight +-127 and activations up to 255.
  Network wide = test::random_quantised_network(250, 280, 1, {}, {2, 2}, bits(8, 8), 15);
  for (auto& w : wide.layers[0].qweights) w = w < 0 ? -127 : 127;
  for (size_t j = 0; j < 2; ++j) wide.layers[0].multiplier[j] = 1, wide.layers[0].bias[j] = int64_t(4) << 24;
  cases.push_back({wide, "int64 sums"});
  for (const Case& c : cases) {
    ASSERT_EQ(validation_error(c.net), "") << c.what;
    const Dataset images = test::random_tensor_dataset(4, c.net.input.rows, c.net.input.cols, c.net.input.channels, 3);
    for (const ProductRule& rule : {ProductRule(exact_product), odd, rounded}) {
      const QuantisedEvaluator fast(c.net, rule);
      for (size_t i = 0; i < images.count(); ++i) {
        std::vector<uint32_t> x = quantised_input(c.net, images.image(i));
        for (size_t l = 0; l + 1 < c.net.layers.size(); ++l) x = quantised_hidden_outputs(c.net, l, x, rule);
        const Layer& out = c.net.layers.back();
        const std::vector<int64_t> acc = quantised_accumulators(c.net, c.net.layers.size() - 1, x, rule);
        std::vector<int32_t> plain(out.outputs);
        for (uint32_t j = 0; j < out.outputs; ++j) plain[j] = int32_t(acc[j] * out.scale[j] + out.offset[j]);
        ASSERT_EQ(fast.scores(images.image(i)), plain) << c.what << " image " << i;
        ASSERT_EQ(quantised_scores(c.net, images.image(i), rule), plain) << c.what << " image " << i;
      }
    }
  }
}

// ---- The independent Python reference ----

namespace {

// sc(w, a) = sign(w) 2^m #{t < a : bitrev_m(t mod 2^m) < |w|}, the stream walked bit by bit
// (written here from the spec, independently of models/ and of the Python script).
int64_t sc_product_by_walking(int32_t w, uint32_t a, uint32_t weight_bits) {
  const uint32_t m = weight_bits - 1, v = uint32_t(std::abs(w));
  int64_t count = 0;
  for (uint32_t t = 0; t < a; ++t) {
    uint32_t r = 0, x = t & ((1u << m) - 1);
    for (uint32_t b = 0; b < m; ++b, x >>= 1) r = (r << 1) | (x & 1);
    count += r < v;
  }
  return (w < 0 ? -1 : 1) * (int64_t(1) << m) * count;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << command << "\n" << out;
  return out;
}

// "index,predicted,score_0,..." rows -> scores per image.
std::vector<std::vector<int32_t>> scores_of_csv(const std::string& csv) {
  std::vector<std::vector<int32_t>> rows;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::string cell;
    std::vector<int32_t> row;
    for (int k = 0; std::getline(cells, cell, ','); ++k)
      if (k >= 2) row.push_back(int32_t(std::stol(cell)));
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

TEST(QuantisedReference, PythonReferenceEqualsQuantisedScores) {
  const std::string script = std::string(SCBNN_SOURCE_DIR) + "/tests/reference/scbnn_net.py";
  EXPECT_NE(run("python3 " + script + " sc-selftest").find("sc-selftest: 0 failed"), std::string::npos);
  struct Case {
    Network net;
    const char* name;
  };
  const std::vector<Case> cases = {
      {test::random_quantised_network(8, 8, 1, {{4, 3, 1, 1, 0, 2, 2}, {6, 3, 2, 0}}, {12, 10}, bits(8, 8), 21),
       "w8a8"},
      {test::random_quantised_network(7, 6, 2, {{3, 3, 1, 1, 0, 3, 2}}, {10}, bits(4, 4), 22), "w4a4"},
      {test::random_quantised_network(6, 6, 1, {{5, 2, 2, 1}}, {6, 4}, bits(8, 3), 23), "w8a3"},
      {hand_conv_network(), "hand_conv"},
  };
  for (const Case& c : cases) {
    const std::string net_path = test::temp_path(std::string("ref_") + c.name + ".scbnn");
    save_network(c.net, net_path);
    const Dataset images = test::random_tensor_dataset(6, c.net.input.rows, c.net.input.cols, c.net.input.channels, 9);
    IdxArray idx;
    idx.dims = {uint32_t(images.count()), images.rows, images.cols * images.channels};
    idx.data = images.images;
    const std::string images_path = test::temp_path(std::string("ref_") + c.name + "-images-idx3-ubyte");
    write_idx(images_path, idx);
    const uint32_t b = c.net.quant.weight_bits;
    const ProductRule sc = [b](int32_t w, uint32_t a) { return sc_product_by_walking(w, a, b); };
    for (const char* product : {"exact", "sc"}) {
      const auto python = scores_of_csv(
          run("python3 " + script + " predict " + net_path + " " + images_path + " --product " + product));
      ASSERT_EQ(python.size(), images.count()) << c.name;
      size_t differ = 0;
      for (size_t i = 0; i < images.count(); ++i) {
        const auto cpp = quantised_scores(c.net, images.image(i), std::string(product) == "sc" ? sc : exact_product);
        EXPECT_EQ(python[i], cpp) << c.name << " " << product << " image " << i;
        differ += python[i] != quantised_scores(c.net, images.image(i));
      }
      if (std::string(product) == "sc" && b > 2) {
        EXPECT_GT(differ, 0u) << c.name << ": the SC product rounds";
      }
    }
  }
}
