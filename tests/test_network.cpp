#include <gtest/gtest.h>
#include <zlib.h>

#include <functional>

#include "scbnn/base/errors.h"
#include "scbnn/stimuli/network.h"
#include "test_support.h"

using namespace scbnn;

namespace {

// Recomputes the trailing CRC so that a deliberately edited file passes the checksum
// and reaches the structural checks.
std::string reseal(std::string bytes) {
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()), uInt(bytes.size() - 4));
  for (int i = 0; i < 4; ++i) bytes[bytes.size() - 4 + i] = char((crc >> (8 * i)) & 0xff);
  return bytes;
}

std::string replace_in_header(std::string bytes, const std::string& from, const std::string& to) {
  const size_t at = bytes.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  bytes.replace(at, from.size(), to);
  // Header length field (bytes 12..15) follows the edit.
  uint32_t len = 0;
  for (int i = 3; i >= 0; --i) len = (len << 8) | uint8_t(bytes[12 + i]);
  len = uint32_t(int64_t(len) + int64_t(to.size()) - int64_t(from.size()));
  for (int i = 0; i < 4; ++i) bytes[12 + i] = char((len >> (8 * i)) & 0xff);
  return reseal(bytes);
}

void expect_rejected(const std::string& bytes, const std::string& fragment) {
  try {
    parse_network(bytes, "model.scbnn");
    FAIL() << "accepted; expected an error containing '" << fragment << "'";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("model.scbnn"), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(NetworkFile, RoundTripIsExact) {
  const Network net = test::random_network({100, 70, 65, 10}, 3);
  const auto path = test::temp_path("net.scbnn");
  save_network(net, path);
  const Network back = load_network(path);
  ASSERT_EQ(back.layers.size(), net.layers.size());
  for (size_t i = 0; i < net.layers.size(); ++i) {
    EXPECT_EQ(back.layers[i].weights.words, net.layers[i].weights.words);
    EXPECT_EQ(back.layers[i].threshold, net.layers[i].threshold);
    EXPECT_EQ(back.layers[i].direction, net.layers[i].direction);
    EXPECT_EQ(back.layers[i].scale, net.layers[i].scale);
    EXPECT_EQ(back.layers[i].offset, net.layers[i].offset);
  }
  EXPECT_EQ(back.provenance, net.provenance);
  EXPECT_EQ(back.input.values(), 100u);
  EXPECT_EQ(serialize_network(back), serialize_network(net));
}

TEST(NetworkFile, TruncatedFilesAreRejected) {
  const std::string bytes = serialize_network(test::random_network({64, 32, 10}, 1));
  for (size_t keep : {size_t(0), size_t(7), size_t(15), size_t(40), bytes.size() / 2, bytes.size() - 1})
    expect_rejected(bytes.substr(0, keep), "");
}

TEST(NetworkFile, CorruptionIsDetected) {
  const std::string bytes = serialize_network(test::random_network({64, 32, 10}, 1));
  for (size_t at : {size_t(20), bytes.size() / 2, bytes.size() - 10}) {
    std::string bad = bytes;
    bad[at] = char(bad[at] ^ 0x01);
    expect_rejected(bad, "checksum");
  }
  std::string bad_magic = bytes;
  bad_magic[0] = 'X';
  expect_rejected(bad_magic, "bad magic");
}

TEST(NetworkFile, WrongVersionIsRejected) {
  std::string bytes = serialize_network(test::random_network({64, 32, 10}, 1));
  bytes[8] = 4;
  expect_rejected(reseal(bytes), "unsupported network format version 4 (this build reads 1 to 3)");
  bytes[8] = 0;
  expect_rejected(reseal(bytes), "unsupported network format version 0");
}

TEST(NetworkFile, WrongShapesAreRejected) {
  const std::string bytes = serialize_network(test::random_network({64, 32, 10}, 1));
  // Layer 1 claims more inputs than layer 0 has outputs (and the payload no longer fits).
  expect_rejected(replace_in_header(bytes, "\"inputs\": 32", "\"inputs\": 33"), "");
  expect_rejected(replace_in_header(bytes, "\"type\": \"dense\"", "\"type\": \"conv2d\""), "not supported");
  expect_rejected(replace_in_header(bytes, "\"payload_bytes\": ", "\"payload_bytes\": 1"), "payload");
  expect_rejected(replace_in_header(bytes, "\"mode\": \"fixed\"", "\"mode\": \"analog\""), "input.mode");
  expect_rejected(replace_in_header(bytes, "\"bits\": 8", "\"bits\": \"8\""), "bits");
  expect_rejected(replace_in_header(bytes, "\"cols\": 64", "\"cols\": 65"), "expected 65");
  expect_rejected(replace_in_header(bytes, "{", "["), "not valid JSON");
}

TEST(NetworkFile, InvalidParametersAreRejected) {
  Network net = test::random_network({70, 32, 10}, 2);
  net.layers[0].weights.row(3)[1] |= uint64_t(1) << 63;  // padding bit past input 70
  EXPECT_THROW(serialize_network(net), InputError);

  net = test::random_network({64, 32, 10}, 2);
  net.layers[0].direction[5] = 0;
  EXPECT_THROW(validate_network(net), InputError);

  net = test::random_network({64, 32, 10}, 2);
  net.layers[1].scale[0] = INT32_MAX;
  try {
    validate_network(net, "n");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("overflow"), std::string::npos);
  }
}

TEST(NetworkFile, MissingFileNamed) {
  try {
    load_network("/nonexistent/net.scbnn");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/net.scbnn"), std::string::npos);
  }
}

TEST(NetworkFile, ADirectoryIsNamedAsADirectory) {
  const std::string dir = test::temp_path("net_dir.scbnn");
  std::filesystem::create_directories(dir);
  try {
    load_network(dir);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(dir + ": cannot open network file: it is a directory"), std::string::npos)
        << e.what();
  }
}

