// The conventional first layer's three organisations (accel.fixed.organisation,
// models/fixed_organisation.h): bit_serial, bit_parallel (one copy of the first layer's
// arrays per bit-plane, shift-add trees) and adder_tree (one read, multi-bit adder trees).
// They must give the bit-serial datapath's scores bit for bit, and their cycles, action
// counts and hardware must follow docs/timing.md and docs/architecture.md.
#include <gtest/gtest.h>

#include <systemc>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core_loading.h"
#include "scbnn/models/accounting.h"
#include "scbnn/models/bit_kernels.h"
#include "scbnn/models/bnn_core.h"
#include "scbnn/models/mram_array.h"
#include "scbnn/platforms/compiled_network.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/stimuli/evaluate.h"
#include "scbnn/stimuli/idx.h"
#include "test_support.h"

using namespace scbnn;

namespace {

constexpr const char* kOrganisations[] = {"bit_serial", "bit_parallel", "adder_tree"};

CoreParams with_organisation(CoreParams p, const std::string& organisation, uint32_t first_layer_arrays) {
  p.fixed.organisation = organisation;
  p.fixed.first_layer_arrays = first_layer_arrays;
  if (organisation == "bit_parallel") p.array.count += (p.input_bits - 1) * first_layer_arrays;
  return p;
}

// A core of each organisation holding `net`, run image by image as the sequencer does.
struct Cores {
  std::vector<std::unique_ptr<BnnCore>> cores;
  Cores(const CoreParams& base, const Network& net, uint32_t first_layer_arrays) {
    for (const char* o : kOrganisations) {
      cores.push_back(std::make_unique<BnnCore>((std::string("core_") + o).c_str(),
                                                with_organisation(base, o, first_layer_arrays),
                                                sc_core::sc_time(2, sc_core::SC_NS)));
      BnnCore& core = *cores.back();
      const CompiledNetwork compiled = compile_network(net, core.params().array, FirstLayerMode::fixed, 1);
      test::load(core, net, compiled);
      core.configure(compiled.program);
    }
  }
  void classify(const uint8_t* image, uint32_t bytes) {
    for (auto& core : cores) {
      core->input_buffer.write(0, image, bytes, nullptr, 0, false);
      core->start_image(BnnCore::job_for(FirstLayerMode::fixed, 1, 0));
      for (size_t l = 0; l < core->layer_count(); ++l) core->run_layer(l);
    }
  }
};

// Every image's scores and class from every organisation equal the bit-serial core's;
// the images must not all get one class (a vacuous comparison).
void expect_same_scores(Cores& cores, const Dataset& data, uint32_t first, uint32_t count) {
  std::map<uint32_t, int> classes;
  for (uint32_t i = first; i < first + count; ++i) {
    cores.classify(data.image(i), uint32_t(data.values()));
    const BnnCore& serial = *cores.cores[0];
    ++classes[serial.predicted_class()];
    for (size_t c = 1; c < cores.cores.size(); ++c) {
      ASSERT_EQ(cores.cores[c]->scores(), serial.scores()) << kOrganisations[c] << ", image " << i;
      ASSERT_EQ(cores.cores[c]->predicted_class(), serial.predicted_class()) << kOrganisations[c] << ", image " << i;
    }
  }
  EXPECT_GT(classes.size(), 1u);
}

uint64_t phase(const BnnCore& core, size_t layer, const std::string& name) {
  for (const auto& p : core.cycles().layers().at(layer).phases)
    if (p.first == name) return p.second;
  return 0;
}

// Layer-`layer` count of `action` over the components of `cls` below `core`.
uint64_t count_of(const BnnCore& core, const std::string& cls, const std::string& action, size_t layer) {
  ActionLedger ledger;
  collect_actions_below(core, ledger);
  uint64_t n = 0;
  for (const auto& a : ledger.entries())
    if (a.component_class == cls && a.action == action && layer < a.by_layer.layers.size())
      n += a.by_layer.layers[layer];
  return n;
}

double inventory_of(const BnnCore& core, const std::string& cls) {
  HardwareInventory inventory;
  collect_hardware_below(core, inventory);
  double q = 0;
  for (const auto& item : inventory.items())
    if (item.component_class == cls) q += item.quantity;
  return q;
}

}  // namespace

