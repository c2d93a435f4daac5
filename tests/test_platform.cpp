// Simulation tests: each builds one platform and runs it once (ctest gives every test
// case its own process).
#include <gtest/gtest.h>

#include <tlm_utils/simple_initiator_socket.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>

#include "scbnn/base/errors.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/platforms/program_image.h"
#include "scbnn/tlm/memory.h"
#include "test_support.h"

using namespace scbnn;

namespace {

constexpr const char* kShippedNetwork = SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_bnn_fixed.scbnn";

void expect_matches_reference(const Network& net, const Dataset& data, uint32_t first, const RunOutcome& out) {
  for (size_t i = 0; i < out.records.size(); ++i) {
    const auto ref = test::reference_inference(net, data.image(first + i));
    ASSERT_EQ(out.records[i].scores.size(), ref.scores.size());
    for (size_t c = 0; c < ref.scores.size(); ++c)
      ASSERT_EQ(out.records[i].scores[c], ref.scores[c]) << "image " << first + i << " class " << c;
    ASSERT_EQ(out.records[i].predicted, ref.predicted) << "image " << first + i;
  }
}

}  // namespace

TEST(Platform, ShippedNetworkMatchesIndependentReferenceBitForBit) {
  const Network net = load_network(kShippedNetwork);
  const Dataset data = load_mnist_format(kFashionMnistDir, "test");
  const uint32_t first = 1000, count = 300;
  Platform platform(platform_params(Config()), net, data, first, count);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), count);
  expect_matches_reference(net, data, first, out);
  size_t correct = 0;
  for (size_t i = 0; i < count; ++i) correct += out.records[i].predicted == data.labels[first + i];
  EXPECT_GT(double(correct) / count, 0.8);  // a trained network, not chance (0.1)
}

TEST(Platform, ThirtyTwoBitBusGivesTheSameResults) {
  const Network net = test::random_network({200, 100, 70, 10}, 11, 10, 20);
  const Dataset data = test::random_dataset(40, 10, 20, 5);
  Config c;
  c.apply_override("bus.width_bits=32");
  c.apply_override("accel.array.rows=64");
  c.apply_override("accel.array.columns=64");
  Platform platform(platform_params(c), net, data, 0, 40);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), 40u);
  expect_matches_reference(net, data, 0, out);
}

// Hand-computed cycles for a 128-64-10 network on 32 x 64 arrays, PE and buffer port
// 64 bits, sense latency 4 ns at 500 MHz = 2 cycles, PE depth ceil(log2 64) = 6.
// Default loop order pass_inner (each row read once per pass back to back, one pipeline
// fill) and 4 reduce lanes.
//  layer0: 2 column tiles x 2 row tiles, 8 bit-plane passes
//    fetch     8 passes x 2 tiles x ceil(64/64)                 =  16
//    compute   32 rows x 8 passes x max(2, 1) + 2 + 6           = 520
//    reduce    max(0, ceil(64/4) - 32 x 8 x 2) + ceil(log2 2) + 1 = 2
//    writeback ceil(64/64)                                      =   1
//  layer1: one tile of 10 x 64, 1 pass
//    fetch 1, compute 10 x max(2, 1) + 2 + 6 = 28, reduce 0 + 0 + 1 = 1, argmax 10
//  total 539 + 40 = 579 cycles per inference.
TEST(Platform, CycleAccountingMatchesHandCount) {
  const Network net = test::random_network({128, 64, 10}, 7, 8, 16);
  const Dataset data = test::random_dataset(5, 8, 16, 9);
  Config c;
  for (const char* o :
       {"accel.loop_order=pass_inner", "accel.array.rows=32", "accel.array.columns=64", "accel.array.count=5",
        "accel.pe.width_bits=64", "accel.buffer.port_bits=64", "accel.array.read_ns=4", "accel.clock_mhz=500"})
    c.apply_override(o);
  Platform platform(platform_params(c), net, data, 0, 5);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), 5u);
  expect_matches_reference(net, data, 0, out);

  const auto& layers = out.cycles.layers();
  ASSERT_EQ(layers.size(), 2u);
  const std::vector<std::pair<std::string, uint64_t>> l0 = {{"fetch", 16},
                                                            {"compute", 520},
                                                            {"reduce", 2},
                                                            {"writeback", 1}};
  const std::vector<std::pair<std::string, uint64_t>> l1 = {{"fetch", 1},
                                                            {"compute", 28},
                                                            {"reduce", 1},
                                                            {"argmax", 10}};
  auto per_inference = [](std::vector<std::pair<std::string, uint64_t>> phases) {
    for (auto& p : phases) p.second /= 5;
    return phases;
  };
  EXPECT_EQ(per_inference(layers[0].phases), l0);
  EXPECT_EQ(per_inference(layers[1].phases), l1);
  for (const auto& r : out.records) EXPECT_EQ(r.cycles, 579u);
  // Simulated time agrees with the cycles at the configured clock.
  EXPECT_EQ(out.accelerator_busy_time, sc_core::sc_time(2.0 * 579 * 5, sc_core::SC_NS));
  EXPECT_EQ(platform.accelerator().last_inference_time(), sc_core::sc_time(2.0 * 579, sc_core::SC_NS));
  // The host sees the accelerator time plus bus transfers, never less.
  for (const auto& r : out.records) EXPECT_GT(r.latency, sc_core::sc_time(2.0 * 579, sc_core::SC_NS));
}

