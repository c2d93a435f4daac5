// Convolutions on the platform (format v2, docs/network-format.md; cycles, docs/timing.md):
// every run is compared bit for bit with the independent reference of test_support.h
// (unpacked +-1 integers, plain loops over y, x, c). Each test case runs in its own
// process (one SystemC simulation each).
#include <gtest/gtest.h>

#include <cmath>
#include <initializer_list>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "scbnn/base/errors.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/stimuli/evaluate.h"
#include "test_support.h"

using namespace scbnn;
using test::ConvSpec;

namespace {

Config config_of(std::initializer_list<std::string> overrides) {
  Config c;
  for (const auto& o : overrides) c.apply_override(o);
  return c;
}

// Small arrays so that modest layers span several tiles: 32 rows x 64 columns, 64-bit PE
// and buffer port, sense latency 4 ns at 500 MHz = 2 cycles.
Config small_hardware(std::initializer_list<std::string> more = {}) {
  Config c = config_of({"accel.array.rows=32", "accel.array.columns=64", "accel.array.count=64",
                        "accel.pe.width_bits=64", "accel.buffer.port_bits=64", "accel.array.read_ns=4",
                        "accel.clock_mhz=500", "accel.mram.error_mode=ideal"});
  for (const auto& o : more) c.apply_override(o);
  return c;
}

void expect_record_matches(const InferenceRecord& record, const test::ReferenceResult& ref, size_t image) {
  ASSERT_EQ(record.scores.size(), ref.scores.size());
  for (size_t c = 0; c < ref.scores.size(); ++c)
    ASSERT_EQ(int64_t(record.scores[c]), ref.scores[c]) << "image " << image << " class " << c;
  ASSERT_EQ(record.predicted, ref.predicted) << "image " << image;
}

// Runs `count` images on the platform and checks every score against the fixed-input reference.
RunOutcome run_and_compare(const Network& net, const Dataset& data, const Config& c, uint32_t count,
                           const test::ReferenceOptions& opt = {}) {
  Platform platform(platform_params(c), net, data, 0, count);
  RunOutcome out = platform.run();
  EXPECT_EQ(out.records.size(), count);
  for (uint32_t i = 0; i < count && i < out.records.size(); ++i)
    expect_record_matches(out.records[i], test::reference_conv_network(net, test::fixed_input(net, data.image(i)), opt),
                          i);
  return out;
}

// Guards against a vacuous comparison: the images must not all get the same class.
void expect_varied_predictions(const RunOutcome& out) {
  std::map<uint32_t, int> classes;
  for (const auto& r : out.records) ++classes[r.predicted];
  EXPECT_GT(classes.size(), 1u) << "every image got the same class: the comparison would prove little";
}

}  // namespace

// conv + pool, conv + pool, flatten, dense, dense through the full platform, default hardware.
TEST(ConvPlatform, ConvPoolDenseMatchesReferenceBitForBit) {
  const Network net =
      test::random_conv_network(12, 12, 1, {{8, 3, 1, 1, -1, 2, 2}, {16, 3, 1, 1, -1, 2, 2}}, {32, 10}, 101);
  const Dataset data = test::random_dataset(12, 12, 12, 5);
  expect_varied_predictions(run_and_compare(net, data, config_of({"accel.mram.error_mode=ideal"}), 12));
}

TEST(ConvPlatform, PaddingWithMinusOneAndPlusOne) {
  // First layer padded with +1 (pixel 255), the second with -1, the third with +1 and P = 2.
  const Network net =
      test::random_conv_network(9, 10, 1, {{6, 3, 1, 1, 1}, {7, 3, 1, 1, -1}, {5, 5, 1, 2, 1, 2, 2}}, {10}, 102);
  const Dataset data = test::random_dataset(8, 9, 10, 6);
  run_and_compare(net, data, small_hardware(), 8);
}