TEST(NetworkFile, TheFirstLayerIsCheckedAgainstTheInputImage) {
  const std::string bytes = serialize_network(test::random_network({64, 32, 10}, 1, 8, 8));
  expect_rejected(replace_in_header(bytes, "\"rows\": 8", "\"rows\": 7"),
                  "layer 0 (dense) has 64 inputs, expected 56 (the input image, 7 x 8 pixels x 1 channel)");
  Network net = test::random_network({64, 32, 10}, 1, 8, 8);
  net.layers[1].inputs = 33;
  try {
    validate_network(net, "n");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("layer 1 (dense) has 33 inputs, expected 32 (layer 0's outputs)"),
              std::string::npos)
        << e.what();
  }
}

TEST(NetworkFile, LoadingRecordsTheFile) {
  const std::string path = test::temp_path("recorded.scbnn");
  save_network(test::random_network({64, 32, 10}, 1), path);
  EXPECT_EQ(load_network(path).file, path);
}

// ---- Version 2: layer graphs (conv2d, maxpool, flatten, dense) ----

namespace {

// conv2d(1 -> 4, K 3, P 1) + maxpool(2, 2), conv2d(4 -> 6, K 3, S 2), flatten, dense 12, dense 10 on 8 x 8 x 1.
Network small_conv_network() {
  return test::random_conv_network(8, 8, 1, {{4, 3, 1, 1, -1, 2, 2}, {6, 3, 2, 0, 1}}, {12, 10}, 41);
}

// Rebuilds a file with its JSON header edited by `edit` (and the payload cut to its first
// `keep_payload` bytes when not npos; payload_bytes follows), length and checksum right.
std::string edit_header(const std::string& bytes, const std::function<void(nlohmann::json&)>& edit,
                        size_t keep_payload = std::string::npos) {
  uint32_t len = 0;
  for (int i = 3; i >= 0; --i) len = (len << 8) | uint8_t(bytes[12 + i]);
  nlohmann::json header = nlohmann::json::parse(bytes.substr(16, len));
  std::string payload = bytes.substr(16 + len, bytes.size() - 16 - len - 4);
  if (keep_payload != std::string::npos) {
    payload.resize(keep_payload);
    header["payload_bytes"] = keep_payload;
  }
  edit(header);
  const std::string text = header.dump(1);
  std::string out = bytes.substr(0, 12);
  for (int i = 0; i < 4; ++i) out.push_back(char((text.size() >> (8 * i)) & 0xff));
  out += text + payload + "0000";
  return reseal(out);
}

}  // namespace