TEST(Platform, NetworkThatDoesNotFitIsRefusedBeforeSimulating) {
  const Network net = test::random_network({784, 1024, 1024, 10}, 1, 28, 28);
  const Dataset data = test::random_dataset(2, 28, 28, 1);
  Config c;
  c.apply_override("accel.array.count=20");
  try {
    Platform platform(platform_params(c), net, data, 0, 2);
    FAIL() << "accepted a network needing 36 arrays on 20";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("needs 36 weight arrays"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("accel.array.count is 20"), std::string::npos) << e.what();
  }
}

// Programming alone (no image, as the benchmark's programming part runs it): the core never
// loads its program, yet the report has the mapping and the stored weights are checked.
TEST(Platform, ARunOfNoImageProgramsTheWeightsAndReportsTheMapping) {
  const Network net = test::random_network({64, 32, 10}, 2, 8, 8);
  const Dataset data = test::random_dataset(1, 8, 8, 3);
  Config c;
  c.apply_override("accel.mram.write_errors=ber");
  c.apply_override("accel.mram.ber=0.05");
  Platform platform(platform_params(c), net, data, 0, 0);
  const RunOutcome out = platform.run();
  EXPECT_TRUE(out.records.empty());
  ASSERT_EQ(out.mapping.layers.size(), 2u);
  EXPECT_EQ(out.mapping.arrays_used, 2u);
  EXPECT_EQ(out.weights_total, 64u * 32 + 32 * 10);
  EXPECT_GT(out.weights_wrong, 0u);  // 5 % of the MTJs miswritten: some weights read wrong
  EXPECT_LT(out.weights_wrong, out.weights_total / 4);
}

TEST(Platform, ImageRangeIsChecked) {
  const Network net = test::random_network({16, 8, 10}, 1, 4, 4);
  const Dataset data = test::random_dataset(3, 4, 4, 1);
  EXPECT_THROW(Platform(platform_params(Config()), net, data, 2, 2), InputError);
}

namespace {

// A minimal initiator whose thread runs a test body against the accelerator.
struct ScriptedHost : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<ScriptedHost, 64> socket;
  sc_core::sc_in<bool> irq;
  std::function<void(ScriptedHost&)> body;
  bool done = false;

  ScriptedHost(sc_core::sc_module_name n, std::function<void(ScriptedHost&)> b)
      : sc_core::sc_module(n), socket("socket"), irq("irq"), body(std::move(b)) {
    SC_HAS_PROCESS(ScriptedHost);
    SC_THREAD(run);
  }
  void run() {
    body(*this);
    done = true;
  }
  tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint32_t& value) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(addr);
    tx.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    tx.set_data_length(4);
    tx.set_streaming_width(4);
    sc_core::sc_time delay;
    socket->b_transport(tx, delay);
    sc_core::wait(delay);
    return tx.get_response_status();
  }
  uint32_t read(uint64_t addr) {
    uint32_t v = 0;
    EXPECT_EQ(access(tlm::TLM_READ_COMMAND, addr, v), tlm::TLM_OK_RESPONSE);
    return v;
  }
  void write(uint64_t addr, uint32_t v) { EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, addr, v), tlm::TLM_OK_RESPONSE); }
};

}  // namespace

