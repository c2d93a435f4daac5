// The training engine's counted actions and instantiated hardware, for power/ to price.
#include "scbnn/il_trainer/il_train_cost.h"

#include <algorithm>

#include "scbnn/base/component_names.h"
#include "scbnn/models/sng.h"

namespace scbnn {

namespace {
constexpr const char* kName = "train_il";
std::string part(const char* p) { return std::string(kName) + "." + p; }
}  // namespace

IlEngineCost il_engine_cost(const IlTrainCounts& c, const IlTrainKeys& keys, uint32_t channels, uint32_t window,
                            uint32_t dense_inputs) {
  namespace cls = component_class;
  IlEngineCost cost;
  const PbitParams& il = keys.il;
  const IlTrainParams& t = keys.il_train;
  cost.pbit_units = il.update == PbitUpdate::coloured && il.pbit_units
                        ? std::min(il.pbit_units, c.max_pbits)
                        : (il.update == PbitUpdate::sequential ? 1u : c.max_pbits);
  cost.row_banks = t.row_banks ? t.row_banks : dense_inputs;
  cost.feature_adders = t.feature_adders ? t.feature_adders : channels * window;
  cost.cycles = c.cycles();
  cost.seconds = double(cost.cycles) / (il.clock_mhz * 1e6);
  const uint64_t accumulated = c.coupling_updates + c.bias_updates;
  uint32_t feature_bits = 1;
  while (feature_bits < 62 && (uint64_t(1) << feature_bits) <= uint64_t(window) * 255) ++feature_bits;
  ++feature_bits;  // sign

  ActionLedger& a = cost.actions;
  a.add(part("pbit_units"), cls::kIlPbitUnit, action::kDecision, c.engine.updates);
  const SngSourceKind& rng = sng_source_kind(il.rng);
  if (il.unit != "ideal") a.add(part("rng"), rng.component_class.name, rng.action, c.engine.rng_events);
  a.add(part("j_memory"), cls::kIlJMemory, action::kBitRead,
        c.engine.weight_reads * keys.il_train.j_bits + accumulated * c.accumulator_bits);
  a.add(part("j_memory"), cls::kIlJMemory, action::kBitWrite,
        accumulated * c.accumulator_bits + c.j_words_written * keys.il_train.j_bits);
  a.add(part("field_adders"), cls::kIlFieldAdder, action::kAddBit, c.engine.weight_reads * c.field_bits);
  a.add(part("accumulators"), cls::kIlCouplingAccumulator, action::kAddBit, accumulated * c.accumulator_bits);
  a.add(part("accumulators"), cls::kIlCouplingAccumulator, action::kMultiply, c.products);
  a.add(part("feature_adders"), cls::kIlFeatureAdder, action::kAddBit, c.feature_adds * feature_bits);
  a.add(part("feature_comparators"), cls::kThresholdComparator, action::kCompare, c.feature_compares);
  a.add(part("controller"), cls::kController, action::kCycle, cost.cycles);

  HardwareInventory& h = cost.hardware;
  const uint32_t units = cost.pbit_units;
  h.add(part("pbit_units"), cls::kIlPbitUnit, "instance", units, std::to_string(units) + " p-bit units");
  const uint64_t lut_bits = (uint64_t(1) << t.lut_index_bits) * (il.rng_bits + 1);
  h.add(part("tanh_luts"), cls::kIlTanhLut, "bit", double(units) * double(lut_bits),
        std::to_string(units) + " tables x " + std::to_string(lut_bits) + " bits");
  SngParams sp;
  sp.source = il.rng;
  sp.lfsr_width = il.lfsr_width;
  h.add(part("rng"), rng.component_class.name, rng.component_class.basis, units * rng.units_per_source(sp),
        rng.describe ? rng.describe(units, sp) : std::to_string(units) + " sources");
  h.add(part("field_adders"), cls::kIlFieldAdder, "bit", double(units) * c.field_bits,
        std::to_string(units) + " x " + std::to_string(c.field_bits) + "-bit fields");
  h.add(part("j_memory"), cls::kIlJMemory, "bit", double(c.j_memory_words) * c.accumulator_bits,
        std::to_string(c.j_memory_words) + " words x " + std::to_string(c.accumulator_bits) + " bits");
  h.add(part("accumulators"), cls::kIlCouplingAccumulator, "bit", double(cost.row_banks) * c.accumulator_bits,
        std::to_string(cost.row_banks) + " banks x " + std::to_string(c.accumulator_bits) + " bits");
  h.add(part("feature_adders"), cls::kIlFeatureAdder, "bit", double(cost.feature_adders) * feature_bits,
        std::to_string(cost.feature_adders) + " adders x " + std::to_string(feature_bits) + " bits");
  h.add(part("feature_comparators"), cls::kThresholdComparator, "bit", double(channels) * feature_bits,
        std::to_string(channels) + " comparators x " + std::to_string(feature_bits) + " bits");
  h.add(part("controller"), cls::kController, "instance", 1, "one sequencer");
  return cost;
}

}  // namespace scbnn
