// scbnn-train: the libtorch trainer as its own program, so that the simulator (scbnn)
// does not load libtorch at every start; `scbnn train` runs this program.
#include <boost/program_options.hpp>

#include <iostream>

#include "scbnn/base/errors.h"
#include "scbnn/tools/commands.h"

int main(int argc, char* argv[]) {
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
