#include "scbnn/tools/html_report.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <numeric>

#include "scbnn/base/errors.h"
#include "scbnn/base/statistics.h"
#include "scbnn/tools/json_file.h"

namespace fs = std::filesystem;

namespace scbnn {

// The page's script and style sheet (tools/src/report_page/), compiled in by
// cmake/embed_text.cmake so that the tool needs no file beside it to write a page.
extern const char kReportPageScript[];
extern const char kReportPageStyle[];

namespace {

using json = nlohmann::ordered_json;

const char* const kWhat = "a run report (scbnn run --report) or a sweep's merged results.json (scbnn merge DIR)";

// A member `key` of `j` that must be there, refused naming the file and where it is missing.
const json& need(const json& j, const std::string& key, const std::string& where, const std::string& path) {
  if (!j.is_object() || !j.contains(key))
    throw InputError(path + ": " + where + " has no '" + key + "' (expected " + kWhat + ")");
  return j[key];
}

double need_number(const json& j, const std::string& key, const std::string& where, const std::string& path) {
  const json& v = need(j, key, where, path);
  if (!v.is_number()) throw InputError(path + ": " + where + "'s '" + key + "' is not a number (got " + v.dump() + ")");
  return v.get<double>();
}

uint64_t need_count(const json& j, const std::string& key, const std::string& where, const std::string& path) {
  const json& v = need(j, key, where, path);
  if (!v.is_number_unsigned())
    throw InputError(path + ": " + where + "'s '" + key + "' is not a count (got " + v.dump() + ")");
  return v.get<uint64_t>();
}

json interval_json(uint64_t correct, uint64_t images) {
  const ProportionInterval i = wilson_interval(correct, images);
  return {{"method", "Wilson score"}, {"low", i.low}, {"high", i.high}};
}

// Copies the members of `from` named in `keys` that it has.
json subset(const json& from, std::initializer_list<const char*> keys) {
  json j = json::object();
  for (const char* k : keys)
    if (from.contains(k)) j[k] = from[k];
  return j;
}

// What the page shows of one run report.
json run_view(const json& r, const std::string& path) {
  if (!r.is_object() || !r.contains("accuracy") || !r.contains("cycles"))
    throw InputError(path + ": not " + std::string(kWhat) + ": it has neither 'rows' nor 'accuracy' and 'cycles'");
  const json& acc = r["accuracy"];
  const uint64_t correct = need_count(acc, "correct", "accuracy", path);
  const uint64_t images = need_count(acc, "images", "accuracy", path);
  if (correct > images) throw InputError(path + ": accuracy.correct is larger than accuracy.images");
  need_number(acc, "accuracy", "accuracy", path);
  const json& cycles = r["cycles"];
  need_number(cycles, "per_inference", "cycles", path);
  if (!need(cycles, "per_layer", "cycles", path).is_array())
    throw InputError(path + ": cycles.per_layer is not a list");
  json v = json::object();
  v["tool"] = r.value("tool", json::object());
  v["provenance"] = r.value("provenance", json::object());
  v["network"] = subset(r.value("network", json::object()), {"path", "input_mode"});
  v["dataset"] = subset(r.value("dataset", json::object()), {"path", "format", "split", "first_image", "images"});
  v["first_layer"] = subset(r.value("first_layer", json::object()), {"mode"});
  v["seed"] = r.value("seeds", json::object()).value("master", json());
  v["accuracy"] = acc;
  v["accuracy_interval"] = interval_json(correct, images);
  v["cycles"] = subset(cycles, {"clock_mhz", "per_inference", "per_layer"});
  v["latency"] = r.value("latency", json::object());
  v["layers"] = r.value("layers", json::array());
  v["outside_layers"] = r.value("outside_layers", json::object());
  if (r.contains("power")) {
    const json& p = r["power"];
    need_number(p, "energy_per_inference_pj", "power", path);
    need_number(p, "area_um2", "power", path);
    v["power"] = subset(p, {"preset", "energy_per_inference_pj", "dynamic_per_inference_pj", "leakage_per_inference_pj",
                            "programming_pj", "leakage_nw", "area_um2", "area", "efficiency", "per_stage", "per_class",
                            "area_per_class", "entries"});
  }
  return v;
}

// A path as an href relative to the page's folder: '/' kept, anything but unreserved
// characters percent-encoded.
std::string href_to(const fs::path& target, const fs::path& page_dir) {
  fs::path rel = fs::absolute(target).lexically_normal().lexically_relative(page_dir);
  if (rel.empty()) rel = fs::absolute(target).lexically_normal();
  std::string out;
  for (const unsigned char c : rel.generic_string()) {
    if (std::isalnum(c) || std::strchr("-._~/", c)) {
      out += char(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

json sweep_view(const json& results, const std::string& path, const std::string& output_path,
                std::vector<std::string>& warnings) {
  const json& rows = results["rows"];
  if (!rows.is_array()) throw InputError(path + ": 'rows' is not a list (expected " + kWhat + ")");
  const fs::path points_dir = fs::path(path).parent_path() / "points";
  const fs::path page_dir = fs::absolute(output_path).parent_path().lexically_normal();
  json view = json::object();
  view["name"] = results.value("sweep", std::string());
  view["swept_keys"] = results.value("swept_keys", json::array());
  view["merged"] = results.value("merged", json::object());
  view["seed_means"] = results.value("seed_means", json::array());
  json out_rows = json::array(), details = json::object(), entry_tables = json::array();
  std::map<std::string, size_t> table_of_entries;  // entries' JSON text -> index in entry_tables
  std::map<std::string, size_t> counts;
  std::vector<std::pair<double, double>> done_points;
  std::vector<size_t> done_rows;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string where = "rows[" + std::to_string(i) + "]";
    json row = rows[i];
    const std::string status = need(row, "status", where, path).get<std::string>();
    const std::string hash = need(row, "hash", where, path).get<std::string>();
    need(row, "point", where, path);
    ++counts[status];
    if (status == "done") {
      const uint64_t correct = need_count(row, "correct", where, path);
      const uint64_t images = need_count(row, "images", where, path);
      if (correct > images) throw InputError(path + ": " + where + ": correct is larger than images");
      done_points.emplace_back(need_number(row, "energy_nj_per_inference", where, path),
                               need_number(row, "accuracy", where, path));
      done_rows.push_back(out_rows.size());
      row["accuracy_interval"] = interval_json(correct, images);
      const fs::path report = points_dir / (hash + ".json");
      row["report_path"] = report.generic_string();
      row["report_href"] = href_to(report, page_dir);
      if (fs::exists(report)) {
        json detail = run_view(read_json_file(report.string(), "point report"), report.string());
        if (detail.contains("power") && detail["power"].contains("entries")) {
          // Points mostly share one technology table: each distinct one is kept once.
          const std::string text = detail["power"]["entries"].dump();
          const auto [it, added] = table_of_entries.emplace(text, entry_tables.size());
          if (added) entry_tables.push_back(detail["power"]["entries"]);
          detail["power"].erase("entries");
          detail["power"]["entries_table"] = it->second;
        }
        details[hash] = detail;
      } else {
        warnings.push_back(report.string() + " not found: point " + std::to_string(row.value("index", i)) +
                           " is shown without its details");
      }
    }
    out_rows.push_back(row);
  }
  const std::vector<bool> front = pareto_front(done_points);
  for (size_t k = 0; k < done_rows.size(); ++k) out_rows[done_rows[k]]["on_front"] = bool(front[k]);
  view["counts"] = {{"done", counts["done"]}, {"failed", counts["failed"]}, {"missing", counts["missing"]}};
  view["rows"] = out_rows;
  view["details"] = details;
  view["entry_tables"] = entry_tables;
  return view;
}

std::string escape_html(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<bool> pareto_front(const std::vector<std::pair<double, double>>& energy_accuracy) {
  std::vector<size_t> order(energy_accuracy.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto& [ea, aa] = energy_accuracy[a];
    const auto& [eb, ab] = energy_accuracy[b];
    return ea != eb ? ea < eb : aa > ab;
  });
  std::vector<bool> front(energy_accuracy.size(), false);
  // Points of equal energy form a group; its most accurate points are on the front when
  // they beat every cheaper point's accuracy.
  double best_cheaper = -std::numeric_limits<double>::infinity();
  for (size_t g = 0; g < order.size();) {
    const double energy = energy_accuracy[order[g]].first, top = energy_accuracy[order[g]].second;
    size_t end = g;
    for (; end < order.size() && energy_accuracy[order[end]].first == energy; ++end)
      front[order[end]] = top > best_cheaper && energy_accuracy[order[end]].second == top;
    best_cheaper = std::max(best_cheaper, top);
    g = end;
  }
  return front;
}

json html_report_data(const std::string& input_path, const std::string& output_path,
                      std::vector<std::string>& warnings) {
  const json input = read_json_file(input_path, kWhat);
  json data = json::object();
  data["input"] = input_path;
  try {
    if (input.is_object() && input.contains("rows")) {
      data["kind"] = "sweep";
      data["sweep"] = sweep_view(input, input_path, output_path, warnings);
    } else {
      data["kind"] = "run";
      data["run"] = run_view(input, input_path);
    }
  } catch (const json::exception& e) {
    // a member of an unexpected type, say a string where a list belongs
    throw InputError(input_path + ": unexpected contents for " + kWhat + ": " + e.what());
  }
  return data;
}

std::string embedded_json(const json& data) {
  const std::string text = data.dump(-1, ' ', false, json::error_handler_t::replace);
  // '<', '>' and '&' occur only inside JSON strings, where \uXXXX means the same.
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

std::string html_report_page(const json& data) {
  const std::string title = "scbnn " + std::string(data.value("kind", "") == "sweep" ? "sweep" : "run") +
                            " report: " + fs::path(data.value("input", std::string())).filename().string();
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing but this file: the page loads no script, style, font or image from anywhere.
  page +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
      "style-src 'unsafe-inline'; img-src data:\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<link rel=\"icon\" href=\"data:,\">\n";
  page += "<title>" + escape_html(title) + "</title>\n<style>\n" + kReportPageStyle + "</style>\n</head>\n<body>\n";
  page += "<header><h1>" + escape_html(title) + "</h1></header>\n";
  page += "<main id=\"report\" aria-live=\"polite\"></main>\n";
  page +=
      "<noscript><p>This page draws its tables and charts with a small script inside it; allow scripts to see "
      "them. Its data is the JSON in the element scbnn-data.</p></noscript>\n";
  page += "<script type=\"application/json\" id=\"scbnn-data\">" + embedded_json(data) + "</script>\n";
  page += "<script>\n" + std::string(kReportPageScript) + "</script>\n</body>\n</html>\n";
  return page;
}

}  // namespace scbnn
