// The core as an active module (its own sequencer process, start and done events), and
// the one network compiler the host driver, the platform and these tests share.
#include <gtest/gtest.h>

#include "core_loading.h"
#include "scbnn/models/bnn_core.h"
#include "scbnn/models/stochastic_scaling.h"
#include "scbnn/platforms/compiled_network.h"
#include "scbnn/platforms/platform.h"
#include "test_support.h"

using namespace scbnn;
using scbnn::test::load;
using scbnn::test::small_core;

namespace {

// Starts the core once, `delay` after 10 ns, and records when it reports done.
struct Starter : sc_core::sc_module {
  BnnCore& core;
  sc_core::sc_time delay, started, done_at;
  bool done = false;
  Starter(sc_core::sc_module_name n, BnnCore& c, sc_core::sc_time d) : sc_core::sc_module(n), core(c), delay(d) {
    SC_HAS_PROCESS(Starter);
    SC_THREAD(run);
  }
  void run() {
    sc_core::wait(10, sc_core::SC_NS);
    started = sc_core::sc_time_stamp();
    core.start(delay);
    sc_core::wait(core.done_event());
    done = true;
    done_at = sc_core::sc_time_stamp();
  }
};

}  // namespace

// No bus face: the core's own process takes the job, waits its cycles and signals done.
TEST(Core, RunsAnImageOnItsOwnProcessWithoutABusFace) {
  const Network net = test::random_network({128, 64, 10}, 3, 8, 16);
  const Dataset data = test::random_dataset(1, 8, 16, 4);
  const sc_core::sc_time period(2, sc_core::SC_NS);
  BnnCore core("core", small_core(), period);
  const CompiledNetwork compiled = compile_network(net, core.params().array, FirstLayerMode::fixed, 1);
  load(core, net, compiled);
  core.input_buffer.write(0, data.image(0), 128, nullptr, 0, false);
  core.load_program(compiled.program);
  core.set_job_source([] { return BnnCore::job_for(FirstLayerMode::fixed, 1, 0); });
  Starter starter("starter", core, sc_core::sc_time(3, sc_core::SC_NS));
  sc_core::sc_start();

  ASSERT_TRUE(starter.done);
  const BnnCore::RunResult& run = core.last_run();
  EXPECT_EQ(run.error, "");
  EXPECT_GT(run.cycles, 0u);
  EXPECT_EQ(run.cycles, core.cycles().total());
  EXPECT_EQ(run.duration, period * double(run.cycles));
  EXPECT_EQ(starter.done_at, starter.started + sc_core::sc_time(3, sc_core::SC_NS) + run.duration);
  const test::ReferenceResult ref = test::reference_inference(net, data.image(0));
  EXPECT_EQ(core.predicted_class(), ref.predicted);
  ASSERT_EQ(core.scores().size(), ref.scores.size());
  for (size_t c = 0; c < ref.scores.size(); ++c) EXPECT_EQ(core.scores()[c], ref.scores[c]) << c;
}

// A job the core cannot run ends the run with the error, reported at done, never a crash.
TEST(Core, AJobItCannotRunEndsTheRunWithTheError) {
  BnnCore core("core", small_core(), sc_core::sc_time(2, sc_core::SC_NS));
  core.load_program({{128, 64}, {65, 10}});  // layer 1 does not take layer 0's outputs
  core.set_job_source([] { return BnnCore::Job{}; });
  Starter starter("starter", core, sc_core::SC_ZERO_TIME);
  sc_core::sc_start();
  ASSERT_TRUE(starter.done);
  EXPECT_NE(core.last_run().error.find("layer 1 inputs do not match layer 0 outputs"), std::string::npos)
      << core.last_run().error;
  EXPECT_EQ(core.last_run().cycles, 0u);
  EXPECT_FALSE(core.configured());
}

