#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "scbnn/base/atomic_file.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"
#include "scbnn/base/text.h"
#include "scbnn/stimuli/arch.h"
#include "scbnn/stimuli/idx.h"
#include "scbnn/stimuli/network.h"
#include "scbnn/stimuli/trainer.h"
#include "scbnn/tools/commands.h"

namespace po = boost::program_options;

namespace scbnn {
namespace {

std::vector<uint32_t> parse_widths(const std::string& text) {
  std::vector<uint32_t> widths;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      size_t used = 0;
      const unsigned long v = std::stoul(item, &used);
      if (used != item.size() || v == 0 || v > kMaxLayerWidth) throw std::invalid_argument(item);
      widths.push_back(uint32_t(v));
    } catch (const std::logic_error&) {
      throw InputError("--hidden: '" + item + "' is not a layer width (expected e.g. 1024,1024)");
    }
  }
  if (widths.empty()) throw InputError("--hidden: give at least one hidden layer width");
  return widths;
}

// The architecture from --arch, --arch-file or --hidden (at most one of them; default: the
// 784-1024-1024-10 MLP).
Architecture chosen_architecture(const po::variables_map& vm) {
  const int given = int(vm.count("arch")) + int(vm.count("arch-file")) + int(vm.count("hidden"));
  if (given > 1) throw InputError("give only one of --arch, --arch-file and --hidden");
  if (vm.count("arch")) return parse_architecture(vm["arch"].as<std::string>(), "--arch");
  if (vm.count("arch-file")) return load_architecture_file(vm["arch-file"].as<std::string>());
  const std::string hidden = vm.count("hidden") ? vm["hidden"].as<std::string>() : "1024,1024";
  return mlp_architecture(parse_widths(hidden), 10);
}

// The command line as a shell would take it back ("scbnn train --arch ... -o ...").
std::string command_line(const std::vector<std::string>& args) {
  std::string line = "scbnn train";
  for (const std::string& a : args) {
    const bool plain = !a.empty() && a.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_=.,/+:@%") == std::string::npos;
    line += " " + (plain ? a : nlohmann::json(a).dump());
  }
  return line;
}

// The float baseline's record (written by a --weight-bits 0 run), checked against this run.
nlohmann::json float_baseline_record(const std::string& path, const TrainOptions& o) {
  nlohmann::json record;
  try {
    record = nlohmann::json::parse(read_file(path, "float baseline record"));
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path + ": not a JSON float baseline record (" + e.what() + ")");
  }
  if (!record.is_object() || record.value("training", "") != "float" || !record.contains("float_test_accuracy") ||
      !record["float_test_accuracy"].is_number())
    throw InputError(path +
                     ": not a float baseline record (expected the JSON object a --weight-bits 0 run writes, "
                     "with \"training\": \"float\" and float_test_accuracy)");
  const std::string arch = record.value("architecture", "");
  if (arch != to_string(o.arch))
    throw InputError(path + ": the float baseline trained architecture '" + arch + "', this run trains '" +
                     to_string(o.arch) + "'");
  record["file"] = path;
  return record;
}

}  // namespace