TEST(NetworkFileV2, ConvNetworksRoundTripAsVersionTwo) {
  const Network net = small_conv_network();
  const std::string bytes = serialize_network(net);
  EXPECT_EQ(uint8_t(bytes[8]), 2u) << "a network with a convolution is written as version 2";
  const Network back = parse_network(bytes, "model.scbnn");
  ASSERT_EQ(back.layers.size(), 4u);
  EXPECT_EQ(back.layers[0].describe(), net.layers[0].describe());
  EXPECT_EQ(back.layers[1].describe(), net.layers[1].describe());
  EXPECT_EQ(back.layers[1].conv.padding_value, 1);
  EXPECT_EQ(back.layers[0].pool.window, 2u);
  EXPECT_EQ(serialize_network(back), bytes);
  // The header lists maxpool right after its convolution and one flatten before the dense layer.
  std::vector<std::string> types;
  edit_header(bytes, [&](nlohmann::json& h) {
    for (const auto& e : h["layers"]) types.push_back(e["type"]);
  });
  EXPECT_EQ(types, (std::vector<std::string>{"conv2d", "maxpool", "conv2d", "flatten", "dense", "dense"}));
}

TEST(NetworkFileV2, VersionOneRefusesConvolutions) {
  std::string bytes = serialize_network(small_conv_network());
  bytes[8] = 1;
  expect_rejected(reseal(bytes), "layer type 'conv2d' is not supported in version 1 (expected dense)");
}

TEST(NetworkFileV2, ShapeMismatchesNameTheLayer) {
  const std::string bytes = serialize_network(small_conv_network());
  expect_rejected(edit_header(bytes, [](nlohmann::json& h) { h["layers"][2]["in_channels"] = 5; }),
                  "layers[2] (conv2d): in_channels is 5 but its input has 4 channels");
  expect_rejected(edit_header(bytes, [](nlohmann::json& h) { h["input"]["channels"] = 2; }),
                  "layers[0] (conv2d): in_channels is 1 but its input has 2 channels");
  // The dense layer no longer takes the flattened 2 x 2 x 6 = 24 values.
  expect_rejected(edit_header(bytes, [](nlohmann::json& h) { h["layers"][4]["inputs"] = 25; }), "layer 2 (dense)");
  expect_rejected(edit_header(bytes, [](nlohmann::json& h) { h["layers"][2]["kernel"] = 5; }),
                  "layers[2] (conv2d): kernel 5 is larger than the padded input 4 x 4 x 4");
}

TEST(NetworkFileV2, ZeroAndHugeDimensionsAreRefused) {
  const std::string bytes = serialize_network(small_conv_network());
  auto set = [&](size_t k, const char* key, nlohmann::json v) {
    return edit_header(bytes, [&](nlohmann::json& h) { h["layers"][k][key] = v; });
  };
  expect_rejected(set(0, "kernel", 0), "layers[0] (conv2d): kernel must be 1 to 64");
  expect_rejected(set(0, "kernel", 65), "layers[0] (conv2d): kernel must be 1 to 64");
  expect_rejected(set(0, "stride", 0), "layers[0] (conv2d): ");
  expect_rejected(set(0, "stride", 65), "layers[0] (conv2d): ");
  expect_rejected(set(0, "padding", 3), "layers[0] (conv2d): ");
  expect_rejected(set(0, "out_channels", 0), "layers[0] (conv2d): ");
  expect_rejected(set(0, "out_channels", 65537), "layers[0] (conv2d): ");
  expect_rejected(set(1, "window", 0), "layers[1] (maxpool): ");
  expect_rejected(set(1, "window", 9), "layers[1] (maxpool): maxpool window 9 is larger than its input 8 x 8 x 4");
  expect_rejected(set(1, "stride", 0), "layers[1] (maxpool): ");
  expect_rejected(set(0, "kernel", -1), "header field 'kernel' must be a non-negative integer");
  expect_rejected(set(0, "kernel", 4294967296LL), "header field 'kernel' is out of range");
  // 64 x 64 x 257 weights per neuron, on a 64 x 64 x 257 input.
  expect_rejected(edit_header(bytes,
                              [](nlohmann::json& h) {
                                h["input"]["rows"] = h["input"]["cols"] = 64;
                                h["input"]["channels"] = 257;
                                h["layers"][0]["in_channels"] = 257;
                                h["layers"][0]["kernel"] = 64;
                              }),
                  "layers[0] (conv2d): kernel^2 x in_channels = 1052672 weights per neuron exceeds 1048576");
  // A 4096 x 4096 image (2^24 values) convolved into 2 channels: 2^25 values.
  expect_rejected(edit_header(bytes,
                              [](nlohmann::json& h) {
                                h["input"]["rows"] = h["input"]["cols"] = 4096;
                                h["layers"][0]["kernel"] = 1;
                                h["layers"][0]["padding"] = 0;
                                h["layers"][0]["out_channels"] = 2;
                              }),
                  "layers[0] (conv2d): ");
}

