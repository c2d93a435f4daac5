#include <boost/program_options.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "scbnn/base/errors.h"
#include "scbnn/base/text.h"
#include "scbnn/tools/commands.h"
#include "scbnn/tools/json_file.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace scbnn {
namespace {

using json = nlohmann::ordered_json;

// Rows of a merged sweep (results.json) or one run report, as sweep rows.
std::vector<json> load_rows(const std::string& path) {
  const json j = read_json_file(path, "results (expected a sweep's results.json or a run report)");
  std::vector<json> rows;
  if (j.contains("rows")) {
    for (const auto& r : j["rows"])
      if (r["status"] == "done") rows.push_back(r);
  } else if (j.contains("power") && j.contains("accuracy")) {
    const json& pw = j["power"];
    json r = {{"point", json::object()},
              {"accuracy", j["accuracy"]["accuracy"]},
              {"energy_nj_per_inference", pw["energy_per_inference_pj"].get<double>() / 1e3},
              {"area_mm2", pw["area_um2"].get<double>() / 1e6}};
    for (const auto& [cls, c] : pw["per_class"].items())
      r["energy_nj_per_class"][cls] = c["inference_pj_per_inference"].get<double>() / 1e3;
    for (const auto& [cls, c] : pw["area_per_class"].items())
      r["area_mm2_per_class"][cls] = c["area_um2"].get<double>() / 1e6;
    rows.push_back(r);
  } else {
    throw InputError(path + ": neither a sweep's results.json (rows) nor a run report (power, accuracy)");
  }
  if (rows.empty()) throw InputError(path + ": no finished point to plot");
  return rows;
}

double number_of(const json& row, const std::string& key) {
  const json& v = row.contains(key) ? row[key] : row["point"].value(key, json());
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    try {
      size_t used = 0;
      const double d = std::stod(v.get<std::string>(), &used);
      if (used == v.get<std::string>().size()) return d;
    } catch (const std::exception&) {
    }
  }
  throw InputError("plot: '" + key + "' is not a number in every point (got " + v.dump() + ")");
}

// A swept value as text (merged tables type them: numbers are numbers).
std::string text_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Whether a swept value equals a --where value: numbers compared as numbers (1e-2 = 0.01).
bool same_value(const json& v, const std::string& wanted) {
  if (!v.is_number()) return text_of(v) == wanted;
  try {
    size_t used = 0;
    const double d = std::stod(wanted, &used);
    return used == wanted.size() && d == v.get<double>();
  } catch (const std::exception&) {
    return false;
  }
}

// A point's values, e.g. "stochastic, fmnist_bnn_sc8.scbnn, 8" (the keys are in the legend file).
std::string label_of(const json& row) {
  std::string s;
  for (const auto& [k, v] : row["point"].items()) s += (s.empty() ? "" : ", ") + text_of(v);
  return s.empty() ? "run" : s;
}

std::string quoted(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? '\'' : c;
  return q + "\"";
}

std::string axis_title(const std::string& key) {
  if (key == "accuracy") return "accuracy (%)";
  if (key == "energy_nj_per_inference") return "energy per inference (nJ)";
  if (key == "area_mm2") return "area (mm^2)";
  return key;
}

double scaled(const std::string& key, double v) { return key == "accuracy" ? 100 * v : v; }