TEST(Accelerator, BadProgramRaisesErrorAndInterruptUntilCleared) {
  using namespace addr;
  AcceleratorParams p;
  p.core.array = {64, 64, 2};
  Accelerator<64> accel("accel", p);
  sc_core::sc_signal<bool> irq("irq_line");
  ScriptedHost host("host", [&](ScriptedHost& h) {
    h.write(IRQ_ENABLE, IRQ_DONE);
    h.write(NUM_LAYERS, 1);
    h.write(layer_inputs(0), 64);
    h.write(layer_outputs(0), 10);
    h.write(INPUT_MODE, 3);  // not supported
    h.write(CTRL, CTRL_START);
    if (!h.irq.read()) sc_core::wait(h.irq.posedge_event());  // a bad program fails at once
    EXPECT_EQ(h.read(STATUS), STATUS_DONE | STATUS_ERROR);
    EXPECT_EQ(h.read(ERROR_CODE), uint32_t(kErrBadProgram));
    EXPECT_NE(accel.last_error().find("INPUT_MODE 3"), std::string::npos) << accel.last_error();
    sc_core::wait(10, sc_core::SC_NS);
    EXPECT_TRUE(h.irq.read()) << "the interrupt is held until software clears it";
    h.write(IRQ_STATUS, IRQ_DONE);
    sc_core::wait(sc_core::SC_ZERO_TIME);
    EXPECT_FALSE(h.irq.read());

    h.write(INPUT_MODE, 0);
    h.write(layer_outputs(0), 200);  // 4 row tiles of 64 on 2 arrays: does not fit
    h.write(CTRL, CTRL_START);
    if (!h.irq.read()) sc_core::wait(h.irq.posedge_event());
    EXPECT_EQ(h.read(ERROR_CODE), uint32_t(kErrBadProgram));
    EXPECT_NE(accel.last_error().find("accel.array.count"), std::string::npos) << accel.last_error();

    h.write(layer_outputs(0), 10);
    h.write(IRQ_STATUS, IRQ_DONE);
    h.write(CTRL, CTRL_START);
    EXPECT_EQ(h.read(STATUS), STATUS_BUSY);
    h.write(CTRL, CTRL_START);  // while busy: refused, reported, the run goes on
    sc_core::wait(h.irq.posedge_event());
    EXPECT_EQ(h.read(STATUS), STATUS_DONE);
    EXPECT_EQ(h.read(ERROR_CODE), uint32_t(kErrStartWhileBusy));
  });
  host.socket.bind(accel.socket);
  accel.irq.bind(irq);
  host.irq.bind(irq);
  sc_core::sc_start();
  EXPECT_TRUE(host.done) << "the simulation ended before the test body finished";
}

TEST(Platform, NetworkWithOtherInputPrecisionIsRefused) {
  Network net = test::random_network({16, 8, 10}, 1, 4, 4);
  net.input.bits = 4;
  const Dataset data = test::random_dataset(3, 4, 4, 1);
  try {
    Platform platform(platform_params(Config()), net, data, 0, 1);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("4-bit inputs"), std::string::npos) << e.what();
  }
}

namespace {
// The value changes of a VCD file, by full signal name (scopes joined with '.', without the
// SystemC top scope): (time, value) pairs, values as the VCD's binary strings.
std::map<std::string, std::vector<std::pair<uint64_t, std::string>>> read_vcd(const std::string& path) {
  std::ifstream in(path);
  std::map<std::string, std::string> names;  // identifier -> name
  std::map<std::string, std::vector<std::pair<uint64_t, std::string>>> changes;
  std::vector<std::string> scopes;
  std::string token;
  uint64_t now = 0;
  while (in >> token) {
    if (token == "$comment" || token == "$date" || token == "$version" || token == "$timescale") {
      while (in >> token && token != "$end") {
      }
    } else if (token == "$scope") {
      std::string kind, name;
      in >> kind >> name;
      scopes.push_back(name);
    } else if (token == "$upscope") {
      scopes.pop_back();
    } else if (token == "$var") {
      std::string kind, width, id, name;
      in >> kind >> width >> id >> name;
      std::string full;
      for (size_t i = 1; i < scopes.size(); ++i) full += scopes[i] + ".";
      names[id] = full + name;
    } else if (token[0] == '#') {
      now = std::stoull(token.substr(1));
    } else if (token[0] == 'b') {
      std::string id;
      in >> id;
      changes[names.at(id)].push_back({now, token.substr(1)});
    } else if ((token[0] == '0' || token[0] == '1') && names.count(token.substr(1))) {
      changes[names.at(token.substr(1))].push_back({now, token.substr(0, 1)});
    }
  }
  return changes;
}

int64_t vcd_signed(const std::string& bits) {  // two's complement of the VCD's (shortened) binary
  const uint64_t v = std::stoull(bits, nullptr, 2);
  return bits.size() == 32 && bits[0] == '1' ? int64_t(v) - (int64_t(1) << 32) : int64_t(v);
}
}  // namespace