TEST(ConvPlatform, StridesTwoAndThreeOnOddSizes) {
  // 13 x 11 -> stride 2, P 1: 7 x 6; -> K 4 stride 3 P 2 (+1): 3 x 3, the last column of the padded 7 x 10 unused.
  const Network net = test::random_conv_network(13, 11, 1, {{5, 3, 2, 1, -1}, {9, 4, 3, 2, 1}}, {12, 10}, 103);
  ASSERT_EQ(net.layers[0].output_height(), 7u);
  ASSERT_EQ(net.layers[0].output_width(), 6u);
  ASSERT_EQ(net.layers[1].output_height(), 3u);
  ASSERT_EQ(net.layers[1].output_width(), 3u);
  const Dataset data = test::random_dataset(8, 13, 11, 7);
  run_and_compare(net, data, small_hardware(), 8);
}

// K x K x C = 3 x 3 x 40 = 360 weights per neuron: 6 column tiles of at most 64; 70 output
// channels: 3 row tiles of at most 32 rows. The first layer takes 3-channel pixels.
TEST(ConvPlatform, KernelsSpanningSeveralTilesAndChannelsNotAMultipleOf64) {
  const Network net =
      test::random_conv_network(8, 7, 3, {{40, 2, 1, 0, -1}, {70, 3, 1, 1, 1, 2, 2}, {33, 2, 1, 1, -1}}, {10}, 104);
  ASSERT_EQ(net.layers[1].inputs, 360u);
  const Dataset data = test::random_tensor_dataset(6, 8, 7, 3, 8);
  const RunOutcome out = run_and_compare(net, data, small_hardware(), 6);
  ASSERT_EQ(out.mapping.layers.size(), 4u);
  EXPECT_EQ(out.mapping.layers[1].col_tiles, 6u);
  EXPECT_EQ(out.mapping.layers[1].tiles.size(), 6u * 3u);
}

TEST(ConvPlatform, OverlappingPoolsAndPoolsThatDropEdges) {
  // 9 x 9 -> pool 3 stride 2 (overlapping): 4 x 4; 4 x 4 -> conv K 2: 3 x 3 -> pool 2
  // stride 2 drops the last row and column: 1 x 1; a 3 x 3 stride 1 pool on a 7 x 6 map
  // drops nothing but overlaps everywhere.
  const Network a = test::random_conv_network(9, 9, 1, {{6, 3, 1, 1, -1, 3, 2}, {8, 2, 1, 0, 1, 2, 2}}, {10}, 105);
  ASSERT_EQ(a.layers[0].output_height(), 4u);
  ASSERT_EQ(a.layers[1].output_height(), 1u);
  const Dataset data = test::random_dataset(8, 9, 9, 9);
  run_and_compare(a, data, small_hardware(), 8);
}

TEST(ConvPlatform, StrideOnePoolsAndPoolStrideLargerThanWindow) {
  // 7 x 6 conv map: pool 3 stride 1 -> 5 x 4; then K 1 conv, pool 1 stride 3 (samples every third).
  const Network net = test::random_conv_network(7, 6, 1, {{5, 3, 1, 1, 1, 3, 1}, {6, 1, 1, 0, -1, 1, 3}}, {10}, 106);
  ASSERT_EQ(net.layers[0].output_height(), 5u);
  ASSERT_EQ(net.layers[0].output_width(), 4u);
  ASSERT_EQ(net.layers[1].output_height(), 2u);
  const Dataset data = test::random_dataset(8, 7, 6, 10);
  run_and_compare(net, data, small_hardware(), 8);
}

namespace {

RunOutcome run_stochastic_conv(const Network& net, const Dataset& data, const char* combine, uint32_t samples,
                               std::vector<std::vector<std::vector<uint64_t>>>& log) {
  Config c = small_hardware({"accel.input_mode=stochastic", std::string("accel.sc.combine=") + combine,
                             "accel.sc.stream_length=" + std::to_string(samples)});
  Platform platform(platform_params(c), net, data, 0, uint32_t(data.count()));
  platform.accelerator().core.keep_streams(&log);
  return platform.run();
}

// Layer 0's thresholds for decisions on `samples` summed +-1 samples: t x M / 255, up for
// direction +1 (fires at >=), down for -1 (docs/stochastic-input.md).
std::vector<int32_t> scaled_thresholds(const Layer& l, uint32_t samples) {
  std::vector<int32_t> t(l.outputs);
  for (uint32_t j = 0; j < l.outputs; ++j) {
    const double scaled = double(l.threshold[j]) * samples / 255.0;
    t[j] = int32_t(l.direction[j] > 0 ? std::ceil(scaled) : std::floor(scaled));
  }
  return t;
}

}  // namespace

