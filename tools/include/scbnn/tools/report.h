#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/power/energy_model.h"
#include "scbnn/tools/provenance.h"

namespace scbnn {

// 3: provenance (tool build, host, start, input files' SHA-256) and the accuracy's interval.
inline constexpr int kReportSchemaVersion = 3;

struct RunInputs {
  const Config* config = nullptr;
  const PlatformParams* params = nullptr;
  const Network* network = nullptr;
  std::string network_path;
  const Dataset* dataset = nullptr;
  std::string dataset_path;
  uint32_t first_image = 0;
  double clock_mhz = 0;
  const PowerReport* power = nullptr;  // energy, area and leakage (omitted when null)
  // The run's accelerator: the report asks its models for their derived figures (memory
  // error probabilities, SNG stream quality).
  // The BNN's AcceleratorModel or the MAC array's MacAcceleratorModel (accel.datapath).
  const AcceleratorFace* accelerator = nullptr;
  InputFiles files;         // what the run read, hashed into the report's provenance
  std::string started_utc;  // when the run started
};

// The run's machine-readable report (schema in docs/report.md).
nlohmann::ordered_json make_report(const RunInputs& in, const RunOutcome& out);
// The human table printed by `scbnn run`.
std::string format_report(const nlohmann::ordered_json& report);
// The run's result on one line (what `scbnn run -q` prints): accuracy, cycles and energy
// per inference.
std::string format_summary(const nlohmann::ordered_json& report);
// index,label,predicted,score_0..score_{C-1}
std::string predictions_csv(const RunInputs& in, const RunOutcome& out);

}  // namespace scbnn