int cmd_train(const std::vector<std::string>& args) {
  TrainOptions o;
  std::string data_dir = kFashionMnistDir, output, write_dir;
  int64_t downsample_factor = 1;
  po::options_description desc(
      "scbnn train: train a binarized or quantised MLP or CNN with libtorch and write a network file "
      "(docs/training.md)\n\nOptions");
  desc.add_options()("help,h", "show this help")("data", po::value(&data_dir)->default_value(data_dir),
                                                 "MNIST-format data set directory")("output,o", po::value(&output),
                                                                                    "network file to write")(
      "arch", po::value<std::string>(),
      "architecture, e.g. conv32k3p1,pool2,conv64k3p1,pool2,dense256,dense10 (docs/training.md)")(
      "arch-file", po::value<std::string>(), "architecture as a YAML file (docs/training.md)")(
      "hidden", po::value<std::string>(), "MLP shorthand: hidden layer widths, comma separated (default 1024,1024)")(
      "epochs", po::value(&o.epochs)->default_value(o.epochs), "training epochs")(
      "batch", po::value(&o.batch_size)->default_value(o.batch_size), "mini-batch size")(
      "lr", po::value(&o.learning_rate)->default_value(o.learning_rate), "Adam learning rate, first epoch")(
      "lr-final", po::value(&o.final_learning_rate)->default_value(o.final_learning_rate),
      "learning rate of the last epoch (exponential decay)")("seed", po::value(&o.seed)->default_value(o.seed),
                                                             "random seed")(
      "threads", po::value(&o.threads)->default_value(o.threads), "CPU threads")(
      "train-limit", po::value(&o.train_limit)->default_value(0), "use only the first N training images (0 = all)")(
      "downsample", po::value(&downsample_factor)->default_value(1),
      "shrink the images by this factor first: each pixel the mean of a factor x factor block, rounded half up")(
      "write-downsampled", po::value(&write_dir),
      "write the train and test sets, downsampled by --downsample, as IDX files into this directory and stop")(
      "stochastic-samples", po::value(&o.stochastic_samples)->default_value(0),
      "SC-aware training: present each image as the mean of N stochastic binarizations (0 = fixed inputs)")(
      "augment", po::bool_switch(&o.augment),
      "augment every training batch: mirror left-right (p = 1/2), shift by up to --shift pixels")(
      "shift", po::value(&o.augment_shift)->default_value(o.augment_shift), "largest shift of --augment, pixels")(
      "note", po::value(&o.note), "free text recorded in the network file's provenance")(
      "recalibrate-bn", po::bool_switch(&o.recalibrate_norms),
      "after the last epoch, recompute every batch norm's statistics over the training set")(
      "flip-ber", po::value(&o.weight_flip_ber)->default_value(0.0),
      "error-aware training: flip each binarized weight's sign with this probability at every forward pass")(
      "weight-bits", po::value(&o.weight_bits)->default_value(o.weight_bits),
      "1: binarized network; 2 to 8: quantised network (quantisation-aware training, symmetric weights); 0: the "
      "float baseline (no quantisation; -o names a .json record, no network file)")(
      "activation-bits", po::value<uint32_t>(),
      "quantised network: unsigned activation bits, 2 to 8 (default: --weight-bits)")(
      "activation-clip", po::value(&o.activation_clip)->default_value(o.activation_clip),
      "quantised network: activations are ReLU clipped to [0, this] (batch-normalised units), then quantised")(
      "float-baseline", po::value<std::string>(),
      "quantised network: the float baseline's record (a --weight-bits 0 run's -o file), copied into the provenance");
  po::variables_map vm;
  if (!parse_options(args, desc, vm)) return 0;
  o.activation_bits = vm.count("activation-bits") ? vm["activation-bits"].as<uint32_t>() : o.weight_bits;
  o.command = command_line(args);
  const bool float_baseline = o.weight_bits == 0;
  o.downsample = uint32_t(checked_count(downsample_factor, "--downsample", 1, "a downsampling factor"));

  require_utf8(o.note, "--note");
  if (write_dir.empty()) {  // refuse a bad command line before the data set is read
    if (output.empty()) throw InputError("--output is required: the network file to write");
    if (float_baseline && (output.size() < 5 || output.compare(output.size() - 5, 5, ".json") != 0))
      throw InputError("--output " + output +
                       ": --weight-bits 0 trains the float baseline, which has no network file; name a .json file "
                       "for its record");
    o.arch = chosen_architecture(vm);
    if (vm.count("float-baseline")) {
      if (o.weight_bits < 2) throw InputError("--float-baseline is for quantised networks (--weight-bits 2 to 8)");
      o.float_baseline = float_baseline_record(vm["float-baseline"].as<std::string>(), o);
    }
  }
  const Dataset train = load_mnist_format(data_dir, "train");
  const Dataset test = load_mnist_format(data_dir, "test");
  if (!write_dir.empty()) {
    for (const Dataset* d : {&train, &test}) write_mnist_format(write_dir, downsample(*d, o.downsample));
    std::printf("wrote %s, %u x %u pixels (downsampled by %u)\n", write_dir.c_str(), train.rows / o.downsample,
                train.cols / o.downsample, o.downsample);
    return 0;
  }
  const std::string precision =
      o.weight_bits == 1 ? "binarized"
      : float_baseline   ? "float baseline"
                         : "quantised w" + std::to_string(o.weight_bits) + "a" + std::to_string(o.activation_bits);
  std::printf("training %zu images, testing %zu, %u x %u pixels, architecture %s (%s), %u epochs, seed %llu\n",
              o.train_limit ? std::min<size_t>(o.train_limit, train.count()) : train.count(), test.count(),
              train.rows / o.downsample, train.cols / o.downsample, to_string(o.arch).c_str(), precision.c_str(),
              o.epochs, static_cast<unsigned long long>(o.seed));
  std::fflush(stdout);
  const TrainResult r = train_bnn(o, train, test, [](const EpochStats& s) {
    std::printf("epoch %3u  loss %.4f  train %.2f %%  test %.2f %%  (%.1f s)\n", s.epoch, s.loss,
                100 * s.train_accuracy, 100 * s.test_accuracy, s.seconds);
    std::fflush(stdout);
  });
  if (float_baseline) {
    write_file_atomically(output, r.network.provenance.dump(1) + "\n");
    std::printf("float baseline test accuracy %.2f %%\nwrote %s\n", 100 * r.float_test_accuracy, output.c_str());
    return 0;
  }
  save_network(r.network, output);
  std::printf("%s network test accuracy %.2f %%; folded integer network %.2f %%\nwrote %s\n",
              o.weight_bits == 1 ? "float" : "fake-quantised", 100 * r.float_test_accuracy,
              100 * r.folded_test_accuracy, output.c_str());
  return 0;
}

}  // namespace scbnn
