#pragma once
#include <boost/program_options.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "scbnn/base/params.h"

namespace scbnn {

// Subcommands of the scbnn tool; each takes the arguments after its name and returns
// the process exit code.
int cmd_run(const std::vector<std::string>& args);
int cmd_train(const std::vector<std::string>& args);
int cmd_config(const std::vector<std::string>& args);
int cmd_registers(const std::vector<std::string>& args);
int cmd_program_image(const std::vector<std::string>& args);
int cmd_presets(const std::vector<std::string>& args);
int cmd_sweep(const std::vector<std::string>& args);
int cmd_merge(const std::vector<std::string>& args);
int cmd_plot(const std::vector<std::string>& args);
int cmd_report(const std::vector<std::string>& args);
int cmd_network(const std::vector<std::string>& args);
int cmd_train_il(const std::vector<std::string>& args);
// The keys `scbnn train-il` reads (seed, il.*, il_train.*, power.*).
std::vector<ParamSpec> train_il_schema();
// `scbnn train`: replaces this process with scbnn-train from the same directory.
int exec_trainer(const std::vector<std::string>& args);

// Parses a subcommand's options (`positional`, if given, also takes the first bare
// argument); prints the help and returns false on --help.
bool parse_options(const std::vector<std::string>& args, const boost::program_options::options_description& desc,
                   boost::program_options::variables_map& vm, const char* positional = nullptr);

// A count option (--jobs, --progress) checked to be at least `min`. Counts are read signed:
// an unsigned option would silently take "-1" as a huge number.
uint64_t checked_count(int64_t value, const std::string& option, int64_t min, const std::string& what);

}  // namespace scbnn
