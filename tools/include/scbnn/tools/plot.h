#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scbnn/base/params.h"

namespace scbnn {

// What `scbnn plot` draws (docs/sweeps.md, "Plots"). Keys are configuration keys (their
// names and units come from the configuration schema) or metrics of the merged rows.
struct PlotRequest {
  std::string input;              // a sweep's merged results.json, or one run report
  std::string kind;               // line, pareto, energy or area
  std::string x, y = "accuracy";  // line: the axes
  std::string series;             // line: the key that separates curves
  bool logx = false, linx = false, logy = false;
  std::vector<std::string> where;     // KEY=VALUE, KEY!=VALUE (VALUE * = any value)
  std::vector<std::string> baseline;  // line: selectors of reference points, drawn as lines
  std::string baseline_title;
  std::vector<std::string> reference;  // line: Y or Y=LABEL, a horizontal line
  std::string title, xlabel, ylabel;   // overrides of the generated texts
  std::string out;                     // STEM: STEM.png, STEM.svg, STEM.dat, STEM.gp
};

// Draws the plot: checks the request and the data, writes STEM.dat and STEM.gp and runs
// gnuplot on them for STEM.png and STEM.svg; all four files or none (InputError).
void make_plot(const PlotRequest& request);

// The pieces below are exposed for the tests.

// A configuration parameter's short human name, from the first clause of its description
// in the schema; a clause conditioned on another key ("write_errors = ber: MTJ write error
// rate") is chosen when every row's run had that key so (its point, or its run report's
// configuration: a row's "config", or the report file its "report" names).
std::string parameter_name(const ParamSpec& spec, const std::vector<nlohmann::ordered_json>& rows);

// An axis title: NAME (UNIT), with the unit as people print it (uA -> µA, mm^2 -> mm²).
std::string axis_title(const std::string& name, const std::string& unit);

// `count` colours as #rrggbb, all different: the 20 colours of Kelly's maximum-contrast set
// (without white and black) and, beyond them, hues at golden-angle steps.
std::vector<std::string> distinct_colours(size_t count);

// Whether every value is an integer power of two (1, 2, 4, ... or 1/2, 1/4, ...).
bool all_powers_of_two(const std::vector<double>& values);

}  // namespace scbnn
