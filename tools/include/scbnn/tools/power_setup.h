#pragma once
#include <string>

#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/power/energy_model.h"
#include "scbnn/power/technology.h"

namespace scbnn {

// A preset name (power.preset) that is not a file is looked up among the shipped presets
// (scbnn/base/data_files.h says where).
std::string resolve_preset(const std::string& name_or_path);

// The technology preset the configuration selects, with its power.entry.* and
// power.area_factor.* overrides applied (each marked as an override, with where it was set).
TechnologyPreset technology_from(const Config& config);

// The cycle ledger's cycles per layer by energy stage (stage_of_cycle_phase); a phase with no
// stage is a programming error (std::logic_error naming it).
std::vector<StageCycles> stage_cycles(const CycleLedger& ledger);

// Prices a finished run: its action counts and instantiated hardware, leakage over the
// simulated time, efficiency from the network's binary operations.
PowerReport price_outcome(const TechnologyPreset& technology, const PlatformParams& params, const Network& network,
                          const RunOutcome& outcome);

}  // namespace scbnn
