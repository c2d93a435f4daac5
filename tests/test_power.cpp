// power/: technology presets, pricing, area roll-up, overrides and the Accelergy export.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>

#include "scbnn/base/data_files.h"
#include "scbnn/base/errors.h"
#include "scbnn/base/text.h"
#include "scbnn/models/accounting.h"
#include "scbnn/models/mram_array.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/power/accelergy.h"
#include "scbnn/tlm/address_map.h"
#include "scbnn/tools/power_setup.h"
#include "scbnn/tools/report.h"
#include "test_support.h"

using namespace scbnn;
using scbnn::test::error_of;

namespace {

const std::string kPresetDir = SCBNN_SOURCE_DIR "/power/presets/";

// The hand-counted configuration of Platform.CycleAccountingMatchesHandCount.
Config small_config() {
  Config c;
  for (const char* o :
       {"accel.loop_order=pass_inner", "accel.array.rows=32", "accel.array.columns=64", "accel.array.count=5",
        "accel.pe.width_bits=64", "accel.buffer.port_bits=64", "accel.array.read_ns=4", "accel.clock_mhz=500"})
    c.apply_override(o);
  return c;
}

uint64_t count_of(const RunOutcome& out, const std::string& cls, const std::string& action) {
  uint64_t n = 0;
  for (const auto& a : out.actions.entries())
    if (a.component_class == cls && a.action == action) n += a.count;
  return n;
}

double energy_of(const PowerReport& r, const std::string& cls, const std::string& action) {
  double e = 0;
  for (const auto& a : r.actions)
    if (a.component_class == cls && a.action == action) e += a.energy_pj;
  return e;
}

// The energy of one count of `a`, worked out here from the catalogue and the preset: a
// device-derived action carries its own energy, an action priced as another uses that one's
// entry, a per-charge count (fC) is priced at a voltage.
double energy_per_count(const TechnologyPreset& t, const ActionCount& a) {
  const ActionSpec* spec = find_component_class(a.component_class)->action(a.action);
  if (!spec->energy_parameter.empty()) return a.device_energy.fj * 1e-3;
  const double e = t.action_entry(a.component_class, spec->priced_as.empty() ? a.action : spec->priced_as)->value;
  return spec->pricing == Pricing::per_charge ? e * 1e-3 : e;
}

std::map<std::string, double> area_by_class(const PowerReport& r) {
  std::map<std::string, double> m;
  for (const auto& h : r.hardware) m[h.item.component_class] += h.area_um2;
  return m;
}

}  // namespace

// Every shipped preset, found by listing power/presets/ (adding a preset is adding its file).
std::vector<std::string> shipped_presets() {
  const std::vector<std::string> names = file_stems_in(kPresetDir, ".yaml");
  EXPECT_GE(names.size(), 2u) << "no presets found in " << kPresetDir;
  return names;
}

TEST(Power, ShippedPresetsPriceEveryCatalogueEntry) {
  for (const std::string& name : shipped_presets()) {
    const TechnologyPreset p = load_preset(kPresetDir + name + ".yaml");
    EXPECT_EQ(p.name, name);
    for (const auto& c : component_catalogue()) {
      ASSERT_TRUE(p.components.count(c.name)) << name << ": " << c.name;
      const ComponentTable& t = p.components.at(c.name);
      EXPECT_EQ(bool(t.area), c.area_parameter.empty()) << name << ": " << c.name;  // MRAM cells: the device's area
      EXPECT_TRUE(t.leakage) << name << ": " << c.name;
      for (const auto& a : c.actions) {
        const TableEntry* e = p.action_entry(c.name, a.name);
        if (a.derived()) {  // priced from the device parameters or another action's entry
          EXPECT_FALSE(e) << name << ": " << c.name << "." << a.name;
          if (!a.priced_as.empty()) {
            EXPECT_TRUE(p.action_entry(c.name, a.priced_as)) << c.name << "." << a.priced_as;
          }
          continue;
        }
        ASSERT_TRUE(e) << name << ": " << c.name << "." << a.name;
        EXPECT_FALSE(e->source.empty());
      }
    }
  }
}

TEST(Power, UnitsConvertToCanonicalUnits) {
  EXPECT_DOUBLE_EQ(to_canonical(35, "fJ", UnitKind::energy, 28, "x"), 0.035);
  EXPECT_DOUBLE_EQ(to_canonical(2, "nJ", UnitKind::energy, 28, "x"), 2000);
  EXPECT_NEAR(to_canonical(115, "F^2", UnitKind::area, 28, "x"), 115 * 0.028 * 0.028, 1e-12);
  EXPECT_DOUBLE_EQ(to_canonical(0.5, "mm^2", UnitKind::area, 28, "x"), 5e5);
  EXPECT_DOUBLE_EQ(to_canonical(12.8, "uW", UnitKind::power, 28, "x"), 12800);
  EXPECT_THROW(to_canonical(1, "pJ", UnitKind::area, 28, "x"), InputError);  // an energy is not an area
}