// Sum mode: the reference runs on the SNG streams the platform generated (padded positions
// are +-1 in every sample).
TEST(ConvStochastic, SumModeMatchesReferenceOnTheSameStreams) {
  const Network net = test::random_conv_network(8, 8, 1, {{12, 3, 1, 1, 1, 2, 2}, {8, 3, 1, 1, -1}}, {10}, 107);
  const Dataset data = test::random_dataset(10, 8, 8, 11);
  std::vector<std::vector<std::vector<uint64_t>>> log;
  const RunOutcome out = run_stochastic_conv(net, data, "sum", 5, log);
  ASSERT_EQ(log.size(), 10u);
  const std::vector<int32_t> t0 = scaled_thresholds(net.layers[0], 5);
  test::ReferenceOptions opt;
  opt.first_thresholds = &t0;
  for (size_t i = 0; i < 10; ++i) {
    ASSERT_EQ(log[i].size(), 5u);
    expect_record_matches(out.records[i], test::reference_conv_network(net, test::stream_input(net, log[i], 0, 5), opt),
                          i);
  }
}

TEST(ConvStochastic, VoteModeMatchesReferenceOnTheSameStreams) {
  const Network net = test::random_conv_network(8, 8, 1, {{12, 3, 2, 1, -1, 2, 1}}, {10}, 108);
  const Dataset data = test::random_dataset(8, 8, 8, 12);
  std::vector<std::vector<std::vector<uint64_t>>> log;
  const RunOutcome out = run_stochastic_conv(net, data, "vote", 5, log);
  ASSERT_EQ(log.size(), 8u);
  const std::vector<int32_t> t0 = scaled_thresholds(net.layers[0], 1);
  test::ReferenceOptions opt;
  opt.first_thresholds = &t0;
  for (size_t i = 0; i < 8; ++i) {
    std::vector<int32_t> votes(10, 0);
    for (uint32_t round = 0; round < 5; ++round)
      ++votes[test::reference_conv_network(net, test::stream_input(net, log[i], round, 1), opt).predicted];
    uint32_t best = 0;
    for (uint32_t c = 1; c < 10; ++c)
      if (votes[c] > votes[best]) best = c;
    EXPECT_EQ(out.records[i].scores, votes) << "image " << i;
    EXPECT_EQ(out.records[i].predicted, best) << "image " << i;
  }
}

// For sign activations with direction +1, the OR of thresholded bits over a window equals
// thresholding the maximum pre-activation: first on random numbers, then the platform
// (which ORs bits) against a reference that pools pre-activations and thresholds after.
TEST(ConvMaxPool, OrOfThresholdedBitsEqualsSignOfMaxForDirectionPlusOne) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> value(-50, 50), size(1, 9);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<int> a(size_t(size(rng)));
    for (int& v : a) v = value(rng);
    const int t = value(rng);
    bool any = false;
    int max = a[0];
    for (int v : a) any = any || v >= t, max = v > max ? v : max;
    ASSERT_EQ(any, max >= t) << "trial " << trial;
  }
  const Network net =
      test::random_conv_network(10, 10, 1, {{8, 3, 1, 1, -1, 2, 2}, {8, 3, 1, 0, 1, 3, 1}}, {10}, 109, true);
  const Dataset data = test::random_dataset(8, 10, 10, 13);
  test::ReferenceOptions pool_first;
  pool_first.pool_pre_activations = true;
  run_and_compare(net, data, small_hardware(), 8, pool_first);
}