TEST(NetworkFileV2, GraphOrderErrorsNameTheEntry) {
  const std::string bytes = serialize_network(small_conv_network());
  using nlohmann::json;
  // maxpool after a maxpool, not after a convolution.
  expect_rejected(
      edit_header(
          bytes,
          [](json& h) {
            h["layers"].insert(h["layers"].begin() + 2, json{{"type", "maxpool"}, {"window", 1}, {"stride", 1}});
          }),
      "layers[2] (maxpool): a max-pool must follow a convolution directly");
  // maxpool after flatten.
  expect_rejected(
      edit_header(
          bytes,
          [](json& h) {
            h["layers"].insert(h["layers"].begin() + 4, json{{"type", "maxpool"}, {"window", 1}, {"stride", 1}});
          }),
      "layers[4] (maxpool): a max-pool must follow a convolution directly");
  // dense right after a convolution, without flatten.
  expect_rejected(edit_header(bytes, [](json& h) { h["layers"].erase(3); }),
                  "layers[3] (dense): a dense layer after a convolution needs a flatten entry before it");
  // conv2d after flatten / after a dense layer.
  const json conv = {{"type", "conv2d"}, {"in_channels", 6}, {"out_channels", 2},  {"kernel", 1},
                     {"stride", 1},      {"padding", 0},     {"padding_value", -1}};
  expect_rejected(edit_header(bytes, [&](json& h) { h["layers"].insert(h["layers"].begin() + 4, conv); }),
                  "layers[4] (conv2d): a convolution needs a height x width x channels input, not a vector");
  expect_rejected(edit_header(bytes, [&](json& h) { h["layers"].insert(h["layers"].begin() + 5, conv); }),
                  "layers[5] (conv2d): a convolution needs a height x width x channels input, not a vector");
  // flatten of a vector.
  expect_rejected(edit_header(bytes,
                              [](json& h) {
                                h["layers"].insert(h["layers"].begin() + 4, json{{"type", "flatten"}});
                              }),
                  "layers[4] (flatten): its input is already a vector");
  expect_rejected(edit_header(bytes, [](json& h) { h["layers"][3]["type"] = "pool"; }),
                  "layer type 'pool' is not supported (expected conv2d, maxpool, flatten or dense)");
}

TEST(NetworkFileV2, PaddingValueMustBeMinusOneOrOne) {
  const std::string bytes = serialize_network(small_conv_network());
  for (const nlohmann::json& v : {nlohmann::json(0), nlohmann::json(2), nlohmann::json("1"), nlohmann::json(1.0)})
    expect_rejected(edit_header(bytes, [&](nlohmann::json& h) { h["layers"][2]["padding_value"] = v; }),
                    "header field 'padding_value' must be -1 or 1");
}

TEST(NetworkFileV2, TheLastLayerMustBeDense) {
  const Network net = small_conv_network();
  // Cut after the second convolution: its payload is the first two layers'.
  const size_t two_layers = (4 * 1 * 8 + 4 * 8) + (6 * 1 * 8 + 6 * 8);
  expect_rejected(edit_header(
                      serialize_network(net),
                      [](nlohmann::json& h) {
                        h["layers"].erase(5);
                        h["layers"].erase(4);
                        h["layers"].erase(3);
                      },
                      two_layers),
                  "layer 1 (conv2d): the output layer must be dense (it scores the classes)");
  Network cut = net;
  cut.layers.resize(2);
  EXPECT_NE(test::error_of([&] {
              validate_network(cut, "n");
            }).find("layer 1 (conv2d): the output layer must be dense (it scores the classes)"),
            std::string::npos);
}

TEST(NetworkFileV2, InMemoryGeometryIsValidated) {
  Network net = small_conv_network();
  net.layers[1].conv.in_height = 5;  // the pooled output of layer 0 is 4 x 4 x 4
  const std::string e = test::error_of([&] { validate_network(net, "n"); });
  EXPECT_NE(e.find("layer 1 (conv2d) takes a 5 x 4 x 4 input, expected 4 x 4 x 4"), std::string::npos) << e;
  net = small_conv_network();
  net.layers[2].pool = {2, 2};
  EXPECT_NE(
      test::error_of([&] { validate_network(net, "n"); }).find("layer 2 (dense): a dense layer cannot be max-pooled"),
      std::string::npos);
}