// The platform checks that the network fits without configuring the core: the core is
// configured once, from the registers the host wrote, when the host starts it.
TEST(Core, OnlyTheHostsStartConfiguresTheCore) {
  const Network net = test::random_network({128, 64, 10}, 3, 8, 16);
  const Dataset data = test::random_dataset(2, 8, 16, 4);
  Config c;
  for (const char* o : {"accel.array.rows=32", "accel.array.columns=64", "accel.array.count=5"}) c.apply_override(o);
  Platform platform(platform_params(c), net, data, 0, 2);
  EXPECT_FALSE(platform.accelerator().core.configured());
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_TRUE(platform.accelerator().core.configured());
  EXPECT_EQ(out.mapping.layers.size(), 2u);
}

// What the host wrote into the parameter memory is the compiled network's parameters:
// layer 0 rescaled once for the stochastic samples of a decision, the rest as trained.
TEST(Core, TheHostWritesTheCompiledParameters) {
  const Network net = test::random_network({128, 64, 10}, 5, 8, 16);
  const Dataset data = test::random_dataset(1, 8, 16, 4);
  Config c;
  for (const char* o : {"accel.array.rows=32", "accel.array.columns=64", "accel.array.count=5",
                        "accel.input_mode=stochastic", "accel.sc.stream_length=8"})
    c.apply_override(o);
  const PlatformParams params = platform_params(c);
  Platform platform(params, net, data, 0, 1);
  platform.run();
  const CompiledNetwork compiled = compile_network(net, params.accel.core.array, FirstLayerMode::stochastic_sum, 8);
  EXPECT_EQ(compiled.samples_per_decision, 8u);
  uint32_t base = 0;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    std::vector<int32_t> held(compiled.parameters[l].size());
    platform.accelerator().core.param_memory.read(base * 8, reinterpret_cast<uint8_t*>(held.data()),
                                                  uint32_t(held.size() * 4));
    EXPECT_EQ(held, compiled.parameters[l]) << "layer " << l;
    base += net.layers[l].outputs;
  }
  const Layer& first = net.layers[0];
  for (uint32_t j = 0; j < first.outputs; ++j) {
    EXPECT_EQ(compiled.parameters[0][2 * j], stochastic_threshold(first.threshold[j], first.direction[j], 8)) << j;
    EXPECT_EQ(compiled.parameters[0][2 * j + 1], first.direction[j]) << j;
  }
  for (uint32_t j = 0; j < net.layers[1].outputs; ++j) {
    EXPECT_EQ(compiled.parameters[1][2 * j], net.layers[1].scale[j]) << j;
    EXPECT_EQ(compiled.parameters[1][2 * j + 1], net.layers[1].offset[j]) << j;
  }
  // Vote mode decides on one sample; fixed inputs keep the trained values.
  EXPECT_EQ(compile_network(net, params.accel.core.array, FirstLayerMode::stochastic_vote, 8).samples_per_decision, 1u);
  const CompiledNetwork fixed = compile_network(net, params.accel.core.array, FirstLayerMode::fixed, 8);
  for (uint32_t j = 0; j < first.outputs; ++j) EXPECT_EQ(fixed.parameters[0][2 * j], first.threshold[j]) << j;
}

// ---------------------------------------------------------------------------------------
// Loop order and reduce lanes (docs/timing.md, "The neuron datapath"): cycles of every
// phase, the actions the order counts and the hardware the area prices, for both orders and
// several lane counts, against the formulas computed here from the geometry alone.