// --trace and --timeline: the VCD shows each inference (busy and irq rise once per image, the
// layers run in order, the bus count ends at the run's transactions) and the action samples
// run from all-zero counters at time 0 to the run's final counts at its end.
TEST(Platform, TraceAndActionSamplesFollowTheRun) {
  const Network net = test::random_network({200, 100, 70, 10}, 11, 10, 20);
  const Dataset data = test::random_dataset(6, 10, 20, 5);
  Config c;
  c.apply_override("accel.array.rows=64");
  c.apply_override("accel.array.columns=64");
  Platform platform(platform_params(c), net, data, 0, 6);
  const std::string base = ::testing::TempDir() + "scbnn_trace_test";
  platform.trace(base);
  platform.sample_actions(sc_core::sc_time(500, sc_core::SC_NS));
  const RunOutcome out = platform.run();
  expect_matches_reference(net, data, 0, out);

  const auto vcd = read_vcd(base + ".vcd");
  std::remove((base + ".vcd").c_str());
  const auto rises = [&](const std::string& signal) {
    size_t n = 0;
    for (const auto& change : vcd.at(signal)) n += change.second == "1";
    return n;
  };
  EXPECT_EQ(rises("accel.busy"), 6u);
  EXPECT_EQ(rises("accel.irq"), 6u);
  EXPECT_EQ(std::stoull(vcd.at("bus.transactions").back().second, nullptr, 2), out.bus_transactions);
  std::vector<int64_t> layers;
  for (const auto& change : vcd.at("accel.layer")) layers.push_back(vcd_signed(change.second));
  EXPECT_EQ(layers.front(), -1);
  const std::vector<int64_t> one_image = {0, 1, 2, -1};  // the layers back to back, then the scoring
  ASSERT_EQ(layers.size(), 1 + 6 * one_image.size());
  for (size_t i = 0; i < 6; ++i)
    EXPECT_EQ(std::vector<int64_t>(layers.begin() + 1 + int64_t(i * one_image.size()),
                                   layers.begin() + 1 + int64_t((i + 1) * one_image.size())),
              one_image)
        << "image " << i;

  const auto& samples = out.action_samples;
  ASSERT_GE(samples.size(), 3u);
  EXPECT_EQ(samples.front().time, sc_core::SC_ZERO_TIME);
  for (uint64_t count : samples.front().counts) EXPECT_EQ(count, 0u);
  EXPECT_EQ(samples.back().time, out.simulated_time);
  ASSERT_EQ(samples.back().counts.size(), out.actions.entries().size());
  for (size_t i = 0; i < samples.back().counts.size(); ++i)
    EXPECT_EQ(samples.back().counts[i], out.actions.entries()[i].count) << out.actions.entries()[i].component;
  for (size_t s = 1; s < samples.size(); ++s) {
    EXPECT_LT(samples[s - 1].time, samples[s].time);
    EXPECT_LE(samples[s].time - samples[s - 1].time, sc_core::sc_time(500, sc_core::SC_NS));
    for (size_t i = 0; i < samples[s].counts.size(); ++i) EXPECT_GE(samples[s].counts[i], samples[s - 1].counts[i]);
  }
}

