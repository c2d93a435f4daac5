// CIFAR-10, binary version (stimuli/cifar10.h): five train batches and a test batch of
// 3073-byte records, converted from the file's CHW planes to HWC.
#include "scbnn/stimuli/cifar10.h"

#include <filesystem>

#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"

namespace scbnn {
namespace {

constexpr uint8_t kClasses = 10;
constexpr uintmax_t kMaxBatchBytes = uintmax_t(1) << 32;  // refuse absurd files before reading them
constexpr size_t kPlane = size_t(kCifar10Side) * kCifar10Side;

std::string missing_cifar10_hint() {
  return "CIFAR-10 is not packaged in Debian: set dataset.path to a directory holding its binary version "
         "(cifar-10-batches-bin), or write random CIFAR-10-format images there with scripts/random-cifar10.py "
         "(docs/datasets.md)";
}

std::string record_description() {
  return "the " + std::to_string(kCifar10RecordBytes) + "-byte CIFAR-10 record (a label byte and " +
         std::to_string(kCifar10ImageBytes) + " pixel bytes)";
}

// Appends one record's image, CHW in the file, as HWC.
void append_hwc(const uint8_t* chw, std::vector<uint8_t>& images) {
  const size_t base = images.size();
  images.resize(base + kCifar10ImageBytes);
  uint8_t* hwc = images.data() + base;
  for (size_t c = 0; c < kCifar10Channels; ++c)
    for (size_t p = 0; p < kPlane; ++p) hwc[p * kCifar10Channels + c] = chw[c * kPlane + p];
}

void read_batch(const std::string& path, Dataset& data) {
  require_readable_file(path, "CIFAR-10 batch file");
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxBatchBytes) throw InputError(path + ": a CIFAR-10 batch file larger than 4 GiB is refused");
  const std::string bytes = read_file(path, "CIFAR-10 batch file");
  if (bytes.empty())
    throw InputError(path + ": CIFAR-10 batch file is empty (expected records of " +
                     std::to_string(kCifar10RecordBytes) + " bytes)");
  const size_t records = bytes.size() / kCifar10RecordBytes;
  if (const size_t rest = bytes.size() % kCifar10RecordBytes; rest != 0)
    throw InputError(path + ": size " + std::to_string(bytes.size()) + " bytes is not a multiple of " +
                     record_description() + ": the last record (record " + std::to_string(records) +
                     ", counting from 0) is truncated, " + std::to_string(rest) + " of its " +
                     std::to_string(kCifar10RecordBytes) + " bytes");
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  for (size_t r = 0; r < records; ++r, p += kCifar10RecordBytes) {
    if (p[0] >= kClasses)
      throw InputError(path + ": record " + std::to_string(r) + " has label " + std::to_string(p[0]) +
                       " (expected 0 to 9)");
    data.labels.push_back(p[0]);
    append_hwc(p + 1, data.images);
  }
}

}  // namespace

std::vector<std::string> cifar10_batch_files(const std::string& split) {
  if (split == "test") return {"test_batch.bin"};
  if (split != "train") throw InputError("dataset.split: '" + split + "' (expected train or test)");
  std::vector<std::string> files;
  for (unsigned b = 1; b <= kCifar10TrainBatches; ++b) files.push_back("data_batch_" + std::to_string(b) + ".bin");
  return files;
}

Dataset read_cifar10_batches(const std::vector<std::string>& paths) {
  Dataset data;
  data.rows = data.cols = kCifar10Side;
  data.channels = kCifar10Channels;
  for (const auto& path : paths) read_batch(path, data);
  return data;
}

Dataset load_cifar10(const std::string& dir, const std::string& split, size_t limit) {
  const std::vector<std::string> names = cifar10_batch_files(split);
  std::vector<std::string> paths, missing;
  for (const auto& name : names) {
    paths.push_back((std::filesystem::path(dir) / name).string());
    if (!std::filesystem::exists(paths.back())) missing.push_back(name);
  }
  if (names.size() == 1 && !missing.empty())
    throw InputError("data set file " + paths[0] + " not found; " + missing_cifar10_hint());
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    throw InputError(dir + ": the CIFAR-10 " + split + " split is " + names.front() + " to " + names.back() + ", but " +
                     list + (missing.size() == 1 ? " is" : " are") + " missing" +
                     (missing.size() == names.size() ? "; " + missing_cifar10_hint() : std::string()));
  }
  Dataset data = read_cifar10_batches(paths);
  data.name = std::filesystem::path(dir).filename().string();
  data.split = split;
  data.images_file = names.size() == 1 ? paths[0] : paths.front() + " .. " + names.back();
  data.files = paths;
  data.split_images = data.count();
  if (limit != 0 && limit < data.count()) {  // raw batches: read whole (cheap), kept in part
    data.labels.resize(limit);
    data.images.resize(limit * data.values());
  }
  return data;
}

namespace {
DatasetFormatRegistrar registrar("cifar10",
                                 {"CIFAR-10, binary version: 32 x 32 RGB images (3 channels), read as HWC",
                                  "data_batch_1.bin .. data_batch_5.bin (train), test_batch.bin (test)", load_cifar10});
}  // namespace

SCBNN_LINK_ANCHOR(dataset_format, cifar10)

}  // namespace scbnn
