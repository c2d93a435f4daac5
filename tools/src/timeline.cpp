#include "scbnn/tools/timeline.h"

#include <cstdio>
#include <map>
#include <stdexcept>
#include <utility>

namespace scbnn {

std::string timeline_csv(const PowerReport& power, const RunOutcome& outcome) {
  std::map<std::pair<std::string, std::string>, double> price;  // (component, action) -> pJ per count
  for (const PricedAction& a : power.actions) price[{a.component, a.action}] = a.energy_per_count_pj;
  const auto& entries = outcome.actions.entries();
  std::vector<double> per_count(entries.size(), 0);
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto it = price.find({entries[i].component, entries[i].action});
    if (it != price.end()) per_count[i] = it->second;
  }
  std::string csv = "start_ns,end_ns,dynamic_pj,leakage_pj,energy_pj,power_mw\n";
  const auto& samples = outcome.action_samples;
  for (size_t s = 1; s < samples.size(); ++s) {
    const ActionSample &from = samples[s - 1], &to = samples[s];
    if (from.counts.size() != entries.size() || to.counts.size() != entries.size())
      throw std::logic_error("action samples do not match the run's action counters");
    double dynamic = 0;
    for (size_t i = 0; i < entries.size(); ++i) dynamic += double(to.counts[i] - from.counts[i]) * per_count[i];
    const double seconds = (to.time - from.time).to_seconds();
    const double leakage = power.leakage_nw * seconds * 1e3;  // nW x s = 1e3 pJ
    const double energy = dynamic + leakage;
    char line[256];
    std::snprintf(line, sizeof line, "%.3f,%.3f,%.6g,%.6g,%.6g,%.6g\n", from.time.to_seconds() * 1e9,
                  to.time.to_seconds() * 1e9, dynamic, leakage, energy, seconds > 0 ? energy * 1e-9 / seconds : 0.0);
    csv += line;
  }
  return csv;
}

}  // namespace scbnn