// With direction -1 the two orders differ (the format pools after the threshold): the
// pre-activation-pooling reference disagrees with the platform on some output, the
// after-threshold one never does.
TEST(ConvMaxPool, WithDirectionMinusOnePoolingIsAfterTheThreshold) {
  Network net = test::random_conv_network(10, 10, 1, {{8, 3, 1, 1, -1, 2, 2}}, {10}, 110);
  for (auto& d : net.layers[0].direction) d = -1;
  const Dataset data = test::random_dataset(10, 10, 10, 14);
  const RunOutcome out = run_and_compare(net, data, small_hardware(), 10);
  test::ReferenceOptions pool_first;
  pool_first.pool_pre_activations = true;
  size_t differing = 0;
  for (uint32_t i = 0; i < 10; ++i) {
    const auto pooled_first = test::reference_conv_network(net, test::fixed_input(net, data.image(i)), pool_first);
    differing +=
        std::vector<int64_t>(out.records[i].scores.begin(), out.records[i].scores.end()) != pooled_first.scores;
  }
  EXPECT_GT(differing, 0u);
}

namespace {

// The hardware of small_hardware(), for the formulas, and the neuron datapath's loop
// order and reduce lanes (the defaults unless a test sets them).
struct Hardware {
  uint64_t rows = 32, columns = 64, pe = 64, port = 64, read = 2, depth = 6;
  bool row_inner = false;
  uint64_t lanes = 4;
};

uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }
uint64_t ceil_log2(uint64_t v) {
  uint64_t d = 0;
  while ((uint64_t(1) << d) < v) ++d;
  return d;
}

// Tile sizes along one dimension: full tiles of `tile`, then the rest.
std::vector<uint64_t> tile_sizes(uint64_t total, uint64_t tile) {
  std::vector<uint64_t> sizes;
  for (uint64_t done = 0; done < total; done += tile) sizes.push_back(std::min(tile, total - done));
  return sizes;
}

// The layer's lock-step row interval: the slowest tile's max(read, ceil(k_t / pe)).
uint64_t row_interval(uint64_t inputs, const Hardware& hw) {
  uint64_t ri = 0;
  for (uint64_t k : tile_sizes(inputs, hw.columns)) ri = std::max(ri, std::max(hw.read, ceil_div(k, hw.pe)));
  return ri;
}

// The slowest tile's row time: max over tiles of n_t x max(read, ceil(k_t / pe)).
uint64_t slowest_tile(uint64_t inputs, uint64_t outputs, const Hardware& hw) {
  uint64_t slowest = 0;
  for (uint64_t n : tile_sizes(outputs, hw.rows))
    for (uint64_t k : tile_sizes(inputs, hw.columns))
      slowest = std::max(slowest, n * std::max(hw.read, ceil_div(k, hw.pe)));
  return slowest;
}

// The lanes' stall: ceil(O / lanes) cycles to drain O neurons that arrive over the most
// rows of a tile x the final interval (ri in row_inner, passes x ri in pass_inner).
uint64_t lane_stall(uint64_t inputs, uint64_t outputs, uint64_t passes, const Hardware& hw) {
  const uint64_t arrival = std::min(hw.rows, outputs) * row_interval(inputs, hw) * (hw.row_inner ? 1 : passes);
  const uint64_t drain = ceil_div(outputs, hw.lanes);
  return drain > arrival ? drain - arrival : 0;
}

using Phases = std::vector<std::pair<std::string, uint64_t>>;

