#include <gtest/gtest.h>
#include <zlib.h>

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
  bytes[8] = 3;
  expect_rejected(reseal(bytes), "unsupported network format version 3 (this build reads 1 to 2)");
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