TEST(Power, MalformedPresetsNameTheFileEntryAndExpectedForm) {
  const std::string head = "name: t\nfeature_size_nm: 28\ncomponents:\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"name: [unclosed", "malformed YAML"},
      {"name: t\ncomponents: {}\n", "feature_size_nm"},
      {head + "  pcsa:\n    area: {value: -2, unit: um^2, per: instance, source: s}\n", "negative"},
      {head + "  pcsa:\n    area: {value: 2, unit: furlong^2, per: instance, source: s}\n", "unknown unit 'furlong^2'"},
      {head + "  pcsa:\n    area: {value: 2, unit: pJ, per: instance, source: s}\n", "expected an area"},
      {head + "  pcsa:\n    area: {value: 2, unit: um^2, per: bit, source: s}\n", "counted per 'instance'"},
      {head + "  pcsa:\n    area: {value: 2, unit: um^2, per: instance}\n", "needs 'source'"},
      {head + "  pcsa:\n    area: {value: two, unit: um^2, per: instance, source: s}\n", "not a number"},
      {head + "  pcsa:\n    area: {value: 2, unit: um^2, per: instance, source: s, colour: red}\n",
       "unknown field 'colour'"},
      {head + "  flux_capacitor:\n    area: {value: 2, unit: um^2, per: instance, source: s}\n",
       "unknown component class 'flux_capacitor'"},
      {head + "  pcsa:\n    actions:\n      dance: {value: 1, unit: fJ, source: s}\n",
       "unknown action 'dance' of pcsa (expected sense_xnor)"},
      {head + "  mram_2t2r_array:\n    actions:\n      mtj_write_charge: {value: 1, unit: fJ, source: s}\n",
       "expected a voltage"},
  };
  for (const auto& [text, expected] : cases) {
    const std::string message = error_of([&yaml = text] { parse_preset(yaml, "bad.yaml"); });
    EXPECT_NE(message.find("bad.yaml"), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << "expected '" << expected << "' in: " << message;
  }
  EXPECT_NE(error_of([] { load_preset("/no/such/preset.yaml"); }).find("/no/such/preset.yaml"), std::string::npos);
}

// Energy = sum over actions of count x table energy, plus leakage power x simulated time;
// the counts themselves are hand-counted for a 128-64-10 network on 5 arrays of 32 x 64:
// layer 0 has 4 tiles of 32 rows x 64 inputs read in 8 bit-plane passes (1024 row reads,
// 65 536 bits), layer 1 one tile of 10 rows x 64 inputs (640 bits).
TEST(Power, RunEnergyIsCountsTimesTableEnergiesPlusLeakage) {
  const Network net = test::random_network({128, 64, 10}, 7, 8, 16);
  const Dataset data = test::random_dataset(5, 8, 16, 9);
  const Config c = small_config();
  const PlatformParams params = platform_params(c);
  Platform platform(params, net, data, 0, 5);
  const RunOutcome out = platform.run();
  const TechnologyPreset t = technology_from(c);
  const PowerReport r = price_outcome(t, params, net, out);

  EXPECT_EQ(count_of(out, "mram_2t2r_array", "row_read"), 5u * 1034);
  EXPECT_EQ(count_of(out, "mram_2t2r_array", "bit_sensed"), 5u * 66176);
  EXPECT_EQ(count_of(out, "pcsa", "sense_xnor"), 5u * 66176);
  EXPECT_EQ(count_of(out, "xnor_popcount", "bit"), 5u * 66176);
  const uint32_t acc_bits = 19;  // |sum| <= 1024 inputs x 255 < 2^18, plus a sign bit
  EXPECT_EQ(accumulator_bits(params.accel.core), acc_bits);
  EXPECT_EQ(count_of(out, "accumulator", "add_bit"), 5u * 1034 * acc_bits);
  EXPECT_EQ(count_of(out, "controller", "cycle"), 5u * 579);
  // Programming: 1 pulse per MTJ, two MTJs per 2T2R cell, 100 uA x 10 ns = 1000 fC each.
  const uint64_t weights = 128 * 64 + 64 * 10;
  EXPECT_EQ(count_of(out, "mram_2t2r_array", "mtj_write_pulse"), 2 * weights);
  EXPECT_EQ(count_of(out, "mram_2t2r_array", "mtj_write_charge"), 2 * weights * 1000);

  // Reads: the cell current (10 uA)^2 x (5 + 12.5) kohm x 1 ns = 1.75 fJ per bit, the bit lines
  // 32 rows x 2 branches x 0.045 fJ per bit.
  EXPECT_EQ(count_of(out, "mram_2t2r_array", "bit_line_cell"), 5u * 66176 * 32 * 2);
  EXPECT_NEAR(energy_of(r, "mram_2t2r_array", "bit_sensed"), 5.0 * 66176 * 1.75e-3, 1e-6);
  EXPECT_NEAR(energy_of(r, "mram_2t2r_array", "bit_line_cell"), 5.0 * 66176 * 64 * 0.045e-3, 1e-6);
  EXPECT_NEAR(energy_of(r, "pcsa", "sense_xnor"), 5.0 * 66176 * 0.005, 1e-6);
  // Writes: V_write I t at 0.95 V, the charge pump's loss at 0.95 V x (1 / 0.4 - 1).
  EXPECT_NEAR(energy_of(r, "mram_2t2r_array", "mtj_write_charge"), 2.0 * weights * 1000 * 0.95e-3, 1e-6);
  EXPECT_NEAR(energy_of(r, "mram_2t2r_array", "write_pump_charge"), 2.0 * weights * 1000 * 1.425e-3, 1e-6);
  EXPECT_EQ(count_of(out, "mram_2t2r_array", "verify_mtj_read"), 0u);  // accel.mram.write_verify = off

  double dynamic = 0;
  for (const auto& a : out.actions.entries())
    if (a.count > 0) dynamic += double(a.count) * energy_per_count(t, a);
  double leakage_nw = 0;
  for (const auto& h : out.hardware.items())
    leakage_nw += h.quantity * t.components.at(h.component_class).leakage->value;
  const double seconds = out.simulated_time.to_seconds();
  EXPECT_GT(leakage_nw, 0);
  EXPECT_NEAR(r.total_pj(), dynamic + leakage_nw * seconds * 1e3, 1e-9 * r.total_pj());
  EXPECT_NEAR(r.programming_pj + r.inference_dynamic_pj, dynamic, 1e-9 * dynamic);
  const double inference_s = (out.simulated_time - out.programming_time).to_seconds();
  EXPECT_NEAR(r.energy_per_inference_pj(), (r.inference_dynamic_pj + leakage_nw * inference_s * 1e3) / 5,
              1e-9 * r.energy_per_inference_pj());
}

namespace {

// Counts of `cls`.`action` by layer, summed over the instances: [0] outside, [l + 1] layer l.
std::vector<uint64_t> by_layer_of(const RunOutcome& out, const std::string& cls, const std::string& action) {
  std::vector<uint64_t> v(1, 0);
  for (const auto& a : out.actions.entries()) {
    if (a.component_class != cls || a.action != action) continue;
    if (v.size() < a.by_layer.layers.size() + 1) v.resize(a.by_layer.layers.size() + 1, 0);
    v[0] += a.by_layer.outside;
    for (size_t l = 0; l < a.by_layer.layers.size(); ++l) v[l + 1] += a.by_layer.layers[l];
  }
  return v;
}

}  // namespace

// The hand-counted run above, layer by layer (5 images). Layer 0 (128-64): 8 bit-plane
// passes x 4 tiles of 32 rows = 1024 row reads of 64 bits per image, its 8 bit-planes of
// 128 pixels read from the input buffer (1024 bits), 64 activations written; layer 1
// (64-10): one tile of 10 rows read once (10 row reads, 640 bits), 64 activations read.
// Cycles 539 and 40 per image. Programming and the host's image copies are outside.
TEST(Power, PerLayerCostsMatchAHandCountAndSumToTheTotals) {
  const Network net = test::random_network({128, 64, 10}, 7, 8, 16);
  const Dataset data = test::random_dataset(5, 8, 16, 9);
  const Config c = small_config();
  const PlatformParams params = platform_params(c);
  Platform platform(params, net, data, 0, 5);
  const RunOutcome out = platform.run();
  const PowerReport r = price_outcome(technology_from(c), params, net, out);

  for (const auto& a : out.actions.entries()) EXPECT_EQ(a.by_layer.total(), a.count) << a.component << "." << a.action;
  using Counts = std::vector<uint64_t>;
  EXPECT_EQ(by_layer_of(out, "mram_2t2r_array", "row_read"), (Counts{0, 5 * 1024, 5 * 10}));
  EXPECT_EQ(by_layer_of(out, "mram_2t2r_array", "bit_sensed"), (Counts{0, 5 * 1024 * 64, 5 * 640}));
  EXPECT_EQ(by_layer_of(out, "pcsa", "sense_xnor"), (Counts{0, 5 * 1024 * 64, 5 * 640}));
  EXPECT_EQ(by_layer_of(out, "activation_buffer", "bit_write"), (Counts{0, 5 * 64}));
  EXPECT_EQ(by_layer_of(out, "activation_buffer", "bit_read"), (Counts{0, 0, 5 * 64}));
  EXPECT_EQ(by_layer_of(out, "input_buffer", "bit_read"), (Counts{0, 5 * 8 * 128}));
  EXPECT_EQ(by_layer_of(out, "threshold_comparator", "compare"), (Counts{0, 5 * 64}));
  EXPECT_EQ(by_layer_of(out, "output_scorer", "argmax_compare"), (Counts{0, 0, 5 * 9}));
  EXPECT_EQ(by_layer_of(out, "controller", "cycle"), (Counts{0, 5 * 539, 5 * 40}));
  const Counts writes = by_layer_of(out, "mram_2t2r_array", "mtj_write_pulse");
  EXPECT_EQ(writes, (Counts{2 * (128 * 64 + 64 * 10)}));            // programming: outside any layer
  EXPECT_GT(by_layer_of(out, "input_buffer", "bit_write")[0], 0u);  // the host copying images in
  EXPECT_EQ(by_layer_of(out, "input_buffer", "bit_write").size(), 1u);
  EXPECT_EQ(by_layer_of(out, "register_bank", "register_read").size(), 1u);

  // Energy: dynamic by layer sums to the inferences' dynamic energy; leakage is the leakage
  // power over each layer's cycles at 500 MHz, the rest of the inference time outside.
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_EQ(r.layers[0].cycles, 5u * 539);
  EXPECT_EQ(r.layers[1].cycles, 5u * 40);
  for (size_t l = 0; l < 2; ++l)
    EXPECT_NEAR(r.layers[l].leakage_pj, r.leakage_nw * (double(r.layers[l].cycles) * 2e-9) * 1e3,
                1e-12 * r.layers[l].leakage_pj);
  const double dynamic = r.layers[0].dynamic_pj + r.layers[1].dynamic_pj + r.outside_layers.dynamic_pj;
  const double leakage = r.layers[0].leakage_pj + r.layers[1].leakage_pj + r.outside_layers.leakage_pj;
  EXPECT_NEAR(dynamic, r.inference_dynamic_pj, 1e-12 * r.inference_dynamic_pj);
  EXPECT_NEAR(leakage, r.inference_leakage_pj(), 1e-12 * r.inference_leakage_pj());
  EXPECT_NEAR((dynamic + leakage) / 5, r.energy_per_inference_pj(), 1e-12 * r.energy_per_inference_pj());
  EXPECT_GT(r.outside_layers.leakage_pj, 0);  // bus transfers and interrupts between inferences
  // Each layer's dynamic energy: its counts times the table energies.
  const TechnologyPreset t = technology_from(c);
  std::vector<double> expected(2, 0.0);
  for (const auto& a : out.actions.entries())
    for (size_t l = 0; l < a.by_layer.layers.size(); ++l)
      expected.at(l) += double(a.by_layer.layers[l]) * energy_per_count(t, a);
  for (size_t l = 0; l < 2; ++l) EXPECT_NEAR(r.layers[l].dynamic_pj, expected[l], 1e-12 * expected[l]) << l;

  // The report's layer table, per inference: the same figures, and the layers plus the
  // outside row add up to the report's totals.
  RunInputs in;
  in.config = &c;
  in.params = &params;
  in.network = &net;
  in.dataset = &data;
  in.clock_mhz = params.accel.clock_mhz;
  in.power = &r;
  in.accelerator = &platform.accelerator();
  const nlohmann::ordered_json report = make_report(in, out);
  const auto& layers = report["layers"];
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0]["layer"], "layer0");
  EXPECT_EQ(layers[0]["cycles"].get<double>(), 539.0);
  EXPECT_EQ(layers[0]["row_reads"].get<double>(), 1024.0);
  EXPECT_EQ(layers[1]["row_reads"].get<double>(), 10.0);
  EXPECT_EQ(layers[1]["bits_sensed"].get<double>(), 640.0);
  EXPECT_EQ(layers[0]["buffer_bits_read"].get<double>(), 1024.0);  // the bit-planes
  EXPECT_EQ(layers[0]["buffer_bits_written"].get<double>(), 64.0);
  EXPECT_EQ(layers[1]["buffer_bits_read"].get<double>(), 64.0);
  EXPECT_EQ(layers[1]["buffer_bits_written"].get<double>(), 0.0);
  double energy = report["outside_layers"]["energy_pj"].get<double>(), cycles = 0, reads = 0;
  for (const auto& l : layers) {
    energy += l["energy_pj"].get<double>();
    cycles += l["cycles"].get<double>();
    reads += l["row_reads"].get<double>();
    EXPECT_NEAR(l["dynamic_pj"].get<double>() + l["leakage_pj"].get<double>(), l["energy_pj"].get<double>(),
                1e-12 * l["energy_pj"].get<double>());
  }
  const double e_inf = report["power"]["energy_per_inference_pj"].get<double>();
  EXPECT_NEAR(energy, e_inf, 1e-12 * e_inf);
  EXPECT_EQ(cycles, report["cycles"]["per_inference"].get<double>());
  EXPECT_EQ(reads + report["outside_layers"]["row_reads"].get<double>(),
            double(count_of(out, "mram_2t2r_array", "row_read")) / 5);
  const std::string table = format_report(report);
  EXPECT_NE(table.find("buffer bits read"), std::string::npos) << table;
  EXPECT_NE(table.find("\n  outside "), std::string::npos) << table;
}

