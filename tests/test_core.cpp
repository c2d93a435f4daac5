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