// The shipped 784-1024-1024-10 MLP on real Fashion-MNIST test images, default arrays.
TEST(FixedOrganisations, ShippedMlpScoresEqualTheBitSerialDatapath) {
  const Network net = load_network(SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_bnn_fixed.scbnn");
  const Dataset data = load_mnist_format(kFashionMnistDir, "test");
  Cores cores(CoreParams{}, net, 16);
  expect_same_scores(cores, data, 300, 40);
}

// A small conv net on small arrays: the first convolution (3 x 3 x 3 kernels, padded with
// +1 = pixel 255) spans two column tiles of 64 and two row tiles of 32, then max-pool, a
// second convolution and dense layers.
TEST(FixedOrganisations, SmallConvNetScoresEqualTheBitSerialDatapath) {
  const Network net = test::random_conv_network(10, 9, 8, {{40, 3, 1, 1, 1, 2, 2}, {12, 3, 1, 1, -1}}, {20, 10}, 211);
  ASSERT_EQ(net.layers[0].inputs, 72u);
  const Dataset data = test::random_tensor_dataset(12, 10, 9, 8, 5);
  CoreParams p = test::small_core();
  p.array.count = 16;
  p.max_layers = 8;
  p.input_bytes = 1024;
  p.activation_bits = 8192;
  p.line_buffer_bits = uint32_t(line_buffer_bits_needed(layer_program(net), p.input_bits));
  Cores cores(p, net, 4);
  EXPECT_EQ(cores.cores[1]->mapping().layers[0].tiles.size(), 4u);  // 2 x 2 tiles, each with 7 copies
  expect_same_scores(cores, data, 0, 12);
}

// docs/timing.md: layer 0 of the shipped MLP on the default hardware. Bit-serial:
// 8 x (256 + 1 + 8); bit-parallel: one pass, PE depth 8 plus log2(8) = 3 tree levels;
// adder tree: one pass, depth log2(256) = 8 tree levels plus the final stage.
TEST(FixedOrganisations, FirstLayerCyclesFollowTheTimingDoc) {
  const Network net = load_network(SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_bnn_fixed.scbnn");
  const Dataset data = load_mnist_format(kFashionMnistDir, "test");
  Cores cores(CoreParams{}, net, 16);
  cores.classify(data.image(0), uint32_t(data.values()));
  const uint64_t compute[] = {8 * (256 + 1 + 8), 256 + 1 + 8 + 3, 256 + 1 + 9};
  const uint64_t inference[] = {2471, 2471 - 2120 + compute[1], 2471 - 2120 + compute[2]};
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(phase(*cores.cores[c], 0, "compute"), compute[c]) << kOrganisations[c];
    EXPECT_EQ(phase(*cores.cores[c], 0, "fetch"), 32u) << kOrganisations[c];  // every bit-plane crosses the port
    EXPECT_EQ(cores.cores[c]->cycles().total(), inference[c]) << kOrganisations[c];
  }
}

// What each organisation does per image, counted against the bit-serial core's counts.
TEST(FixedOrganisations, FirstLayerActionsFollowTheHardwareBuilt) {
  const Network net = load_network(SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_bnn_fixed.scbnn");
  const Dataset data = load_mnist_format(kFashionMnistDir, "test");
  Cores cores(CoreParams{}, net, 16);
  cores.classify(data.image(0), uint32_t(data.values()));
  const BnnCore &serial = *cores.cores[0], &parallel = *cores.cores[1], &tree = *cores.cores[2];
  const std::string array = component_class::kWeightArray;
  const uint64_t rows = 1024 * 4;  // layer 0: 4 row tiles x 4 column tiles of 256 rows each
  EXPECT_EQ(count_of(serial, array, action::kRowRead, 0), 8 * rows);
  // Bit-parallel: the same reads, spread over the eight copies (each copy's array read once).
  EXPECT_EQ(count_of(parallel, array, action::kRowRead, 0), 8 * rows);
  EXPECT_EQ(count_of(parallel, component_class::kXnorPopcount, action::kPopcountBit, 0),
            count_of(serial, component_class::kXnorPopcount, action::kPopcountBit, 0));
  for (uint32_t copy = 0; copy < 8; ++copy) {
    ActionLedger ledger;
    collect_actions_below(parallel.array(parallel.mapping().copy_array(parallel.mapping().layers[0].tiles[5], copy)),
                          ledger);
    ASSERT_EQ(ledger.entries().front().count, 256u) << "copy " << copy;  // its 256 rows, once
  }
  // Shift-add tree: one combine per row of each tile; a 256-input partial is 10 bits, the
  // tree 4 x 10 + 2 x 11 + 13 = 75 full-adder bits (docs/architecture.md).
  EXPECT_EQ(count_of(parallel, "shift_add_tree", action::kAddBit, 0), rows * 75);
  // The accumulators add each row's sum once instead of once per bit-plane.
  const uint64_t serial_adds = count_of(serial, component_class::kAccumulator, action::kAddBit, 0);
  EXPECT_EQ(count_of(parallel, component_class::kAccumulator, action::kAddBit, 0) * 8, serial_adds);
  EXPECT_EQ(count_of(tree, component_class::kAccumulator, action::kAddBit, 0) * 8, serial_adds);
  // Adder tree: every row read once, no popcount, the adder tree's bits instead: three
  // column tiles of 256 inputs (tree 2287 + final 17 bits), one of 16 (tree
  // 8 x 8 + 4 x 9 + 2 x 10 + 11 = 131, final 13 bits).
  EXPECT_EQ(count_of(tree, array, action::kRowRead, 0), rows);
  EXPECT_EQ(count_of(tree, component_class::kXnorPopcount, action::kPopcountBit, 0), 0u);
  EXPECT_EQ(count_of(tree, "multibit_adder_tree", action::kAddBit, 0), 1024 * (3 * (2287 + 17) + (131 + 13)));
  EXPECT_EQ(count_of(tree, "operand_select", "select_bit", 0), 1024 * 784 * 8);
  // Later layers are untouched.
  for (const BnnCore* other : {&parallel, &tree})
    EXPECT_EQ(count_of(*other, array, action::kRowRead, 1), count_of(serial, array, action::kRowRead, 1));
}

// The hardware each organisation instantiates (what the area counts).
TEST(FixedOrganisations, HardwareFollowsTheOrganisation) {
  BnnCore serial("serial", CoreParams{}, sc_core::sc_time(2, sc_core::SC_NS));
  BnnCore parallel("parallel", with_organisation(CoreParams{}, "bit_parallel", 16),
                   sc_core::sc_time(2, sc_core::SC_NS));
  BnnCore tree("tree", with_organisation(CoreParams{}, "adder_tree", 16), sc_core::sc_time(2, sc_core::SC_NS));
  EXPECT_EQ(parallel.array_count(), 148u);
  EXPECT_EQ(inventory_of(parallel, component_class::kXnorPopcount), 148.0 * 256);  // every copy has its PE
  EXPECT_EQ(inventory_of(parallel, component_class::kPcsa), inventory_of(serial, component_class::kPcsa));  // ideal
  EXPECT_EQ(inventory_of(parallel, "shift_add_tree"), 16.0 * 75);
  EXPECT_EQ(parallel.threshold_unit.size().accumulators, 36u);  // the copies' sums go through the trees
  EXPECT_EQ(inventory_of(tree, "multibit_adder_tree"), 16.0 * (2287 + 17));
  EXPECT_EQ(inventory_of(tree, "operand_select"), 16.0 * 256 * 8);
  EXPECT_EQ(inventory_of(serial, "multibit_adder_tree") + inventory_of(serial, "shift_add_tree"), 0.0);
  EXPECT_EQ(tree.array_count(), 36u);
}

// The mapping places the copies at the end of the pool; a write to a first-layer array is
// broadcast to its copies, each drawing its own write errors.
TEST(FixedOrganisations, CopiesAreWrittenByBroadcastWithTheirOwnErrors) {
  MramParams m;
  m.write_errors = WriteErrorSource::ber;
  m.ber = 0.05;
  const WeightArrayFactory mram = [&m](const char* name, uint32_t rows, uint32_t columns) {
    return std::make_unique<MramArray>(name, rows, columns, m);
  };
  CoreParams p = with_organisation(test::small_core(), "bit_parallel", 2);
  ASSERT_EQ(p.array.count, 5u + 7 * 2);
  BnnCore core("core", p, sc_core::sc_time(2, sc_core::SC_NS), mram);
  core.configure({{100, 30}, {30, 10}});  // layer 0: 1 row tile x 2 column tiles; layer 1: 1 tile
  const Mapping& map = core.mapping();
  ASSERT_EQ(map.layers[0].tiles.size(), 2u);
  EXPECT_EQ(map.layers[1].tiles[0].array, 2u);
  EXPECT_EQ(map.copy_array(map.layers[0].tiles[1], 3), 19u - 14 + 2 * 2 + 1);
  EXPECT_EQ(map.arrays_used, 3u + 7 * 2);
  for (uint32_t r = 0; r < 32; ++r) core.program_weight(1, r, 0, 0x0123456789abcdefULL * (r + 1), ~uint64_t(0), {});
  uint64_t differ = 0;
  for (uint32_t c = 0; c < 8; ++c) {
    const WeightArray& copy = core.array(map.copy_array(map.layers[0].tiles[1], c));
    uint64_t wrong = 0;
    for (uint32_t r = 0; r < 32; ++r) {
      wrong += uint64_t(popcount64(copy.peek(r, 0) ^ 0x0123456789abcdefULL * (r + 1)));
      differ += copy.peek(r, 0) != core.array(1).peek(r, 0);
    }
    EXPECT_GT(wrong, 0u) << "copy " << c;    // 2048 cells at MTJ WER 0.05: about 100 wrong
    EXPECT_LT(wrong, 300u) << "copy " << c;  // but far from random
  }
  EXPECT_GT(differ, 0u);  // the copies' errors are their own
  // A hidden-layer array has no copies: the write stays there.
  core.program_weight(2, 0, 0, ~uint64_t(0), ~uint64_t(0), {});
  ActionLedger ledger;
  collect_actions_below(core.array(18), ledger);
  uint64_t writes = 0;
  for (const auto& a : ledger.entries())
    if (a.action == action::kWordWrite) writes += a.count;
  EXPECT_EQ(writes, 32u);  // copy 7 of array 1 only
}

// Bad sizes name the key that is too small.
TEST(FixedOrganisations, TooFewArraysNameTheKey) {
  CoreParams p;
  p.fixed.organisation = "bit_parallel";
  EXPECT_NE(test::error_of([&] { p.validate(); }).find("accel.array.count is 36"), std::string::npos)
      << test::error_of([&] { p.validate(); });
  p.array.count = 140;  // the 128 wired arrays fit, the other layers' 20 do not
  const std::vector<LayerShape> mlp = {{784, 1024}, {1024, 1024}, {1024, 10}};
  std::string message;
  try {
    map_program(p, mlp);
  } catch (const std::invalid_argument& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("the network needs 148 weight arrays"), std::string::npos) << message;
  EXPECT_NE(message.find("accel.array.count is 140"), std::string::npos) << message;
  p.array.count = 200;
  p.fixed.first_layer_arrays = 8;
  message.clear();
  try {
    map_program(p, mlp);
  } catch (const std::invalid_argument& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("accel.fixed.first_layer_arrays is 8"), std::string::npos) << message;
  p.fixed.organisation = "adder_tree";
  p.input_mode = InputMode::stochastic;
  EXPECT_NE(test::error_of([&] { p.validate(); }).find("accel.fixed.organisation = adder_tree"), std::string::npos);
  Config c;
  const std::string typo = test::error_of([&] { c.apply_override("accel.fixed.organisation=bit_paralel"); });
  EXPECT_NE(typo.find("expected one of adder_tree bit_parallel bit_serial"), std::string::npos) << typo;
}

// The shipped configuration files of the three baselines load and map the shipped MLP.
TEST(FixedOrganisations, ShippedConfigurationsMapTheShippedMlp) {
  const std::map<std::string, uint32_t> arrays = {{"bit_serial", 36}, {"bit_parallel", 148}, {"adder_tree", 36}};
  for (const auto& [organisation, count] : arrays) {
    Config c;
    c.load_yaml_file(std::string(SCBNN_SOURCE_DIR "/configs/fmnist_bnn_") + organisation + ".yaml");
    const PlatformParams params = platform_params(c);
    EXPECT_EQ(params.accel.core.fixed.organisation, organisation);
    EXPECT_EQ(params.accel.core.array.count, count);
    const Mapping m = map_program(params.accel.core, {{784, 1024}, {1024, 1024}, {1024, 10}});
    EXPECT_EQ(m.arrays_used, count) << organisation;
  }
}

// Through the whole platform (host driver, bus, broadcast programming, MRAM arrays in ideal
// mode): the shipped BCNN's scores equal the folded integer evaluation for each organisation.
class FixedOrganisationPlatform : public ::testing::TestWithParam<const char*> {};

TEST_P(FixedOrganisationPlatform, ShippedBcnnScoresEqualTheFoldedIntegerEvaluation) {
  const Network net = load_network(SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_bcnn_fixed.scbnn");
  const Dataset data = load_mnist_format(kFashionMnistDir, "test");
  const uint32_t first = 500, count = 20;
  Config c;
  c.apply_override("accel.buffer.activation_bits=8192");  // as configs/fmnist_bcnn.yaml
  c.apply_override("accel.mram.error_mode=ideal");
  c.apply_override(std::string("accel.fixed.organisation=") + GetParam());
  c.apply_override("accel.fixed.first_layer_arrays=1");  // the first convolution is one tile
  c.apply_override("accel.array.count=64");
  Platform platform(platform_params(c), net, data, first, count);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), count);
  for (uint32_t i = 0; i < count; ++i) {
    const std::vector<int32_t> expected = integer_scores(net, data.image(first + i));
    EXPECT_EQ(out.records[i].scores, expected) << "image " << first + i;
    EXPECT_EQ(out.records[i].predicted, predicted_class(expected)) << "image " << first + i;
  }
  EXPECT_EQ(out.weights_wrong, 0u);
}

INSTANTIATE_TEST_SUITE_P(Organisations, FixedOrganisationPlatform, ::testing::ValuesIn(kOrganisations));