TEST(Power, LayerCountersFollowTheCurrentLayerScope) {
  LayerCounter counter;
  counter.add(3);  // outside any layer
  {
    const CurrentLayer two(2);
    counter.add(5);
    {
      const CurrentLayer zero(0);
      counter.add();
    }
    counter.add(7);  // back in layer 2
  }
  counter.add(11);  // outside again
  const LayerCounts c = counter.by_layer();
  EXPECT_EQ(c.outside, 14u);
  EXPECT_EQ(c.layers, (std::vector<uint64_t>{1, 0, 12}));
  EXPECT_EQ(counter.total(), 27u);
  EXPECT_EQ(c.total(), 27u);
  EXPECT_EQ(counter.by_layer(4).layers, (std::vector<uint64_t>{4, 0, 48}));
  EXPECT_EQ(CurrentLayer::slot(), 0u);
  ActionLedger ledger;
  ledger.add("x", "controller", "cycle", counter.by_layer());
  ledger.add("y", "controller", "cycle", 9);
  EXPECT_EQ(ledger.entries()[0].count, 27u);
  EXPECT_EQ(ledger.entries()[1].by_layer.outside, 9u);
  EXPECT_TRUE(ledger.entries()[1].by_layer.layers.empty());
}

TEST(Power, AreaIsTheHandComputedSumOfTheInstantiatedHardware) {
  Config c = small_config();
  const PlatformParams params = platform_params(c);
  Accelerator<64> accel("accel", params.accel, [&](const char* name, uint32_t rows, uint32_t columns) {
    return std::make_unique<MramArray>(name, rows, columns, mram_params(c));
  });
  HardwareInventory inventory;
  collect_hardware_below(accel, inventory);
  const PowerReport r = price_run(technology_from(c), {}, inventory.items(), RunTimes{});
  const double f2 = 0.028 * 0.028, arrays = 5, rows = 32, cols = 64, acc = 19;
  const double registers = double(accel.registers().registers().size());
  // Default loop order pass_inner: no partial-sum files, input latches of 8 bit-planes x 64
  // columns per array; 4 reduce lanes, each a comparator and an adder tree sized (without a
  // network) for the widest layer the buffers admit: ceil(4096 activation bits / 64) = 64
  // column tiles, 63 adders.
  const double lanes = 4, tree_adders = 63;
  const std::map<std::string, double> expected = {
      {"mram_2t2r_array", arrays * rows * cols * 115 * f2},
      {"array_row_driver", arrays * rows * 2.0},
      {"array_column_driver", arrays * cols * 3.2},
      {"pcsa", arrays * cols * 1.7},
      {"xnor_popcount", arrays * 64 * 1.6},
      {"accumulator", arrays * acc * 1.6},
      {"input_latch", arrays * 8 * cols * 1.0},
      {"adder_tree", lanes * tree_adders * acc * 1.6},
      {"threshold_comparator", lanes * acc * 1.6},
      {"output_scorer", 1700},
      {"input_buffer", 1024 * 8 * 0.17},
      {"activation_buffer", 2 * 4096 * 0.17},
      {"param_memory", 4096 * 64 * 0.17},
      {"controller", 5000},
      {"register_bank", registers * 32 * 1.7},
  };
  const auto got = area_by_class(r);
  double total = 0;
  for (const auto& [cls, area] : expected) {
    ASSERT_TRUE(got.count(cls)) << cls;
    EXPECT_NEAR(got.at(cls), area, 1e-9 * area) << cls;
    total += area;
  }
  EXPECT_EQ(got.size(), expected.size());                    // no SNGs: a fixed-input design does not build them
  EXPECT_NEAR(r.area_roll_up.raw_um2, total, 1e-9 * total);  // the bare sum; the roll-up's factors come on top
}

// A built component whose action the preset cannot price is refused before simulating,
// even when the run would never count that action: first_layer_hardware = both builds SNGs
// that a fixed-input run leaves idle (count 0), which price_run alone would not notice.
TEST(Power, APresetMissingAnEntryOfABuiltComponentIsRefusedBeforeTheRun) {
  const Network net = test::random_network({128, 64, 10}, 7, 8, 16);
  const Dataset data = test::random_dataset(2, 8, 16, 9);
  Config c = small_config();
  c.apply_override("accel.first_layer_hardware=both");
  const PlatformParams params = platform_params(c);
  TechnologyPreset t = technology_from(c);
  t.components.at("lfsr").actions.erase("bit_step");
  Platform platform(params, net, data, 0, 2);
  const std::string message =
      error_of([&] { require_preset_covers(t, platform.actions().entries(), platform.hardware().items()); });
  EXPECT_NE(message.find("lfsr.bit_step"), std::string::npos) << message;
  EXPECT_NE(message.find("accel.core.sng.sources"), std::string::npos) << message;
  EXPECT_EQ(sc_core::sc_time_stamp(), sc_core::SC_ZERO_TIME);  // nothing simulated yet
  // The complete preset passes the same check.
  EXPECT_NO_THROW(require_preset_covers(technology_from(c), platform.actions().entries(), platform.hardware().items()));
  t = technology_from(c);
  t.components.at("input_buffer").leakage.reset();
  EXPECT_NE(error_of([&] { require_preset_covers(t, {}, platform.hardware().items()); }).find("input_buffer.leakage"),
            std::string::npos);
}

// The walker finds a counting module wherever it sits: a board that holds an accelerator and
// a module of its own is counted whole, with no list naming either.
namespace {
struct Probe : sc_core::sc_module, CountsActions, DescribesHardware {
  explicit Probe(sc_core::sc_module_name n) : sc_core::sc_module(n) {}
  void collect_actions(ActionLedger& ledger) const override {
    ledger.add(name(), component_class::kController, action::kCycle, 42);
  }
  void collect_hardware(HardwareInventory& inventory) const override {
    inventory.add(name(), component_class::kController, "instance", 1, "probe");
  }
};
struct Board : sc_core::sc_module {
  Accelerator<64> accel;
  Probe probe;
  Board(sc_core::sc_module_name n, const AcceleratorParams& p)
      : sc_core::sc_module(n), accel("accel", p), probe("probe") {}
};
}  // namespace

TEST(Power, AccountingWalksTheHierarchyAndCountsEachModuleOnce) {
  Config c = small_config();
  Board board("board", platform_params(c).accel);
  ActionLedger actions;
  collect_actions_below(board, actions);
  std::map<std::string, int> seen;
  for (const auto& a : actions.entries()) ++seen[a.component + "." + a.action];
  for (const auto& [key, n] : seen) EXPECT_EQ(n, 1) << key;  // no component reported twice
  EXPECT_EQ(seen.count("board.probe.cycle"), 1u);
  EXPECT_EQ(seen.count("board.accel.registers.register_read"), 1u);
  EXPECT_EQ(seen.count("board.accel.core.controller.cycle"), 1u);
  for (uint32_t i = 0; i < 5; ++i) {
    EXPECT_EQ(seen.count("board.accel.core.array_" + std::to_string(i) + ".row_read"), 1u) << i;
    EXPECT_EQ(seen.count("board.accel.core.pe_" + std::to_string(i) + ".bit"), 1u) << i;
  }
  EXPECT_EQ(seen.count("board.accel.core.threshold_unit.comparator.compare"), 1u);
  // A fixed-input design does not build SNGs, so nothing of theirs exists to count.
  EXPECT_EQ(sc_core::sc_find_object("board.accel.core.sng"), nullptr);
  for (const auto& [key, n] : seen) EXPECT_EQ(key.find(".sng"), std::string::npos) << key;
  HardwareInventory hardware;
  collect_hardware_below(board, hardware);
  EXPECT_EQ(hardware.items().back().component, "board.probe");
}

TEST(Power, DoublingTheColumnsChangesExactlyTheColumnScaledArea) {
  const auto area_with = [](const char* name, uint32_t columns) {
    Config c = small_config();
    c.apply_override("accel.array.columns=" + std::to_string(columns));
    c.apply_override("accel.reduce.tree_inputs=4");  // else sized from the buffers / columns
    const PlatformParams params = platform_params(c);
    Accelerator<64> accel(name, params.accel, [&](const char* n, uint32_t rows, uint32_t cols) {
      return std::make_unique<MramArray>(n, rows, cols, mram_params(c));
    });
    HardwareInventory inventory;
    collect_hardware_below(accel, inventory);
    return area_by_class(price_run(technology_from(c), {}, inventory.items(), RunTimes{}));
  };
  const auto narrow = area_with("narrow", 64), wide = area_with("wide", 128);
  ASSERT_EQ(narrow.size(), wide.size());
  for (const auto& [cls, area] : narrow) {
    const bool scales =
        cls == "mram_2t2r_array" || cls == "array_column_driver" || cls == "pcsa" || cls == "input_latch";
    EXPECT_NEAR(wide.at(cls), scales ? 2 * area : area, 1e-9 * area) << cls;
  }
}

