// Issue 13, step 5: a first-layer datapath is one registration next to its definition.
// This file registers a trivial datapath (one pass: the pixels' most significant bit-plane,
// plus a one-bit register of its own in the inventory) and runs an image through BnnCore
// with it, editing no other file; it is part of the registry test binary so it stays out of
// the shipped choices the other suites compare with the docs.
#include <gtest/gtest.h>

#include <systemc>

#include <algorithm>

#include "core_loading.h"
#include "scbnn/models/accounting.h"
#include "scbnn/models/bnn_core.h"
#include "scbnn/models/first_layer.h"
#include "test_support.h"

using namespace scbnn;
using scbnn::test::small_core;

namespace {

// The hardware the datapath adds: one flag bit, counted by the accounting walker because
// it is built as a child of the core.
struct MsbFlag : sc_core::sc_module, DescribesHardware {
  explicit MsbFlag(sc_core::sc_module_name name) : sc_core::sc_module(name) {}
  void collect_hardware(HardwareInventory& inventory) const override {
    inventory.add(name(), component_class::kController, "instance", 1, "test: MSB datapath flag");
  }
};

class MsbPlane : public FirstLayerDatapath {
 public:
  explicit MsbPlane(uint32_t input_bits) : flag_("msb_flag"), msb_(input_bits - 1) {}
  void check_job(uint32_t, bool vote) const override {
    if (vote) throw std::invalid_argument("test_msb has no vote mode");
  }
  uint64_t prepare(InputBuffer& input, uint32_t inputs, uint32_t, uint64_t, InputPasses& passes,
                   CycleLedger& ledger) override {
    passes.resize(1);
    input.bit_plane(msb_, inputs, passes[0]);
    ledger.add(0, "layer0", "msb", 3);
    return 3;
  }
  uint32_t pass_count(uint32_t, bool) const override { return 1; }
  uint32_t pass_shift(uint32_t) const override { return 0; }

 private:
  MsbFlag flag_;
  uint32_t msb_;
};

FirstLayerRegistrar msb_datapath("test_msb",
                                 {"test: the most significant bit-plane only",
                                  // deliberately far above the real bound, so the test sees it size the accumulators
                                  [](const CoreParams& p) { return uint64_t(p.input_bytes) << 16; },
                                  [](const CoreParams&) { return 1u; },
                                  [](const CoreParams& p) { return std::make_unique<MsbPlane>(p.input_bits); }});

// Runs one image through the core's datapath calls, as its sequencer does; returns cycles.
uint64_t classify(BnnCore& core, const BnnCore::Job& job) {
  uint64_t cycles = core.start_image(job);
  for (uint32_t round = 0; round < core.rounds(); ++round)
    for (size_t l = 0; l < core.layer_count(); ++l) cycles += core.run_layer(l, round);
  return cycles + core.finish_image();
}

}  // namespace

TEST(FirstLayerRegistration, ATestDatapathRunsThroughTheCore) {
  ASSERT_NE(first_layer_registry().find("test_msb"), nullptr);
  const Network net = test::random_network({128, 64, 10}, 3, 8, 16);
  const Dataset data = test::random_dataset(1, 8, 16, 4);
  const CompiledNetwork compiled = compile_network(net, small_core().array, FirstLayerMode::fixed, 1);
  const sc_core::sc_time period(2, sc_core::SC_NS);

  BnnCore msb("msb_core", small_core(), period, {}, {"test_msb"});
  test::load(msb, net, compiled);
  msb.input_buffer.write(0, data.image(0), 128, nullptr, 0, false);
  msb.configure(compiled.program);
  const uint64_t msb_cycles = classify(msb, {"test_msb", false, 1, 0});

  // The same network on the shipped bit-plane datapath with one-bit inputs, fed pixels
  // that hold only their most significant bit: the first-layer sums, hence the scores,
  // must agree.
  CoreParams one_bit = small_core();
  one_bit.input_bits = 1;
  BnnCore fixed("fixed_core", one_bit, period);
  test::load(fixed, net, compiled);
  std::vector<uint8_t> msb_only(data.image(0), data.image(0) + 128);
  for (auto& px : msb_only) px = uint8_t(px >> 7);
  fixed.input_buffer.write(0, msb_only.data(), 128, nullptr, 0, false);
  fixed.configure(compiled.program);
  const uint64_t fixed_cycles = classify(fixed, BnnCore::job_for(FirstLayerMode::fixed, 1, 0));

  EXPECT_EQ(msb.scores(), fixed.scores());
  EXPECT_EQ(msb.predicted_class(), fixed.predicted_class());
  EXPECT_EQ(msb_cycles, fixed_cycles + 3);  // the same single pass, plus the datapath's own cycles
  EXPECT_EQ(msb.cycles().total(), msb_cycles);

  // Its hardware is in the inventory, its accumulator bound sizes the threshold unit.
  HardwareInventory inventory;
  collect_hardware_below(msb, inventory);
  EXPECT_TRUE(std::any_of(inventory.items().begin(), inventory.items().end(),
                          [](const HardwareItem& i) { return i.component == "msb_core.msb_flag"; }));
  EXPECT_GT(accumulator_bits(small_core(), {"test_msb"}), accumulator_bits(small_core(), {"fixed"}));
  EXPECT_EQ(msb.threshold_unit.size().accumulator_bits, accumulator_bits(small_core(), {"test_msb"}));

  // A job for a datapath the core does not have is refused, naming the key.
  std::string refused;
  try {
    msb.start_image({"fixed", false, 1, 0});
  } catch (const std::invalid_argument& e) {
    refused = e.what();
  }
  EXPECT_NE(refused.find("accel.first_layer_hardware"), std::string::npos) << refused;
}
