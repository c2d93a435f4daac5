#include <systemc>

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options/errors.hpp>

#include "scbnn/base/errors.h"
#include "scbnn/tools/commands.h"

namespace {

// SystemC displays reports on stdout; the tool's stdout holds results (run -q, config
// --markdown), so its log messages (docs/logging.md) go to stderr instead.
void display_on_stderr(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if (actions & sc_core::SC_DISPLAY) std::cerr << sc_core::sc_report_compose_message(report) << std::endl;
  sc_core::sc_report_handler::default_handler(report, actions & ~sc_core::SC_DISPLAY);
}

const char* const kUsage =
    "usage: scbnn <command> [options]\n\n"
    "commands:\n"
    "  run      simulate one design point on a data set and print its report\n"
    "  train    train a binarized network (libtorch) and write a network file\n"
    "  train-il train a binarized 2-layer CNN with the p-bit engine (invertible logic) and price the engine\n"
    "  config   list every configuration key with its default, unit and source\n"
    "  registers  print the accelerator's register map (--c-header: the C header for firmware)\n"
    "  program-image  write the configured network's program image for the C firmware driver\n"
    "  sweep    run many design points (YAML spec), locally in parallel or sharded across machines\n"
    "  merge    one CSV and JSON table of a sweep's results\n"
    "  plot     PNG/SVG plots of sweep or run results (gnuplot)\n"
    "  report   one self-contained HTML page of a run report or a merged sweep\n"
    "  presets  print the power model's component classes and a technology preset's entries\n"
    "  network  describe a network file, or write an untrained one from an architecture\n\n"
    "'scbnn <command> --help' describes each command's options.\n";

}  // namespace

int scbnn::exec_trainer(const std::vector<std::string>& args) {
  std::error_code ec;
  const auto trainer = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path() / "scbnn-train";
  if (ec || !std::filesystem::exists(trainer))
    throw InputError("this build has no trainer (" + trainer.string() +
                     " is missing); install libtorch-dev (apt-get install libtorch-dev libopenblas0) and rebuild");
  std::vector<std::string> argv_text = {trainer.string()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  execv(trainer.c_str(), argv.data());
  throw InputError("cannot run " + trainer.string() + ": " + std::strerror(errno));
}

// Our own entry point (instead of libsystemc's) so the kernel's banner can be turned
// off before the kernel starts; users can still see it by setting the variable to 0.
int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[]) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  sc_core::sc_report_handler::set_handler(display_on_stderr);
  try {
    if (command == "run") return scbnn::cmd_run(args);
    if (command == "train") return scbnn::exec_trainer(args);
    if (command == "train-il") return scbnn::cmd_train_il(args);
    if (command == "config") return scbnn::cmd_config(args);
    if (command == "registers") return scbnn::cmd_registers(args);
    if (command == "program-image") return scbnn::cmd_program_image(args);
    if (command == "presets") return scbnn::cmd_presets(args);
    if (command == "sweep") return scbnn::cmd_sweep(args);
    if (command == "merge") return scbnn::cmd_merge(args);
    if (command == "plot") return scbnn::cmd_plot(args);
    if (command == "report") return scbnn::cmd_report(args);
    if (command == "network") return scbnn::cmd_network(args);
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << kUsage;
      return 0;
    }
    std::cerr << "scbnn: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
  } catch (const scbnn::InputError& e) {
    std::cerr << "scbnn " << command << ": error: " << e.what() << "\n";
  } catch (const boost::program_options::error& e) {
    std::cerr << "scbnn " << command << ": error: " << e.what() << " (see --help)\n";
  } catch (const std::exception& e) {
    std::cerr << "scbnn " << command << ": internal error: " << e.what() << "\n";
  }
  return 1;
}
