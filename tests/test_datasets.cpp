// Data set formats (dataset.format): the CIFAR-10 binary reader on files the tests write
// (valid and malformed; the data set itself is not packaged), the registry and its
// configuration key, and a 3-channel data set through the platform.
#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "scbnn/base/errors.h"
#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/stimuli/cifar10.h"
#include "scbnn/stimuli/dataset.h"
#include "test_support.h"

using namespace scbnn;

namespace {

constexpr size_t kSide = 32, kChannels = 3, kRecord = 1 + kSide * kSide * kChannels;

// An image as the CIFAR-10 documentation describes it: value [c][y][x] (c = 0 red, 1 green,
// 2 blue), independent of the reader's layout.
using ChwImage = std::array<std::array<std::array<uint8_t, kSide>, kSide>, kChannels>;

struct Record {
  uint8_t label = 0;
  ChwImage pixels{};
};

std::vector<Record> random_records(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<Record> records(n);
  for (auto& r : records) {
    r.label = uint8_t(rng() % 10);
    for (auto& plane : r.pixels)
      for (auto& row : plane)
        for (auto& v : row) v = uint8_t(rng());
  }
  return records;
}

// The file's bytes: per record the label, then the red, green and blue planes, each row-major.
std::string batch_bytes(const std::vector<Record>& records) {
  std::string bytes;
  for (const auto& r : records) {
    bytes.push_back(char(r.label));
    for (const auto& plane : r.pixels)
      for (const auto& row : plane)
        for (uint8_t v : row) bytes.push_back(char(v));
  }
  return bytes;
}

void write_bytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

std::string fresh_dir(const std::string& name) {
  const std::string dir = test::temp_path(name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void expect_has(const std::string& message, const std::vector<std::string>& fragments) {
  ASSERT_FALSE(message.empty()) << "no error";
  for (const auto& f : fragments) EXPECT_NE(message.find(f), std::string::npos) << "'" << f << "' not in: " << message;
}

void expect_hwc(const Dataset& d, size_t i, const Record& r) {
  ASSERT_EQ(d.labels[i], r.label) << "image " << i;
  const uint8_t* image = d.image(i);
  for (size_t y = 0; y < kSide; ++y)
    for (size_t x = 0; x < kSide; ++x)
      for (size_t c = 0; c < kChannels; ++c)
        ASSERT_EQ(image[(y * kSide + x) * kChannels + c], r.pixels[c][y][x])
            << "image " << i << " y " << y << " x " << x << " channel " << c;
}

}  // namespace

TEST(Cifar10, TestBatchReadsAsHwcPixelByPixel) {
  const std::string dir = fresh_dir("cifar_test");
  const auto records = random_records(7, 1);
  write_bytes(dir + "/test_batch.bin", batch_bytes(records));
  const Dataset d = load_dataset("cifar10", dir, "test");
  EXPECT_EQ(d.format, "cifar10");
  EXPECT_EQ(d.split, "test");
  EXPECT_EQ(d.rows, 32u);
  EXPECT_EQ(d.cols, 32u);
  EXPECT_EQ(d.channels, 3u);
  EXPECT_EQ(d.values(), 3072u);
  ASSERT_EQ(d.count(), records.size());
  ASSERT_EQ(d.images.size(), records.size() * 3072);
  for (size_t i = 0; i < records.size(); ++i) expect_hwc(d, i, records[i]);
  EXPECT_EQ(d.images_file, dir + "/test_batch.bin");
}

TEST(Cifar10, TrainSplitIsTheFiveBatchesInOrder) {
  const std::string dir = fresh_dir("cifar_train");
  std::vector<Record> all;
  for (unsigned b = 1; b <= 5; ++b) {
    const auto records = random_records(b, 10 + b);  // 1 to 5 records: the order shows in the count
    write_bytes(dir + "/data_batch_" + std::to_string(b) + ".bin", batch_bytes(records));
    all.insert(all.end(), records.begin(), records.end());
  }
  const Dataset d = load_dataset("cifar10", dir, "train");
  ASSERT_EQ(d.count(), 15u);
  for (size_t i = 0; i < all.size(); ++i) expect_hwc(d, i, all[i]);
  EXPECT_EQ(d.split, "train");
}

TEST(Cifar10, MissingFilesAreNamed) {
  const std::string dir = fresh_dir("cifar_missing");
  expect_has(test::error_of([&] { load_dataset("cifar10", dir, "test"); }),
             {dir + "/test_batch.bin", "not found", "scripts/random-cifar10.py"});
  expect_has(test::error_of([&] { load_dataset("cifar10", dir, "train"); }),
             {dir, "data_batch_1.bin to data_batch_5.bin",
              "data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin are missing",
              "scripts/random-cifar10.py"});
  for (unsigned b : {1, 3, 5})
    write_bytes(dir + "/data_batch_" + std::to_string(b) + ".bin", batch_bytes(random_records(1, b)));
  const std::string some = test::error_of([&] { load_dataset("cifar10", dir, "train"); });
  expect_has(some, {"data_batch_2.bin, data_batch_4.bin are missing"});
  EXPECT_EQ(some.find("data_batch_3.bin,"), std::string::npos) << some;
  std::filesystem::create_directories(dir + "/test_batch.bin");
  expect_has(test::error_of([&] { load_dataset("cifar10", dir, "test"); }), {dir + "/test_batch.bin", "directory"});
}

TEST(Cifar10, MalformedBatchesAreRefusedNamingFileAndFault) {
  const std::string dir = fresh_dir("cifar_bad");
  const std::string path = dir + "/test_batch.bin";
  const auto error = [&](const std::string& bytes) {
    write_bytes(path, bytes);
    return test::error_of([&] { load_dataset("cifar10", dir, "test"); });
  };
  expect_has(error(""), {path, "is empty"});
  const std::string three = batch_bytes(random_records(3, 2));
  expect_has(error(three.substr(0, 2 * kRecord + 1)),
             {path, "size 6147 bytes is not a multiple of the 3073-byte CIFAR-10 record",
              "the last record (record 2, counting from 0) is truncated, 1 of its 3073 bytes"});
  expect_has(error(three.substr(0, 100)), {path, "size 100 bytes", "record 0", "truncated, 100 of its 3073 bytes"});
  std::string bad_label = three;
  bad_label[kRecord] = char(10);
  expect_has(error(bad_label), {path, "record 1 has label 10 (expected 0 to 9)"});
  bad_label[kRecord] = char(255);
  expect_has(error(bad_label), {path, "record 1 has label 255"});
  // In the train split the faulty batch is the one named.
  for (unsigned b = 1; b <= 5; ++b) write_bytes(dir + "/data_batch_" + std::to_string(b) + ".bin", three);
  write_bytes(dir + "/data_batch_4.bin", three + "x");
  expect_has(test::error_of([&] { load_dataset("cifar10", dir, "train"); }),
             {dir + "/data_batch_4.bin: size 9220 bytes", "record 3"});
}

TEST(DatasetFormats, EveryRegisteredFormatHasItsRowInTheDocs) {
  std::ifstream in(std::string(SCBNN_SOURCE_DIR) + "/docs/datasets.md");
  ASSERT_TRUE(in) << "docs/datasets.md is missing";
  const std::string doc((std::istreambuf_iterator<char>(in)), {});
  for (const auto& name : dataset_format_names())
    EXPECT_NE(doc.find("\n| `" + name + "`"), std::string::npos) << "docs/datasets.md has no row for " << name;
}

TEST(DatasetFormats, RegisteredFormatsAndTheirKey) {
  EXPECT_EQ(dataset_format_names(), (std::vector<std::string>{"cifar10", "idx"}));
  expect_has(test::error_of([] { dataset_format("cifar"); }), {"dataset.format = 'cifar'", "cifar10, idx"});
  expect_has(test::error_of([] { load_dataset("cifar10", "/nonexistent", "validation"); }),
             {"dataset.split", "validation"});
  Config bad;
  expect_has(test::error_of([&] { bad.apply_override("dataset.format=cifar-10"); }),
             {"dataset.format", "cifar-10", "cifar10 idx"});
  Config good;
  good.apply_override("dataset.format=cifar10");
  EXPECT_EQ(platform_params(good).dataset.format, "cifar10");
  EXPECT_EQ(platform_params(Config()).dataset.format, "idx");
}

// A dense network on 3-channel inputs runs on generated CIFAR-10 files: the platform's
// scores equal the independent reference's on the HWC images, bit for bit.
TEST(DatasetFormats, ThreeChannelImagesRunThroughThePlatform) {
  const std::string dir = fresh_dir("cifar_run");
  write_bytes(dir + "/test_batch.bin", batch_bytes(random_records(3, 5)));
  const Dataset data = load_dataset("cifar10", dir, "test");
  Network net = test::random_network({3072, 64, 10}, 9, 32, 32);
  net.input.channels = 3;
  validate_network(net, "net");
  Config config;
  config.apply_override("accel.input_buffer.bytes=3072");  // the default holds a 28 x 28 x 1 image
  Platform platform(platform_params(config), net, data, 0, 3);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), 3u);
  for (size_t i = 0; i < out.records.size(); ++i) {
    const auto ref = test::reference_inference(net, data.image(i));
    ASSERT_EQ(out.records[i].scores.size(), ref.scores.size());
    for (size_t c = 0; c < ref.scores.size(); ++c)
      EXPECT_EQ(out.records[i].scores[c], ref.scores[c]) << "image " << i << " class " << c;
    EXPECT_EQ(out.records[i].predicted, ref.predicted) << "image " << i;
  }
}
