// scbnn plot: figures of a merged sweep or a run report (docs/sweeps.md, "Plots"), drawn
// by gnuplot from a data file and a script that stay beside the images.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>
#include <sstream>

#include "plot_internal.h"
#include "scbnn/base/atomic_file.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/read_file.h"
#include "scbnn/base/regex.h"
#include "scbnn/base/statistics.h"
#include "scbnn/platforms/config.h"
#include "scbnn/tools/json_file.h"
#include "scbnn/tools/outputs.h"

extern char** environ;

namespace fs = std::filesystem;

namespace scbnn {
namespace {

using json = nlohmann::ordered_json;

// ---- Rows and selections

// Rows of a merged sweep (results.json) or one run report, as sweep rows.
std::vector<json> load_rows(const std::string& path) {
  const json j = read_json_file(path, "results (expected a sweep's results.json or a run report)");
  std::vector<json> rows;
  if (j.contains("rows")) {
    // The points' run reports beside the merged table tell the settings no point sweeps.
    const fs::path points = fs::path(path).parent_path() / "points";
    for (auto r : j["rows"])
      if (r["status"] == "done") {
        if (r.contains("hash") && r["hash"].is_string())
          r["report"] = (points / (r["hash"].get<std::string>() + ".json")).string();
        rows.push_back(std::move(r));
      }
  } else if (j.contains("power") && j.contains("accuracy")) {
    const json& pw = j["power"];
    json r = {{"point", json::object()},
              {"config", j.value("config", json::object())},
              {"accuracy", j["accuracy"]["accuracy"]},
              {"correct", j["accuracy"]["correct"]},
              {"images", j["accuracy"]["images"]},
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

std::string point_name(const json& row) {
  return row.contains("index") ? "point " + std::to_string(row["index"].get<int64_t>()) : "the run";
}

// KEY=VALUE or KEY!=VALUE; VALUE * stands for any value (KEY=*: the point sets KEY).
struct Selector {
  std::string key, value;
  bool negated = false;
};

// " (did you mean KEY?)" for the closest known key, if one is close.
std::string suggestion(const std::string& key, bool with_metrics);

Selector parse_selector(const std::string& text, const std::string& option) {
  const std::string expected = "KEY=VALUE or KEY!=VALUE (VALUE * for any value)";
  KeyValue kv = split_assignment(text, option, expected);
  Selector s;
  s.negated = kv.key.back() == '!';
  if (s.negated) kv.key.pop_back();
  if (kv.key.empty()) throw InputError(option + " '" + text + "': expected " + expected);
  if (!find_parameter(kv.key))
    throw InputError(option + " '" + text + "': " + kv.key + " is not a configuration key (scbnn config lists them)" +
                     suggestion(kv.key, false));
  s.key = kv.key;
  s.value = kv.value;
  return s;
}

std::vector<Selector> parse_selectors(const std::vector<std::string>& texts, const std::string& option) {
  std::vector<Selector> out;
  for (const auto& t : texts) out.push_back(parse_selector(t, option));
  return out;
}

bool sets(const json& row, const std::string& key) { return row["point"].contains(key); }

// Whether a point's value of a key is `wanted`: merged tables type swept numbers, so a
// number is compared as a number (--where accel.mram.ber=1e-2 selects 0.01).
bool same_value(const json& v, const std::string& wanted) {
  if (!v.is_number()) return (v.is_string() ? v.get<std::string>() : v.dump()) == wanted;
  try {
    size_t used = 0;
    const double d = std::stod(wanted, &used);
    return used == wanted.size() && d == v.get<double>();
  } catch (const std::exception&) {
    return false;
  }
}

bool matches(const json& row, const Selector& s) {
  const bool set = sets(row, s.key);
  const bool equal = s.value == "*" ? set : set && same_value(row["point"][s.key], s.value);
  return equal != s.negated;
}

// The selection in words for a subtitle: "fmnist_bnn_sc8, source=lfsr, sharing≠shared_rotate".
std::string selection_text(const std::vector<Selector>& selectors) {
  std::vector<std::string> keys;
  for (const auto& s : selectors) keys.push_back(s.key);
  const auto shorts = short_keys(keys);
  std::string text;
  for (const auto& s : selectors) {
    const std::string& k = shorts.at(s.key);
    std::string part;
    if (s.value == "*")
      part = s.negated ? "no " + k : k + " set";
    else if (s.negated)
      part = k + "≠" + s.value;
    else
      part = assignment_text(s.key, k, s.value);
    text += (text.empty() ? "" : ", ") + part;
  }
  return text;
}

// ---- Quantities on the axes

// Metrics of the merged rows (tools/src/sweep.cpp writes them).
struct Metric {
  const char* key;
  const char* name;
  const char* unit;
  double scale;
};
constexpr Metric kMetrics[] = {{"accuracy", "accuracy", "%", 100},
                               {"correct", "correctly classified images", "", 1},
                               {"images", "test images", "", 1},
                               {"cycles_per_inference", "cycles per inference", "", 1},
                               {"latency_ns", "accelerator latency per inference", "ns", 1},
                               {"energy_nj_per_inference", "energy per inference", "nJ", 1},
                               {"dynamic_nj_per_inference", "dynamic energy per inference", "nJ", 1},
                               {"leakage_nj_per_inference", "leakage energy per inference", "nJ", 1},
                               {"programming_uj", "weight programming energy", "uJ", 1},
                               {"area_mm2", "area", "mm^2", 1},
                               {"area_raw_mm2", "area, sum of the components", "mm^2", 1},
                               {"tops_per_w", "energy efficiency", "TOPS/W", 1},
                               {"weight_error_rate", "wrong weights at the end of the run", "fraction", 1}};

struct Quantity {
  std::string key, name, unit;
  double scale = 1;
  bool configuration = false;  // a configuration key (in each row's point), else a metric
  std::string title() const { return axis_title(name, unit); }
};

std::string words(std::string s) {
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::optional<Quantity> metric_of(const std::string& key) {
  for (const auto& m : kMetrics)
    if (key == m.key) return Quantity{key, m.name, m.unit, m.scale, false};
  static const std::regex stage(R"(^stage\.([a-z_]+)_nj$)"), layer(R"(^layer([0-9]+)\.([a-z_]+)$)");
  std::smatch m;
  if (std::regex_match(key, m, stage))
    return Quantity{key, words(m[1]) + " stage energy per inference", "nJ", 1, false};
  if (std::regex_match(key, m, layer)) {
    std::string metric = m[2];
    const bool energy = metric.size() > 3 && metric.compare(metric.size() - 3, 3, "_nj") == 0;
    if (energy) metric.resize(metric.size() - 3);
    const std::string what = energy ? (metric == "energy" ? "energy" : words(metric) + " energy") : words(metric);
    return Quantity{key, "layer " + m[1].str() + " " + what + " per inference", energy ? "nJ" : "", 1, false};
  }
  return std::nullopt;
}

Quantity quantity_of(const std::string& key, const std::string& option, const std::vector<json>& rows) {
  if (const ParamSpec* spec = find_parameter(key)) {
    std::vector<json> setting;
    for (const auto& r : rows)
      if (sets(r, key)) setting.push_back(r);
    return Quantity{key, parameter_name(*spec, setting), spec->unit, 1, true};
  }
  if (auto m = metric_of(key)) return *m;
  std::string metrics;
  for (const auto& m : kMetrics) metrics += std::string(metrics.empty() ? "" : ", ") + m.key;
  throw InputError(option + " " + key +
                   ": neither a configuration key (scbnn config lists them) nor a metric of the merged rows (" +
                   metrics + ", stage.STAGE_nj, layerL.METRIC)" + suggestion(key, true));
}

std::string suggestion(const std::string& key, bool with_metrics) {
  std::vector<std::string> known;
  for (const auto& s : platform_schema()) known.push_back(s.key);
  if (with_metrics)
    for (const auto& m : kMetrics) known.emplace_back(m.key);
  std::string best;
  size_t best_distance = 4;  // farther is no suggestion
  for (const auto& k : known)
    if (const size_t d = edit_distance(key, k); d < best_distance) best = k, best_distance = d;
  return best.empty() ? "" : " (did you mean " + best + "?)";
}

bool has_value(const json& row, const Quantity& q) { return q.configuration ? sets(row, q.key) : row.contains(q.key); }

double value_of(const json& row, const Quantity& q) {
  if (!has_value(row, q)) throw InputError(point_name(row) + " has no " + q.key);
  const json& v = q.configuration ? row["point"][q.key] : row[q.key];
  if (v.is_number()) return v.get<double>() * q.scale;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    char* end = nullptr;
    errno = 0;
    const double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size() && errno == 0 && std::isfinite(d)) return d * q.scale;
  }
  throw InputError(q.key + " is not a number in " + point_name(row) + " (got " + v.dump() +
                   "); plot a numeric key, or use it as --series");
}

// ---- Figures

// A drawn point: its value and, for accuracy, its 95 % Wilson interval (y units).
struct Mark {
  double x = 0, y = 0;
  bool interval = false;
  double low = 0, high = 0;
};

Mark mark_of(const json& row, double x, const Quantity& y) {
  Mark m{x, value_of(row, y)};
  if (y.key == "accuracy" && row.contains("correct") && row.contains("images") && row["correct"].is_number_integer() &&
      row["images"].is_number_integer() && row["images"].get<int64_t>() > 0) {
    const ProportionInterval i = wilson_interval(row["correct"].get<uint64_t>(), row["images"].get<uint64_t>());
    m.interval = true;
    m.low = i.low * y.scale;
    m.high = i.high * y.scale;
  }
  return m;
}

// "10000 images per point", or the range when points differ.
std::string images_text(const std::vector<json>& rows) {
  std::set<int64_t> counts;
  for (const auto& r : rows)
    if (r.contains("images") && r["images"].is_number_integer()) counts.insert(r["images"].get<int64_t>());
  if (counts.empty()) return "";
  const std::string lo = std::to_string(*counts.begin()), hi = std::to_string(*counts.rbegin());
  return (lo == hi ? lo : lo + " to " + hi) + " images per point";
}

std::string interval_note(const std::vector<json>& rows) {
  return "error bars: 95 % Wilson score intervals of the accuracy, " + images_text(rows);
}

// What gnuplot reads and runs: the data file and the script (settings, then one plot command).
struct Figure {
  std::string what;  // one line, the script's header
  std::ostringstream data, settings, plot;
  int width = 1000, height = 650;
  int blocks = 0;  // data blocks written (gnuplot's "index")

  // Starts a data block and returns its index.
  int block(const std::string& comment) {
    if (blocks) data << "\n\n";
    data << "# block " << blocks << ": " << comment << "\n";
    return blocks++;
  }
  void add_plot(const std::string& clause) { plot << (plot.tellp() ? ", \\\n     " : "plot ") << clause; }
};

// A metric as the data file shows it: 12 significant digits (89.49, not the 89.49000000000001
// of 0.8949 * 100).
std::string measured_text(double v) { return number_text(std::stod(fmt("%.12g", v))); }

void write_mark(std::ostream& o, const Mark& m) {
  o << number_text(m.x) << " " << measured_text(m.y);
  if (m.interval) o << " " << measured_text(m.low) << " " << measured_text(m.high);
  o << "\n";
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
  return s;
}

void set_titles(Figure& f, const PlotRequest& r, const std::string& title, const std::string& selection,
                const std::string& xlabel, const std::string& ylabel) {
  const std::string t = r.title.empty() ? title : r.title;
  f.settings << "set title " << gnuplot_string(selection.empty() ? t : t + "\n" + selection) << " font ',13'\n";
  if (!xlabel.empty() || !r.xlabel.empty())
    f.settings << "set xlabel " << gnuplot_string(r.xlabel.empty() ? xlabel : r.xlabel) << " font ',11'\n";
  f.settings << "set ylabel " << gnuplot_string(r.ylabel.empty() ? ylabel : r.ylabel) << " font ',11'\n";
}

// A note under the plot (what the marks mean, where the data came from), wrapped to the
// figure's width, below `label_lines` lines of tick labels and axis title.
void set_footnote(Figure& f, const std::vector<std::string>& notes, double label_lines) {
  const size_t width = size_t(f.width / 5.6);  // characters of the footnote's font per line
  std::vector<std::string> lines;
  for (const auto& n : notes) {
    if (n.empty()) continue;
    if (!lines.empty() && lines.back().size() + 2 + n.size() <= width) {
      lines.back() += "; " + n;
      continue;
    }
    std::string rest = n;  // a note longer than a line breaks at a space
    while (rest.size() > width) {
      size_t cut = rest.rfind(' ', width);
      if (cut == std::string::npos || cut == 0) cut = width;
      lines.push_back(rest.substr(0, cut));
      rest = rest.substr(cut + (rest[cut] == ' '));
    }
    lines.push_back(rest);
  }
  const std::string text = joined(lines, "\n");
  const double margin = label_lines + 0.9 * double(lines.size()) + 0.8;
  f.height += std::max(0, int((margin - 4) * 15));  // gnuplot's own margin is about 4 lines
  f.settings << "set bmargin " << fmt("%.1f", margin) << "\n";
  if (!text.empty())
    f.settings << "set label 100 " << gnuplot_string(text) << " at character 1, character "
               << fmt("%.1f", 0.9 * double(lines.size())) << " left font ',8' textcolor rgb '#505050'\n";
}

// Superscript digits for tick labels such as 10⁻⁶ (the terminals print UTF-8).
std::string superscript(int n) {
  static const char* digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string s = n < 0 ? "⁻" : "";
  for (char c : std::to_string(std::abs(n))) s += digits[c - '0'];
  return s;
}

// An axis of a line plot: linear, or logarithmic (x: base 2 when every x is a power of two,
// x = 0 drawn one step left of the smallest positive x, beyond an axis break).
struct Axis {
  bool log = false;
  int base = 10;
  bool zero = false;
  double zero_at = 0, break_at = 0, left = 0, right = 0;

  double fraction(double x) const {
    if (log) return std::log(x / left) / std::log(right / left);
    return (x - left) / (right - left);
  }
  double drawn(double x) const { return log && x == 0 ? zero_at : x; }
};

Axis x_axis(const std::vector<double>& xs, const PlotRequest& r, const Quantity& qx) {
  std::vector<double> positive;
  bool zero = false;
  double lo = xs.front(), hi = xs.front();
  for (double x : xs) {
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    if (x > 0) positive.push_back(x);
    zero = zero || x == 0;
  }
  std::sort(positive.begin(), positive.end());
  positive.erase(std::unique(positive.begin(), positive.end()), positive.end());
  const bool powers_of_two = !positive.empty() && all_powers_of_two(positive);
  Axis a;
  a.log = r.logx ||
          (!r.linx && lo >= 0 && powers_of_two && positive.size() >= 3 && positive.back() / positive.front() >= 8);
  if (!a.log) {
    const double pad = hi > lo ? (hi - lo) * 0.04 : lo == 0 ? 1 : std::fabs(lo) * 0.1;
    a.left = lo - pad;
    a.right = hi + pad;
    return a;
  }
  if (lo < 0)
    throw InputError("--logx: " + qx.key + " = " + number_text(lo) +
                     " is negative, which a logarithmic axis cannot show (plot without --logx)");
  if (positive.empty())
    throw InputError("--logx: every " + qx.key + " is 0; a logarithmic axis needs a positive value");
  a.base = powers_of_two ? 2 : 10;
  a.zero = zero;
  a.zero_at = positive.front() / a.base;
  a.break_at = std::sqrt(a.zero_at * positive.front());
  const double left = zero ? a.zero_at : positive.front();
  const double span = std::log(positive.back() / left);
  const double pad = std::exp(std::max(0.05 * span, std::log(1.15)));
  a.left = left / pad;
  a.right = positive.back() * pad;
  return a;
}

// Tick marks of a logarithmic axis: at each power of two present (base 2), or at the
// decades (1, 2 and 5 times them over spans of three decades or less) with minor ticks between; "0" at the
// place of x = 0.
std::string log_tics(const Axis& a, const std::vector<double>& xs, char letter) {
  std::vector<std::pair<std::string, double>> major;
  std::vector<double> minor;
  // (left of an axis break only the "0" mark)
  const double from = a.zero ? a.break_at : a.left;
  const auto inside = [&](double v) { return v >= from * (1 - 1e-9) && v <= a.right * (1 + 1e-9); };
  if (a.base == 2) {
    std::set<double> values;
    for (double x : xs)
      if (x > 0) values.insert(x);
    std::vector<double> v(values.begin(), values.end());
    const size_t step = (v.size() + 11) / 12;  // at most about 12 labels
    for (size_t i = 0; i < v.size(); i += step) major.emplace_back(number_text(v[i]), v[i]);
  } else {
    const int first = int(std::floor(std::log10(a.left))), last = int(std::ceil(std::log10(a.right)));
    std::vector<double> decades;
    for (int k = first; k <= last; ++k) decades.push_back(std::pow(10.0, k));
    const long in_range = std::count_if(decades.begin(), decades.end(), inside);
    const std::vector<double> multiples = in_range >= 4 ? std::vector<double>{1} : std::vector<double>{1, 2, 5};
    bool plain = true;
    std::vector<std::pair<double, int>> ticks;  // (value, decade)
    for (int k = first; k <= last; ++k)
      for (double m : multiples) {
        const double v = std::stod(fmt("%.6g", m * std::pow(10.0, k)));  // 1e-06, not 9.999999999999999e-07
        if (!inside(v)) continue;
        ticks.emplace_back(v, k);
        plain = plain && v >= 1e-3 && v <= 1e4;
      }
    for (const auto& [v, k] : ticks) {
      const double m = std::round(v / std::pow(10.0, k));
      major.emplace_back(plain ? number_text(v) : (m == 1 ? "" : number_text(m) + "×") + "10" + superscript(k), v);
    }
    if (in_range >= 2)
      for (int k = first; k <= last; ++k)
        for (int m = 2; m <= 9; ++m)
          if (const double v = std::stod(fmt("%.6g", m * std::pow(10.0, k))); inside(v)) minor.push_back(v);
  }
  if (a.zero) major.emplace_back("0", a.zero_at);
  std::ostringstream o;
  o << "set " << letter << "tics (";
  bool first_tic = true;
  for (const auto& [label, v] : major) {
    o << (first_tic ? "" : ", ") << gnuplot_string(label) << " " << number_text(v);
    first_tic = false;
  }
  for (double v : minor) o << (first_tic ? "" : ", ") << "\"\" " << number_text(v) << " 1";
  o << ")\n";
  return o.str();
}

std::string x_axis_settings(const Axis& a, const std::vector<double>& xs) {
  std::ostringstream o;
  if (a.log)
    o << "set logscale x " << a.base << "\n" << log_tics(a, xs, 'x');
  else
    o << "set format x '%.10g'\n";
  o << "set xrange [" << number_text(a.left) << ":" << number_text(a.right) << "]\n";
  if (a.zero) {
    // The axis break: a dotted line, and "//" over both axis lines.
    o << "set arrow 1 from " << number_text(a.break_at) << ", graph 0 to " << number_text(a.break_at)
      << ", graph 1 nohead dt 3 lc rgb '#808080'\n"
      << "set style textbox opaque noborder\n";
    for (const char* at : {"0", "1"})
      o << "set label " << (at[0] == '0' ? 101 : 102) << " \"//\" at " << number_text(a.break_at) << ", graph " << at
        << " center boxed front\n";
  }
  return o.str();
}

// The y axis over the values drawn: linear (gnuplot's range, unless every value is the same:
// it would warn "empty y range"), or logarithmic in base 10 (--logy).
Axis y_axis(const std::vector<double>& ys, bool log, const std::string& key) {
  const auto [lo, hi] = std::minmax_element(ys.begin(), ys.end());
  Axis a;
  a.log = log;
  if (!log) {
    a.left = *lo;
    a.right = *hi;
    return a;
  }
  if (*lo <= 0)
    throw InputError("--logy: " + key + " = " + number_text(*lo) +
                     " is not positive, which a logarithmic axis cannot show (plot without --logy)");
  const double pad = std::exp(std::max(0.05 * std::log(*hi / *lo), std::log(1.15)));
  a.left = *lo / pad;
  a.right = *hi * pad;
  return a;
}

std::string y_axis_settings(const Axis& a, const std::vector<double>& ys) {
  if (a.log)
    return "set logscale y 10\n" + log_tics(a, ys, 'y') + "set yrange [" + number_text(a.left) + ":" +
           number_text(a.right) + "]\n";
  std::string o = "set format y '%.10g'\n";
  if (a.right > a.left) return o;
  const double pad = a.left == 0 ? 1 : std::fabs(a.left) * 0.05;
  return o + "set yrange [" + number_text(a.left - pad) + ":" + number_text(a.right + pad) + "]\n";
}

// The corner of the plot with the fewest marks, for the key.
std::string key_corner(const std::vector<std::pair<double, double>>& fractions) {
  const char* corners[] = {"bottom right", "bottom left", "top right", "top left"};
  size_t best = 0, best_count = SIZE_MAX;
  for (size_t c = 0; c < 4; ++c) {
    size_t count = 0;
    for (const auto& [fx, fy] : fractions)
      count += (c % 2 == 0 ? fx > 0.55 : fx < 0.45) && (c < 2 ? fy < 0.35 : fy > 0.65);
    if (count < best_count) best = c, best_count = count;
  }
  return corners[best];
}

// A line across the plot, as marks the key should not hide.
void add_horizontal_line(std::vector<std::pair<double, double>>& fractions, double fy) {
  for (int i = 0; i < 10; ++i) fractions.emplace_back(0.05 + 0.1 * i, fy);
}

// One curve, or a baseline: rows of one --series value.
struct Curve {
  std::string value;  // the series key's value ("" without --series)
  std::string name;   // legend text
  std::vector<std::pair<Mark, const json*>> marks;
};

// The curve of each --series value, in the order the rows first name it.
std::vector<Curve> curves_of(const std::vector<json>& rows, const PlotRequest& r, const Quantity& qx,
                             const Quantity& qy) {
  std::vector<Curve> curves;
  for (const auto& row : rows) {
    if (!has_value(row, qx)) continue;  // points that do not set the x key are not on this plot
    const std::string value = r.series.empty() ? "" : sets(row, r.series) ? point_text(row, r.series) : "\x01";
    auto it = std::find_if(curves.begin(), curves.end(), [&](const Curve& c) { return c.value == value; });
    if (it == curves.end()) {
      const std::string name = r.series.empty()  ? qy.name
                               : value == "\x01" ? "points without " + r.series
                                                 : value_text(r.series, value);
      it = curves.insert(curves.end(), Curve{value, name, {}});
    }
    it->marks.emplace_back(mark_of(row, value_of(row, qx), qy), &row);
  }
  for (auto& c : curves) {
    std::stable_sort(c.marks.begin(), c.marks.end(),
                     [](const auto& a, const auto& b) { return a.first.x < b.first.x; });
    for (size_t i = 1; i < c.marks.size(); ++i)
      if (c.marks[i].first.x == c.marks[i - 1].first.x) {
        const std::vector<json> two = {*c.marks[i - 1].second, *c.marks[i].second};
        const std::string differ = joined(differing_keys(two), ", ");
        throw InputError("the curve '" + c.name + "' has two points at " + qx.key + " = " +
                         number_text(c.marks[i].first.x) + " (" + point_name(two[0]) + " and " + point_name(two[1]) +
                         (differ.empty() ? "" : ", which differ in " + differ) +
                         "): separate them with --series or pick one with --where");
      }
  }
  return curves;
}

// Reference points (--baseline): rows that match every selector, do not set the x key and
// pass each --where filter on a key they set (and no selector names); one per series value.
std::vector<Curve> baselines_of(const std::vector<json>& all_rows, const std::vector<Selector>& baseline,
                                const std::vector<Selector>& where, const PlotRequest& r, const Quantity& qx,
                                const Quantity& qy) {
  std::vector<Curve> out;
  if (baseline.empty()) return out;
  for (const auto& row : all_rows) {
    if (has_value(row, qx)) continue;
    if (!std::all_of(baseline.begin(), baseline.end(), [&](const Selector& s) { return matches(row, s); })) continue;
    const auto names_key = [&](const std::string& key) {
      return std::any_of(baseline.begin(), baseline.end(), [&](const Selector& b) { return b.key == key; });
    };
    if (!std::all_of(where.begin(), where.end(),
                     [&](const Selector& s) { return !sets(row, s.key) || names_key(s.key) || matches(row, s); }))
      continue;
    const std::string value = r.series.empty() ? "" : sets(row, r.series) ? point_text(row, r.series) : "\x01";
    const auto same = std::find_if(out.begin(), out.end(), [&](const Curve& c) { return c.value == value; });
    if (same != out.end())
      throw InputError("--baseline: " + point_name(*same->marks.front().second) + " and " + point_name(row) +
                       " both match" + (r.series.empty() ? "" : " for the same " + r.series) +
                       "; narrow the --baseline selectors");
    Curve c{value, "", {}};
    c.marks.emplace_back(mark_of(row, 0, qy), &row);
    out.push_back(std::move(c));
  }
  if (out.empty())
    throw InputError("--baseline: no point matches (a baseline point must not set --x " + qx.key +
                     ", and --where applies to the keys it sets that no --baseline names)");
  return out;
}

struct ReferenceLine {
  double y;
  std::string label;
};

ReferenceLine parse_reference(const std::string& text) {
  const size_t eq = text.find('=');
  const std::string number = text.substr(0, eq);
  char* end = nullptr;
  const double y = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(y))
    throw InputError("--reference '" + text +
                     "': expected Y or Y=LABEL, Y a number in the y axis' unit (e.g. 89.66 for an accuracy in %)");
  return {y, eq == std::string::npos ? "y = " + number : text.substr(eq + 1)};
}

// A curve's data blocks and plot clauses: its points on the axis as a line (with error bars
// when they have intervals), and its x = 0 points at zero_at, beyond the axis break.
void draw_curve(Figure& f, const Curve& c, const Axis& axis, const Quantity& qx, const std::string& style) {
  std::vector<Mark> on_axis, at_zero;
  for (const auto& [m, row] : c.marks) (axis.log && m.x == 0 ? at_zero : on_axis).push_back(m);
  const bool bars = std::any_of(c.marks.begin(), c.marks.end(), [](const auto& m) { return m.first.interval; });
  if (!on_axis.empty()) {
    const int index = f.block(c.name);
    for (const auto& m : on_axis) write_mark(f.data, m);
    f.add_plot("data index " + std::to_string(index) +
               (bars ? " using 1:2:3:4 with yerrorlines " : " using 1:2 with linespoints ") + style + " title " +
               gnuplot_string(c.name));
  }
  if (!at_zero.empty()) {
    const int index = f.block(c.name + " at " + qx.key + " = 0 (drawn at x = " + number_text(axis.zero_at) +
                              ", left of the axis break)");
    for (const auto& m : at_zero) write_mark(f.data, m);
    f.add_plot("data index " + std::to_string(index) + " using (zero_at):2" +
               (bars ? ":3:4 with yerrorbars " : " with points ") + style +
               (on_axis.empty() ? " title " + gnuplot_string(c.name) : " notitle"));
  }
}

// A baseline point as a dashed line across the plot at its y, over its interval's band.
void draw_baseline(Figure& f, const Curve& b, const std::string& name, const Axis& axis, const Quantity& qy,
                   const std::string& colour) {
  const Mark& m = b.marks.front().first;
  const int index = f.block("baseline " + name + " (" + point_name(*b.marks.front().second) +
                            "), drawn across the plot at its " + qy.key);
  for (double x : {axis.left, axis.right}) write_mark(f.data, Mark{x, m.y, m.interval, m.low, m.high});
  if (m.interval)
    f.add_plot("data index " + std::to_string(index) + " using 1:3:4 with filledcurves fc rgb '" + colour +
               "' fs transparent solid 0.15 noborder notitle");
  f.add_plot("data index " + std::to_string(index) + " using 1:2 with lines dt 2 lw 2 lc rgb '" + colour + "' title " +
             gnuplot_string(name));
}

const int kPointTypes[] = {7, 5, 9, 11, 13, 15};  // filled circle, square, triangles, diamond, pentagon

void line_figure(Figure& f, const std::vector<json>& all_rows, const std::vector<json>& rows,
                 const std::vector<Selector>& where, const PlotRequest& r) {
  const Quantity qx = quantity_of(r.x, "--x", rows), qy = quantity_of(r.y, "--y", rows);
  if (!r.series.empty() && !find_parameter(r.series))
    throw InputError("--series " + r.series + ": not a configuration key (scbnn config lists them)");
  if (!r.series.empty() && std::none_of(rows.begin(), rows.end(), [&](const json& row) { return sets(row, r.series); }))
    throw InputError("--series " + r.series + ": no point sets it");
  const std::vector<Curve> curves = curves_of(rows, r, qx, qy);
  if (curves.empty()) throw InputError("no point sets --x " + r.x);
  const std::vector<Curve> baselines =
      baselines_of(all_rows, parse_selectors(r.baseline, "--baseline"), where, r, qx, qy);
  std::vector<ReferenceLine> references;
  for (const auto& t : r.reference) references.push_back(parse_reference(t));

  std::vector<double> xs, ys;
  bool intervals = false;
  for (const auto& c : curves)
    for (const auto& [m, row] : c.marks) {
      xs.push_back(m.x);
      ys.insert(ys.end(), {m.y, m.interval ? m.low : m.y, m.interval ? m.high : m.y});
      intervals = intervals || m.interval;
    }
  for (const auto& b : baselines) {
    const Mark& m = b.marks.front().first;
    ys.insert(ys.end(), {m.y, m.interval ? m.low : m.y, m.interval ? m.high : m.y});
  }
  for (const auto& ref : references) ys.push_back(ref.y);
  const Axis axis = x_axis(xs, r, qx);
  if (curves.size() + baselines.size() + references.size() > 6) f.width += 250;  // room for the key beside

  // Colours: each series value keeps one, its baseline included.
  std::vector<std::string> values;
  for (const auto& c : curves) values.push_back(c.value);
  for (const auto& b : baselines)
    if (std::find(values.begin(), values.end(), b.value) == values.end()) values.push_back(b.value);
  const std::vector<std::string> colours = line_colours(values.size());
  const auto colour_of = [&](const std::string& value) {
    return colours[size_t(std::find(values.begin(), values.end(), value) - values.begin())];
  };

  const std::string series_note = r.series.empty() ? "" : ", one curve per " + r.series;
  f.what = qy.name + " against " + qx.name + " (" + qx.key + series_note + ")";
  f.data << "# scbnn plot: " << f.what << "\n# columns: " << qx.key << ", " << qy.key
         << (intervals ? ", then the 95 % Wilson interval of the accuracy (low, high)" : "") << "\n";
  std::vector<std::pair<double, double>> fractions;  // where the marks are, for the key
  const Axis y_scale = y_axis(ys, r.logy, qy.key);
  const auto y_fraction = [&](double y) { return y_scale.right > y_scale.left ? y_scale.fraction(y) : 0.5; };
  for (size_t i = 0; i < curves.size(); ++i) {
    draw_curve(f, curves[i], axis, qx,
               "lc rgb '" + colour_of(curves[i].value) + "' pt " +
                   std::to_string(kPointTypes[i % std::size(kPointTypes)]) + " ps 1.1 lw 1.5");
    for (const auto& [m, row] : curves[i].marks)
      fractions.emplace_back(axis.fraction(axis.drawn(m.x)), y_fraction(m.y));
  }
  const std::string baseline_title =
      !r.baseline_title.empty() ? r.baseline_title : selection_text(parse_selectors(r.baseline, "--baseline"));
  for (const auto& b : baselines) {
    const std::string series_name = r.series.empty()    ? ""
                                    : b.value == "\x01" ? "points without " + r.series + ": "
                                                        : value_text(r.series, b.value) + ": ";
    draw_baseline(f, b, series_name + baseline_title, axis, qy, colour_of(b.value));
    add_horizontal_line(fractions, y_fraction(b.marks.front().first.y));
  }
  for (const auto& ref : references) {
    f.add_plot(number_text(ref.y) + " with lines dt 4 lw 2 lc rgb '#000000' title " + gnuplot_string(ref.label));
    add_horizontal_line(fractions, y_fraction(ref.y));
  }

  set_titles(f, r, capitalised(qy.name) + " vs " + qx.name, selection_text(where), qx.title(), qy.title());
  f.settings << "set grid lc rgb '#d0d0d0'\nset bars small\n";
  if (axis.zero) f.settings << "zero_at = " << number_text(axis.zero_at) << "  # where " << qx.key << " = 0 is drawn\n";
  f.settings << x_axis_settings(axis, xs) << y_axis_settings(y_scale, ys);
  if (curves.size() == 1 && r.series.empty() && baselines.empty() && references.empty())
    f.settings << "set key off  # one curve: the y axis names it\n";
  else if (curves.size() + baselines.size() + references.size() > 6)  // a key this long would hide marks
    f.settings << "set key outside right top box lc rgb '#b0b0b0' spacing 1.2";
  else
    f.settings << "set key " << key_corner(fractions) << " opaque box lc rgb '#b0b0b0' spacing 1.2";
  if (!r.series.empty()) {
    std::vector<json> setting;
    for (const auto& row : rows)
      if (sets(row, r.series)) setting.push_back(row);
    f.settings << " title " << gnuplot_string(parameter_name(*find_parameter(r.series), setting));
  }
  f.settings << "\n";
  set_footnote(f,
               {"x: " + qx.key + (r.series.empty() ? "" : "; curves: " + r.series),
                intervals ? interval_note(rows) : "", axis.zero ? qx.key + " = 0 drawn left of the axis break" : ""},
               3);
}

void pareto_figure(Figure& f, const std::vector<json>& rows, const std::vector<Selector>& where, const PlotRequest& r) {
  const Quantity qx = *metric_of("energy_nj_per_inference"), qy = *metric_of("accuracy");
  std::vector<std::pair<Mark, const json*>> points;
  for (const auto& row : rows) points.emplace_back(mark_of(row, value_of(row, qx), qy), &row);
  std::stable_sort(points.begin(), points.end(), [](const auto& a, const auto& b) {
    return a.first.x != b.first.x ? a.first.x < b.first.x : a.first.y > b.first.y;
  });
  std::vector<std::pair<Mark, const json*>> front, others;
  double best = -INFINITY;
  for (const auto& p : points) {
    (p.first.y > best ? front : others).push_back(p);
    best = std::max(best, p.first.y);
  }
  const std::vector<std::string> keys = differing_keys(rows);
  const auto shorts = short_keys(keys);
  double x_lo = points.front().first.x, x_hi = points.back().first.x;
  std::vector<double> ys;
  bool intervals = false;
  for (const auto& [m, row] : points) {
    ys.insert(ys.end(), {m.y, m.interval ? m.low : m.y, m.interval ? m.high : m.y});
    intervals = intervals || m.interval;
  }
  const double y_lo = *std::min_element(ys.begin(), ys.end()), y_hi = *std::max_element(ys.begin(), ys.end());
  const auto fraction = [](double v, double lo, double hi) { return hi > lo ? (v - lo) / (hi - lo) : 0.5; };

  f.what = "accuracy against energy per inference, Pareto front marked and labelled";
  f.data << "# scbnn plot: " << f.what << "\n# columns: energy_nj_per_inference, accuracy (%)"
         << (intervals ? ", 95 % Wilson interval (low, high)" : "")
         << "; labels: the keys that differ among the points\n";
  const std::string bars = intervals ? " using 1:2:3:4 with yerrorbars" : " using 1:2 with points";
  std::vector<std::pair<double, double>> fractions;
  if (!others.empty()) {
    const int index = f.block("design points off the front");
    for (const auto& [m, row] : others) write_mark(f.data, m);
    f.add_plot("data index " + std::to_string(index) + bars +
               " pt 6 ps 1.1 lc rgb '#8c8c8c' title 'other design points'");
  }
  const int index = f.block("the Pareto front (no other point is both cheaper and more accurate)");
  for (const auto& [m, row] : front) write_mark(f.data, m);
  f.add_plot("data index " + std::to_string(index) +
             " using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'Pareto front'");
  f.add_plot("data index " + std::to_string(index) + bars + " pt 7 ps 1.3 lc rgb '#1f77b4' notitle");
  // Labels right of the points in the left half, left of those in the right half.
  for (const bool right_half : {false, true}) {
    std::vector<std::pair<Mark, std::string>> labels;
    for (const auto& [m, row] : front) {
      const std::string text = joined(point_label_parts(*row, keys, shorts), ", ");
      if (!text.empty() && (fraction(m.x, x_lo, x_hi) > 0.5) == right_half) labels.emplace_back(m, text);
    }
    if (labels.empty()) continue;
    const int li =
        f.block(std::string("labels of front points, written ") + (right_half ? "left" : "right") + " of the point");
    for (const auto& [m, text] : labels)
      f.data << number_text(m.x) << " " << number_text(m.y) << " " << gnuplot_string(text) << "\n";
    f.add_plot("data index " + std::to_string(li) + " using 1:2:3 with labels " +
               (right_half ? "right offset -1.2" : "left offset 1.2") +
               ",0.7 font ',9' textcolor rgb '#0b3c6e' notitle");
  }
  for (const auto& [m, row] : points) fractions.emplace_back(fraction(m.x, x_lo, x_hi), fraction(m.y, y_lo, y_hi));

  set_titles(f, r, "Accuracy vs energy per inference", selection_text(where), qx.title(), qy.title());
  const double pad = x_hi > x_lo ? (x_hi - x_lo) * 0.06 : x_lo == 0 ? 1 : std::fabs(x_lo) * 0.1;
  f.settings << "set grid lc rgb '#d0d0d0'\nset bars small\nset xrange [" << number_text(x_lo - pad) << ":"
             << number_text(x_hi + pad) << "]\n"
             << y_axis_settings(y_axis(ys, false, qy.key), ys) << "set key " << key_corner(fractions)
             << " opaque box lc rgb '#b0b0b0'\n";
  const std::string labelled = joined(keys, ", ");
  set_footnote(f,
               {intervals ? interval_note(rows) : "",
                labelled.empty() ? "" : "front points labelled by the keys that differ among the points: " + labelled},
               3);
}

// The bars' labels: the swept keys that differ among the bars (all the point's keys when
// there is one bar), as parts to join on one line or stack.
struct BarLabels {
  std::vector<std::string> keys;
  std::vector<std::vector<std::string>> parts;  // per bar
  size_t longest_part = 1, longest_line = 1, most_parts = 1;
};

BarLabels bar_labels(const std::vector<json>& rows) {
  BarLabels b;
  b.keys = differing_keys(rows);
  if (b.keys.empty())
    for (const auto& [k, v] : rows.front()["point"].items()) b.keys.push_back(k);
  const auto shorts = short_keys(b.keys);
  for (const auto& row : rows) {
    b.parts.push_back(point_label_parts(row, b.keys, shorts));
    if (b.parts.back().empty()) b.parts.back().push_back(row.contains("index") ? point_name(row) : "run");
    size_t line = 0;
    for (const auto& p : b.parts.back()) {
      b.longest_part = std::max(b.longest_part, p.size());
      line += p.size() + 2;
    }
    b.longest_line = std::max(b.longest_line, line);
    b.most_parts = std::max(b.most_parts, b.parts.back().size());
  }
  return b;
}

void breakdown_figure(Figure& f, const std::vector<json>& rows, const std::vector<Selector>& where,
                      const PlotRequest& r) {
  const bool energy = r.kind == "energy";
  const std::string field = energy ? "energy_nj_per_class" : "area_mm2_per_class";
  const std::string unit = energy ? "nJ" : "mm^2";
  std::set<std::string> all_classes, present;
  for (const auto& row : rows) {
    if (!row.contains(field)) throw InputError(point_name(row) + " has no " + field + " (not priced?)");
    for (const auto& [cls, v] : row[field].items()) {
      all_classes.insert(cls);
      if (v.get<double>() != 0) present.insert(cls);
    }
  }
  std::vector<std::string> left_out;
  for (const auto& c : all_classes)
    if (!present.count(c)) left_out.push_back(c);
  const std::vector<std::string> classes(present.begin(), present.end());
  const std::vector<std::string> colours = distinct_colours(classes.size());

  const BarLabels labels = bar_labels(rows);
  const auto& parts = labels.parts;
  const size_t bars = rows.size();
  f.width = std::max(1000, 330 + 44 * int(bars));
  // Labels one key per line under each bar while they fit side by side, else turned upright.
  const bool upright = double(labels.longest_part) * 5.5 > double(f.width - 330) / double(bars);

  f.what = std::string(energy ? "energy per inference" : "area") + " by component class, one bar per point";
  f.data << "# scbnn plot: " << f.what << "\n# columns: bar label, then " << (energy ? "nJ" : "mm^2")
         << " of each class in the order of the key:";
  for (const auto& c : classes) f.data << " " << c;
  f.data << ", then the total\n";
  f.block("bars");
  std::vector<double> totals;
  for (size_t b = 0; b < bars; ++b) {
    f.data << gnuplot_string(joined(parts[b], ", "));
    double total = 0;
    for (const auto& c : classes) {
      const double v = rows[b][field].value(c, 0.0);
      total += v;
      f.data << " " << measured_text(v);
    }
    f.data << " " << measured_text(total) << "\n";
    totals.push_back(total);
  }
  for (size_t i = 0; i < classes.size(); ++i)
    f.add_plot("data using " + std::to_string(i + 2) + " lc rgb '" + colours[i] + "' title " +
               gnuplot_string(classes[i]));
  const size_t total_column = classes.size() + 2;
  f.add_plot("data using 0:" + std::to_string(total_column) + ":(sprintf('%.4g', column(" +
             std::to_string(total_column) + "))) with labels " +
             (bars > 12 ? "rotate by 90 left offset 0,0.4" : "offset 0,0.7") + " font ',9' notitle");

  const std::string quantity = energy ? "energy per inference" : "area";
  set_titles(f, r, capitalised(quantity) + " by component class", selection_text(where), "",
             axis_title(quantity, unit));
  const double top = *std::max_element(totals.begin(), totals.end());
  f.settings << "set style data histograms\nset style histogram rowstacked\n"
             << "set style fill solid 1.0 border rgb '#404040'\nset boxwidth 0.7\n"
             << "set key outside right top title 'component class' spacing 1.1\n"
             << "set grid ytics lc rgb '#d0d0d0'\n"
             << "set xrange [-0.6:" << number_text(double(bars) - 0.4) << "]\n"
             << "set yrange [0:" << number_text(top > 0 ? top * (bars > 12 ? 1.15 : 1.08) : 1) << "]\n"
             << "set xtics nomirror (";
  for (size_t b = 0; b < bars; ++b)
    f.settings << (b ? ", " : "") << gnuplot_string(joined(parts[b], upright ? ", " : "\n")) << " " << b;
  f.settings << ")" << (upright ? " rotate by 90 right" : "") << "\n";
  const std::string omitted = joined(left_out, ", ");
  set_footnote(f,
               {"bars labelled by " + joined(labels.keys, ", "), "totals above the bars",
                omitted.empty() ? "" : "classes with none in every bar left out: " + omitted},
               upright ? 0.42 * double(labels.longest_line) + 1 : double(labels.most_parts) + 1);
}

// ---- Running gnuplot

// A private scratch directory, removed with everything in it.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::string pattern = (fs::temp_directory_path() / "scbnn-plot-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
      throw InputError("cannot create a scratch directory in " + fs::temp_directory_path().string() + " (" +
                       std::strerror(errno) + ")");
    path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A gnuplot single-quoted string.
std::string gnuplot_literal(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

std::string script_of(const Figure& f, const std::string& stem) {
  std::ostringstream s;
  const std::string size = " size " + std::to_string(f.width) + "," + std::to_string(f.height) + " font 'sans,10'";
  s << "# scbnn plot: " << f.what << "\n"
    << "# `gnuplot " << stem << ".gp` draws " << stem << ".png and " << stem << ".svg again from " << stem
    << ".dat (data, png and svg can be set with -e)\n"
    << "if (!exists(\"data\")) data = " << gnuplot_string(stem + ".dat") << "\n"
    << "if (!exists(\"png\")) png = " << gnuplot_string(stem + ".png") << "\n"
    << "if (!exists(\"svg\")) svg = " << gnuplot_string(stem + ".svg") << "\n"
    << "set encoding utf8\nset terminal pngcairo noenhanced" << size << "\nset output png\n"
    << f.settings.str() << f.plot.str() << "\n"
    << "set terminal svg noenhanced" << size << " background rgb 'white'\nset output svg\nreplot\nunset output\n";
  return s.str();
}

// Runs gnuplot on dir/plot.gp, writing dir/plot.png and dir/plot.svg. Its messages are kept
// and shown only when it fails.
void run_gnuplot(const fs::path& dir, const std::string& script_name) {
  const std::string definitions = "data=" + gnuplot_literal((dir / "plot.dat").string()) +
                                  "; png=" + gnuplot_literal((dir / "plot.png").string()) +
                                  "; svg=" + gnuplot_literal((dir / "plot.svg").string());
  std::vector<std::string> args = {"gnuplot", "-e", definitions, (dir / "plot.gp").string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string log = (dir / "gnuplot.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc == ENOENT) throw InputError("gnuplot not found (apt-get install gnuplot-nox)");
  if (rc != 0) throw InputError(std::string("cannot start gnuplot: ") + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw InputError(std::string("waiting for gnuplot: ") + std::strerror(errno));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  std::string messages;
  try {
    messages = read_file(log, "gnuplot's messages");
  } catch (const InputError&) {
  }
  throw InputError("gnuplot failed on " + script_name +
                   (WIFEXITED(status) ? " (exit status " + std::to_string(WEXITSTATUS(status)) + ")"
                                      : " (killed by signal " + std::to_string(WTERMSIG(status)) + ")") +
                   "; no plot was written. gnuplot said:\n" + messages);
}

}  // namespace

void make_plot(const PlotRequest& r) {
  if (r.input.empty() || r.out.empty()) throw InputError("give RESULTS and --out STEM (see --help)");
  const bool line = r.kind == "line";
  if (!line && r.kind != "pareto" && r.kind != "energy" && r.kind != "area")
    throw InputError("--kind '" + r.kind + "' is not line, pareto, energy or area");
  if (line && r.x.empty()) throw InputError("--kind line needs --x KEY");
  if (r.logx && r.linx) throw InputError("give --logx or --linx, not both");
  const std::pair<const char*, bool> line_only[] = {{"--x", !r.x.empty()},
                                                    {"--series", !r.series.empty()},
                                                    {"--logx", r.logx},
                                                    {"--linx", r.linx},
                                                    {"--logy", r.logy},
                                                    {"--baseline", !r.baseline.empty()},
                                                    {"--baseline-title", !r.baseline_title.empty()},
                                                    {"--reference", !r.reference.empty()},
                                                    {"--xlabel", !r.xlabel.empty()}};
  for (const auto& [option, given] : line_only)
    if (!line && given) throw InputError(std::string("") + option + " applies to --kind line only");
  if (!line && r.y != "accuracy") throw InputError("--y applies to --kind line only");
  if (!r.baseline_title.empty() && r.baseline.empty())
    throw InputError("--baseline-title names the points --baseline selects; give --baseline too");

  OutputSet outputs;  // the four files, all or none
  for (const char* ext : {"png", "svg", "dat", "gp"})
    outputs.declare_file(std::string("--out (.") + ext + ")", r.out + "." + ext);
  const std::vector<Selector> where = parse_selectors(r.where, "--where");
  if (line) parse_selectors(r.baseline, "--baseline");  // checked before the data are read

  const std::vector<json> all_rows = load_rows(r.input);
  std::vector<json> rows;
  for (const auto& row : all_rows)
    if (std::all_of(where.begin(), where.end(), [&](const Selector& s) { return matches(row, s); }))
      rows.push_back(row);
  if (rows.empty()) throw InputError("no point left after --where");

  Figure f;
  if (line)
    line_figure(f, all_rows, rows, where, r);
  else if (r.kind == "pareto")
    pareto_figure(f, rows, where, r);
  else
    breakdown_figure(f, rows, where, r);

  const ScratchDirectory scratch;
  write_file_atomically((scratch.path() / "plot.dat").string(), f.data.str());
  const std::string script = script_of(f, r.out);
  write_file_atomically((scratch.path() / "plot.gp").string(), script);
  run_gnuplot(scratch.path(), r.out + ".gp");
  outputs.stage_file("--out (.png)", read_file((scratch.path() / "plot.png").string(), "gnuplot's PNG"));
  outputs.stage_file("--out (.svg)", read_file((scratch.path() / "plot.svg").string(), "gnuplot's SVG"));
  outputs.stage_file("--out (.dat)", f.data.str());
  outputs.stage_file("--out (.gp)", script);
  outputs.commit();
}

}  // namespace scbnn
