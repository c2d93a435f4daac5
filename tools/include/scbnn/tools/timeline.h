#pragma once
#include <string>

#include "scbnn/platforms/platform.h"
#include "scbnn/power/energy_model.h"

namespace scbnn {

// `scbnn run --timeline FILE.csv`: energy and average power per window of simulated time,
// from the action counters sampled during the run (Platform::sample_actions) priced at the
// run's own prices (each action's energy per count in `power`) plus the leakage of the
// window. Columns: start_ns, end_ns, dynamic_pj, leakage_pj, energy_pj, power_mw. The
// windows cover the whole run; their energies add up to the report's total.
std::string timeline_csv(const PowerReport& power, const RunOutcome& outcome);

}  // namespace scbnn
