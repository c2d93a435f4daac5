#include <iostream>

#include "scbnn/base/errors.h"
#include "scbnn/tools/commands.h"

namespace po = boost::program_options;

namespace scbnn {

bool parse_options(const std::vector<std::string>& args, const po::options_description& desc, po::variables_map& vm,
                   const char* positional) {
  po::positional_options_description pos;
  if (positional) pos.add(positional, 1);
  po::store(po::command_line_parser(args).options(desc).positional(pos).run(), vm);
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return false;
  }
  po::notify(vm);
  return true;
}

uint64_t checked_count(int64_t value, const std::string& option, int64_t min, const std::string& what) {
  if (value < min)
    throw InputError(option + " " + std::to_string(value) + ": expected " + what + ", at least " + std::to_string(min));
  return uint64_t(value);
}

}  // namespace scbnn