// accel.dma.enabled: the host moves the images and the program image's larger records with the
// accelerator's DMA engine (from system memory, where the platform preloads them); the scores
// still equal the independent reference bit for bit, and the engine's transfers are counted.
TEST(Platform, DmaProgrammingAndInputsGiveTheReferenceResults) {
  const Network net = test::random_network({200, 100, 70, 10}, 11, 10, 20);
  const Dataset data = test::random_dataset(12, 10, 20, 5);
  Config c;
  c.apply_override("accel.array.rows=64");
  c.apply_override("accel.array.columns=64");
  c.apply_override("accel.dma.enabled=true");
  c.apply_override("accel.dma.burst_bytes=32");
  const PlatformParams params = platform_params(c);
  Platform platform(params, net, data, 0, 12);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), 12u);
  expect_matches_reference(net, data, 0, out);
  EXPECT_TRUE(out.dma);
  // Every image, and every program record of 16 bytes or more, moved by DMA.
  const ProgramImage image = binarized_program_image(net, params.accel.core.array, program_settings(params, 0));
  uint64_t records = 0, record_bytes = 0;
  for (const ProgramRecord& r : image.records)
    if (r.kind == ProgramRecord::kWrite && r.bytes.size() >= kDmaMinBytes) ++records, record_bytes += r.bytes.size();
  EXPECT_EQ(out.dma_transfers, 12 + records);
  EXPECT_EQ(out.dma_bytes, 12 * data.values() + record_bytes);
}

// The DMA engine in both directions on its own: into the input window and back out to memory.
TEST(Platform, DmaEngineMovesBothWays) {
  AcceleratorParams p;
  p.dma_enabled = true;
  p.dma_burst_bytes = 8;
  Accelerator<64> accel("dma_accel", p);
  Memory<64> memory("dma_memory", 4096, sc_core::sc_time(10, sc_core::SC_NS), sc_core::sc_time(10, sc_core::SC_NS));
  sc_core::sc_signal<bool> irq("dma_irq");
  accel.irq.bind(irq);
  ASSERT_NE(accel.dma_socket(), nullptr);
  accel.dma_socket()->bind(memory.socket);
  for (int i = 0; i < 100; ++i) memory.data()[i] = uint8_t(3 * i + 1);
  struct Driver : sc_core::sc_module {
    Accelerator<64>& a;
    tlm_utils::simple_initiator_socket<Driver, 64> socket;
    bool ok = true;
    Driver(sc_core::sc_module_name n, Accelerator<64>& accel) : sc_core::sc_module(n), a(accel), socket("socket") {
      SC_HAS_PROCESS(Driver);
      SC_THREAD(run);
      socket.bind(accel.socket);
    }
    void write32(uint32_t offset, uint32_t v) {
      tlm::tlm_generic_payload tx;
      tx.set_command(tlm::TLM_WRITE_COMMAND);
      tx.set_address(offset);
      tx.set_data_ptr(reinterpret_cast<uint8_t*>(&v));
      tx.set_data_length(4);
      tx.set_streaming_width(4);
      sc_core::sc_time d;
      socket->b_transport(tx, d);
      ok = ok && tx.is_response_ok();
    }
    void run() {
      using namespace addr;
      write32(IRQ_ENABLE, IRQ_DMA);
      write32(DMA_SYSTEM_LO, 0);
      write32(DMA_LOCAL, uint32_t(INPUT_WINDOW));
      write32(DMA_LENGTH, 100);
      write32(DMA_CTRL, DMA_CTRL_START);
      sc_core::wait(a.irq.posedge_event());
      write32(IRQ_STATUS, IRQ_DMA);
      write32(DMA_SYSTEM_LO, 1000);
      write32(DMA_CTRL, DMA_CTRL_START | DMA_CTRL_TO_SYSTEM);
      sc_core::wait(a.irq.posedge_event());
    }
  } driver("dma_driver", accel);
  sc_core::sc_start();
  EXPECT_TRUE(driver.ok);
  EXPECT_EQ(accel.dma_transfers(), 2u);
  EXPECT_EQ(accel.dma_bytes(), 200u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(memory.data()[1000 + i], uint8_t(3 * i + 1)) << "byte " << i;
  for (const Register& r : accel.registers().registers())
    if (r.name == "DMA_STATUS") {
      EXPECT_EQ(r.value, addr::STATUS_DONE);
    }
}

// platform.accelerators: four accelerators (ideal memories, so each is the same chip) share the
// bus and the memory; together they classify every image as the reference does, in image
// order, each its consecutive share, and the bus shows their contention.
TEST(Platform, FourAcceleratorsClassifyAsOneAndContendForTheBus) {
  const Network net = test::random_network({200, 100, 70, 10}, 11, 10, 20);
  const Dataset data = test::random_dataset(18, 10, 20, 5);
  Config c;
  c.apply_override("accel.array.rows=64");
  c.apply_override("accel.array.columns=64");
  c.apply_override("accel.mram.error_mode=ideal");
  c.apply_override("platform.accelerators=4");
  Platform platform(platform_params(c), net, data, 0, 18);
  uint32_t progress = 0;
  platform.on_image_done([&](uint32_t done) { progress = std::max(progress, done); });
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), 18u);
  expect_matches_reference(net, data, 0, out);
  EXPECT_EQ(progress, 18u);
  EXPECT_EQ(out.accelerators, 4u);
  EXPECT_GT(out.bus_waiting_time, sc_core::SC_ZERO_TIME) << "four hosts programming at once wait for the bus";
  EXPECT_GT(out.bus_busy_time, sc_core::SC_ZERO_TIME);
  uint64_t layer0_cycles = 0;
  for (const auto& phase : out.cycles.layers().at(0).phases) layer0_cycles += phase.second;
  EXPECT_GT(layer0_cycles, 0u);
  EXPECT_EQ(out.cycles.total() % 18, 0u) << "identical inferences: the summed cycles are 18 equal parts";
}