namespace {

struct Datapath {
  const char* order;  // accel.loop_order
  uint32_t lanes;     // accel.reduce.lanes
  bool stochastic;    // SC first layer, N = 5 samples summed (else 8 bit-planes)
};

// 32 x 64 arrays, 32-bit PEs (a 64-column row takes 2 beats, longer than the 1-cycle
// sense), 64-bit port, sense 2 ns at 500 MHz = 1 cycle, PE depth ceil(log2 32) = 5.
struct DenseHardware {
  uint64_t rows = 32, columns = 64, pe = 32, port = 64, read = 1, depth = 5;
};

uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
uint64_t ceil_log2(uint64_t v) {
  uint64_t d = 0;
  while ((uint64_t(1) << d) < v) ++d;
  return d;
}
std::vector<uint64_t> tile_sizes(uint64_t total, uint64_t tile) {
  std::vector<uint64_t> sizes;
  for (uint64_t done = 0; done < total; done += tile) sizes.push_back(std::min(tile, total - done));
  return sizes;
}

using Phases = std::vector<std::pair<std::string, uint64_t>>;

Phases dense_phases(uint64_t inputs, uint64_t outputs, uint64_t passes, bool last, const Datapath& d,
                    const DenseHardware& hw) {
  const bool row_inner = std::string(d.order) == "row_inner";
  const std::vector<uint64_t> ks = tile_sizes(inputs, hw.columns);
  uint64_t fetch = 0, ri = 0;
  for (uint64_t k : ks) {
    fetch += passes * ceil_div(k, hw.port);
    ri = std::max(ri, std::max(hw.read, ceil_div(k, hw.pe)));  // lock step: the slowest tile
  }
  const uint64_t n = std::min(hw.rows, outputs), fill = hw.read + hw.depth;
  const uint64_t compute = row_inner ? passes * (n * ri + fill) : n * passes * ri + fill;
  // Neurons reach the lanes one row interval after their row starts; the row tiles that
  // deliver the last row (those with n rows) queue behind one another on too few lanes.
  const uint64_t final_interval = row_inner ? ri : passes * ri;
  const uint64_t arrival = n * final_interval;
  const uint64_t drain = ceil_div(outputs, d.lanes) + final_interval - 1;
  const uint64_t last_row_tiles = outputs / n;
  const uint64_t last_delivery = ceil_div(last_row_tiles, d.lanes) - 1;
  const uint64_t reduce = std::max(last_delivery, drain > arrival ? drain - arrival : 0) + ceil_log2(ks.size()) + 1;
  return {{"fetch", fetch},
          {"compute", compute},
          {"reduce", reduce},
          {last ? "argmax" : "writeback", last ? outputs : ceil_div(outputs, hw.port)}};
}

uint64_t action_count(const RunOutcome& out, const std::string& cls, const std::string& action) {
  uint64_t n = 0;
  for (const auto& a : out.actions.entries())
    if (a.component_class == cls && a.action == action) n += a.count;
  return n;
}
double hardware_quantity(const RunOutcome& out, const std::string& cls) {
  double q = 0;
  for (const auto& h : out.hardware.items())
    if (h.component_class == cls) q += h.quantity;
  return q;
}

class DenseDatapath : public ::testing::TestWithParam<Datapath> {};

}  // namespace