// Writes STEM.dat and STEM.gp, runs gnuplot for STEM.png and STEM.svg (via temporary
// files renamed into place, so that no half-written image is left).
void render(const std::string& stem, const std::string& data, const std::string& body) {
  const std::string dat = stem + ".dat", gp = stem + ".gp";
  std::ofstream(dat) << data;
  std::ostringstream script;
  for (const char* ext : {"png", "svg"}) {
    script << (std::string(ext) == "png" ? "set terminal pngcairo noenhanced size 1000,650 font 'sans,10'\n"
                                         : "set terminal svg noenhanced size 1000,650 font 'sans,10'\n");
    // 16 distinguishable colours for stacked components (gnuplot's default cycle has 8).
    const char* colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                             "#bcbd22", "#17becf", "#393b79", "#ad494a", "#8ca252", "#de9ed6", "#636363", "#e7ba52"};
    for (int i = 0; i < 16; ++i) script << "set linetype " << i + 1 << " lc rgb '" << colours[i] << "'\n";
    script << "set linetype cycle 16\n";
    script << "set output " << quoted(stem + "." + ext + ".tmp") << "\n" << body << "unset output\n";
  }
  std::ofstream(gp) << script.str();
  const std::string command = "gnuplot " + quoted(gp) + " 2>&1";
  const int rc = std::system(command.c_str());
  if (rc != 0)
    throw InputError(
        "plot: gnuplot failed on " + gp +
        (WIFEXITED(rc) && WEXITSTATUS(rc) == 127 ? " (gnuplot not found: apt-get install gnuplot-nox)" : ""));
  for (const char* ext : {"png", "svg"}) fs::rename(stem + "." + ext + ".tmp", stem + "." + ext);
}

void plot_line(const std::vector<json>& rows, const std::string& x, const std::string& y, const std::string& series,
               bool logx, const std::string& stem) {
  std::map<std::string, std::vector<std::pair<double, double>>> lines;
  for (const auto& r : rows)
    if (r.contains(x) || r["point"].contains(x))  // points that do not set the x key are not on this plot
      lines[series.empty() ? y : (r["point"].contains(series) ? text_of(r["point"][series]) : "?")].emplace_back(
          number_of(r, x), scaled(y, number_of(r, y)));
  std::ostringstream data, body;
  body << "set xlabel " << quoted(axis_title(x)) << "\nset ylabel " << quoted(axis_title(y)) << "\nset grid\n"
       << "set key bottom right\n"
       << (logx ? "set logscale x\nset format x '%g'\n" : "") << "plot ";
  size_t i = 0;
  for (auto& [name, pts] : lines) {
    std::sort(pts.begin(), pts.end());
    data << "# " << name << "\n";
    for (const auto& [a, b] : pts) data << a << " " << b << "\n";
    data << "\n\n";
    body << (i ? ", " : "") << quoted(stem + ".dat") << " index " << i << " using 1:2 with linespoints title "
         << quoted(series.empty() ? y : series.substr(series.rfind('.') + 1) + " = " + name);
    ++i;
  }
  if (lines.empty()) throw InputError("plot: no point sets " + x);
  body << "\n";
  render(stem, data.str(), body.str());
}

void plot_pareto(const std::vector<json>& rows, const std::string& stem) {
  std::vector<std::pair<double, double>> pts;
  for (const auto& r : rows) pts.emplace_back(number_of(r, "energy_nj_per_inference"), 100 * number_of(r, "accuracy"));
  std::sort(pts.begin(), pts.end(),
            [](auto a, auto b) { return a.first != b.first ? a.first < b.first : a.second > b.second; });
  std::ostringstream data, body;
  data << "# all points\n";
  for (const auto& [e, a] : pts) data << e << " " << a << "\n";
  data << "\n\n# Pareto front (no point is both cheaper and more accurate)\n";
  double best = -1;
  for (const auto& [e, a] : pts)
    if (a > best) {
      data << e << " " << a << "\n";
      best = a;
    }
  body << "set xlabel " << quoted(axis_title("energy_nj_per_inference")) << "\nset ylabel "
       << quoted(axis_title("accuracy")) << "\nset grid\nset key bottom right\n"
       << "plot " << quoted(stem + ".dat") << " index 0 using 1:2 with points pt 7 title 'design points', "
       << quoted(stem + ".dat") << " index 1 using 1:2 with linespoints lw 2 title 'Pareto front'\n";
  render(stem, data.str(), body.str());
}