// platform.netlist: accelerators with their own names, bases and accel.* settings (here other
// array geometries) classify their shares as the reference does.
TEST(Platform, NetlistAcceleratorsWithTheirOwnParameters) {
  const std::string path = ::testing::TempDir() + "scbnn_netlist_test.yaml";
  const auto write = [&](const std::string& text) { std::ofstream(path) << text; };
  write(
      "accelerators:\n"
      "  - {name: small, base: 0x200000000, set: {accel.array.rows: 64, accel.array.columns: 64}}\n"
      "  - {name: wide, base: 0x700000000, set: {accel.array.rows: 128, accel.array.columns: 128, "
      "accel.clock_mhz: 250}}\n");
  const Network net = test::random_network({200, 100, 70, 10}, 11, 10, 20);
  const Dataset data = test::random_dataset(9, 10, 20, 5);
  Config c;
  c.apply_override("accel.mram.error_mode=ideal");
  c.apply_override("platform.netlist=" + path);
  const PlatformParams params = platform_params(c);
  ASSERT_EQ(params.units.size(), 2u);
  EXPECT_EQ(params.units[1].params->accel.core.array.rows, 128u);
  EXPECT_EQ(params.units[1].params->accel.clock_mhz, 250.0);
  Platform platform(params, net, data, 0, 9);
  EXPECT_EQ(std::string(platform.face().name()), "accel_small");
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), 9u);
  expect_matches_reference(net, data, 0, out);
  EXPECT_EQ(out.accelerators, 2u);
  std::remove(path.c_str());
}

// Netlist mistakes are refused naming the file's problem and the key, before any simulation
// (in a case of its own: ASan misreads an exception thrown on the main stack after sc_start).
TEST(Platform, NetlistMistakesAreRefused) {
  const std::string path = ::testing::TempDir() + "scbnn_netlist_refused.yaml";
  const auto write = [&](const std::string& text) { std::ofstream(path) << text; };
  const auto refused = [&](const std::string& text, const std::string& expected) {
    write(text);
    try {
      Config bad;
      bad.apply_override("platform.netlist=" + path);
      (void)platform_params(bad);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  };
  refused("accelerators:\n  - {name: a, base: 0x100000000, set: {network.path: x.scbnn}}\n", "not an accel.* key");
  refused("accelerators:\n  - {name: a, base: 0x100000000}\n  - {name: b, base: 0x100000000}\n", "is also a's");
  refused("accelerators:\n  - {name: a, base: 0x1000}\n", "must be a multiple of 0x100000000");
  refused("accelerators:\n  - {name: a, base: 0x100000000, set: {accel.array.rows: x}}\n", "accel.array.rows");
  refused("accelerators:\n  - {name: A, base: 0x100000000}\n", "lower-case");
  refused("accelerators: []\n", "non-empty list");
  refused("accelerators:\n  - {name: a, base: 0x100000000, irq: 3}\n", "unknown key 'irq'");
  std::remove(path.c_str());
}
