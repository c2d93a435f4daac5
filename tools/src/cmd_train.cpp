#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "scbnn/base/errors.h"
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

}  // namespace

int cmd_train(const std::vector<std::string>& args) {
  TrainOptions o;
  std::string data_dir = kFashionMnistDir, output, hidden = "1024,1024";
  po::options_description desc("scbnn train: train a binarized MLP with libtorch and write a network file\n\nOptions");
  desc.add_options()("help,h", "show this help")("data", po::value(&data_dir)->default_value(data_dir),
                                                 "MNIST-format data set directory")(
      "output,o", po::value(&output)->required(), "network file to write")(
      "hidden", po::value(&hidden)->default_value(hidden), "hidden layer widths, comma separated")(
      "epochs", po::value(&o.epochs)->default_value(o.epochs), "training epochs")(
      "batch", po::value(&o.batch_size)->default_value(o.batch_size), "mini-batch size")(
      "lr", po::value(&o.learning_rate)->default_value(o.learning_rate), "Adam learning rate, first epoch")(
      "lr-final", po::value(&o.final_learning_rate)->default_value(o.final_learning_rate),
      "learning rate of the last epoch (exponential decay)")("seed", po::value(&o.seed)->default_value(o.seed),
                                                             "random seed")(
      "threads", po::value(&o.threads)->default_value(o.threads), "CPU threads")(
      "train-limit", po::value(&o.train_limit)->default_value(0), "use only the first N training images (0 = all)")(
      "stochastic-samples", po::value(&o.stochastic_samples)->default_value(0),
      "SC-aware training: present each image as the mean of N stochastic binarizations (0 = fixed inputs)")(
      "flip-ber", po::value(&o.weight_flip_ber)->default_value(0.0),
      "error-aware training: flip each binarized weight's sign with this probability at every forward pass");
  po::variables_map vm;
  if (!parse_options(args, desc, vm)) return 0;
  o.hidden = parse_widths(hidden);

  const Dataset train = load_mnist_format(data_dir, "train");
  const Dataset test = load_mnist_format(data_dir, "test");
  std::printf("training %zu images, testing %zu, layers %u", train.count(), test.count(), unsigned(train.pixels()));
  for (uint32_t h : o.hidden) std::printf("-%u", h);
  std::printf("-10, %u epochs, seed %llu\n", o.epochs, static_cast<unsigned long long>(o.seed));
  const TrainResult r = train_bnn(o, train, test, [](const EpochStats& s) {
    std::printf("epoch %3u  loss %.4f  train %.2f %%  test %.2f %%  (%.1f s)\n", s.epoch, s.loss,
                100 * s.train_accuracy, 100 * s.test_accuracy, s.seconds);
    std::fflush(stdout);
  });
  save_network(r.network, output);
  std::printf("float network test accuracy %.2f %%; folded integer network %.2f %%\nwrote %s\n",
              100 * r.float_test_accuracy, 100 * r.folded_test_accuracy, output.c_str());
  return 0;
}

}  // namespace scbnn
