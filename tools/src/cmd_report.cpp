#include <filesystem>
#include <iostream>

#include "scbnn/base/errors.h"
#include "scbnn/tools/commands.h"
#include "scbnn/tools/html_report.h"
#include "scbnn/tools/outputs.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace scbnn {

int cmd_report(const std::vector<std::string>& args) {
  std::string input, out;
  po::options_description desc(
      "scbnn report RESULT -o PAGE.html: one self-contained HTML page of a run's JSON report\n"
      "(scbnn run --report) or of a sweep's merged results.json (scbnn merge DIR; the points'\n"
      "reports are read from DIR/points): summary, accuracy with its 95 % interval, energy and\n"
      "area per component class and per layer, cycles per layer and phase, the technology\n"
      "entries with their sources, and for a sweep the Pareto front of accuracy against energy.\n"
      "The page loads nothing from anywhere when viewed.\n\nOptions");
  desc.add_options()("help,h", "show this help")("input", po::value(&input), "run report or results.json")(
      "out,o", po::value(&out), "the HTML file to write");
  po::variables_map vm;
  if (!parse_options(args, desc, vm, "input")) return 0;
  if (input.empty()) throw InputError("give RESULT, a run report or a sweep's results.json (see --help)");
  if (out.empty()) throw InputError("give --out PAGE.html (see --help)");
  std::error_code ec;
  if (fs::weakly_canonical(input, ec) == fs::weakly_canonical(out, ec))
    throw InputError("--out " + out + ": names the input file " + input + "; give the page its own name");
  OutputSet outputs;
  outputs.declare_file("--out", out);
  std::vector<std::string> warnings;
  const auto data = html_report_data(input, out, warnings);
  outputs.stage_file("--out", html_report_page(data));
  outputs.commit();
  for (const auto& w : warnings) std::cerr << "scbnn report: warning: " << w << "\n";
  std::cout << "wrote " << out << "\n";
  return 0;
}

}  // namespace scbnn
