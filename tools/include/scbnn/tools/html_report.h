#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace scbnn {

// `scbnn report`: one self-contained HTML page (tables and SVG charts drawn by a small
// inline script from the data embedded in the page; nothing is loaded at view time) of a
// run's JSON report or of a sweep's merged results.json (docs/results.md, "HTML report").

// What the page shows, read from `input_path`: {"kind": "run", "run": ...} or
// {"kind": "sweep", "sweep": ...}. A sweep's point reports are read from the points/
// folder beside its results.json; `output_path` is where the page will be written, so
// that its links to those reports are relative to it. A point report that is missing
// leaves that point without details and adds a line to `warnings`. Throws InputError,
// naming the file, for a file that is neither a run report nor a merged results.json.
nlohmann::ordered_json html_report_data(const std::string& input_path, const std::string& output_path,
                                        std::vector<std::string>& warnings);

// The page, with `data` embedded as JSON in a script element (every '<', '>' and '&'
// escaped, so no text in it can close that element).
std::string html_report_page(const nlohmann::ordered_json& data);

// The data's JSON text as it is embedded in the page.
std::string embedded_json(const nlohmann::ordered_json& data);

// Which of the points (energy, accuracy) are on the Pareto front of accuracy against
// energy: no other point is at most as costly and at least as accurate, and better in one of
// the two. Equal points are both on the front (or both off it).
std::vector<bool> pareto_front(const std::vector<std::pair<double, double>>& energy_accuracy);

}  // namespace scbnn
