#include <gtest/gtest.h>

#include <sys/resource.h>
#include <zlib.h>
#include <iterator>

#include <fstream>

#include "scbnn/base/errors.h"
#include "scbnn/stimuli/idx.h"
#include "test_support.h"

using namespace scbnn;

namespace {

IdxArray sample(uint32_t n) {
  IdxArray a;
  a.dims = {n, 2, 3};
  for (uint32_t i = 0; i < n * 6; ++i) a.data.push_back(uint8_t(i * 7));
  return a;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

void expect_error(const std::string& path, const std::string& fragment) {
  try {
    read_idx(path);
    FAIL() << "no error for " << path;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << "message must name the file: " << e.what();
  }
}

}  // namespace

TEST(Idx, RoundTripGzipAndRaw) {
  for (const char* name : {"a.idx.gz", "a.idx"}) {
    const auto path = test::temp_path(name);
    write_idx(path, sample(4));
    const IdxArray back = read_idx(path);
    EXPECT_EQ(back.dims, sample(4).dims);
    EXPECT_EQ(back.data, sample(4).data);
    EXPECT_EQ(back.count(), 4u);
    EXPECT_EQ(back.item_size(), 6u);
  }
  // The gzip file really is compressed (starts with the gzip magic).
  const std::string gz = read_bytes(test::temp_path("a.idx.gz"));
  ASSERT_GE(gz.size(), 2u);
  EXPECT_EQ(uint8_t(gz[0]), 0x1f);
  EXPECT_EQ(uint8_t(gz[1]), 0x8b);
}

TEST(Idx, TruncatedRawFile) {
  const auto path = test::temp_path("t.idx");
  write_idx(path, sample(4));
  const std::string bytes = read_bytes(path);
  write_bytes(path, bytes.substr(0, bytes.size() - 5));
  expect_error(path, "truncated");
}

TEST(Idx, TruncatedGzipFile) {
  const auto path = test::temp_path("t.idx.gz");
  IdxArray big = sample(2000);
  write_idx(path, big);
  const std::string bytes = read_bytes(path);
  write_bytes(path, bytes.substr(0, bytes.size() / 2));
  try {
    read_idx(path);
    FAIL() << "truncated gzip accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
}

TEST(Idx, CorruptGzipData) {
  const auto path = test::temp_path("c.idx.gz");
  write_idx(path, sample(2000));
  std::string bytes = read_bytes(path);
  for (size_t i = 20; i < bytes.size() - 10; i += 7) bytes[i] = char(bytes[i] ^ 0x5a);
  write_bytes(path, bytes);
  expect_error(path, "");
}

TEST(Idx, WrongMagicTypeAndTrailingBytes) {
  const auto path = test::temp_path("m.idx");
  write_bytes(path, std::string("\x01\x00\x08\x01\x00\x00\x00\x01\x05", 9));
  expect_error(path, "not an IDX file");
  write_bytes(path, std::string("\x00\x00\x0d\x01\x00\x00\x00\x01\x05", 9));
  expect_error(path, "element type");
  write_bytes(path, std::string("\x00\x00\x08\x01\x00\x00\x00\x01\x05\x06", 10));
  expect_error(path, "trailing");
  write_bytes(path, std::string("\x00\x00\x08\x03\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00\x00\x10", 16));
  expect_error(path, "larger than");
}

TEST(Idx, MissingFileNamed) { expect_error(test::temp_path("none.idx.gz"), "no such file"); }

TEST(Idx, ADirectoryIsNamedAsADirectory) {
  const auto dir = test::temp_path("idx_dir.gz");
  std::filesystem::create_directories(dir);
  expect_error(dir, "is a directory");
  // In a data set too: not "not found".
  const auto ds = test::temp_path("ds_with_dir");
  std::filesystem::create_directories(ds + "/t10k-images-idx3-ubyte.gz");
  IdxArray labels;
  labels.dims = {1};
  labels.data = {1};
  write_idx(ds + "/t10k-labels-idx1-ubyte.gz", labels);
  try {
    load_mnist_format(ds, "test");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(ds + "/t10k-images-idx3-ubyte.gz: cannot open IDX file: it is a directory"),
              std::string::npos)
        << e.what();
  }
}

// The magic number's last byte is the dimension count: images are 3-D (0x00000803),
// labels 1-D (0x00000801). Images where the labels belong used to read as "truncated".
TEST(Dataset, ImagesWhereLabelsBelongAreNamedAsTheWrongKindOfFile) {
  const auto dir = test::temp_path("swapped");
  std::filesystem::create_directories(dir);
  write_idx(dir + "/t10k-images-idx3-ubyte.gz", sample(3));
  write_idx(dir + "/t10k-labels-idx1-ubyte.gz", sample(3));
  const std::string labels = dir + "/t10k-labels-idx1-ubyte.gz";
  try {
    load_mnist_format(dir, "test");
    FAIL() << "images accepted as labels";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(labels + ": holds images (3 dimensions, IDX magic 0x00000803), expected labels (1 dimension, "
                              "IDX magic 0x00000801)"),
              std::string::npos)
        << m;
  }
  IdxArray labels_array;
  labels_array.dims = {3};
  labels_array.data = {1, 2, 3};
  write_idx(dir + "/t10k-images-idx3-ubyte.gz", labels_array);
  write_idx(labels, labels_array);
  try {
    load_mnist_format(dir, "test");
    FAIL() << "labels accepted as images";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t10k-images-idx3-ubyte.gz: holds labels"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("expected images"), std::string::npos) << e.what();
  }
}

