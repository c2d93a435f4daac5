#include "scbnn/stimuli/idx.h"

#include <algorithm>
#include <cstdio>

#include <zlib.h>

#include <filesystem>
#include <memory>

#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"

namespace scbnn {
namespace {

constexpr uint8_t kTypeUnsignedByte = 0x08;
constexpr size_t kMaxIdxBytes = size_t(1) << 32;  // refuse absurd headers before allocating

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzHandle = std::unique_ptr<std::remove_pointer_t<gzFile>, GzCloser>;

void read_exact(gzFile f, const std::string& path, void* dst, size_t n, const char* what) {
  auto* out = static_cast<uint8_t*>(dst);
  while (n > 0) {
    const unsigned chunk = unsigned(std::min<size_t>(n, 1u << 30));
    const int got = gzread(f, out, chunk);
    if (got < 0) {
      int errnum = 0;
      const char* msg = gzerror(f, &errnum);
      throw InputError(path + ": corrupt compressed data while reading " + what + " (" + msg + ")");
    }
    if (got == 0) throw InputError(path + ": file is truncated while reading " + what);
    out += got;
    n -= size_t(got);
  }
}

uint32_t big_endian_u32(const uint8_t* b) {
  return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
}

// What an MNIST-format file of `dims` dimensions holds, for messages.
std::string idx_contents(unsigned dims) {
  char magic[16];
  std::snprintf(magic, sizeof magic, "0x%08x", (unsigned(kTypeUnsignedByte) << 8) | dims);
  const std::string kind = dims == 1   ? "labels (1 dimension"
                           : dims == 3 ? "images (3 dimensions"
                                       : "a " + std::to_string(dims) + "-dimensional array (";
  return kind + (dims == 1 || dims == 3 ? ", " : "") + "IDX magic " + magic + ")";
}

}  // namespace

size_t IdxArray::item_size() const {
  size_t n = 1;
  for (size_t i = 1; i < dims.size(); ++i) n *= dims[i];
  return n;
}

IdxArray read_idx(const std::string& path, unsigned expected_dims, size_t max_items) {
  require_readable_file(path, "IDX file");
  GzHandle f(gzopen(path.c_str(), "rb"));
  if (!f) throw InputError(path + ": cannot open");

  uint8_t magic[4];
  read_exact(f.get(), path, magic, 4, "the IDX magic number");
  if (magic[0] != 0 || magic[1] != 0)
    throw InputError(path + ": not an IDX file (magic must start with two zero bytes)");
  if (magic[2] != kTypeUnsignedByte)
    throw InputError(path + ": unsupported IDX element type " + std::to_string(magic[2]) +
                     " (expected 8, unsigned byte)");
  const unsigned ndims = magic[3];
  if (ndims < 1 || ndims > 4)
    throw InputError(path + ": IDX dimension count " + std::to_string(ndims) + " (expected 1 to 4)");
  if (expected_dims != 0 && ndims != expected_dims)
    throw InputError(path + ": holds " + idx_contents(ndims) + ", expected " + idx_contents(expected_dims));

  IdxArray array;
  size_t total = 1;
  for (unsigned d = 0; d < ndims; ++d) {
    uint8_t b[4];
    read_exact(f.get(), path, b, 4, "the IDX dimensions");
    const uint32_t dim = big_endian_u32(b);
    if (dim == 0) throw InputError(path + ": IDX dimension " + std::to_string(d) + " is zero");
    total *= dim;
    if (total > kMaxIdxBytes) throw InputError(path + ": IDX payload larger than 4 GiB is refused");
    array.dims.push_back(dim);
  }
  const bool partial = max_items != 0 && max_items < array.dims[0];
  if (partial) total = max_items * array.item_size();
  // Grown as the data arrives: a header claiming gigabytes over a short file costs nothing.
  const size_t chunk = size_t(1) << 20;
  for (size_t done = 0; done < total; done += chunk) {
    const size_t n = std::min(chunk, total - done);
    array.data.resize(done + n);
    read_exact(f.get(), path, array.data.data() + done, n, "the IDX payload");
  }
  uint8_t extra;
  if (!partial && gzread(f.get(), &extra, 1) != 0)
    throw InputError(path + ": trailing bytes after the IDX payload (wrong dimensions?)");
  return array;
}

void write_idx(const std::string& path, const IdxArray& array) {
  const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  GzHandle f(gzopen(path.c_str(), gz ? "wb9" : "wbT"));
  if (!f) throw InputError(path + ": cannot create");
  std::vector<uint8_t> header = {0, 0, kTypeUnsignedByte, uint8_t(array.dims.size())};
  for (uint32_t d : array.dims)
    for (int s = 24; s >= 0; s -= 8) header.push_back(uint8_t(d >> s));
  if (gzwrite(f.get(), header.data(), unsigned(header.size())) != int(header.size()) ||
      (!array.data.empty() &&
       gzwrite(f.get(), array.data.data(), unsigned(array.data.size())) != int(array.data.size())))
    throw InputError(path + ": write failed");
}

namespace {

std::string find_split_file(const std::string& dir, const std::string& stem) {
  for (const char* suffix : {".gz", ""}) {
    const auto p = std::filesystem::path(dir) / (stem + suffix);
    if (std::filesystem::exists(p)) return p.string();  // read_idx names what is wrong with it
  }
  throw InputError("data set file " + (std::filesystem::path(dir) / (stem + ".gz")).string() + " not found; " +
                   missing_dataset_hint(dir));
}

}  // namespace

std::string missing_dataset_hint(const std::string& dir) {
  if (dir == kFashionMnistDir) return "install it with: apt-get install dataset-fashion-mnist";
  return "set dataset.path to a directory holding MNIST-format IDX files (or dataset.format to its format: "
         "docs/datasets.md)";
}

Dataset load_mnist_format(const std::string& dir, const std::string& split, size_t limit) {
  if (split != "train" && split != "test") throw InputError("dataset.split: '" + split + "' (expected train or test)");
  const std::string prefix = split == "train" ? "train" : "t10k";
  const std::string image_path = find_split_file(dir, prefix + "-images-idx3-ubyte");
  const std::string label_path = find_split_file(dir, prefix + "-labels-idx1-ubyte");
  // Images: count x rows x cols, or count x rows x cols x channels (HWC, channel fastest).
  IdxArray images = read_idx(image_path, 0, limit);
  if (images.dims.size() != 3 && images.dims.size() != 4) images = read_idx(image_path, 3);  // names the mismatch
  IdxArray labels = read_idx(label_path, 1, limit);
  if (images.dims[0] != labels.dims[0])
    throw InputError(image_path + " holds " + std::to_string(images.dims[0]) + " images but " + label_path + " holds " +
                     std::to_string(labels.dims[0]) + " labels");
  for (size_t i = 0; i < labels.data.size(); ++i)
    if (labels.data[i] > 9)
      throw InputError(label_path + ": label " + std::to_string(labels.data[i]) + " at index " + std::to_string(i) +
                       " (expected 0 to 9)");
  Dataset ds;
  ds.name = std::filesystem::path(dir).filename().string();
  ds.split = split;
  ds.format = "idx";
  ds.images_file = image_path;
  ds.files = {image_path, label_path};
  ds.rows = images.dims[1];
  ds.cols = images.dims[2];
  ds.channels = images.dims.size() == 4 ? images.dims[3] : 1;
  ds.split_images = images.dims[0];
  ds.images = std::move(images.data);
  ds.labels = std::move(labels.data);
  return ds;
}

Dataset downsample(const Dataset& d, uint32_t factor) {
  if (factor == 0 || d.rows % factor != 0 || d.cols % factor != 0)
    throw InputError("--downsample " + std::to_string(factor) + ": the images are " + std::to_string(d.rows) + " x " +
                     std::to_string(d.cols) + " pixels (expected a factor of at least 1 dividing both)");
  Dataset s = d;
  s.rows = d.rows / factor;
  s.cols = d.cols / factor;
  s.images.assign(d.count() * s.pixels(), 0);
  const uint32_t area = factor * factor;
  for (size_t i = 0; i < d.count(); ++i) {
    const uint8_t* in = d.image(i);
    uint8_t* out = s.images.data() + i * s.pixels();
    for (uint32_t y = 0; y < s.rows; ++y)
      for (uint32_t x = 0; x < s.cols; ++x) {
        uint32_t sum = 0;
        for (uint32_t dy = 0; dy < factor; ++dy)
          for (uint32_t dx = 0; dx < factor; ++dx) sum += in[size_t(y * factor + dy) * d.cols + x * factor + dx];
        out[size_t(y) * s.cols + x] = uint8_t((sum + area / 2) / area);
      }
  }
  return s;
}

void write_mnist_format(const std::string& dir, const Dataset& d) {
  if (d.split != "train" && d.split != "test")
    throw InputError("write_mnist_format: split '" + d.split + "' (expected train or test)");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir + ": cannot create the data set directory (" + ec.message() + ")");
  const std::string prefix = (std::filesystem::path(dir) / (d.split == "train" ? "train" : "t10k")).string();
  IdxArray images;
  images.dims = {uint32_t(d.count()), d.rows, d.cols};
  images.data = d.images;
  write_idx(prefix + "-images-idx3-ubyte.gz", images);
  IdxArray labels;
  labels.dims = {uint32_t(d.count())};
  labels.data = d.labels;
  write_idx(prefix + "-labels-idx1-ubyte.gz", labels);
}

}  // namespace scbnn
