#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "scbnn/base/registry.h"

namespace scbnn {

// One split of a labelled image data set, as every reader delivers it. Images are stored
// in HWC order (channel fastest), the order the accelerator receives them in: value
// (y, x, c) of image i is images[i * values() + (y * cols + x) * channels + c].
struct Dataset {
  std::string name;
  std::string split;
  std::string format;              // the registered data set format that read it (dataset.format)
  std::string images_file;         // the file(s) the images came from, for messages
  std::vector<std::string> files;  // every file the split was read from (provenance hashes them)
  uint32_t rows = 0, cols = 0, channels = 1;
  std::vector<uint8_t> images;  // count x rows x cols x channels, HWC
  std::vector<uint8_t> labels;
  size_t split_images = 0;  // images the split's files hold; count() is fewer after a limited load

  size_t count() const { return labels.size(); }
  size_t split_count() const { return split_images != 0 ? split_images : count(); }
  // Values (bytes) per image: rows x cols x channels.
  size_t values() const { return size_t(rows) * cols * channels; }
  // The trainer's name for values() (stimuli/trainer/ still calls it; same meaning).
  size_t pixels() const { return values(); }
  const uint8_t* image(size_t i) const { return images.data() + i * values(); }
};

// "32 x 32 pixels x 3 channels", for messages (the wording of input_shape(InputSpec)).
std::string dataset_shape(const Dataset& data);

// A data set format (dataset.format): registered by its own file in
// stimuli/src/dataset_formats/ with a DatasetFormatRegistrar (docs/datasets.md).
struct DatasetFormat {
  std::string description;  // one line for the docs and `scbnn config`
  std::string layout;       // the files a directory holds
  // Reads split "train" or "test" of directory `dir`: its first `limit` images (all when 0
  // or beyond the split), split_images set to the split's size; InputError naming the file
  // and what is wrong otherwise.
  std::function<Dataset(const std::string& dir, const std::string& split, size_t limit)> load;
};

const Registry<DatasetFormat>& dataset_format_registry();
std::vector<std::string> dataset_format_names();
// The format called `name`; InputError naming dataset.format otherwise.
const DatasetFormat& dataset_format(const std::string& name);

// Reads split `split` of `dir` with format `format` (its first `limit` images when limit is
// not 0: a run decodes only what it classifies); the result's `format` is set.
Dataset load_dataset(const std::string& format, const std::string& dir, const std::string& split, size_t limit = 0);

struct DatasetFormatRegistrar {
  DatasetFormatRegistrar(const std::string& name, DatasetFormat format);
};

}  // namespace scbnn
