// Spin-transfer-torque MRAM weight arrays: 2T2R or 1T1R cells (accel.mram.cell) with
// physical, per-inference or no errors (accel.mram.error_mode); models/mram_array.h.
#include "scbnn/models/mram_array.h"
#include "scbnn/platforms/memory_technology.h"
#include "scbnn/platforms/platform.h"

namespace scbnn {
namespace {

MemoryTechnologyRegistrar registrar(
    "st-mram",
    {"spin-transfer-torque MRAM: 2T2R or 1T1R cells (accel.mram.cell), errors physical, per_inference or ideal "
     "(accel.mram.error_mode)",
     "Hirtzlin et al., Frontiers 2020; Bocquet et al., IEDM 2018", [](const PlatformParams& p) -> WeightArrayFactory {
       return [params = MramParams(p.mram)](const char* name, uint32_t rows, uint32_t columns) {
         return std::unique_ptr<WeightArray>(std::make_unique<MramArray>(name, rows, columns, params));
       };
     }});

}  // namespace

SCBNN_LINK_ANCHOR(memory_technology, st_mram)

}  // namespace scbnn
