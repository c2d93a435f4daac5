#pragma once
// Helpers shared by plot.cpp and plot_text.cpp (the public part is scbnn/tools/plot.h).
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scbnn/base/params.h"
#include "scbnn/base/text.h"
#include "scbnn/tools/plot.h"

namespace scbnn {

// The configuration parameter of a key (a family's declaration for a key below it), or null.
const ParamSpec* find_parameter(const std::string& key);

// A point's value of a configuration key, as the sweep wrote it.
std::string point_text(const nlohmann::ordered_json& row, const std::string& key);

// The value a row's run used for a key: the swept value, else the run report's (a run
// report's "config", or the sweep point's report the row names in "report"), if known.
std::optional<std::string> setting_of(const nlohmann::ordered_json& row, const std::string& key);

// A unit as people print it: uA -> µA, mm^2 -> mm².
std::string display_unit(const std::string& unit);

// The shortest trailing parts of the keys that still tell them apart ("accel.sng.source" ->
// "source"; "accel.mram.ber" and "accel.rram.ber" -> "mram.ber" and "rram.ber").
std::map<std::string, std::string> short_keys(const std::vector<std::string>& keys);

// A value under a legend that names its key: a file's stem ("fmnist_bnn_sc8"), a number with
// the key's unit ("8 bits"), else the value.
std::string value_text(const std::string& key, const std::string& value);

// A value where no legend names the key: a file's stem, else "short_key=value".
std::string assignment_text(const std::string& key, const std::string& short_key, const std::string& value);

// The keys whose values differ among the rows (a point that does not set a key differs from
// one that does), in the order the rows name them.
std::vector<std::string> differing_keys(const std::vector<nlohmann::ordered_json>& rows);

// A row's assignment_text of each of `keys` it sets.
std::vector<std::string> point_label_parts(const nlohmann::ordered_json& row, const std::vector<std::string>& keys,
                                           const std::map<std::string, std::string>& shorts);

// Colours for curves: the Tableau 10 first (familiar from matplotlib), then further distinct ones.
std::vector<std::string> line_colours(size_t count);

// A gnuplot double-quoted string ('\n' kept as a line break).
std::string gnuplot_string(const std::string& text);

// The parts with `separator` between them.
std::string joined(const std::vector<std::string>& parts, const std::string& separator);

// A number in the data files: the shortest text that reads back the same.
std::string number_text(double v);

}  // namespace scbnn