// docs/timing.md, "Per-layer cycles" and "Convolution layers", from the geometry alone.
Phases expected_phases(const Layer& l, uint64_t passes, bool last, const Hardware& hw) {
  const uint64_t col_tiles = ceil_div(l.inputs, hw.columns);
  const uint64_t tree = ceil_log2(col_tiles) + 1, stall = lane_stall(l.inputs, l.outputs, passes, hw);
  if (l.type == LayerType::dense) {
    uint64_t fetch = 0;
    for (uint64_t k : tile_sizes(l.inputs, hw.columns)) fetch += passes * ceil_div(k, hw.port);
    const uint64_t fill = hw.read + hw.depth;
    const uint64_t compute = hw.row_inner ? passes * (slowest_tile(l.inputs, l.outputs, hw) + fill)
                                          : passes * slowest_tile(l.inputs, l.outputs, hw) + fill;
    return {{"fetch", fetch},
            {"compute", compute},
            {"reduce", stall + tree},
            {last ? "argmax" : "writeback", last ? l.outputs : ceil_div(l.outputs, hw.port)}};
  }
  const ConvGeometry& g = l.conv;
  const uint64_t oh = (g.in_height + 2 * g.padding - g.kernel) / g.stride + 1;
  const uint64_t ow = (g.in_width + 2 * g.padding - g.kernel) / g.stride + 1;
  const uint64_t fetch = ceil_div(passes * g.in_height * g.in_width * g.in_channels, hw.port);
  const uint64_t compute = oh * ow * passes * slowest_tile(l.inputs, l.outputs, hw) + hw.read + hw.depth;
  uint64_t writes = oh * ow;
  if (l.pool.window) {
    const uint64_t ph = (oh - l.pool.window) / l.pool.stride + 1, pw = (ow - l.pool.window) / l.pool.stride + 1;
    writes = ph * pw * l.pool.window * l.pool.window;
  }
  return {{"fetch", fetch},
          {"compute", compute},
          {"reduce", oh * ow * stall + tree},
          {"writeback", writes * ceil_div(l.outputs, hw.port)}};
}

Network timing_network() {
  // Layer 1: 3 x 3 x 20 = 180 inputs (3 column tiles: 64, 64, 52), 40 outputs (32 + 8 rows);
  // a 2 x 2 stride 2 pool on 5 x 6 drops the last row.
  return test::random_conv_network(11, 12, 1, {{20, 3, 2, 1, -1}, {40, 3, 1, 1, 1, 2, 2}}, {24, 10}, 111);
}

uint64_t sum_actions(const ActionLedger& ledger, const std::string& component_part, const std::string& action) {
  uint64_t n = 0;
  for (const auto& e : ledger.entries())
    if (e.component.find(component_part) != std::string::npos && e.action == action) n += e.count;
  return n;
}

}  // namespace

TEST(ConvTiming, CyclesOfEveryLayerFollowTheTimingDoc) {
  const Network net = timing_network();
  const uint32_t images = 3;
  const Dataset data = test::random_dataset(images, 11, 12, 15);
  const RunOutcome out = run_and_compare(net, data, small_hardware(), images);
  const auto& layers = out.cycles.layers();
  ASSERT_EQ(layers.size(), net.layers.size());
  uint64_t per_image = 0;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const Phases want = expected_phases(net.layers[l], l == 0 ? 8 : 1, l + 1 == net.layers.size(), Hardware{});
    Phases got = layers[l].phases;
    for (auto& p : got) p.second /= images;
    EXPECT_EQ(got, want) << "layer " << l;
    for (const auto& p : want) per_image += p.second;
  }
  for (const auto& r : out.records) EXPECT_EQ(r.cycles, per_image);
}

// docs/timing.md's worked example: the first layer of the shipped BCNN's shape on the
// default arrays (256 x 256, PE and port 256 bits, 1-cycle sense, depth 8).
TEST(ConvTiming, WorkedExampleOfTheTimingDoc) {
  const Network net =
      test::random_conv_network(28, 28, 1, {{32, 3, 1, 1, -1, 2, 2}, {64, 3, 1, 1, -1, 2, 2}}, {256, 10}, 112);
  const Dataset data = test::random_dataset(1, 28, 28, 16);
  // 14 x 14 x 32 = 6272 pooled bits do not fit the default 4096-bit activation bank.
  const RunOutcome out =
      run_and_compare(net, data, config_of({"accel.mram.error_mode=ideal", "accel.buffer.activation_bits=8192"}), 1);
  const Phases want = {{"fetch", 25}, {"compute", 200713}, {"reduce", 1}, {"writeback", 784}};
  EXPECT_EQ(out.cycles.layers()[0].phases, want);
}

