// scbnn train-il: trains a binarized 2-layer CNN with the p-bit engine in invertible-logic
// learning mode (no backpropagation), writes the network file, and prices the engine that
// would do it in hardware (docs/invertible-logic.md, "Training" and "Cost").
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>

#include "scbnn/base/errors.h"
#include "scbnn/base/text.h"
#include "scbnn/il_trainer/il_train.h"
#include "scbnn/il_trainer/il_train_cost.h"
#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/power/energy_model.h"
#include "scbnn/stimuli/idx.h"
#include "scbnn/tools/commands.h"
#include "scbnn/tools/outputs.h"
#include "scbnn/tools/power_setup.h"
#include "scbnn/tools/report.h"

namespace po = boost::program_options;

namespace scbnn {
namespace {

// The keys train-il reads: seed, il.*, il_train.* and the pricing's power.*.
struct TrainIlConfig {
  IlTrainKeys keys;
  PowerChoice power;
  template <class V>
  void declare(V& v) {
    keys.declare(v);
    v.group("power", power);
  }
};

nlohmann::ordered_json counts_json(const IlTrainCounts& c) {
  nlohmann::ordered_json j;
  j["anneals"] = c.anneals;
  j["sweeps"] = c.engine.sweeps;
  j["pbit_updates"] = c.engine.updates;
  j["flips"] = c.engine.flips;
  j["tanh_evaluations"] = c.engine.tanh_evaluations;
  j["rng_draws"] = c.engine.rng_draws;
  j["rng_bits"] = c.engine.rng_bits;
  j["rng_events"] = c.engine.rng_events;
  j["weight_reads"] = c.engine.weight_reads;
  j["colour_steps"] = c.engine.colour_steps;
  j["feature_adds"] = c.feature_adds;
  j["feature_compares"] = c.feature_compares;
  j["coupling_updates"] = c.coupling_updates;
  j["bias_updates"] = c.bias_updates;
  j["products"] = c.products;
  j["j_words_written"] = c.j_words_written;
  j["max_pbits"] = c.max_pbits;
  j["j_memory_words"] = c.j_memory_words;
  j["accumulator_bits"] = c.accumulator_bits;
  j["field_bits"] = c.field_bits;
  j["cycles"] = {{"features", c.feature_cycles},
                 {"accumulation", c.accumulate_cycles},
                 {"anneals", c.engine.cycles},
                 {"total", c.cycles()}};
  return j;
}

}  // namespace

std::vector<ParamSpec> train_il_schema() { return ParamSchema::of(TrainIlConfig{}); }

int cmd_train_il(const std::vector<std::string>& args) {
  std::string data_dir = kFashionMnistDir, output, write_dir, arch_text = "conv8k3,pool2,dense10", conv_init = "random",
              config_file, report_file, predictions_file;
  std::vector<std::string> overrides;
  int64_t downsample_factor = 2;
  po::options_description desc(
      "scbnn train-il: train a binarized 2-layer CNN (one convolution with its pool, one dense output layer) with\n"
      "the p-bit engine in invertible-logic learning mode (inputs and labels clamped, weights free, annealed), write\n"
      "the network file and price the engine's cycles, energy and area (docs/invertible-logic.md)\n\nOptions");
  desc.add_options()("help,h", "show this help")("output,o", po::value(&output), "network file to write")(
      "data", po::value(&data_dir)->default_value(data_dir), "MNIST-format data set directory")(
      "downsample", po::value(&downsample_factor)->default_value(downsample_factor),
      "shrink the images by this factor first: each pixel the mean of a factor x factor block, rounded half up")(
      "write-downsampled", po::value(&write_dir),
      "write the train and test sets, downsampled by --downsample, as IDX files into this directory and stop")(
      "arch", po::value(&arch_text)->default_value(arch_text), "architecture: one convolution, one dense layer")(
      "conv", po::value(&conv_init)->default_value(conv_init),
      "initial convolution: random (seeded kernels, median thresholds) or a network file whose first layer to take")(
      "config,c", po::value(&config_file), "YAML file of keys (seed, il.*, il_train.*, power.*)")(
      "param,p", po::value(&overrides)->composing(), "override one key, e.g. -p il_train.rounds=2 (repeatable)")(
      "report", po::value(&report_file),
      "write the JSON report (accuracies, counts, cycles, energy, area) to this file")(
      "predictions", po::value(&predictions_file), "write the written network's test predictions (CSV) to this file");
  po::variables_map vm;
  if (!parse_options(args, desc, vm)) return 0;
  const uint32_t factor = uint32_t(checked_count(downsample_factor, "--downsample", 1, "a downsampling factor"));

  Config config(train_il_schema());
  if (!config_file.empty()) config.load_yaml_file(config_file);
  for (const auto& o : overrides) config.apply_override(o);
  TrainIlConfig settings;
  ParamSetter setter([&config](const std::string& key) { return config.value_text(key); });
  settings.declare(setter);
  settings.keys.il.seed = settings.keys.seed;
  settings.keys.il.validate();
  settings.keys.il_train.validate();

  IlTrainOptions options;
  OutputSet outputs;
  if (write_dir.empty()) {  // refuse a bad command line before the data set is read
    if (output.empty()) throw InputError("--output is required: the network file to write");
    options.arch = parse_architecture(arch_text, "--arch");
    check_il_architecture(options.arch, "--arch");
    outputs.declare_file("--output", output);
    outputs.declare_file("--report", report_file);
    outputs.declare_file("--predictions", predictions_file);
  }
  const TechnologyPreset technology = technology_from(config);  // a bad preset fails before training
  Dataset train_in, test_in;
  try {
    train_in = load_mnist_format(data_dir, "train");
    test_in = load_mnist_format(data_dir, "test");
  } catch (const InputError& e) {
    throw InputError("--data " + data_dir + ": " + e.what());
  }
  const Dataset train = downsample(train_in, factor), test = downsample(test_in, factor);
  if (!write_dir.empty()) {
    for (const Dataset* d : {&train, &test}) write_mnist_format(write_dir, *d);
    std::printf("wrote %s, %u x %u pixels (downsampled by %u)\n", write_dir.c_str(), train.rows, train.cols, factor);
    return 0;
  }
  options.conv_init = conv_init;
  options.keys = settings.keys;
  options.downsample = factor;
  std::printf("train-il: %s on %u x %u pixels, seed %llu, %u round(s)\n", to_string(options.arch).c_str(), train.rows,
              train.cols, static_cast<unsigned long long>(settings.keys.seed), settings.keys.il_train.rounds);
  std::fflush(stdout);
  const IlTrainResult r = train_invertible_logic(options, train, test, [](const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
  });

  const LayerShape& conv = r.network.layers[0];
  const IlEngineCost cost =
      il_engine_cost(r.counts, settings.keys, conv.outputs, conv.inputs, r.network.layers[1].inputs);
  require_preset_covers(technology, cost.actions.entries(), cost.hardware.items());
  RunTimes times;
  times.simulated_s = times.inference_s = cost.seconds;
  times.inferences = 1;  // one training run
  times.clock_mhz = settings.keys.il.clock_mhz;
  const PowerReport power = price_run(technology, cost.actions.entries(), cost.hardware.items(), times);

  nlohmann::ordered_json report;
  report["schema"] = "scbnn-train-il/1";
  report["network_file"] = output;
  report["architecture"] = to_string(options.arch);
  report["conv_init"] = conv_init;
  report["dataset"] = {{"dir", data_dir}, {"downsample", factor}, {"rows", train.rows}, {"cols", train.cols}};
  report["configuration"] = config.effective();
  nlohmann::ordered_json rounds = nlohmann::ordered_json::array();
  for (const auto& s : r.rounds)
    rounds.push_back({{"round", s.round},
                      {"train_accuracy", s.train_accuracy},
                      {"validation_accuracy", s.validation_accuracy},
                      {"test_accuracy", s.test_accuracy},
                      {"hidden_changed", s.hidden_changed},
                      {"targets_reproduced", s.targets_reproduced},
                      {"prepool_learnt", s.prepool_learnt},
                      {"prepool_previous", s.prepool_previous},
                      {"channels_accepted", s.channels_accepted},
                      {"host_seconds", s.seconds}});
  report["rounds"] = rounds;
  report["chosen_round"] = r.chosen_round;
  report["accuracy"] = {{"train", r.train_accuracy},
                        {"validation", r.validation_accuracy},
                        {"test", r.test_accuracy},
                        {"test_images", test.count()}};
  report["host_seconds"] = r.host_seconds;
  report["counts"] = counts_json(r.counts);
  report["engine"] = {{"clock_mhz", settings.keys.il.clock_mhz},
                      {"cycles", cost.cycles},
                      {"seconds", cost.seconds},
                      {"pbit_units", cost.pbit_units},
                      {"row_banks", cost.row_banks},
                      {"feature_adders", cost.feature_adders},
                      {"energy_pj", power.total_pj()},
                      {"dynamic_pj", power.inference_dynamic_pj},
                      {"leakage_pj", power.leakage_total_pj()},
                      {"area_um2", power.area_um2}};
  report["power"] = power_json(power);

  outputs.stage_file("--output", serialize_network(r.network));
  if (outputs.declared("--report")) outputs.stage_file("--report", to_json_text(report));
  if (outputs.declared("--predictions")) {
    std::string csv = "image,label,predicted\n";
    for (size_t i = 0; i < r.test_predictions.size(); ++i)
      csv +=
          std::to_string(i) + "," + std::to_string(test.labels[i]) + "," + std::to_string(r.test_predictions[i]) + "\n";
    outputs.stage_file("--predictions", csv);
  }
  outputs.commit();
  std::printf(
      "chosen round %u: train %.2f %%%s, test %.2f %% (%zu images); host time %.1f s\n"
      "engine: %llu cycles = %.4g s at %g MHz, energy %.4g uJ (dynamic %.4g, leakage %.4g), area %.4g mm^2 "
      "(%s)\nwrote %s\n",
      r.chosen_round, 100 * r.train_accuracy,
      r.validation_accuracy >= 0 ? fmt(", validation %.2f %%", 100 * r.validation_accuracy).c_str() : "",
      100 * r.test_accuracy, test.count(), r.host_seconds, static_cast<unsigned long long>(cost.cycles), cost.seconds,
      settings.keys.il.clock_mhz, power.total_pj() * 1e-6, power.inference_dynamic_pj * 1e-6,
      power.leakage_total_pj() * 1e-6, power.area_um2 * 1e-6, technology.name.c_str(), output.c_str());
  return 0;
}

}  // namespace scbnn