TEST(Power, AMissingEntryIsAnErrorNeverASilentZero) {
  TechnologyPreset t = load_preset(kPresetDir + "st-mram-28nm.yaml");
  t.components.at("pcsa").actions.erase("sense_xnor");
  const std::vector<ActionCount> actions = {{"accel.core.array_0.sa", "pcsa", "sense_xnor", 10}};
  const std::string message = error_of([&] { price_run(t, actions, {}, RunTimes{}); });
  EXPECT_NE(message.find("pcsa.sense_xnor"), std::string::npos) << message;
  EXPECT_NE(message.find("-p power.entry.pcsa.sense_xnor="), std::string::npos) << message;
  // An action that did not occur needs no entry.
  EXPECT_NO_THROW(price_run(t, {{"accel.core.array_0.sa", "pcsa", "sense_xnor", 0}}, {}, RunTimes{}));
  t.components.at("controller").area.reset();
  const std::vector<HardwareItem> hw = {{"accel.core.controller", "controller", "instance", 1, "sequencer"}};
  EXPECT_NE(error_of([&] { price_run(t, {}, hw, RunTimes{}); }).find("controller.area"), std::string::npos);
  // Counts for a class or an action the catalogue does not know are refused too.
  EXPECT_NE(error_of([&] {
              price_run(t, {{"x", "warp_core", "engage", 1}}, {}, RunTimes{});
            }).find("warp_core"),
            std::string::npos);
}

TEST(Power, ConfigurationOverridesAreUsedAndReportedAsSuch) {
  Config c;
  c.load_yaml_text("power:\n  entry:\n    pcsa:\n      sense_xnor: 2 fJ\n", "cfg.yaml");
  c.apply_override("power.entry.controller.area=0.01 mm^2/instance");
  const TechnologyPreset t = technology_from(c);
  const std::vector<ActionCount> actions = {{"sa", "pcsa", "sense_xnor", 1000}};
  const std::vector<HardwareItem> hw = {{"ctl", "controller", "instance", 1, "sequencer"}};
  const PowerReport r = price_run(t, actions, hw, RunTimes{});
  EXPECT_NEAR(r.inference_dynamic_pj, 1000 * 0.002, 1e-12);
  EXPECT_NEAR(r.area_roll_up.raw_um2, 1e4, 1e-9);
  EXPECT_NEAR(r.area_um2, 1e4 / 0.7, 1e-9);  // the controller is logic: / the preset's logic_utilisation
  const auto j = power_json(r);
  EXPECT_EQ(j["entries"]["pcsa.sense_xnor"]["origin"], "override");
  EXPECT_NE(j["entries"]["pcsa.sense_xnor"]["source"].get<std::string>().find("cfg.yaml"), std::string::npos);
  EXPECT_EQ(j["entries"]["controller.area"]["origin"], "override");
  EXPECT_EQ(j["entries"]["controller.leakage"]["origin"], "preset");
  EXPECT_EQ(j["preset"]["entries_overridden"], 2);
  // Bad overrides name the key and the expected form.
  for (const auto& [assignment, expected] : std::vector<std::pair<std::string, std::string>>{
           {"power.entry.pcsa.sense_xnor=fast", "expected '<number> <unit>'"},
           {"power.entry.pcsa.sense_xnor=-1 fJ", "negative"},
           {"power.entry.pcsa.area=1 um^2/bit", "counted per 'instance'"},
           {"power.entry.nope.area=1 um^2", "unknown component class 'nope'"},
           {"power.entry.pcsa=1 fJ", "power.entry.<class>"}}) {
    Config bad;
    bad.apply_override(assignment);
    const std::string message = error_of([&] { technology_from(bad); });
    EXPECT_NE(message.find(expected), std::string::npos) << assignment << ": " << message;
  }
}

TEST(Power, AccelergyExportParsesBackToTheReportedTotals) {
  const Network net = test::random_network({128, 64, 10}, 7, 8, 16);
  const Dataset data = test::random_dataset(3, 8, 16, 9);
  const Config c = small_config();
  const PlatformParams params = platform_params(c);
  Platform platform(params, net, data, 0, 3);
  const RunOutcome out = platform.run();
  const PowerReport r = price_outcome(technology_from(c), params, net, out);
  const std::string dir = test::temp_path("accelergy");
  write_accelergy(r, dir);
  const AccelergyTotals back = read_accelergy_totals(dir);
  EXPECT_NEAR(back.energy_pj, r.total_pj(), 1e-6 * r.total_pj());
  EXPECT_NEAR(back.area_um2, r.area_um2, 1e-6 * r.area_um2);
}

// (Apart from the simulation above: ASan misreads the stack after SystemC's thread
// switches when an exception is thrown, google/sanitizers#189.)
TEST(Power, MalformedAccelergyFilesAreNamed) {
  const std::string dir = test::temp_path("accelergy_bad");
  std::filesystem::create_directories(dir);
  for (const char* f : {"/ERT.yaml", "/ART.yaml", "/action_counts.yaml"}) std::ofstream(dir + f) << "{}";
  std::ofstream(dir + "/ERT.yaml") << "ERT: [unclosed";
  EXPECT_NE(error_of([&] { read_accelergy_totals(dir); }).find("ERT.yaml"), std::string::npos);
  EXPECT_NE(error_of([] { read_accelergy_totals("/no/such/dir"); }).find("/no/such/dir"), std::string::npos);
}