TEST(ConvActions, LineBufferRowReadsAndParameterReadsFollowTheTimingDoc) {
  const Network net = timing_network();
  const uint32_t images = 2;
  const Dataset data = test::random_dataset(images, 11, 12, 17);
  const RunOutcome out = run_and_compare(net, data, small_hardware(), images);
  uint64_t lb_write = 0, lb_read = 0, rows = 0, params = 0, compares = 0, act_read = 0, act_write = 0;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& layer = net.layers[l];
    const uint64_t passes = l == 0 ? 8 : 1;
    const bool last = l + 1 == net.layers.size();
    // Rows of every tile: each neuron's row once per column tile.
    const uint64_t row_tiles_rows = uint64_t(layer.outputs) * ceil_div(layer.inputs, 64);
    if (layer.type == LayerType::dense) {
      rows += passes * row_tiles_rows;
      params += layer.outputs;
      if (!last) compares += layer.outputs, act_write += layer.outputs;
      if (l > 0) act_read += layer.inputs;
      continue;
    }
    const ConvGeometry& g = layer.conv;
    const uint64_t positions = uint64_t(g.out_height()) * g.out_width();
    const uint64_t values = uint64_t(g.in_height) * g.in_width * g.in_channels;
    lb_write += passes * values;
    lb_read += positions * passes * layer.inputs;
    rows += positions * passes * row_tiles_rows;
    params += positions * layer.outputs;
    compares += positions * layer.outputs;
    if (l > 0) act_read += values;
    const uint64_t writes = layer.pool.window ? uint64_t(layer.output_height()) * layer.output_width() *
                                                    layer.pool.window * layer.pool.window
                                              : positions;
    act_write += writes * layer.outputs;
  }
  EXPECT_EQ(sum_actions(out.actions, "line_buffer", "bit_write"), images * lb_write);
  EXPECT_EQ(sum_actions(out.actions, "line_buffer", "bit_read"), images * lb_read);
  EXPECT_EQ(sum_actions(out.actions, ".array_", "row_read"), images * rows);
  EXPECT_EQ(sum_actions(out.actions, "param_memory", "entry_read"), images * params);
  EXPECT_EQ(sum_actions(out.actions, "comparator", "compare"), images * compares);
  EXPECT_EQ(sum_actions(out.actions, "activations", "bit_read"), images * act_read);
  EXPECT_EQ(sum_actions(out.actions, "activations", "bit_write"), images * act_write);
}

namespace {

struct ConvDatapath {
  const char* order;
  uint32_t lanes;
};
class ConvLoopOrder : public ::testing::TestWithParam<ConvDatapath> {};

double hardware_quantity(const RunOutcome& out, const std::string& cls) {
  double q = 0;
  for (const auto& h : out.hardware.items())
    if (h.component_class == cls) q += h.quantity;
  return q;
}

}  // namespace

