#include <boost/program_options.hpp>
#include <iostream>

#include "scbnn/tools/commands.h"
#include "scbnn/tools/plot.h"

namespace po = boost::program_options;

namespace scbnn {

int cmd_plot(const std::vector<std::string>& args) {
  PlotRequest r;
  po::options_description desc(
      "scbnn plot RESULTS --kind KIND --out STEM: PNG and SVG plots (gnuplot) of a sweep's merged\n"
      "results.json or of one run report; also writes STEM.dat and STEM.gp to adjust by hand\n"
      "(docs/sweeps.md, \"Plots\"). Axis titles are the keys' names and units from the configuration\n"
      "schema (scbnn config); accuracy carries 95 % Wilson intervals from each point's images.\n"
      "Kinds: line (--y against --x, one curve per --series value; e.g. accuracy vs accel.mram.ber\n"
      "with --logx, or vs accel.sc.stream_length), pareto (accuracy against energy per inference,\n"
      "Pareto front marked and labelled), energy (stacked energy per component class), area\n"
      "(stacked area per component class).\n\nOptions");
  desc.add_options()("help,h", "show this help")("input", po::value(&r.input), "results.json or a run report")(
      "kind", po::value(&r.kind), "line, pareto, energy or area")("x", po::value(&r.x),
                                                                  "line: configuration key or metric on the x axis")(
      "y", po::value(&r.y), "line: metric (or key) on the y axis (default accuracy)")(
      "series", po::value(&r.series), "line: configuration key that separates curves")(
      "logx", po::bool_switch(&r.logx),
      "line: logarithmic x axis (base 2 when every x is a power of two; x = 0 drawn beyond an axis break)")(
      "linx", po::bool_switch(&r.linx),
      "line: linear x axis even when every x is a power of two (those get a base-2 axis by default)")(
      "logy", po::bool_switch(&r.logy), "line: logarithmic y axis (base 10)")(
      "where", po::value(&r.where)->composing(),
      "keep only points that sweep KEY with VALUE (KEY=VALUE), or do not (KEY!=VALUE); VALUE * = any "
      "value; repeatable")("baseline", po::value(&r.baseline)->composing(),
                           "line: points that do not set --x and match KEY=VALUE (or KEY!=VALUE; repeatable) "
                           "are drawn as a dashed line per series, e.g. accel.input_mode=fixed")(
      "baseline-title", po::value(&r.baseline_title), "line: legend text of the --baseline lines")(
      "reference", po::value(&r.reference)->composing(),
      "line: a horizontal line at Y (in the y axis' unit), as Y or Y=LABEL; repeatable")(
      "title", po::value(&r.title), "the plot's title (default: what it shows)")(
      "xlabel", po::value(&r.xlabel), "line: x axis title (default: the key's name and unit)")(
      "ylabel", po::value(&r.ylabel), "y axis title (default: the metric's name and unit)")(
      "out,o", po::value(&r.out), "output stem: writes STEM.png, STEM.svg, STEM.dat and STEM.gp");
  po::variables_map vm;
  if (!parse_options(args, desc, vm, "input")) return 0;
  make_plot(r);
  std::cout << "wrote " << r.out << ".png and " << r.out << ".svg (data " << r.out << ".dat, script " << r.out
            << ".gp)\n";
  return 0;
}

}  // namespace scbnn