TEST(Power, DocumentationMatchesTheCatalogueAndPresets) {
  std::ifstream in(SCBNN_SOURCE_DIR "/docs/power-model.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), {});
  const std::string hint = "docs/power-model.md is out of date: run scripts/update-docs.sh";
  EXPECT_NE(doc.find(catalogue_markdown()), std::string::npos) << hint;
  for (const std::string& name : shipped_presets())
    EXPECT_NE(doc.find(preset_markdown(load_preset(kPresetDir + name + ".yaml"))), std::string::npos)
        << name << ": " << hint;
}

// Issue 12, item 4: an energy, area, power or ratio that is not finite stops the run and
// names the entry that made it so, at every depth: unit conversion of a preset or override
// value, a count x energy product, a roll-up sum, and the derived totals and ratios.
TEST(Power, NonFiniteResultsStopTheRunNamingTheEntry) {
  const auto expect_error = [](const std::function<void()>& f, const std::vector<std::string>& expected) {
    const std::string message = error_of(f);
    for (const auto& e : expected) EXPECT_NE(message.find(e), std::string::npos) << "'" << e << "' in: " << message;
  };
  // Values that overflow when converted to the canonical unit.
  expect_error(
      [] {
        Config c;
        c.apply_override("power.entry.pcsa.sense_xnor=1e308 J");
        technology_from(c);
      },
      {"power.entry.pcsa.sense_xnor", "1e+308 J", "overflows"});
  const std::string head = "name: t\nfeature_size_nm: 28\ncomponents:\n";
  expect_error(
      [&] {
        parse_preset(head + "  pcsa:\n    leakage: {value: 1e305, unit: W, per: instance, source: s}\n", "big.yaml");
      },
      {"big.yaml:5", "pcsa.leakage", "overflows"});
  expect_error(
      [] {
        parse_preset(
            "name: t\nfeature_size_nm: 1e200\ncomponents:\n  pcsa:\n"
            "    area: {value: 1e100, unit: F^2, per: instance, source: s}\n",
            "huge_f.yaml");
      },
      {"huge_f.yaml", "pcsa.area", "overflows"});

  const TechnologyPreset preset = load_preset(kPresetDir + "st-mram-28nm.yaml");
  const auto with = [&](const std::string& key, const std::string& value) {
    TechnologyPreset t = preset;
    override_entry(t, key, value, "test");
    return t;
  };
  // count x energy of one action.
  expect_error(
      [&] {
        price_run(with("pcsa.sense_xnor", "1e295 J"), {{"sa", "pcsa", "sense_xnor", 10000000000ull}}, {}, RunTimes{});
      },
      {"energy of pcsa.sense_xnor", "pcsa.sense_xnor = 1e+295 J (test)", "10000000000 counts by sa"});
  // The sum of finite products.
  TechnologyPreset big = with("pcsa.sense_xnor", "1e296 J");
  override_entry(big, "controller.cycle", "1e296 J", "test");
  expect_error(
      [&] {
        price_run(big, {{"sa", "pcsa", "sense_xnor", 1}, {"ctl", "controller", "cycle", 1}}, {}, RunTimes{});
      },
      {"inference energy", "controller.cycle = 1e+296 J"});
  // Area and leakage roll-ups.
  const std::vector<HardwareItem> many_controllers = {{"ctl", "controller", "instance", 1e10, "controllers"}};
  expect_error([&] { price_run(with("controller.area", "1e300 mm^2"), {}, many_controllers, RunTimes{}); },
               {"area", "controller.area = 1e+300 mm^2/instance (test)", "1e+10 instance of ctl"});
  expect_error([&] { price_run(with("controller.leakage", "1e290 W"), {}, many_controllers, RunTimes{}); },
               {"leakage power", "controller.leakage = 1e+290 W/instance"});
  // Leakage power x time, and a ratio of a finite energy that is too small.
  RunTimes long_run;
  long_run.simulated_s = long_run.inference_s = 1e6;
  long_run.inferences = 1;
  const std::vector<HardwareItem> one_controller = {{"ctl", "controller", "instance", 1, "controller"}};
  expect_error([&] { price_run(with("controller.leakage", "1e295 W"), {}, one_controller, long_run); },
               {"leakage energy of the run", "controller.leakage = 1e+295 W/instance"});
  RunTimes tiny;
  tiny.inferences = 1;
  tiny.ops_per_inference = 1e6;
  TechnologyPreset no_leak = with("pcsa.sense_xnor", "1e-300 fJ");
  expect_error(
      [&] {
        price_run(no_leak, {{"sa", "pcsa", "sense_xnor", 1}}, {}, tiny);
      },
      {"TOPS/W", "pcsa.sense_xnor = 1e-300 fJ"});
  // Large but finite values still price.
  EXPECT_NO_THROW(price_run(with("pcsa.sense_xnor", "1 J"), {{"sa", "pcsa", "sense_xnor", 1000}}, {}, tiny));
}

// Issue 12, item 11: accel.mram.mtj.area_f2 is the MRAM cell area. An array's cell area is
// MTJs per cell (2T2R: 2, 1T1R: 1) x area_f2 x F^2, F the preset's feature size; doubling
// area_f2 doubles exactly the cell area and nothing else. A preset or override area entry
// for an MRAM array would contradict it and is refused.
TEST(Power, MtjAreaF2GivesTheMramCellArea) {
  const auto price = [](const char* name, const std::vector<std::string>& overrides) {
    Config c = small_config();
    for (const auto& o : overrides) c.apply_override(o);
    const PlatformParams params = platform_params(c);
    Accelerator<64> accel(name, params.accel, [&](const char* n, uint32_t rows, uint32_t cols) {
      return std::make_unique<MramArray>(n, rows, cols, mram_params(c));
    });
    HardwareInventory inventory;
    collect_hardware_below(accel, inventory);
    return price_run(technology_from(c), {}, inventory.items(), RunTimes{});
  };
  const double cells = 5.0 * 32 * 64;
  const auto f2 = [](double nm) { return (nm / 1000) * (nm / 1000); };
  const PowerReport base = price("base", {"accel.mram.mtj.area_f2=40"});
  const PowerReport doubled = price("doubled", {"accel.mram.mtj.area_f2=80"});
  const PowerReport one_mtj = price("one_mtj", {"accel.mram.mtj.area_f2=40", "accel.mram.cell=1T1R"});
  const PowerReport at45 = price("at45", {"accel.mram.mtj.area_f2=40", "power.preset=st-mram-45nm"});
  EXPECT_NEAR(area_by_class(base).at("mram_2t2r_array"), cells * 2 * 40 * f2(28), 1e-9);
  EXPECT_NEAR(area_by_class(doubled).at("mram_2t2r_array"), cells * 2 * 80 * f2(28), 1e-9);
  EXPECT_NEAR(area_by_class(one_mtj).at("mram_1t1r_array"), cells * 1 * 40 * f2(28), 1e-9);
  EXPECT_NEAR(area_by_class(at45).at("mram_2t2r_array"), cells * 2 * 40 * f2(45), 1e-9);
  const auto b = area_by_class(base), d = area_by_class(doubled);
  for (const auto& [cls, area] : b) {
    if (cls == "mram_2t2r_array") continue;
    EXPECT_DOUBLE_EQ(d.at(cls), area) << cls;
  }
  EXPECT_NEAR(doubled.area_roll_up.raw_um2 - base.area_roll_up.raw_um2, cells * 2 * 40 * f2(28), 1e-6);
  // The report says where the area came from.
  const auto entry = power_json(base)["entries"]["mram_2t2r_array.area"];
  EXPECT_EQ(entry["origin"], "device");
  EXPECT_EQ(entry["value"], 80.0);
  EXPECT_EQ(entry["unit"], "F^2");
  EXPECT_NE(entry["source"].get<std::string>().find("accel.mram.mtj.area_f2"), std::string::npos);

  const std::string preset_area = error_of([] {
    parse_preset(
        "name: t\nfeature_size_nm: 28\ncomponents:\n  mram_2t2r_array:\n"
        "    area: {value: 115, unit: F^2, per: cell, source: s}\n",
        "cell.yaml");
  });
  EXPECT_NE(preset_area.find("cell.yaml:5"), std::string::npos) << preset_area;
  EXPECT_NE(preset_area.find("accel.mram.mtj.area_f2"), std::string::npos) << preset_area;
  Config c;
  c.apply_override("power.entry.mram_1t1r_array.area=60 F^2/cell");
  const std::string override_area = error_of([&] { technology_from(c); });
  EXPECT_NE(override_area.find("power.entry.mram_1t1r_array.area"), std::string::npos) << override_area;
  EXPECT_NE(override_area.find("-p accel.mram.mtj.area_f2="), std::string::npos) << override_area;
}

namespace {

// The small configuration's accelerator with its MRAM arrays (one per test name: SystemC
// elaborates once per process, so the arrays are driven directly, without simulating).
std::unique_ptr<Accelerator<64>> mram_accelerator(const char* name, const Config& c) {
  const PlatformParams params = platform_params(c);
  return std::make_unique<Accelerator<64>>(name, params.accel, [c](const char* n, uint32_t rows, uint32_t cols) {
    return std::make_unique<MramArray>(n, rows, cols, mram_params(c));
  });
}

// At one read current: array 0 programmed with random weights, then its 32 rows read 100
// times in one inference; the cell current's energy and the bit lines' energy as power/
// prices the counts, and the read disturb probability the array drew with (its tally).
struct ReadCosts {
  double cell_current_pj = 0, bit_lines_pj = 0, disturb_probability = 0;
  uint64_t bits_sensed = 0;
};
ReadCosts read_costs_at(const char* name, double read_current_ua) {
  Config c = small_config();
  c.apply_override("accel.mram.read_current_ua=" + fmt("%g", read_current_ua));
  const auto accel = mram_accelerator(name, c);
  WeightArray& array = accel->core.array(0);
  std::mt19937_64 rng(3);
  for (uint32_t r = 0; r < 32; ++r) array.program(r, 0, rng(), ~uint64_t(0), WritePulse{});
  array.begin_inference(sc_core::SC_ZERO_TIME, 0);
  for (int i = 0; i < 100; ++i) array.sense_rows(0, 32, 1);
  ActionLedger ledger;
  collect_actions_below(*accel, ledger);
  const PowerReport r = price_run(technology_from(c), ledger.entries(), {}, RunTimes{});
  ErrorTally tally;
  array.collect_errors(tally);
  uint64_t bits = 0;
  for (const auto& a : ledger.entries())
    if (a.component_class == "mram_2t2r_array" && a.action == "bit_sensed") bits += a.count;
  return {energy_of(r, "mram_2t2r_array", "bit_sensed"), energy_of(r, "mram_2t2r_array", "bit_line_cell"),
          tally.at("disturb").probability, bits};
}

}  // namespace

// The MRAM cell current of a read is I_read^2 (R_P + R_AP) t_read per sensed bit (both PCSA
// branches, accel.mram.read_pulse_ns), and the same current sets read disturb through the
// thermal law P = 1 - exp(-t / (tau0 exp(Delta (1 - I / Ic0)))): doubling the read current
// multiplies the first by 4 and the second's rate by exp(Delta I / Ic0), in the same
// configuration. The bit lines' C V^2 does not depend on it.
TEST(Power, DoublingTheReadCurrentScalesTheCellEnergyByFourAndDisturbByTheThermalLaw) {
  const ReadCosts at10 = read_costs_at("i10", 10), at20 = read_costs_at("i20", 20);
  ASSERT_EQ(at10.bits_sensed, 100u * 32 * 64);
  ASSERT_EQ(at20.bits_sensed, at10.bits_sensed);
  // Defaults: R_P 5 kohm, TMR 150 % (R_AP 12.5 kohm), read pulse 1 ns; 1 uA^2 ohm ns = 1e-21 J = 1e-9 pJ.
  const double per_bit_10 = 10.0 * 10.0 * (5000 + 12500) * 1.0 * 1e-9;  // 1.75 fJ
  EXPECT_NEAR(at10.cell_current_pj, double(at10.bits_sensed) * per_bit_10, 1e-9 * at10.cell_current_pj);
  EXPECT_NEAR(at20.cell_current_pj / at10.cell_current_pj, 4.0, 1e-12);
  EXPECT_DOUBLE_EQ(at20.bit_lines_pj, at10.bit_lines_pj);
  EXPECT_NEAR(at10.bit_lines_pj, double(at10.bits_sensed) * 32 * 2 * 0.045e-3, 1e-9 * at10.bit_lines_pj);
  // Delta 60, Ic0 50 uA, tau0 1 ns: rates t / tau0 x exp(-Delta (1 - I / Ic0)) = exp(-48) and exp(-36).
  const double p10 = -std::expm1(-std::exp(-60 * (1 - 10 / 50.0))), p20 = -std::expm1(-std::exp(-60 * (1 - 20 / 50.0)));
  EXPECT_NEAR(at10.disturb_probability, p10, 1e-9 * p10);
  EXPECT_NEAR(at20.disturb_probability, p20, 1e-9 * p20);
  EXPECT_NEAR(at20.disturb_probability / at10.disturb_probability, std::exp(60 * 10 / 50.0), 1e-6 * std::exp(12.0));
}

// The device-derived read energy has no table entry: a preset or an override giving one is
// refused, naming the parameters (or, for an action priced as another, that other entry);
// the report gives the energy with origin "device" and its formula.
TEST(Power, DeviceDerivedMramReadEnergyRefusesTableEntries) {
  const std::string in_preset = error_of([] {
    parse_preset(
        "name: t\nfeature_size_nm: 28\ncomponents:\n  mram_2t2r_array:\n    actions:\n"
        "      bit_sensed: {value: 35, unit: fJ, source: s}\n",
        "read.yaml");
  });
  EXPECT_NE(in_preset.find("read.yaml:6"), std::string::npos) << in_preset;
  EXPECT_NE(in_preset.find("accel.mram.read_current_ua"), std::string::npos) << in_preset;
  for (const auto& [assignment, expected] : std::vector<std::pair<std::string, std::string>>{
           {"power.entry.mram_2t2r_array.bit_sensed=35 fJ", "accel.mram.read_pulse_ns"},
           {"power.entry.mram_1t1r_array.verify_mtj_read=35 fJ", "accel.mram.read_current_ua"},
           {"power.entry.mram_2t2r_array.verify_bit_line_cell=1 fJ", "power.entry.mram_2t2r_array.bit_line_cell"},
           {"power.entry.pcsa.verify_sense=1 fJ", "power.entry.pcsa.sense_xnor"}}) {
    Config bad;
    bad.apply_override(assignment);
    const std::string message = error_of([&] { technology_from(bad); });
    EXPECT_NE(message.find(expected), std::string::npos) << assignment << ": " << message;
  }
  // A device-derived count without its energy is a programming error of the model: named.
  const TechnologyPreset t = load_preset(kPresetDir + "st-mram-28nm.yaml");
  const std::string no_energy = error_of([&] {
    price_run(t, {{"a0", "mram_2t2r_array", "bit_sensed", 3}}, {}, RunTimes{});
  });
  EXPECT_NE(no_energy.find("gives no device energy"), std::string::npos) << no_energy;
  ActionLedger ledger;
  ledger.add("a0", "mram_2t2r_array", "bit_sensed", LayerCounts{3, {}}, DeviceEnergy{2.5, "formula"});
  const auto j = power_json(price_run(t, ledger.entries(), {}, RunTimes{}));
  EXPECT_EQ(j["entries"]["mram_2t2r_array.bit_sensed"]["origin"], "device");
  EXPECT_EQ(j["entries"]["mram_2t2r_array.bit_sensed"]["source"], "formula");
  EXPECT_NEAR(j["per_class"]["mram_2t2r_array"]["actions"]["bit_sensed"]["energy_pj"].get<double>(), 3 * 2.5e-3, 1e-15);
}

// Write-verify is priced while programming: every MTJ read back costs the cell current (the
// read's device energy), its two bit lines (rows x 2 cells at bit_line_cell) and a sense
// decision (pcsa.sense_xnor); every re-pulse an MTJ pulse and its charge. Two accelerators of
// the small configuration, verify off and on, get the same weights through the bus.
TEST(Power, WriteVerifyIsPricedAsReadsAndPulsesWhileProgramming) {
  struct Programmed {
    PowerReport power;
    ActionLedger ledger;
    sc_core::sc_time time;
    uint64_t weights_wrong = 0;
  };
  const auto program = [](const char* name, const std::string& verify) {
    Config c = small_config();
    for (const std::string& o : std::vector<std::string>{"accel.mram.write_errors=ber", "accel.mram.ber=0.1",
                                                         "accel.mram.write_verify=" + verify})
      c.apply_override(o);
    const auto accel = mram_accelerator(name, c);
    Programmed out;
    std::mt19937_64 rng(5);
    for (uint32_t a = 0; a < 5; ++a)
      for (uint32_t r = 0; r < 32; ++r) {
        uint64_t w = rng();
        tlm::tlm_generic_payload tx;
        tx.set_command(tlm::TLM_WRITE_COMMAND);
        tx.set_address(addr::WEIGHT_WINDOW + (a * 32 + r) * 8);
        tx.set_data_ptr(reinterpret_cast<uint8_t*>(&w));
        tx.set_data_length(8);
        tx.set_streaming_width(8);
        accel->b_transport(tx, out.time);
        EXPECT_EQ(tx.get_response_status(), tlm::TLM_OK_RESPONSE);
        out.weights_wrong += uint64_t(__builtin_popcountll(accel->core.array(a).peek(r, 0) ^ w));
      }
    collect_actions_below(*accel, out.ledger);
    out.power = price_run(technology_from(c), out.ledger.entries(), {}, RunTimes{});
    return out;
  };
  const Programmed plain = program("verify_off", "off"), verified = program("verify_on", "on");
  const auto count = [](const ActionLedger& l, const std::string& cls, const std::string& action) {
    uint64_t n = 0;
    for (const auto& a : l.entries())
      if (a.component_class == cls && a.action == action) n += a.count;
    return n;
  };
  const uint64_t weights = 5 * 32 * 64;
  const uint64_t reads = count(verified.ledger, "mram_2t2r_array", "verify_mtj_read");
  const uint64_t pulses = count(verified.ledger, "mram_2t2r_array", "mtj_write_pulse");
  EXPECT_EQ(count(plain.ledger, "mram_2t2r_array", "verify_mtj_read"), 0u);
  EXPECT_EQ(count(plain.ledger, "mram_2t2r_array", "mtj_write_pulse"), 2 * weights);
  EXPECT_GE(reads, 2 * weights);  // at least one read-back of every MTJ
  EXPECT_EQ(reads % 128, 0u);     // whole words
  EXPECT_GT(pulses, 2 * weights);
  EXPECT_EQ(count(verified.ledger, "mram_2t2r_array", "verify_bit_line_cell"), reads * 32 * 2);
  EXPECT_EQ(count(verified.ledger, "pcsa", "verify_sense"), reads);
  EXPECT_EQ(count(verified.ledger, "mram_2t2r_array", "mtj_write_charge"), pulses * 1000);
  const PowerReport& r = verified.power;
  EXPECT_NEAR(energy_of(r, "mram_2t2r_array", "verify_mtj_read"), double(reads) * 1.75e-3, 1e-9);
  EXPECT_NEAR(energy_of(r, "mram_2t2r_array", "verify_bit_line_cell"), double(reads) * 64 * 0.045e-3, 1e-9);
  EXPECT_NEAR(energy_of(r, "pcsa", "verify_sense"), double(reads) * 0.005, 1e-9);
  const double verify_reads_pj = double(reads) * (1.75e-3 + 64 * 0.045e-3 + 0.005);
  const double extra_pulses_pj = double(pulses - 2 * weights) * (0.016 + 1000 * (0.95 + 1.425) * 1e-3);
  EXPECT_NEAR(r.programming_pj - plain.power.programming_pj, verify_reads_pj + extra_pulses_pj,
              1e-9 * r.programming_pj);
  EXPECT_EQ(r.inference_dynamic_pj, 0.0);
  EXPECT_EQ(power_json(r)["per_class"]["pcsa"]["actions"]["verify_sense"]["phase"], "programming");
  // 10 % MTJ write errors: about 5 % of the weights wrong without verify, ~1e-4 x that with three rounds.
  EXPECT_GT(plain.weights_wrong, 100u);
  EXPECT_LT(verified.weights_wrong, 5u);
  // Time: 160 words of two 10 ns pulses (5 cycles each) without verify; more with it.
  EXPECT_EQ(plain.time, sc_core::sc_time(2.0 * 160 * 10, sc_core::SC_NS));
  EXPECT_GT(verified.time, plain.time);
}

namespace {

// A priced run of the hand-counted 128-64-10 network (5 images) with the extra overrides.
struct PricedRun {
  Config config;
  PlatformParams params;
  RunOutcome out;
  PowerReport power;
  nlohmann::ordered_json report;
};

PricedRun priced_run(const std::vector<std::string>& overrides) {
  static const Network net = test::random_network({128, 64, 10}, 7, 8, 16);
  static const Dataset data = test::random_dataset(5, 8, 16, 9);
  PricedRun run;
  run.config = small_config();
  for (const auto& o : overrides) run.config.apply_override(o);
  run.params = platform_params(run.config);
  Platform platform(run.params, net, data, 0, 5);
  run.out = platform.run();
  run.power = price_outcome(technology_from(run.config), run.params, net, run.out);
  RunInputs in;
  in.config = &run.config;
  in.params = &run.params;
  in.network = &net;
  in.dataset = &data;
  in.clock_mhz = run.params.accel.clock_mhz;
  in.power = &run.power;
  in.accelerator = &platform.accelerator();
  run.report = make_report(in, run.out);
  return run;
}

// Checks the energy by stage of `r` against its actions, its cycle ledger and its totals.
void expect_stages_add_up(const PricedRun& run) {
  const PowerReport& r = run.power;
  // Dynamic energy by stage: every inference action's energy under its catalogue stage.
  std::array<double, kStageCount> dynamic{};
  for (const auto& a : r.actions) {
    const ActionSpec* spec = find_component_class(a.component_class)->action(a.action);
    EXPECT_EQ(a.stage, spec->stage) << a.entry_key;
    if (a.phase == Phase::inference) dynamic[size_t(spec->stage)] += a.energy_pj;
  }
  // Leakage by stage: leakage power x the time of the cycle-ledger phases of the stage; the
  // inference time outside the layers counts as control.
  std::array<uint64_t, kStageCount> cycles{};
  for (const auto& l : run.out.cycles.layers())
    for (const auto& [phase, c] : l.phases) cycles[size_t(*stage_of_cycle_phase(phase))] += c;
  const double clock_hz = run.params.accel.clock_mhz * 1e6;
  double layer_leakage = 0, sum = 0;
  for (Stage s : inference_stages()) {
    const StageEnergy& e = r.stages[size_t(s)];
    EXPECT_NEAR(e.dynamic_pj, dynamic[size_t(s)], 1e-12 * r.inference_dynamic_pj) << stage_name(s);
    EXPECT_EQ(e.cycles, cycles[size_t(s)]) << stage_name(s);
    const double own = r.leakage_nw * (double(cycles[size_t(s)]) / clock_hz) * 1e3;
    layer_leakage += own;
    const double outside = s == Stage::control ? r.outside_layers.leakage_pj : 0.0;
    EXPECT_NEAR(e.leakage_pj, own + outside, 1e-12 * r.inference_leakage_pj()) << stage_name(s);
    sum += e.energy_pj();
  }
  EXPECT_NEAR(layer_leakage + r.outside_layers.leakage_pj, r.inference_leakage_pj(), 1e-12 * r.inference_leakage_pj());
  // The stages sum to the inferences' energy, per inference to the reported figure.
  const double n = double(r.times.inferences);
  EXPECT_NEAR(sum / n, r.energy_per_inference_pj(), 1e-12 * r.energy_per_inference_pj());
  // Each layer's (and the outside row's) stages sum to its energy.
  std::vector<const LayerEnergy*> rows;
  for (const auto& l : r.layers) rows.push_back(&l);
  rows.push_back(&r.outside_layers);
  for (const LayerEnergy* l : rows) {
    double d = 0, k = 0;
    for (const auto& s : l->stages) {
      d += s.dynamic_pj;
      k += s.leakage_pj;
    }
    EXPECT_NEAR(d, l->dynamic_pj, 1e-12 * r.inference_dynamic_pj);
    EXPECT_NEAR(k, l->leakage_pj, 1e-12 * r.inference_leakage_pj());
    EXPECT_EQ(l->stages[size_t(Stage::programming)].energy_pj(), 0.0);
  }
  // Programming stays apart: its dynamic energy and the leakage of the programming time.
  const StageEnergy& p = r.stages[size_t(Stage::programming)];
  EXPECT_EQ(p.dynamic_pj, r.programming_pj);
  const double programming_s = (run.out.programming_time).to_seconds();
  EXPECT_NEAR(p.leakage_pj, r.leakage_nw * programming_s * 1e3, 1e-9 * p.leakage_pj);
  EXPECT_NEAR(p.energy_pj() + sum, r.total_pj(), 1e-12 * r.total_pj());

  // The JSON report: per_stage per inference (shares sum to 1), each layer's stage energies
  // plus the outside row's sum to per_stage.
  const auto& pj = run.report["power"];
  double json_sum = 0, shares = 0;
  for (Stage s : inference_stages()) {
    const auto& e = pj["per_stage"][stage_name(s)];
    json_sum += e["energy_pj_per_inference"].get<double>();
    shares += e["share"].get<double>();
    double by_layer = run.report["outside_layers"]["stage_energy_pj"][stage_name(s)].get<double>();
    for (const auto& l : run.report["layers"]) by_layer += l["stage_energy_pj"][stage_name(s)].get<double>();
    EXPECT_NEAR(by_layer, e["energy_pj_per_inference"].get<double>(), 1e-12 * r.energy_per_inference_pj())
        << stage_name(s);
  }
  const double e_inf = pj["energy_per_inference_pj"].get<double>();
  EXPECT_NEAR(json_sum, e_inf, 1e-12 * e_inf);
  EXPECT_NEAR(shares, 1.0, 1e-12);
  EXPECT_EQ(pj["programming_stage"]["dynamic_pj"].get<double>(), pj["programming_pj"].get<double>());
  const std::string table = format_report(run.report);
  EXPECT_NE(table.find("stages       per inference: sng "), std::string::npos) << table;
  EXPECT_NE(table.find("programming apart: "), std::string::npos) << table;
  EXPECT_NE(table.find("\n  stage nJ  "), std::string::npos) << table;
  EXPECT_NE(table.find("\n  total     "), std::string::npos) << table;
}

}  // namespace

// Issue 15, item 9: the energy per inference by datapath stage. Dynamic energy goes to the
// stage each catalogue action declares, leakage to the stage whose cycle-ledger phases took
// the time (the core's fetch and compute: array; reduce: reduce; writeback and argmax:
// writeback; the time outside the layers: control); the stages sum to the total.
TEST(Power, EnergyByStageFollowsTheCatalogueAndSumsToTheTotal) {
  const PricedRun run = priced_run({});
  expect_stages_add_up(run);
  const PowerReport& r = run.power;
  // No SNGs in a fixed-input design; each stage's dynamic energy is its actions'.
  EXPECT_EQ(r.stages[size_t(Stage::sng)].energy_pj(), 0.0);
  EXPECT_GT(r.stages[size_t(Stage::reduce)].cycles, 0u);
  EXPECT_NEAR(r.stages[size_t(Stage::control)].dynamic_pj,
              energy_of(r, "controller", "cycle") + energy_of(r, "register_bank", "register_read") +
                  energy_of(r, "register_bank", "register_write"),
              1e-12 * r.inference_dynamic_pj);
  EXPECT_NEAR(r.stages[size_t(Stage::writeback)].dynamic_pj,
              energy_of(r, "activation_buffer", "bit_write") + energy_of(r, "output_scorer", "argmax_compare"),
              1e-12 * r.inference_dynamic_pj);
  EXPECT_NEAR(r.stages[size_t(Stage::reduce)].dynamic_pj,
              energy_of(r, "partial_sum_register", "bit_read") + energy_of(r, "partial_sum_register", "bit_write") +
                  energy_of(r, "threshold_comparator", "compare") + energy_of(r, "param_memory", "entry_read") +
                  energy_of(r, "output_scorer", "score_mac") + energy_of(r, "adder_tree", "add_bit"),
              1e-12 * r.inference_dynamic_pj);
}

// The same with a stochastic first layer: the SNGs' sources and comparators and the "sng"
// cycle phase make the sng stage.
TEST(Power, EnergyByStageCountsTheSngsOfAStochasticFirstLayer) {
  const PricedRun run = priced_run({"accel.input_mode=stochastic", "accel.sc.stream_length=4"});
  expect_stages_add_up(run);
  const PowerReport& r = run.power;
  EXPECT_GT(r.stages[size_t(Stage::sng)].cycles, 0u);
  EXPECT_GT(r.stages[size_t(Stage::sng)].leakage_pj, 0.0);
  double sng = energy_of(r, "sng_comparator", "compare");
  for (const auto& a : r.actions)
    if (find_component_class(a.component_class)->action(a.action)->stage == Stage::sng &&
        a.component_class != "sng_comparator")
      sng += a.energy_pj;
  EXPECT_GT(energy_of(r, "sng_comparator", "compare"), 0.0);
  EXPECT_GT(sng, energy_of(r, "sng_comparator", "compare"));  // the random sources too
  EXPECT_NEAR(r.stages[size_t(Stage::sng)].dynamic_pj, sng, 1e-12 * r.inference_dynamic_pj);
}

// Every catalogue action declares its stage: programming exactly for the programming-phase
// actions, and the datapath stages docs/power-model.md lists for the rest.
TEST(Power, EveryCatalogueActionDeclaresItsStage) {
  for (const auto& c : component_catalogue())
    for (const auto& a : c.actions) {
      EXPECT_EQ(a.phase() == Phase::programming, a.stage == Stage::programming) << c.name << "." << a.name;
      EXPECT_LT(size_t(a.stage), kStageCount) << c.name << "." << a.name;
    }
  const auto stage = [](const char* cls, const char* action) {
    return stage_name(find_component_class(cls)->action(action)->stage);
  };
  EXPECT_STREQ(stage("mram_2t2r_array", "bit_sensed"), "array");
  EXPECT_STREQ(stage("mram_2t2r_array", "mtj_write_charge"), "programming");
  EXPECT_STREQ(stage("pcsa", "sense_xnor"), "array");
  EXPECT_STREQ(stage("accumulator", "add_bit"), "array");
  EXPECT_STREQ(stage("partial_sum_register", "bit_read"), "reduce");
  EXPECT_STREQ(stage("param_memory", "entry_read"), "reduce");
  EXPECT_STREQ(stage("output_scorer", "score_mac"), "reduce");
  EXPECT_STREQ(stage("output_scorer", "argmax_compare"), "writeback");
  EXPECT_STREQ(stage("activation_buffer", "bit_read"), "array");
  EXPECT_STREQ(stage("activation_buffer", "bit_write"), "writeback");
  EXPECT_STREQ(stage("sng_comparator", "compare"), "sng");
  EXPECT_STREQ(stage("lfsr", "bit_step"), "sng");
  EXPECT_STREQ(stage("controller", "cycle"), "control");
  EXPECT_STREQ(stage("register_bank", "register_write"), "control");
}

// A cycle phase nobody mapped to a stage is a programming error that names the phase; a
// datapath adding a phase declares its stage.
TEST(Power, ACyclePhaseWithoutAStageIsNamed) {
  CycleLedger ledger;
  ledger.add(0, "layer0", "fetch", 3);
  ledger.add(0, "layer0", "compute", 4);
  ledger.add(1, "layer1", "argmax", 5);
  std::vector<StageCycles> c = stage_cycles(ledger);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0][size_t(Stage::array)], 7u);
  EXPECT_EQ(c[1][size_t(Stage::writeback)], 5u);
  ledger.add(1, "layer1", "test_mystery", 2);
  std::string message;
  try {
    stage_cycles(ledger);
  } catch (const std::logic_error& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("'test_mystery' of layer1"), std::string::npos) << message;
  EXPECT_NE(message.find("declare_cycle_phase_stage"), std::string::npos) << message;
  declare_cycle_phase_stage("test_mystery", Stage::reduce);
  c = stage_cycles(ledger);
  EXPECT_EQ(c[1][size_t(Stage::reduce)], 2u);
  EXPECT_THROW(declare_cycle_phase_stage("test_mystery", Stage::sng), std::logic_error);
}

