#pragma once
#include <string>
#include <utility>
#include <vector>

#include "scbnn/power/energy_model.h"

namespace scbnn {

// Writes a priced run in Accelergy's layout (version 0.3) into `dir`, so it can be
// cross-checked offline: ERT.yaml (energy per action, pJ; leakage as the action "leak",
// energy per accelerator cycle), ART.yaml (area per component, um^2) and
// action_counts.yaml (counts per component; "leak" counted in simulated cycles).
void write_accelergy(const PowerReport& report, const std::string& dir);

// The same files as name and contents, for callers that place them themselves (the run
// command writes them with its other results, all or nothing).
std::vector<std::pair<std::string, std::string>> accelergy_files(const PowerReport& report);
// Their names, known before any run: ERT.yaml, ART.yaml, action_counts.yaml.
const std::vector<std::string>& accelergy_file_names();

struct AccelergyTotals {
  double energy_pj = 0;  // sum over components and actions of counts x ERT energy
  double area_um2 = 0;   // sum of ART areas
};
// Reads the three files back and recomputes the totals (InputError on malformed files).
AccelergyTotals read_accelergy_totals(const std::string& dir);

}  // namespace scbnn
