#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "scbnn/stimuli/dataset.h"

namespace scbnn {

// The binary version of CIFAR-10 (cifar-10-batches-bin): each record is a label byte (0 to
// 9) and 3072 pixel bytes, the 1024 red, then 1024 green, then 1024 blue values of a
// 32 x 32 image, each plane row-major (CHW). The reader stores the images HWC, the order
// the accelerator receives them in (docs/datasets.md).
inline constexpr uint32_t kCifar10Side = 32;
inline constexpr uint32_t kCifar10Channels = 3;
inline constexpr size_t kCifar10ImageBytes = size_t(kCifar10Side) * kCifar10Side * kCifar10Channels;
inline constexpr size_t kCifar10RecordBytes = 1 + kCifar10ImageBytes;
inline constexpr unsigned kCifar10TrainBatches = 5;

// The batch files of a split: "train" data_batch_1.bin .. data_batch_5.bin, "test"
// test_batch.bin.
std::vector<std::string> cifar10_batch_files(const std::string& split);

// Reads batch files in the order given into one data set (split and name left empty).
// Throws InputError naming the file: empty, a size that is not a whole number of records
// (the truncated last record named), a label above 9.
Dataset read_cifar10_batches(const std::vector<std::string>& paths);

// Split "train" or "test" of a CIFAR-10 directory; a missing batch file is named (all the
// missing ones, for the train split). Registered as dataset.format = cifar10.
Dataset load_cifar10(const std::string& dir, const std::string& split, size_t limit = 0);

}  // namespace scbnn