void plot_breakdown(const std::vector<json>& rows, const std::string& field, const std::string& unit,
                    const std::string& stem) {
  std::set<std::string> classes;
  for (const auto& r : rows)
    for (const auto& [cls, v] : r[field].items()) classes.insert(cls);
  std::ostringstream data, body;
  data << "point";
  for (const auto& c : classes) data << " " << c;
  data << "\n";
  for (const auto& r : rows) {
    data << quoted(label_of(r));
    for (const auto& c : classes) data << " " << r[field].value(c, 0.0);
    data << "\n";
  }
  body << "set style data histograms\nset style histogram rowstacked\nset style fill solid 0.8 border -1\n"
       << "set boxwidth 0.7\nset key outside right\nset ylabel " << quoted(unit) << "\nset xtics rotate by -30\n"
       << "plot for [i=2:" << classes.size() + 1 << "] " << quoted(stem + ".dat")
       << " using i:xtic(1) title columnheader(i)\n";
  render(stem, data.str(), body.str());
}

}  // namespace

int cmd_plot(const std::vector<std::string>& args) {
  std::string input, kind, x, y = "accuracy", series, out;
  std::vector<std::string> where;
  bool logx = false;
  po::options_description desc(
      "scbnn plot RESULTS --kind KIND --out STEM: PNG and SVG plots (gnuplot) of a sweep's merged\n"
      "results.json or of one run report; also writes STEM.dat and STEM.gp to adjust by hand.\n"
      "Kinds: line (--y against --x, one curve per --series value; e.g. accuracy vs accel.mram.ber\n"
      "with --logx, or vs accel.sc.stream_length), pareto (accuracy against energy per inference,\n"
      "Pareto front marked), energy (stacked energy per component), area (stacked area per component).\n\nOptions");
  desc.add_options()("help,h", "show this help")("input", po::value(&input), "results.json or a run report")(
      "kind", po::value(&kind), "line, pareto, energy or area")("x", po::value(&x),
                                                                "line: configuration key or metric on the x axis")(
      "y", po::value(&y), "line: metric on the y axis (default accuracy)")(
      "series", po::value(&series), "line: configuration key that separates curves")("logx", po::bool_switch(&logx),
                                                                                     "line: logarithmic x axis")(
      "where", po::value(&where)->composing(),
      "keep only points that sweep KEY with VALUE (KEY=VALUE), or do not (KEY!=VALUE); repeatable")(
      "out,o", po::value(&out), "output stem: writes STEM.png and STEM.svg");
  po::variables_map vm;
  if (!parse_options(args, desc, vm, "input")) return 0;
  if (input.empty() || out.empty()) throw InputError("scbnn plot: give RESULTS and --out STEM (see --help)");
  struct Filter {
    KeyValue wanted;
    bool negated;  // KEY!=VALUE
  };
  std::vector<Filter> filters;
  for (const auto& w : where) {
    KeyValue kv = split_assignment(w, "plot --where", "KEY=VALUE or KEY!=VALUE");
    const bool negated = kv.key.back() == '!';
    if (negated) kv.key.pop_back();
    filters.push_back({kv, negated});
  }
  std::vector<json> rows;
  for (const auto& r : load_rows(input)) {
    bool keep = true;
    for (const auto& f : filters) {
      const bool equal = r["point"].contains(f.wanted.key) && same_value(r["point"][f.wanted.key], f.wanted.value);
      keep = keep && equal != f.negated;
    }
    if (keep) rows.push_back(r);
  }
  if (rows.empty()) throw InputError("plot: no point left after --where");
  if (kind == "line") {
    if (x.empty()) throw InputError("scbnn plot --kind line needs --x KEY");
    plot_line(rows, x, y, series, logx, out);
  } else if (kind == "pareto") {
    plot_pareto(rows, out);
  } else if (kind == "energy") {
    plot_breakdown(rows, "energy_nj_per_class", "energy per inference (nJ)", out);
  } else if (kind == "area") {
    plot_breakdown(rows, "area_mm2_per_class", "area (mm^2)", out);
  } else {
    throw InputError("scbnn plot: --kind '" + kind + "' is not line, pareto, energy or area");
  }
  std::cout << "wrote " << out << ".png and " << out << ".svg\n";
  return 0;
}

}  // namespace scbnn
