#pragma once
#include <string>

#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/power/energy_model.h"
#include "scbnn/power/technology.h"

namespace scbnn {

// Where a preset name (power.preset) is looked up when it is not a file: the source tree's
// power/presets/ and the installed share/scbnn/presets/.
std::string resolve_preset(const std::string& name_or_path);

// The technology preset the configuration selects, with its power.entry.* overrides
// applied (each marked as an override, with where it was set).
TechnologyPreset technology_from(const Config& config);

// Prices a finished run: its action counts and instantiated hardware, leakage over the
// simulated time, efficiency from the network's binary operations.
PowerReport price_outcome(const TechnologyPreset& technology, const PlatformParams& params, const Network& network,
                          const RunOutcome& outcome);

}  // namespace scbnn