// 80-100-70-10 on 16 arrays: layer 0 has column tiles of 64 and 16 inputs (ri 2 and 1: the
// layer runs at 2) and 4 row tiles of at most 32 rows; layer 1 3 row tiles (70 neurons)
// and layer 2 one (10 classes); 2 column tiles each.
TEST_P(DenseDatapath, PhasesActionsAndHardwareFollowTheTimingDoc) {
  const Datapath d = GetParam();
  const bool row_inner = std::string(d.order) == "row_inner";
  const Network net = test::random_network({80, 100, 70, 10}, 31, 8, 10);
  const uint32_t images = 2, samples = 5;
  const Dataset data = test::random_dataset(images, 8, 10, 32);
  Config c;
  for (const std::string o :
       {"accel.array.rows=32", "accel.array.columns=64", "accel.array.count=16", "accel.pe.width_bits=32",
        "accel.buffer.port_bits=64", "accel.array.read_ns=2", "accel.clock_mhz=500", "accel.mram.error_mode=ideal"})
    c.apply_override(o);
  c.apply_override(std::string("accel.loop_order=") + d.order);
  c.apply_override("accel.reduce.lanes=" + std::to_string(d.lanes));
  if (d.stochastic) {
    c.apply_override("accel.input_mode=stochastic");
    c.apply_override("accel.sc.stream_length=" + std::to_string(samples));
  }
  Platform platform(platform_params(c), net, data, 0, images);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), images);
  if (!d.stochastic) {  // the order changes when rows are read, never the sums
    for (uint32_t i = 0; i < images; ++i) {
      const test::ReferenceResult ref = test::reference_inference(net, data.image(i));
      EXPECT_EQ(out.records[i].scores, std::vector<int32_t>(ref.scores.begin(), ref.scores.end())) << i;
    }
  }

  const uint64_t first_passes = d.stochastic ? samples : 8;
  const DenseHardware hw;
  const auto& layers = out.cycles.layers();
  ASSERT_EQ(layers.size(), 3u);
  for (size_t l = 0; l < 3; ++l) {
    Phases want = dense_phases(net.layers[l].inputs, net.layers[l].outputs, l == 0 ? first_passes : 1, l == 2, d, hw);
    if (l == 0 && d.stochastic) want.insert(want.begin(), {"sng", samples * ceil_div(80, 1024)});
    Phases got = layers[l].phases;
    for (auto& p : got) p.second /= images;
    EXPECT_EQ(got, want) << "layer " << l;
  }
  // By hand: one lane takes 100 and 70 neurons in 100 and 70 cycles, the first reaching it
  // one row interval (2) after the first row starts, but row_inner's layer 0 and every
  // order's layer 1 deliver them in 32 rows x 2 cycles = 64: the arrays stall 37 and 7 cycles
  // before the 2-input adder tree (1) and the compare (1). pass_inner's layer 0 delivers its
  // rows every passes x 2 cycles (512 or 320 for all), but its last row comes from the 3
  // full row tiles at once: one lane takes them in 3 cycles (2 after the first), two lanes
  // in 2 (1 after). Four lanes wait for nothing.
  const auto reduce = [&](size_t l) { return layers[l].phases[d.stochastic && l == 0 ? 3 : 2].second / images; };
  EXPECT_EQ(reduce(0), d.lanes == 1 ? (row_inner ? 39u : 4u) : d.lanes == 2 ? 3u : 2u);
  EXPECT_EQ(reduce(1), d.lanes == 1 ? 9u : 2u);
  EXPECT_EQ(reduce(2), 2u);

  // Actions per image: every input bit a tile uses latched once per pass; in row_inner the
  // partial-sum file read and written (passes - 1) x the row results of a pass (layer 0's
  // 200: 100 neurons x 2 column tiles); each neuron's 2 column tiles added once by a tree.
  const uint64_t w = accumulator_bits(platform_params(c).accel.core);
  EXPECT_EQ(w, d.stochastic ? 18u : 19u);  // 1024 x 64 samples, or 1024 x 255, plus a sign bit
  EXPECT_EQ(action_count(out, "input_latch", "bit_write"), images * (first_passes * 4 * 80 + 3 * 100 + 1 * 70));
  const uint64_t entries = row_inner ? (first_passes - 1) * 200 : 0;
  EXPECT_EQ(action_count(out, "partial_sum_register", "bit_read"), images * entries * w);
  EXPECT_EQ(action_count(out, "partial_sum_register", "bit_write"), images * entries * w);
  EXPECT_EQ(action_count(out, "adder_tree", "add_bit"), images * (100 + 70 + 10) * 1 * w);
  EXPECT_EQ(action_count(out, "accumulator", "add_bit"), images * (first_passes * 200 + 140 + 20) * w);
  EXPECT_EQ(action_count(out, "threshold_comparator", "compare"), images * (100 + 70));
  EXPECT_EQ(action_count(out, "param_memory", "entry_read"), images * (100 + 70 + 10));

  // Hardware: the lanes' comparators and adder trees (the platform sizes the trees for this
  // network's 2 column tiles: one adder each), accumulators per array, partial-sum files of
  // 32 rows per array only in row_inner, and per array input latches of one 64-bit slice
  // (row_inner) or of the most passes the built datapath takes (pass_inner: 8 bit-planes, or
  // accel.sc.max_stream_length = 64 samples).
  const double arrays = 16, p_max = d.stochastic ? 64 : 8;
  EXPECT_EQ(hardware_quantity(out, "threshold_comparator"), d.lanes * double(w));
  EXPECT_EQ(hardware_quantity(out, "adder_tree"), d.lanes * 1.0 * double(w));
  EXPECT_EQ(hardware_quantity(out, "accumulator"), arrays * double(w));
  EXPECT_EQ(hardware_quantity(out, "partial_sum_register"), row_inner ? arrays * 32 * double(w) : 0.0);
  EXPECT_EQ(hardware_quantity(out, "input_latch"), arrays * 64 * (row_inner ? 1 : p_max));
  EXPECT_EQ(hardware_quantity(out, "param_memory"), 4096.0 * 64);  // the same entries in every banking
  bool banks_described = false;
  for (const auto& h : out.hardware.items())
    if (h.component_class == "param_memory")
      banks_described = h.detail.find(std::to_string(d.lanes) + " single-port bank") != std::string::npos;
  EXPECT_TRUE(banks_described);
}

