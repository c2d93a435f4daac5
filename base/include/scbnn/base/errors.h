#pragma once
#include <stdexcept>
#include <string>

namespace scbnn {

// Bad input from outside (files, configuration, command line). The message names the
// file or key and what was expected; the command-line tool prints it and exits non-zero.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace scbnn