// Layers with more row tiles than one lane drains in time: conv 6 x 6 x 1 -> 80 channels
// (3 row tiles of 32, 32, 16 rows; 8 bit-planes), conv 2 x 2 x 80 -> 70 (5 column tiles x 3
// row tiles, 25 positions) pooled to 2 x 2, dense 280 -> 10 (5 column tiles).
TEST_P(ConvLoopOrder, StallsPartialSumsAndLatchesFollowTheTimingDoc) {
  const ConvDatapath d = GetParam();
  const bool row_inner = std::string(d.order) == "row_inner";
  const Network net = test::random_conv_network(6, 6, 1, {{80, 3, 1, 1, -1}, {70, 2, 1, 0, 1, 2, 2}}, {10}, 121);
  const uint32_t images = 2;
  const Dataset data = test::random_dataset(images, 6, 6, 22);
  const RunOutcome out = run_and_compare(
      net, data,
      small_hardware({std::string("accel.loop_order=") + d.order, "accel.reduce.lanes=" + std::to_string(d.lanes)}),
      images);
  Hardware hw;
  hw.row_inner = row_inner;
  hw.lanes = d.lanes;
  const auto& layers = out.cycles.layers();
  ASSERT_EQ(layers.size(), 3u);
  for (size_t l = 0; l < 3; ++l) {
    Phases got = layers[l].phases;
    for (auto& p : got) p.second /= images;
    EXPECT_EQ(got, expected_phases(net.layers[l], l == 0 ? 8 : 1, l == 2, hw)) << "layer " << l;
  }
  // By hand: with one lane, row_inner's first layer delivers 80 channels in 32 rows x 2
  // cycles = 64 per position (pass_inner: x 8 passes = 512): 16 stall cycles at each of the
  // 36 positions, + 0 tree stages + 1 compare; the second layer 70 in 64: 6 x 25 positions
  // + 3 + 1. Two lanes keep up (40 and 35 cycles).
  const auto reduce = [&](size_t l) { return layers[l].phases[2].second / images; };
  EXPECT_EQ(reduce(0), d.lanes == 1 && row_inner ? 36u * 16 + 1 : 1u);
  EXPECT_EQ(reduce(1), d.lanes == 1 ? 25u * 6 + 4 : 4u);
  EXPECT_EQ(reduce(2), 4u);

  // Actions per image (w = 19): latches take every tile's window slice per position and
  // pass; row_inner's files 7 of the 8 passes' rows at each position, read and written.
  const uint64_t w = 19;
  EXPECT_EQ(sum_actions(out.actions, "input_latches", "bit_write"), images * (36 * 8 * 3 * 9 + 25 * 3 * 320 + 280));
  const uint64_t entries = row_inner ? 36 * 7 * 80 : 0;
  EXPECT_EQ(sum_actions(out.actions, "partial_sums", "bit_read"), images * entries * w);
  EXPECT_EQ(sum_actions(out.actions, "partial_sums", "bit_write"), images * entries * w);
  EXPECT_EQ(sum_actions(out.actions, "adder_trees", "add_bit"), images * (25 * 70 * 4 + 10 * 4) * w);
  // Hardware on small_hardware()'s 64 arrays: trees for the widest layer's 5 column tiles.
  EXPECT_EQ(hardware_quantity(out, "adder_tree"), d.lanes * 4.0 * w);
  EXPECT_EQ(hardware_quantity(out, "threshold_comparator"), d.lanes * 1.0 * w);
  EXPECT_EQ(hardware_quantity(out, "partial_sum_register"), row_inner ? 64.0 * 32 * w : 0.0);
  EXPECT_EQ(hardware_quantity(out, "input_latch"), 64.0 * 64 * (row_inner ? 1 : 8));
}

INSTANTIATE_TEST_SUITE_P(LoopOrderAndLanes, ConvLoopOrder,
                         ::testing::Values(ConvDatapath{"pass_inner", 1}, ConvDatapath{"pass_inner", 2},
                                           ConvDatapath{"pass_inner", 4}, ConvDatapath{"row_inner", 1},
                                           ConvDatapath{"row_inner", 2}, ConvDatapath{"row_inner", 4}),
                         [](const ::testing::TestParamInfo<ConvDatapath>& i) {
                           return std::string(i.param.order) + "_lanes" + std::to_string(i.param.lanes);
                         });

namespace {

// The InputError a platform throws on construction (before any simulation), or "".
std::string refusal(const Network& net, const Dataset& data, const Config& c) {
  return test::error_of([&] { Platform platform(platform_params(c), net, data, 0, 1); });
}

}  // namespace

TEST(ConvFit, TooFewArraysIsRefusedBeforeSimulating) {
  // 3 x 3 x 40 = 360 inputs on 64 columns: 6 column tiles, 70 outputs on 32 rows: 3 row tiles.
  const Network net = test::random_conv_network(6, 6, 1, {{40, 2, 1, 0, -1}, {70, 3, 1, 1, 1}}, {10}, 113);
  const Dataset data = test::random_dataset(1, 6, 6, 18);
  // 2 row tiles of 40 + 6 x 3 tiles + ceil(5 x 5 x 70 / 64) = 28 column tiles of the 10-class layer: 48 arrays.
  const std::string e = refusal(net, data, small_hardware({"accel.array.count=40"}));
  EXPECT_NE(e.find("needs 48 weight arrays"), std::string::npos) << e;
  EXPECT_NE(e.find("accel.array.count is 40"), std::string::npos) << e;
}

