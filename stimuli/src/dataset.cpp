#include "scbnn/stimuli/dataset.h"

#include "scbnn/base/errors.h"

namespace scbnn {

void link_dataset_format_variants();  // generated: keeps every file of dataset_formats/ in the link

namespace {
Registry<DatasetFormat>& mutable_dataset_formats() {
  static Registry<DatasetFormat> registry("data set format", "dataset.format");
  return registry;
}
}  // namespace

std::string dataset_shape(const Dataset& data) {
  return std::to_string(data.rows) + " x " + std::to_string(data.cols) + " pixels x " + std::to_string(data.channels) +
         (data.channels == 1 ? " channel" : " channels");
}

const Registry<DatasetFormat>& dataset_format_registry() {
  link_dataset_format_variants();
  return mutable_dataset_formats();
}

std::vector<std::string> dataset_format_names() { return dataset_format_registry().names(); }

const DatasetFormat& dataset_format(const std::string& name) { return dataset_format_registry().at(name); }

Dataset load_dataset(const std::string& format, const std::string& dir, const std::string& split, size_t limit) {
  if (split != "train" && split != "test") throw InputError("dataset.split: '" + split + "' (expected train or test)");
  Dataset data = dataset_format(format).load(dir, split, limit);
  data.format = format;
  return data;
}

DatasetFormatRegistrar::DatasetFormatRegistrar(const std::string& name, DatasetFormat format) {
  mutable_dataset_formats().add(name, std::move(format));
}

}  // namespace scbnn