namespace {

// The hardware of the hand-counted configuration with the overrides, priced.
PowerReport priced_hardware(const char* name, const std::vector<std::string>& overrides) {
  Config c = small_config();
  for (const auto& o : overrides) c.apply_override(o);
  const PlatformParams params = platform_params(c);
  Accelerator<64> accel(name, params.accel, [&](const char* n, uint32_t rows, uint32_t columns) {
    return std::make_unique<MramArray>(n, rows, columns, mram_params(c));
  });
  HardwareInventory inventory;
  collect_hardware_below(accel, inventory);
  return price_run(technology_from(c), {}, inventory.items(), RunTimes{});
}

}  // namespace

// Issue 15, item 5: the area is the bare sum of the parts plus what the preset's factors
// add: the weight arrays' macro is cell area / array_efficiency (what it holds beyond the
// cells and the counted row, column and sense-amplifier circuits is added, never less than
// zero), the logic's placed area is its cell area / logic_utilisation; the SRAM macros'
// table areas already include their periphery.
TEST(Power, AreaRollUpAppliesTheArrayEfficiencyAndTheLogicUtilisation) {
  const double f2 = 0.028 * 0.028, arrays = 5, rows = 32, cols = 64;
  const double cells = arrays * rows * cols * 115 * f2;                        // 923.2 um^2
  const double periphery = arrays * rows * 2.0 + arrays * cols * (3.2 + 1.7);  // 1888 um^2
  const auto by_role = [](const PowerReport& r) {
    std::map<AreaRole, double> m;
    for (const auto& h : r.hardware) m[find_component_class(h.item.component_class)->area_role] += h.area_um2;
    return m;
  };
  // Small arrays: the counted periphery already exceeds cells / 0.515 - cells, nothing added.
  const PowerReport base = priced_hardware("base", {});
  const AreaRollUp& a = base.area_roll_up;
  const auto roles = by_role(base);
  EXPECT_NEAR(a.raw(AreaRole::array_cell), cells, 1e-9);
  EXPECT_NEAR(a.raw(AreaRole::array_periphery), periphery, 1e-9);
  for (const auto& [role, area] : roles) EXPECT_NEAR(a.raw(role), area, 1e-9) << area_role_name(role);
  EXPECT_EQ(a.array_efficiency, 0.515);
  EXPECT_EQ(a.logic_utilisation, 0.7);
  EXPECT_EQ(a.array_periphery_added_um2, 0.0);
  const double logic = a.raw(AreaRole::logic);
  EXPECT_NEAR(a.logic_routing_added_um2, logic * (1 / 0.7 - 1), 1e-9 * logic);
  EXPECT_NEAR(base.area_um2, a.raw_um2 + logic * (1 / 0.7 - 1), 1e-9 * base.area_um2);
  // A lower efficiency makes the macro larger than its counted parts: the rest is added.
  const PowerReport low =
      priced_hardware("low", {"power.area_factor.array_efficiency=0.2", "power.area_factor.logic_utilisation=0.5"});
  EXPECT_NEAR(low.area_roll_up.array_periphery_added_um2, cells / 0.2 - cells - periphery, 1e-9);
  EXPECT_NEAR(low.area_roll_up.logic_routing_added_um2, logic, 1e-9 * logic);
  EXPECT_NEAR(low.area_um2, a.raw_um2 + (cells / 0.2 - cells - periphery) + logic, 1e-9 * low.area_um2);
  // Factors of 1 leave the bare sum.
  const PowerReport bare =
      priced_hardware("bare", {"power.area_factor.array_efficiency=1", "power.area_factor.logic_utilisation=1"});
  EXPECT_NEAR(bare.area_um2, a.raw_um2, 1e-9 * a.raw_um2);
  // Doubling area_f2 doubles the cell area exactly, under the roll-up too.
  const PowerReport doubled = priced_hardware("doubled", {"accel.mram.mtj.area_f2=115"});
  EXPECT_NEAR(doubled.area_roll_up.raw(AreaRole::array_cell), 2 * cells, 1e-9);
  const PowerReport doubled_low =
      priced_hardware("doubled_low", {"accel.mram.mtj.area_f2=115", "power.area_factor.array_efficiency=0.2"});
  EXPECT_NEAR(doubled_low.area_roll_up.array_periphery_added_um2, 2 * cells / 0.2 - 2 * cells - periphery, 1e-9);

  // The report: bare sum, factors with their sources and origins, what they add, the total.
  const auto j = power_json(low);
  EXPECT_NEAR(j["area"]["raw_um2"].get<double>(), a.raw_um2, 1e-9);
  EXPECT_EQ(j["area"]["array_efficiency"]["value"], 0.2);
  EXPECT_EQ(j["area"]["array_efficiency"]["origin"], "override");
  EXPECT_EQ(j["entries"]["area_factors.logic_utilisation"]["origin"], "override");
  EXPECT_NEAR(j["area"]["effective_array_efficiency"].get<double>(), 0.2, 1e-12);
  EXPECT_EQ(j["area"]["total_um2"].get<double>(), j["area_um2"].get<double>());
  const auto jb = power_json(base);
  EXPECT_EQ(jb["area"]["logic_utilisation"]["origin"], "preset");
  EXPECT_NE(jb["area"]["array_efficiency"]["source"].get<std::string>().find("ISSCC 2019"), std::string::npos);
  EXPECT_NE(jb["area"]["logic_utilisation"]["source"].get<std::string>().find("OpenROAD"), std::string::npos);
  EXPECT_NEAR(jb["area"]["effective_array_efficiency"].get<double>(), cells / (cells + periphery), 1e-12);
  const std::string text = format_power(j);
  EXPECT_NE(text.find(fmt("%.4f mm^2 of parts + ", a.raw_um2 / 1e6)), std::string::npos) << text;
  EXPECT_NE(text.find("(array efficiency 0.2)"), std::string::npos) << text;
  EXPECT_NE(text.find("(logic routing)"), std::string::npos) << text;
}