TEST(Dataset, LoadsSplitAndChecksCounts) {
  const auto dir = test::temp_path("ds");
  std::filesystem::create_directories(dir);
  IdxArray images;
  images.dims = {3, 2, 2};
  images.data.assign(12, 9);
  IdxArray labels;
  labels.dims = {3};
  labels.data = {1, 2, 3};
  write_idx(dir + "/t10k-images-idx3-ubyte.gz", images);
  write_idx(dir + "/t10k-labels-idx1-ubyte", labels);  // raw also accepted
  const Dataset d = load_mnist_format(dir, "test");
  EXPECT_EQ(d.count(), 3u);
  EXPECT_EQ(d.channels, 1u);  // IDX images have one channel
  EXPECT_EQ(d.values(), 4u);
  EXPECT_EQ(d.format, "idx");
  EXPECT_EQ(d.labels, labels.data);

  labels.dims = {2};
  labels.data = {1, 2};
  write_idx(dir + "/t10k-labels-idx1-ubyte", labels);
  EXPECT_THROW(load_mnist_format(dir, "test"), InputError);
  labels.dims = {3};
  labels.data = {1, 2, 12};
  write_idx(dir + "/t10k-labels-idx1-ubyte", labels);
  EXPECT_THROW(load_mnist_format(dir, "test"), InputError);
}

TEST(Dataset, MissingDataSetNamesWhatToDo) {
  try {
    load_mnist_format(test::temp_path("empty_dir"), "test");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("dataset.path"), std::string::npos) << e.what();
  }
  EXPECT_NE(missing_dataset_hint(kFashionMnistDir).find("apt-get install dataset-fashion-mnist"), std::string::npos);
  EXPECT_THROW(load_mnist_format(kFashionMnistDir, "validation"), InputError);
}

TEST(Dataset, FashionMnistFromDebianPackage) {
  const Dataset d = load_mnist_format(kFashionMnistDir, "test");
  EXPECT_EQ(d.count(), 10000u);
  EXPECT_EQ(d.rows, 28u);
  EXPECT_EQ(d.cols, 28u);
}

// A limited load (what a run of the first images reads) is the prefix of the whole split,
// knows the split's size, and stops inflating at the last image it needs: a file whose tail
// is cut off still loads its head, while the whole load names the truncation.
TEST(Dataset, ALimitedLoadIsThePrefixOfTheWholeSplit) {
  const Dataset whole = load_mnist_format(kFashionMnistDir, "test");
  const Dataset head = load_dataset("idx", kFashionMnistDir, "test", 37);
  EXPECT_EQ(head.count(), 37u);
  EXPECT_EQ(head.split_count(), 10000u);
  EXPECT_EQ(whole.split_count(), 10000u);
  EXPECT_EQ(std::vector<uint8_t>(whole.labels.begin(), whole.labels.begin() + 37), head.labels);
  EXPECT_EQ(std::vector<uint8_t>(whole.images.begin(), whole.images.begin() + 37 * 784), head.images);
  EXPECT_EQ(load_dataset("idx", kFashionMnistDir, "test", 20000).count(), 10000u);  // beyond the split: all

  Dataset small = whole;
  small.images.resize(50 * 784);
  small.labels.resize(50);
  const std::string dir = test::temp_path("cut_tail");
  write_mnist_format(dir, small);
  const std::string images = dir + "/t10k-images-idx3-ubyte.gz";
  std::ifstream in(images, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bytes.resize(bytes.size() * 3 / 4);  // the gzip stream loses its last quarter
  std::ofstream(images, std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_EQ(load_mnist_format(dir, "test", 2).count(), 2u);
  EXPECT_THROW(load_mnist_format(dir, "test"), InputError);
}

// Found by fuzzing (tests/fuzz/regressions/idx): a 13-byte file whose header claims a
// 4 GiB payload made the reader allocate it all before noticing the file was short.
TEST(Idx, AHeaderClaimingGigabytesOverAShortFileAllocatesNothing) {
  const std::string path = test::temp_path("claims_4gib.idx");
  const unsigned char bytes[] = {0, 0, 8, 1, 0xf7, 0xff, 0, 2, 1, 2, 3, 4, 5};
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes), sizeof bytes);
  rusage before{}, after{};
  getrusage(RUSAGE_SELF, &before);
  EXPECT_THROW(read_idx(path), InputError);
  getrusage(RUSAGE_SELF, &after);
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 64 * 1024) << "kB of peak memory grown";
}
