#pragma once
#include <string>
#include <vector>

namespace scbnn {

// Subcommands of the scbnn tool; each takes the arguments after its name and returns
// the process exit code.
int cmd_run(const std::vector<std::string>& args);
int cmd_train(const std::vector<std::string>& args);
int cmd_config(const std::vector<std::string>& args);
int cmd_registers(const std::vector<std::string>& args);

}  // namespace scbnn