TEST(ConvFit, ActivationBankTooSmallIsRefusedBeforeSimulating) {
  const Network net = test::random_conv_network(16, 16, 1, {{20, 3, 1, 1, -1}}, {10}, 114);
  const Dataset data = test::random_dataset(1, 16, 16, 19);
  const std::string e = refusal(net, data, small_hardware({"accel.buffer.activation_bits=4096"}));
  EXPECT_NE(e.find("layer 0 produces 5120 activations but accel.buffer.activation_bits is 4096"), std::string::npos)
      << e;
}

namespace {

// Layer 0: 3 rows x 12 columns x 1 channel x 8 bit-planes = 288 bits; layer 1: 5 x 14 x 8 x 1 = 560.
Network line_buffer_network() {
  return test::random_conv_network(10, 10, 1, {{8, 3, 1, 1, -1}, {8, 5, 1, 2, 1}}, {10}, 115);
}

}  // namespace

TEST(ConvFit, LineBufferTooSmallIsRefusedWithWhatItNeeds) {
  const Network net = line_buffer_network();
  const Dataset data = test::random_dataset(1, 10, 10, 20);
  const std::string e = refusal(net, data, small_hardware({"accel.line_buffer.bits=559"}));
  EXPECT_NE(e.find("layer 1 (conv2d 5x5"), std::string::npos) << e;
  EXPECT_NE(e.find("needs a line buffer of 560 bits (5 rows x 14 columns x 8 channels x 1 bits per value)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("accel.line_buffer.bits is 559"), std::string::npos) << e;
}

TEST(ConvFit, ALineBufferOfExactlyWhatTheLargestLayerNeedsRuns) {
  const Network net = line_buffer_network();
  const Dataset data = test::random_dataset(2, 10, 10, 21);
  run_and_compare(net, data, small_hardware({"accel.line_buffer.bits=560"}), 2);
}

// The first layer's line buffer holds its 8 bit-planes: 287 bits are one too few.
TEST(ConvFit, TheFirstLayersLineBufferHoldsEveryBitPlane) {
  const Network net = test::random_conv_network(10, 10, 1, {{8, 3, 1, 1, -1}}, {10}, 116);
  const Dataset data = test::random_dataset(1, 10, 10, 22);
  const std::string e = refusal(net, data, small_hardware({"accel.line_buffer.bits=287"}));
  EXPECT_NE(e.find("layer 0"), std::string::npos) << e;
  EXPECT_NE(e.find("needs a line buffer of 288 bits"), std::string::npos) << e;
}

// The trained file as the trainer folds and evaluates it (stimuli/evaluate.h) against the
// platform: every score of every image equal, on the shipped BCNN and real test images.
TEST(ConvPlatform, ShippedBcnnScoresEqualTheFoldedIntegerEvaluation) {
  const Network net = load_network(SCBNN_SOURCE_DIR "/stimuli/networks/fmnist_bcnn_fixed.scbnn");
  const Dataset data = load_mnist_format(kFashionMnistDir, "test");
  const uint32_t first = 2000, count = 200;
  Config c;
  c.apply_override("accel.buffer.activation_bits=8192");  // as configs/fmnist_bcnn.yaml
  Platform platform(platform_params(c), net, data, first, count);
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), count);
  size_t correct = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const std::vector<int32_t> expected = integer_scores(net, data.image(first + i));
    EXPECT_EQ(out.records[i].scores, expected) << "image " << first + i;
    EXPECT_EQ(out.records[i].predicted, predicted_class(expected)) << "image " << first + i;
    correct += out.records[i].predicted == data.labels[first + i];
  }
  EXPECT_GT(double(correct) / count, 0.8);  // a trained network, not chance (0.1)
}
