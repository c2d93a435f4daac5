// scbnn-train: the libtorch trainer as its own program, so that the simulator (scbnn)
// does not load libtorch at every start; `scbnn train` runs this program.
#include <boost/program_options.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "scbnn/base/errors.h"
#include "scbnn/tools/commands.h"

int main(int argc, char* argv[]) {
  // libgomp's threads spin while they wait (OMP_WAIT_POLICY=active by default); on a shared
  // machine a descheduled partner makes them spin for most of the time (measured: 5x slower
  // with 2 threads under load). The policy is read when libgomp loads, so set it and start
  // again; a policy the user set is kept.
  if (!std::getenv("OMP_WAIT_POLICY")) {
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    // Through the executable's own path, so the process keeps its name (not "exe").
    std::error_code ec;
    const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (!ec) execv(self.c_str(), argv);  // returns only on failure: then train with the default policy
  }
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return scbnn::cmd_train(args);
  } catch (const scbnn::InputError& e) {
    std::cerr << "scbnn train: error: " << e.what() << "\n";
  } catch (const boost::program_options::error& e) {
    std::cerr << "scbnn train: error: " << e.what() << " (see --help)\n";
  } catch (const std::exception& e) {
    std::cerr << "scbnn train: internal error: " << e.what() << "\n";
  }
  return 1;
}
