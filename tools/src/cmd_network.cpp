// scbnn network: look inside a network file, or build an untrained one from an architecture
// (for cycle, energy and area runs of networks nobody trained here, e.g. a CIFAR-10 VGG).
#include <boost/program_options.hpp>
#include <iostream>

#include "scbnn/base/errors.h"
#include "scbnn/stimuli/arch.h"
#include "scbnn/stimuli/network.h"
#include "scbnn/tools/commands.h"

namespace po = boost::program_options;

namespace scbnn {
namespace {

const char* const kNetworkUsage =
    "usage: scbnn network info FILE\n"
    "       scbnn network untrained (--arch STRING | --arch-file FILE.yaml) --input ROWSxCOLSxCHANNELS -o FILE "
    "[--seed N]\n";

// "32x32x3" -> the input's rows, cols and channels.
InputSpec parse_input_shape(const std::string& text) {
  const auto fail = [&] { return InputError("--input '" + text + "': expected ROWSxCOLSxCHANNELS, e.g. 32x32x3"); };
  uint32_t dims[3] = {0, 0, 0};
  size_t at = 0;
  for (int d = 0; d < 3; ++d) {
    const size_t end = d < 2 ? text.find('x', at) : text.size();
    if (end == std::string::npos || end == at || end - at > 6) throw fail();
    for (size_t i = at; i < end; ++i)
      if (text[i] < '0' || text[i] > '9') throw fail();
    dims[d] = uint32_t(std::stoul(text.substr(at, end - at)));
    if (dims[d] == 0) throw fail();
    at = end + 1;
  }
  InputSpec in;
  in.rows = dims[0];
  in.cols = dims[1];
  in.channels = dims[2];
  return in;
}

int network_info(const std::vector<std::string>& args) {
  if (args.size() != 1) throw InputError("network info takes one network file");
  const Network net = load_network(args[0]);
  uint64_t weights = 0;
  for (const auto& l : net.layers) weights += uint64_t(l.inputs) * l.outputs;
  std::cout << args[0] << ": " << net.layers.size() << " weighted layers, " << weights << " weights, "
            << input_shape(net.input) << " of " << net.input.bits << "-bit values, trained for "
            << to_string(net.input.mode) << " inputs\n";
  if (net.quantised())
    std::cout << "  quantised: " << net.quant.weight_bits << "-bit weights, " << net.quant.activation_bits
              << "-bit activations (format version 3)\n";
  for (size_t i = 0; i < net.layers.size(); ++i)
    std::cout << "  layer" << i << "  " << net.layers[i].describe() << (i + 1 == net.layers.size() ? "  (output)" : "")
              << "\n";
  std::cout << "  provenance " << net.provenance.dump() << "\n";
  return 0;
}

int network_untrained(const std::vector<std::string>& args) {
  std::string arch_text, arch_file, input_text, output;
  uint64_t seed = 1;
  po::options_description desc("scbnn network untrained: a network file with random weights (docs/training.md)");
  desc.add_options()("help,h", "show this help")("arch", po::value(&arch_text), "architecture string")(
      "arch-file", po::value(&arch_file), "architecture YAML file")("input", po::value(&input_text),
                                                                    "input shape ROWSxCOLSxCHANNELS, e.g. 32x32x3")(
      "output,o", po::value(&output), "network file to write")("seed", po::value(&seed)->default_value(seed),
                                                               "random seed of the weights and thresholds");
  po::variables_map vm;
  if (!parse_options(args, desc, vm, nullptr)) return 0;
  if (vm.count("arch") + vm.count("arch-file") != 1) throw InputError("give one of --arch and --arch-file");
  if (input_text.empty()) throw InputError("--input is required (e.g. --input 32x32x3)");
  if (output.empty()) throw InputError("-o FILE is required");
  const Architecture arch =
      vm.count("arch") ? parse_architecture(arch_text, "--arch") : load_architecture_file(arch_file);
  const Network net = untrained_network(arch, parse_input_shape(input_text), seed);
  save_network(net, output);
  std::cout << "wrote " << output << " (untrained: no accuracy)\n";
  return 0;
}

}  // namespace

int cmd_network(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kNetworkUsage;
    return args.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "info") return network_info(rest);
  if (args[0] == "untrained") return network_untrained(rest);
  throw InputError("unknown network subcommand '" + args[0] + "' (expected info or untrained)");
}

}  // namespace scbnn
