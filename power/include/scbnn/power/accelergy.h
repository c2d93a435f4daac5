#pragma once
#include <string>
#include <utility>
#include <vector>

#include "scbnn/power/energy_model.h"

namespace scbnn {

// A priced run in Accelergy's input formats (version 0.4; docs/power-model.md, "Accelergy
// export"), so that the `accelergy` tool reads it and reproduces the run's total energy:
//  architecture.yaml   the hierarchy (identical instances in list notation, name[0..N-1]),
//                      technology and clock at the top, each part's size as attributes
//  components.yaml     compound component classes (a weight array with its drivers,
//                      PCSA-XNOR sense amplifiers and XNOR/popcount tree)
//  ERT.yaml            energy per action in pJ (leakage as the action "leak", per cycle)
//  ART.yaml            area per instance in um^2 (Accelergy's output layout, for Timeloop
//                      and for recomputing the area; Accelergy does not read it)
//  action_counts.yaml  counts per component, summed over a list's instances
//  scbnn.table.yaml and <class>.csv: the per-unit area, leakage and action energies of
//                      every primitive class, as a set of tables for Accelergy's
//                      table-based plug-in (which then prices the area itself)
void write_accelergy(const PowerReport& report, const std::string& dir);

// The same files as name and contents, for callers that place them themselves (the run
// command writes them with its other results, all or nothing).
std::vector<std::pair<std::string, std::string>> accelergy_files(const PowerReport& report);
// Every name accelergy_files() may use, known before any run: the YAML files and a
// <class>.csv for every class of the component catalogue (a run writes those it built).
std::vector<std::string> accelergy_file_names();

// How scbnn's catalogue actions are named in the Accelergy files: Accelergy's conventional
// names (read, write, compute, leak) where one fits, else the scbnn name. An action "carried
// by" another is no action of its own there: its count per count of the carrier becomes an
// argument of the carrier's action, named after it (a write's MTJ pulses and its charge in
// fC). Within one class, two actions that would take the same conventional name keep their
// scbnn names. docs/power-model.md lists this table.
struct AccelergyActionName {
  const char* scbnn;
  const char* accelergy;   // nullptr when carried
  const char* carried_by;  // nullptr unless carried
};
const std::vector<AccelergyActionName>& accelergy_action_names();
// The table's row for `scbnn_action`, or nullptr.
const AccelergyActionName* find_accelergy_action_name(const std::string& scbnn_action);

struct AccelergyTotals {
  double energy_pj = 0;  // sum over action counts of counts x the ERT energy of that action
  double area_um2 = 0;   // sum over ART entries of area x the instances their name lists
};
// Reads ERT.yaml, ART.yaml and action_counts.yaml back and recomputes the totals, finding
// each count's ERT entry as Accelergy does (by name with list ranges removed, then by action
// and arguments). InputError, naming the file and entry, on malformed files or a count
// without an ERT entry.
AccelergyTotals read_accelergy_totals(const std::string& dir);

}  // namespace scbnn
