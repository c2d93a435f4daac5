// The words and colours of plots: parameter names from the configuration schema, axis
// titles, short labels of design points, and colours that stay apart.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include "plot_internal.h"
#include "scbnn/base/regex.h"
#include "scbnn/platforms/config.h"
#include "scbnn/tools/json_file.h"

namespace fs = std::filesystem;

namespace scbnn {
namespace {

using json = nlohmann::ordered_json;

// The description split at "; " outside parentheses.
std::vector<std::string> clauses_of(const std::string& text) {
  std::vector<std::string> clauses(1);
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    depth += c == '(' ? 1 : c == ')' && depth > 0 ? -1 : 0;
    if (depth == 0 && c == ';' && i + 1 < text.size() && text[i + 1] == ' ') {
      clauses.emplace_back();
      ++i;
    } else {
      clauses.back() += c;
    }
  }
  return clauses;
}

std::string trimmed(const std::string& s) {
  const size_t begin = s.find_first_not_of(' '), end = s.find_last_not_of(' ');
  return begin == std::string::npos ? "" : s.substr(begin, end - begin + 1);
}

// Text with its parenthetical remarks left out ("pulse duration (reset value of ...)").
std::string without_parentheses(const std::string& text) {
  std::string out;
  int depth = 0;
  for (char c : text) {
    if (c == '(') {
      ++depth;
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (depth == 0) {
      if (c == ' ' && !out.empty() && out.back() == ' ') continue;
      if ((c == ',' || c == ':' || c == ';') && !out.empty() && out.back() == ' ') out.pop_back();
      out += c;
    }
  }
  return trimmed(out);
}

// The key's last part in words: "accel.mram.error_mode" -> "error mode".
std::string key_in_words(const std::string& key) {
  std::string last = key.substr(key.rfind('.') + 1);
  std::replace(last.begin(), last.end(), '_', ' ');
  return last;
}

// Whether every row sets `key` (absolute, or relative to the parameter's owner) to `value`.
bool condition_holds(const std::string& key, const std::string& value, const ParamSpec& spec,
                     const std::vector<json>& rows) {
  const size_t dot = spec.key.rfind('.');
  for (const std::string& candidate : {key, dot == std::string::npos ? key : spec.key.substr(0, dot + 1) + key}) {
    if (!find_parameter(candidate) || rows.empty()) continue;
    return std::all_of(rows.begin(), rows.end(), [&](const json& r) { return setting_of(r, candidate) == value; });
  }
  return false;
}

bool looks_like_file(const std::string& value) {
  static const std::regex extension(R"(\.[A-Za-z][A-Za-z0-9]*$)");
  return value.find('/') != std::string::npos || std::regex_search(value, extension);
}

}  // namespace

const ParamSpec* find_parameter(const std::string& key) {
  const auto& schema = platform_schema();
  for (const auto& s : schema)
    if (s.key == key) return &s;
  for (const auto& s : schema)  // a family ("power.entry.*") holds every key below it
    if (s.key.size() > 1 && s.key.back() == '*' && key.size() >= s.key.size() &&
        key.compare(0, s.key.size() - 1, s.key, 0, s.key.size() - 1) == 0)
      return &s;
  return nullptr;
}

std::string point_text(const json& row, const std::string& key) {
  const json& v = row["point"][key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::optional<std::string> setting_of(const json& row, const std::string& key) {
  if (row["point"].contains(key)) return point_text(row, key);
  json config;
  if (row.contains("config")) {
    config = row["config"];
  } else if (row.contains("report")) {
    std::error_code ec;
    if (!fs::is_regular_file(row["report"].get<std::string>(), ec)) return std::nullopt;
    config = read_json_file(row["report"].get<std::string>(), "a sweep point's run report").value("config", json());
  }
  if (!config.is_object() || !config.contains(key) || !config[key].contains("value")) return std::nullopt;
  const json& v = config[key]["value"];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string parameter_name(const ParamSpec& spec, const std::vector<json>& rows) {
  static const std::regex conditioned(R"(^([A-Za-z_][A-Za-z0-9_.]*) = ([^ :]+): (.+)$)");
  std::string chosen, first_plain;
  std::vector<std::string> conditional;
  for (const auto& clause : clauses_of(spec.description)) {
    std::smatch m;
    if (std::regex_match(clause, m, conditioned)) {
      if (chosen.empty() && condition_holds(m[1], m[2], spec, rows)) chosen = m[3];
      conditional.push_back(m[3]);
    } else if (first_plain.empty()) {
      first_plain = clause;
    }
  }
  if (chosen.empty()) chosen = first_plain;
  if (chosen.empty())
    for (const auto& c : conditional) chosen += (chosen.empty() ? "" : " or ") + without_parentheses(c);
  std::string text = without_parentheses(chosen);
  const size_t colon = text.find(": ");
  const std::string head = colon == std::string::npos ? "" : text.substr(0, colon);
  if (!head.empty()) {
    const std::string rest = text.substr(colon + 2);
    if (std::find(spec.choices.begin(), spec.choices.end(), head) != spec.choices.end())
      return key_in_words(spec.key);  // "physical: ...; per_inference: ..." explains each choice
    if (spec.kind == ParamKind::choice || rest.find(" = ") != std::string::npos)
      text = head;  // "bit cell: two complementary devices ...", "input: fixed = ..."
  }
  if (spec.kind == ParamKind::choice && text.find(", or ") != std::string::npos)
    return key_in_words(spec.key);  // "one source per input, or ... shared" describes the choices
  text = trimmed(text.substr(0, text.find(", ")));
  if (text.size() > 80 && !head.empty()) text = trimmed(head.substr(0, head.find(", ")));
  return text.empty() || text.size() > 80 ? key_in_words(spec.key) : text;
}

std::string display_unit(const std::string& unit) {
  std::string u = unit;
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"^2", "²"}, {"^3", "³"}})
    for (size_t at = u.find(from); at != std::string::npos; at = u.find(from)) u.replace(at, from.size(), to);
  if (u.size() >= 2 && u[0] == 'u' && (std::isupper(static_cast<unsigned char>(u[1])) || u == "us"))
    u = "µ" + u.substr(1);
  return u;
}

std::string axis_title(const std::string& name, const std::string& unit) {
  return unit.empty() ? name : name + " (" + display_unit(unit) + ")";
}

std::map<std::string, std::string> short_keys(const std::vector<std::string>& keys) {
  const auto suffix = [](const std::string& key, size_t parts) {
    size_t at = key.size();
    for (size_t p = 0; p < parts && at != std::string::npos && at > 0; ++p) at = key.rfind('.', at - 1);
    return at == std::string::npos ? key : key.substr(at + 1);
  };
  std::map<std::string, std::string> out;
  for (const auto& k : keys) {
    size_t parts = 1;
    const auto clashes = [&](size_t n) {
      return std::any_of(keys.begin(), keys.end(),
                         [&](const std::string& o) { return o != k && suffix(o, n) == suffix(k, n); });
    };
    while (clashes(parts) && suffix(k, parts) != k) ++parts;
    out[k] = suffix(k, parts);
  }
  return out;
}

std::string value_text(const std::string& key, const std::string& value) {
  const ParamSpec* spec = find_parameter(key);
  if (!spec) return value;
  if (spec->kind == ParamKind::text && looks_like_file(value)) return fs::path(value).stem().string();
  if ((spec->kind == ParamKind::integer || spec->kind == ParamKind::real) && !spec->unit.empty())
    return value + " " + display_unit(spec->unit);
  return value;
}

std::string assignment_text(const std::string& key, const std::string& short_key, const std::string& value) {
  const ParamSpec* spec = find_parameter(key);
  if (spec && spec->kind == ParamKind::text && looks_like_file(value)) return fs::path(value).stem().string();
  return short_key + "=" + value;
}

std::vector<std::string> differing_keys(const std::vector<json>& rows) {
  std::vector<std::string> keys;
  for (const auto& r : rows)
    for (const auto& [k, v] : r["point"].items())
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  std::vector<std::string> differing;
  for (const auto& k : keys) {
    std::set<std::string> values;  // "\x01" = the point does not set the key
    for (const auto& r : rows) values.insert(r["point"].contains(k) ? point_text(r, k) : std::string("\x01"));
    if (values.size() > 1) differing.push_back(k);
  }
  return differing;
}

std::vector<std::string> point_label_parts(const json& row, const std::vector<std::string>& keys,
                                           const std::map<std::string, std::string>& shorts) {
  std::vector<std::string> parts;
  for (const auto& k : keys)
    if (row["point"].contains(k)) parts.push_back(assignment_text(k, shorts.at(k), point_text(row, k)));
  return parts;
}

std::vector<std::string> distinct_colours(size_t count) {
  // K. L. Kelly, "Twenty-two colors of maximum contrast", Color Engineering 3 (1965), in his
  // order (each as different as possible from those before it), white and black left out.
  static const char* kelly[] = {"#f3c300", "#875692", "#f38400", "#a1caf1", "#be0032", "#c2b280", "#848482",
                                "#008856", "#e68fac", "#0067a5", "#f99379", "#604e97", "#f6a600", "#b3446c",
                                "#dcd300", "#882d17", "#8db600", "#654522", "#e25822", "#2b3d26"};
  std::vector<std::string> out;
  std::set<std::string> used;
  for (size_t i = 0; i < count && i < std::size(kelly); ++i) {
    out.emplace_back(kelly[i]);
    used.insert(kelly[i]);
  }
  for (size_t i = 0; out.size() < count; ++i) {
    // Golden-angle hue steps, saturation and value alternating: no two alike.
    const double h = std::fmod(0.05 + 0.6180339887498949 * double(i), 1.0) * 6;
    const double s = i % 2 ? 0.85 : 0.55, v = (i / 2) % 2 ? 0.6 : 0.9;
    const double c = v * s, x = c * (1 - std::fabs(std::fmod(h, 2) - 1)), m = v - c;
    const int sector = int(h) % 6;
    const double r = sector == 0 || sector == 5 ? c : sector == 1 || sector == 4 ? x : 0;
    const double g = sector == 1 || sector == 2 ? c : sector == 0 || sector == 3 ? x : 0;
    const double b = sector == 3 || sector == 4 ? c : sector == 2 || sector == 5 ? x : 0;
    char hex[8];
    std::snprintf(hex, sizeof hex, "#%02x%02x%02x", int(std::lround((r + m) * 255)), int(std::lround((g + m) * 255)),
                  int(std::lround((b + m) * 255)));
    if (used.insert(hex).second) out.emplace_back(hex);
  }
  return out;
}

std::vector<std::string> line_colours(size_t count) {
  // The Tableau 10 colours (matplotlib's default cycle), then distinct_colours' others.
  static const char* tableau[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  std::vector<std::string> out(std::begin(tableau), std::begin(tableau) + std::min(count, std::size(tableau)));
  if (out.size() < count)
    for (const auto& c : distinct_colours(count + std::size(tableau)))
      if (out.size() < count && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  return out;
}

bool all_powers_of_two(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) {
    int exponent = 0;
    return v > 0 && std::isfinite(v) && std::frexp(v, &exponent) == 0.5;
  });
}

std::string gnuplot_string(const std::string& text) {
  std::string q = "\"";
  for (char c : text) {
    if (c == '\\' || c == '"') q += '\\';
    if (c == '\n') {
      q += "\\n";
      continue;
    }
    q += c;
  }
  return q + "\"";
}

std::string number_text(double v) { return shortest_number(v); }

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const auto& p : parts) text += (text.empty() ? "" : separator) + p;
  return text;
}

}  // namespace scbnn