INSTANTIATE_TEST_SUITE_P(LoopOrderAndLanes, DenseDatapath,
                         ::testing::Values(Datapath{"pass_inner", 1, false}, Datapath{"pass_inner", 2, false},
                                           Datapath{"pass_inner", 4, false}, Datapath{"row_inner", 1, false},
                                           Datapath{"row_inner", 2, false}, Datapath{"row_inner", 4, false},
                                           Datapath{"pass_inner", 1, true}, Datapath{"row_inner", 1, true}),
                         [](const ::testing::TestParamInfo<Datapath>& i) {
                           return std::string(i.param.order) + "_lanes" + std::to_string(i.param.lanes) +
                                  (i.param.stochastic ? "_stochastic" : "_fixed");
                         });

namespace {

struct WorkedExample {
  const char* order;
  uint32_t lanes;
  std::vector<uint64_t> layer_cycles;  // docs/timing.md's table
};
class DefaultNetworkTiming : public ::testing::TestWithParam<WorkedExample> {};

}  // namespace

// docs/timing.md's worked example: 784-1024-1024-10 on the default hardware in both loop
// orders with 4 and with 1 lane (the numbers of the doc's table, not a formula).
TEST_P(DefaultNetworkTiming, LayerTotalsOfTheWorkedExample) {
  const WorkedExample e = GetParam();
  const Network net = test::random_network({784, 1024, 1024, 10}, 41, 28, 28);
  const Dataset data = test::random_dataset(1, 28, 28, 42);
  Config c;
  c.apply_override("accel.mram.error_mode=ideal");
  c.apply_override(std::string("accel.loop_order=") + e.order);
  c.apply_override("accel.reduce.lanes=" + std::to_string(e.lanes));
  Platform platform(platform_params(c), net, data, 0, 1);
  const RunOutcome out = platform.run();
  std::vector<uint64_t> got;
  for (const auto& l : out.cycles.layers()) got.push_back(l.total());
  EXPECT_EQ(got, e.layer_cycles);
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0].cycles, e.layer_cycles[0] + e.layer_cycles[1] + e.layer_cycles[2]);
}

INSTANTIATE_TEST_SUITE_P(LoopOrderAndLanes, DefaultNetworkTiming,
                         ::testing::Values(WorkedExample{"pass_inner", 4, {2096, 276, 36}},
                                           WorkedExample{"row_inner", 4, {2159, 276, 36}},
                                           WorkedExample{"pass_inner", 1, {2099, 1044, 36}},
                                           WorkedExample{"row_inner", 1, {2927, 1044, 36}}),
                         [](const ::testing::TestParamInfo<WorkedExample>& i) {
                           return std::string(i.param.order) + "_lanes" + std::to_string(i.param.lanes);
                         });

// Adder trees sized smaller than a layer's column tiles cannot sum its neurons: refused
// before simulating, naming the key.
TEST(Core, ALayerWiderThanTheAdderTreesIsRefusedNamingTheKey) {
  const Network net = test::random_network({128, 64, 10}, 3, 8, 16);
  const Dataset data = test::random_dataset(1, 8, 16, 4);
  Config c;
  for (const char* o :
       {"accel.array.rows=32", "accel.array.columns=64", "accel.array.count=5", "accel.reduce.tree_inputs=1"})
    c.apply_override(o);
  const std::string e = test::error_of([&] { Platform platform(platform_params(c), net, data, 0, 1); });
  EXPECT_NE(e.find("has 2 column tiles but accel.reduce.tree_inputs is 1"), std::string::npos) << e;
}
