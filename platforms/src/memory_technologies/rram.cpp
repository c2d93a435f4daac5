// HfO2 resistive-RAM weight arrays: 2T2R or 1T1R cells (accel.rram.cell) whose programming
// errors follow the SET compliance current (accel.rram.error_mode); models/rram_array.h.
#include <stdexcept>

#include "scbnn/base/component_names.h"
#include "scbnn/models/rram_array.h"
#include "scbnn/platforms/memory_technology.h"
#include "scbnn/platforms/platform.h"

namespace scbnn {
namespace {

std::vector<ActionSpec> rram_array_actions() {
  return {{action::kRowRead, Pricing::per_event, Stage::array, "word line and row decoder activation for one row read"},
          {action::kBitSensed, Pricing::per_event, Stage::array,
           "bit-line charge and cell read current for one bit (both devices of a 2T2R cell)"},
          {action::kWordWrite, Pricing::per_event, Stage::programming,
           "address decode and write-driver setup for one 64-bit word write"},
          {action::kDevicePulse, Pricing::per_event, Stage::programming,
           "write-driver switching for one SET or RESET pulse on a device (excluding the cell current)"},
          {action::kSetCharge, Pricing::per_charge, Stage::programming,
           "charge of the SET pulses, in fC (compliance current x pulse duration, summed)"},
          {action::kResetCharge, Pricing::per_charge, Stage::programming,
           "charge of the RESET pulses, in fC (reset current x pulse duration, summed)"}};
}

// The programming currents the law gives for these error rates (the experiments read the
// energy ratio between two error rates off them; docs/experiments/rram.md).
constexpr double kReportedErrors[] = {1e-6, 1e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3,
                                      1e-2, 2e-2, 3e-2, 4e-2, 5e-2, 1e-1, 2e-1};

nlohmann::ordered_json rram_report(const PlatformParams& p, const AcceleratorModel& accel) {
  using json = nlohmann::ordered_json;
  const RramParams& r = p.rram;
  json j = {{"technology", "rram"}, {"model", enum_name(r.error_mode)}, {"cell", enum_name(r.cell)}};
  if (r.error_mode == RramErrorMode::ideal) return j;
  if (r.error_mode == RramErrorMode::per_inference) {
    j["weight_flip_probability"] = r.ber;
    return j;
  }
  const auto* array = dynamic_cast<const RramArray*>(&accel.core.array(0));
  if (!array) throw std::logic_error("the accelerator's arrays are not RRAM arrays");
  const RramLaw law = array->law(p.accel.pulse);
  j["write_errors"] = enum_name(r.write_errors);
  j["pulse"] = {{"duration_ns", p.accel.pulse.duration_ns}, {"current_ua", p.accel.pulse.current_ua}};
  j["write_error_probability"] = law.mean_error();
  j["write_error_lrs"] = law.error_lrs;
  j["write_error_hrs"] = law.error_hrs;
  j["read_error_probability"] = law.read_error;
  j["lrs_median_ohm"] = law.lrs_median_ohm;
  j["lrs_sigma"] = law.lrs_sigma;
  j["hrs_median_ohm"] = law.hrs_median_ohm;
  j["hrs_sigma"] = law.hrs_sigma;
  if (r.cell == CellType::one_t_one_r) j["reference_ohm"] = law.reference_ohm;
  json currents = json::array();
  for (double e : kReportedErrors)
    currents.push_back({{"write_error_probability", e}, {"current_ua", rram_current_for_error(r.device, r.cell, e)}});
  j["programming_current_for_error"] = currents;
  return j;
}

MemoryTechnologyRegistrar registrar(
    "rram",
    {"HfO2 resistive RAM: 2T2R or 1T1R cells (accel.rram.cell), programming errors from the resistance "
     "distributions at the SET compliance current (PROG_CURRENT_NA), errors physical, per_inference or ideal "
     "(accel.rram.error_mode)",
     "Hirtzlin et al., AICAS 2019 and Frontiers 2020; Bocquet et al., IEDM 2018",
     [](const PlatformParams& p) -> WeightArrayFactory {
       return [params = RramParams(p.rram)](const char* name, uint32_t rows, uint32_t columns) {
         return std::unique_ptr<WeightArray>(std::make_unique<RramArray>(name, rows, columns, params));
       };
     },
     {{component_class::kRram2t2rArray, "cell",
       "HfO2 RRAM array of 2T2R cells (two complementary devices, two access transistors)", rram_array_actions(),
       "accel.rram.area_f2", AreaRole::array_cell},
      {component_class::kRram1t1rArray, "cell", "HfO2 RRAM array of 1T1R cells (one device, one access transistor)",
       rram_array_actions(), "accel.rram.area_f2", AreaRole::array_cell}},
     rram_report});

}  // namespace

SCBNN_LINK_ANCHOR(memory_technology, rram)

}  // namespace scbnn