TEST(Power, AreaFactorsAreCheckedAndNamed) {
  // Overrides: a share in (0, 1] of a known factor.
  for (const auto& [assignment, expected] : std::vector<std::pair<std::string, std::string>>{
           {"power.area_factor.logic_utilisation=1.5", "outside (0, 1]"},
           {"power.area_factor.logic_utilisation=0", "outside (0, 1]"},
           {"power.area_factor.logic_utilisation=most", "not a number"},
           {"power.area_factor.routing=0.5", "unknown area factor 'routing'"}}) {
    Config bad;
    bad.apply_override(assignment);
    const std::string message = error_of([&] { technology_from(bad); });
    EXPECT_NE(message.find(expected), std::string::npos) << assignment << ": " << message;
    EXPECT_NE(message.find("power.area_factor."), std::string::npos) << assignment << ": " << message;
  }
  // Preset files: the same rules, naming the file and line.
  const std::string head = "name: t\nfeature_size_nm: 28\n";
  const std::string tail = "components:\n  pcsa:\n    leakage: {value: 1, unit: nW, per: instance, source: s}\n";
  for (const auto& [factors, expected] : std::vector<std::pair<std::string, std::string>>{
           {"area_factors:\n  logic_utilisation: {value: 2, source: s}\n", "bad.yaml:4"},
           {"area_factors:\n  logic_utilisation: {value: 0.7}\n", "needs 'source'"},
           {"area_factors:\n  wiring: {value: 0.7, source: s}\n", "unknown area factor 'wiring'"},
           {"area_factors:\n  logic_utilisation: {value: 0.7, unit: '%', source: s}\n", "unknown field 'unit'"}}) {
    const std::string yaml = head + factors + tail;
    const std::string message = error_of([&yaml] { parse_preset(yaml, "bad.yaml"); });
    EXPECT_NE(message.find("bad.yaml"), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << "expected '" << expected << "' in: " << message;
  }
  // A preset without a factor that built hardware needs is refused, before and after the
  // run, naming the factor and how to supply it; hardware of other roles needs none.
  TechnologyPreset t = load_preset(kPresetDir + "st-mram-28nm.yaml");
  t.area_factors.erase("logic_utilisation");
  const std::vector<HardwareItem> logic = {{"accel.core.controller", "controller", "instance", 1, "sequencer"}};
  for (const std::string& message : {error_of([&] { price_run(t, {}, logic, RunTimes{}); }),
                                     error_of([&] { require_preset_covers(t, {}, logic); })}) {
    EXPECT_NE(message.find("area factor logic_utilisation"), std::string::npos) << message;
    EXPECT_NE(message.find("accel.core.controller"), std::string::npos) << message;
    EXPECT_NE(message.find("-p power.area_factor.logic_utilisation="), std::string::npos) << message;
  }
  const std::vector<HardwareItem> sram = {{"accel.core.params", "param_memory", "bit", 64, "entries"}};
  EXPECT_NO_THROW(price_run(t, {}, sram, RunTimes{}));
  // Every shipped preset gives both factors, with a source.
  for (const std::string& name : shipped_presets()) {
    const TechnologyPreset p = load_preset(kPresetDir + name + ".yaml");
    for (const auto& [factor, meaning] : area_factor_names()) {
      ASSERT_NE(p.area_factor(factor), nullptr) << name << ": " << factor;
      EXPECT_FALSE(p.area_factor(factor)->source.empty()) << name << ": " << factor;
    }
  }
}
