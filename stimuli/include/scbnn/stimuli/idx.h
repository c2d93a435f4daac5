#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "scbnn/stimuli/dataset.h"

namespace scbnn {

// An IDX file (the MNIST / Fashion-MNIST container) of unsigned bytes, gzip or raw.
struct IdxArray {
  std::vector<uint32_t> dims;
  std::vector<uint8_t> data;

  size_t count() const { return dims.empty() ? 0 : dims[0]; }
  size_t item_size() const;
};

// Reads a gzip-compressed or raw IDX file of type 0x08 (unsigned byte). Throws
// InputError naming the file on a missing, truncated, corrupt or oversized file, and,
// when `expected_dims` is not 0, on a file of another dimension count (the magic number
// 0x000008NN holds it: images are 3-D, 0x00000803; labels 1-D, 0x00000801).
// max_items > 0: only the first max_items items are decoded (dims keep the file's values;
// data holds the items read), and what follows them is not checked.
IdxArray read_idx(const std::string& path, unsigned expected_dims = 0, size_t max_items = 0);

// Writes an IDX file of unsigned bytes, gzip-compressed when the path ends in ".gz".
void write_idx(const std::string& path, const IdxArray& array);

inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// Loads the "train" or "test" split of an MNIST-format directory
// ({train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]): one channel; the format registered
// as dataset.format = idx.
// as dataset.format = idx. limit > 0: only the first `limit` images and labels are decoded
// (the gzip stream is inflated that far and no further).
Dataset load_mnist_format(const std::string& dir, const std::string& split, size_t limit = 0);

// The images shrunk by `factor` in each direction: every output pixel is the mean of a
// factor x factor block of 8-bit pixels, rounded half up ((sum + factor^2 / 2) / factor^2 in
// integers). Rows and columns must be multiples of the factor. factor 1: a copy.
Dataset downsample(const Dataset& d, uint32_t factor);

// Writes a data set as the split's IDX files in MNIST naming ({train,t10k}-{images-idx3,
// labels-idx1}-ubyte.gz) into `dir` (created if missing), so load_mnist_format reads it back.
void write_mnist_format(const std::string& dir, const Dataset& d);

// What to tell a user whose data set directory lacks the files.
std::string missing_dataset_hint(const std::string& dir);

}  // namespace scbnn
