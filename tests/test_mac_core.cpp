// The MAC-array datapath (accel.datapath = mac): MacCore on small random quantised networks
// against a plain integer reference written here (one product per weight through the PE
// kind's rule), its cycles per layer against docs/timing.md "MAC-array datapath" computed
// here from the activations, the bus face and the platform end to end, and the refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <random>

#include "scbnn/models/mac_core.h"
#include "scbnn/platforms/compiled_network.h"
#include "scbnn/platforms/config.h"
#include "scbnn/platforms/platform.h"
#include "scbnn/power/energy_model.h"
#include "scbnn/stimuli/evaluate.h"
#include "scbnn/tlm/address_map.h"
#include "scbnn/tlm/mac_accelerator.h"
#include "scbnn/tools/power_setup.h"
#include "scbnn/tools/report.h"
#include "test_support.h"

using namespace scbnn;

namespace {

using Product = std::function<int64_t(int32_t w, uint32_t a)>;

uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

Layer dense(uint32_t inputs, uint32_t outputs) {
  Layer l;
  l.inputs = inputs;
  l.outputs = outputs;
  return l;
}

Layer conv(uint32_t h, uint32_t w, uint32_t c, uint32_t kernel, uint32_t stride, uint32_t padding, uint32_t outputs,
           uint32_t pool = 0, uint32_t pool_stride = 0) {
  Layer l;
  l.type = LayerType::conv2d;
  l.conv = {h, w, c, kernel, stride, padding, 0};
  l.pool = {pool, pool_stride};
  l.inputs = kernel * kernel * c;
  l.outputs = outputs;
  return l;
}

// Random weights in the B-bit range (a quarter of them zero), requant multipliers that spread
// a hidden layer's sums over the activation range, biases of either sign, output scales.
Network quantised_network(std::vector<Layer> layers, uint32_t rows, uint32_t cols, uint32_t channels,
                          uint32_t weight_bits, uint32_t activation_bits, uint32_t seed) {
  std::mt19937 rng(seed);
  Network net;
  net.input.rows = rows;
  net.input.cols = cols;
  net.input.channels = channels;
  net.quant = {weight_bits, activation_bits};
  net.file = "generated.scbnn";
  const int32_t top = (1 << (weight_bits - 1)) - 1;
  const double amax = double((1u << activation_bits) - 1);
  for (size_t l = 0; l < layers.size(); ++l) {
    Layer& layer = layers[l];
    std::uniform_int_distribution<int32_t> w(-top, top);
    layer.qweights.resize(size_t(layer.inputs) * layer.outputs);
    for (auto& q : layer.qweights) q = int8_t(rng() % 4 == 0 ? 0 : w(rng));
    // A sum's spread: about sqrt(inputs) x top x amax / 2; map it onto the activation range.
    const double spread = std::sqrt(double(layer.inputs)) * top * amax / 2;
    for (uint32_t j = 0; j < layer.outputs; ++j) {
      if (l + 1 == layers.size()) {
        layer.scale.push_back(int32_t(rng() % 2000) + 1);
        layer.offset.push_back(int32_t(rng() % 20001) - 10000);
      } else {
        const double unit = double(int64_t(1) << kRequantShift);
        const double m = unit * amax / spread * (0.5 + double(rng() % 1000) / 1000);
        layer.multiplier.push_back(int32_t(std::max(1.0, m)));
        layer.bias.push_back(int64_t((double(rng() % 1000) / 2000 - 0.125) * amax * unit));
      }
    }
    net.layers.push_back(std::move(layer));
  }
  net.provenance = {{"dataset", "synthetic"}, {"seed", seed}};
  validate_network(net, "generated.scbnn");  // a legal version-3 network
  return net;
}

// ---- The reference: plain loops, one product per weight ----

// The receptive field of position p of a layer over its input tensor x (HWC), zero padded.
std::vector<uint32_t> field(const Layer& s, const std::vector<uint32_t>& x, uint64_t p) {
  if (!s.is_conv()) return x;
  std::vector<uint32_t> f;
  const ConvGeometry& g = s.conv;
  const int64_t oy = int64_t(p / g.out_width()), ox = int64_t(p % g.out_width());
  for (int64_t ky = 0; ky < g.kernel; ++ky)
    for (int64_t kx = 0; kx < g.kernel; ++kx)
      for (int64_t c = 0; c < g.in_channels; ++c) {
        const int64_t y = oy * g.stride + ky - g.padding, xx = ox * g.stride + kx - g.padding;
        const bool inside = y >= 0 && y < g.in_height && xx >= 0 && xx < g.in_width;
        f.push_back(inside ? x[size_t((y * g.in_width + xx) * g.in_channels + c)] : 0);
      }
  return f;
}

// v / 2^kRequantShift rounded down, by division (the core shifts).
int64_t floor_requant(int64_t v) {
  const int64_t unit = int64_t(1) << kRequantShift;
  return v >= 0 ? v / unit : -((-v + unit - 1) / unit);
}

struct Reference {
  std::vector<std::vector<uint32_t>> inputs;  // each layer's input activations
  std::vector<int32_t> scores;
  uint32_t predicted = 0;
};

Reference reference(const Network& net, const uint8_t* pixels, const Product& product) {
  Reference r;
  const uint32_t a_bits = net.quant.activation_bits, top = (1u << a_bits) - 1;
  std::vector<uint32_t> x(net.input.values());
  for (size_t i = 0; i < x.size(); ++i) x[i] = pixels[i] >> (8 - a_bits);
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const Layer& s = net.layers[l];
    r.inputs.push_back(x);
    const bool last = l + 1 == net.layers.size();
    const uint64_t positions = s.positions();
    std::vector<int64_t> acc(positions * s.outputs, 0);
    for (uint64_t p = 0; p < positions; ++p) {
      const std::vector<uint32_t> f = field(s, x, p);
      for (uint32_t j = 0; j < s.outputs; ++j)
        for (uint32_t i = 0; i < s.inputs; ++i)
          acc[p * s.outputs + j] += product(s.qweights[size_t(j) * s.inputs + i], f[i]);
    }
    if (last) {
      for (uint32_t j = 0; j < s.outputs; ++j) r.scores.push_back(int32_t(acc[j] * s.scale[j] + s.offset[j]));
      break;
    }
    std::vector<uint32_t> q(acc.size());
    for (size_t i = 0; i < acc.size(); ++i) {
      const uint32_t j = uint32_t(i % s.outputs);
      const int64_t v = floor_requant(acc[i] * s.multiplier[j] + s.bias[j]);
      q[i] = uint32_t(std::clamp<int64_t>(v, 0, top));
    }
    if (s.is_conv() && s.pool.present()) {
      std::vector<uint32_t> pooled;
      for (uint32_t py = 0; py < s.output_height(); ++py)
        for (uint32_t px = 0; px < s.output_width(); ++px)
          for (uint32_t c = 0; c < s.outputs; ++c) {
            uint32_t m = 0;
            for (uint32_t wy = 0; wy < s.pool.window; ++wy)
              for (uint32_t wx = 0; wx < s.pool.window; ++wx)
                m = std::max(
                    m, q[(size_t(py * s.pool.stride + wy) * s.conv.out_width() + px * s.pool.stride + wx) * s.outputs +
                         c]);
            pooled.push_back(m);
          }
      q = pooled;
    }
    x = q;
  }
  for (uint32_t c = 1; c < r.scores.size(); ++c)
    if (r.scores[c] > r.scores[r.predicted]) r.predicted = c;
  return r;
}

// ---- The cycle formula of docs/timing.md, "MAC-array datapath" ----

struct Phases {
  uint64_t fetch = 0, compute = 0, requant = 0, writeback = 0, argmax = 0;
  uint64_t total() const { return fetch + compute + requant + writeback + argmax; }
};

// One SC step: with early termination ceil(max a / k) over the columns whose activation and
// some weight of the step's rows are non-zero; without, ceil((2^A - 1) / k).
uint64_t sc_step_cycles(const Layer& s, const std::vector<uint32_t>& f, uint32_t row0, uint32_t rows, uint32_t col0,
                        uint32_t cols, const MacParams& hw, uint32_t a_bits) {
  const uint32_t k = hw.stream_bits_per_cycle;
  if (!hw.early_termination) return ceil_div((1u << a_bits) - 1, k);
  uint32_t largest = 0;
  for (uint32_t c = col0; c < col0 + cols; ++c) {
    bool weight = false;
    for (uint32_t r = row0; r < row0 + rows; ++r) weight |= s.qweights[size_t(r) * s.inputs + c] != 0;
    if (weight) largest = std::max(largest, f[c]);
  }
  return ceil_div(largest, k);
}

Phases expected_phases(const Network& net, size_t l, const std::vector<uint32_t>& x, const MacParams& hw) {
  const Layer& s = net.layers[l];
  const bool binary = hw.pe == "binary_mac", last = l + 1 == net.layers.size();
  const uint64_t wport = hw.weight_port_bits ? hw.weight_port_bits : hw.rows * hw.columns * 8;
  const uint64_t aport = hw.activation_port_bits ? hw.activation_port_bits : hw.columns * 8;
  Phases ph;
  uint64_t previous = 0;
  bool started = false;
  for (uint64_t p = 0; p < s.positions(); ++p) {
    const std::vector<uint32_t> f = field(s, x, p);
    for (uint32_t row0 = 0; row0 < s.outputs; row0 += hw.rows)
      for (uint32_t col0 = 0; col0 < s.inputs; col0 += hw.columns) {
        const uint32_t rows = std::min(hw.rows, s.outputs - row0), cols = std::min(hw.columns, s.inputs - col0);
        const uint64_t fetch =
            std::max(ceil_div(uint64_t(rows) * cols * 8, wport), ceil_div(uint64_t(cols) * 8, aport));
        const uint64_t compute =
            binary ? 1 : sc_step_cycles(s, f, row0, rows, col0, cols, hw, net.quant.activation_bits);
        ph.fetch += started ? (fetch > previous ? fetch - previous : 0) : fetch;
        ph.compute += compute;
        previous = compute;
        started = true;
      }
  }
  if (binary) ph.compute += 2;  // the three-stage pipeline's fill (docs/sc-cnn.md)
  if (last) {
    ph.argmax = s.outputs;
    return ph;
  }
  ph.requant = s.positions() * ceil_div(s.outputs, hw.rows);
  const uint64_t writes = s.is_conv() && s.pool.present()
                              ? uint64_t(s.output_height()) * s.output_width() * s.pool.window * s.pool.window
                              : s.positions();
  ph.writeback = writes * ceil_div(uint64_t(s.outputs) * 8, aport);
  return ph;
}

// ---- Running MacCore on its own ----

struct ImageRun {
  std::vector<int32_t> scores;
  uint32_t predicted = 0;
  std::string error;
  uint64_t cycles = 0;
  std::vector<std::map<std::string, uint64_t>> phases;  // per layer, this image's
};

// Loads a compiled network into the core's memories, as the host driver would.
void load(MacCore& core, const Network& net) {
  const CompiledQuantisedNetwork c = compile_quantised_network(net);
  uint32_t neuron = 0;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const auto& w = net.layers[l].qweights;
    core.weight_memory.write(c.program.weight_bases[l], reinterpret_cast<const uint8_t*>(w.data()), uint32_t(w.size()),
                             nullptr, 0, true);
    core.param_memory.write(neuron * 16, reinterpret_cast<const uint8_t*>(c.parameters[l].data()),
                            uint32_t(c.parameters[l].size() * 4), nullptr, 0, true);
    neuron += net.layers[l].outputs;
  }
  core.load_program(c.program);
}

// Starts the core once per image (copied into its input buffer) and records each run.
struct MacRunner : sc_core::sc_module {
  MacCore& core;
  const Dataset& data;
  std::vector<ImageRun> runs;
  MacRunner(sc_core::sc_module_name n, MacCore& c, const Dataset& d) : sc_core::sc_module(n), core(c), data(d) {
    SC_HAS_PROCESS(MacRunner);
    SC_THREAD(run);
  }
  void run() {
    std::map<std::pair<size_t, std::string>, uint64_t> before;
    for (uint32_t i = 0; i < data.count(); ++i) {
      core.input_buffer.write(0, data.image(i), uint32_t(data.values()), nullptr, 0, true);
      core.set_job_source([i] { return MacCore::Job{i}; });
      core.start(sc_core::SC_ZERO_TIME);
      sc_core::wait(core.done_event());
      ImageRun r{core.scores(), core.predicted_class(), core.last_run().error, core.last_run().cycles, {}};
      const auto& layers = core.cycles().layers();
      for (size_t l = 0; l < layers.size(); ++l) {
        r.phases.emplace_back();
        for (const auto& [phase, c] : layers[l].phases) {
          r.phases[l][phase] = c - before[{l, phase}];
          before[{l, phase}] = c;
        }
      }
      runs.push_back(r);
    }
  }
};

MacParams small_array(const std::string& pe, uint32_t k = 1, bool early = true) {
  MacParams p;
  p.pe = pe;
  p.rows = 4;
  p.columns = 5;
  p.stream_bits_per_cycle = k;
  p.early_termination = early;
  p.weight_memory_bytes = 4096;
  p.activation_bytes = 512;
  p.input_bytes = 256;
  p.param_entries = 128;
  p.seed = 7;
  return p;
}

Network dense_network(uint32_t b, uint32_t a, uint32_t seed) {
  return quantised_network({dense(48, 13), dense(13, 9), dense(9, 6)}, 6, 8, 1, b, a, seed);
}

// 6 x 6 x 2 image: conv 3x3 pad 1 -> 6 x 6 x 3, max-pool 2/2 -> 3 x 3 x 3; conv 2x2 pad 1
// -> 4 x 4 x 5 (no pool); conv 3x3 stride 2 pad 1, pool 2/1 (overlapping windows); dense.
Network conv_network(uint32_t b, uint32_t a, uint32_t seed) {
  return quantised_network(
      {conv(6, 6, 2, 3, 1, 1, 3, 2, 2), conv(3, 3, 3, 2, 1, 1, 5), conv(4, 4, 5, 3, 2, 1, 6, 2, 1), dense(6, 7)}, 6, 6,
      2, b, a, seed);
}

struct Case {
  const char* pe;
  uint32_t k;
  bool early;
  uint32_t weight_bits, activation_bits;
  bool convolutional;
};
std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  const Case& c = info.param;
  return std::string(c.pe) + "_k" + std::to_string(c.k) + (c.early ? "_early" : "_full") + "_w" +
         std::to_string(c.weight_bits) + "a" + std::to_string(c.activation_bits) +
         (c.convolutional ? "_conv" : "_dense");
}

void PrintTo(const Case& c, std::ostream* os) {  // NOLINT(readability-identifier-naming): gtest's hook
  *os << c.pe << " k=" << c.k << (c.early ? " early" : " full") << " B=" << c.weight_bits << " A=" << c.activation_bits
      << (c.convolutional ? " conv" : " dense");
}

class MacCoreCase : public ::testing::TestWithParam<Case> {};

}  // namespace

// Scores and classes equal the reference with the kind's product bit for bit; every layer's
// phases equal the formula computed here from that image's activations.
TEST_P(MacCoreCase, ScoresEqualTheIntegerReferenceAndCyclesTheFormula) {
  const Case c = GetParam();
  MacParams hw = small_array(c.pe, c.k, c.early);
  if (c.convolutional) hw.weight_port_bits = 24;  // fetches of up to 7 cycles: they stall short SC steps
  const Network net = c.convolutional ? conv_network(c.weight_bits, c.activation_bits, 11)
                                      : dense_network(c.weight_bits, c.activation_bits, 12);
  const Dataset data = test::random_dataset(4, net.input.rows, net.input.cols, 13, net.input.channels);
  MacCore core("core", hw, sc_core::sc_time(2, sc_core::SC_NS));
  load(core, net);
  MacRunner runner("runner", core, data);
  sc_core::sc_start();

  const MacPeKind& kind = mac_pe_kind(c.pe);
  const Product product = [&](int32_t w, uint32_t a) { return kind.product(w, a, c.weight_bits); };
  ASSERT_EQ(runner.runs.size(), data.count());
  for (uint32_t i = 0; i < data.count(); ++i) {
    const ImageRun& run = runner.runs[i];
    ASSERT_EQ(run.error, "") << i;
    const Reference ref = reference(net, data.image(i), product);
    EXPECT_EQ(run.scores, ref.scores) << "image " << i;
    EXPECT_EQ(run.predicted, ref.predicted) << "image " << i;
    ASSERT_EQ(run.phases.size(), net.layers.size());
    uint64_t total = 0;
    for (size_t l = 0; l < net.layers.size(); ++l) {
      const Phases want = expected_phases(net, l, ref.inputs[l], hw);
      auto got = run.phases[l];
      EXPECT_EQ(got["fetch"], want.fetch) << "image " << i << " layer " << l;
      EXPECT_EQ(got["compute"], want.compute) << "image " << i << " layer " << l;
      EXPECT_EQ(got["requant"], want.requant) << "image " << i << " layer " << l;
      EXPECT_EQ(got["writeback"], want.writeback) << "image " << i << " layer " << l;
      EXPECT_EQ(got["argmax"], want.argmax) << "image " << i << " layer " << l;
      total += want.total();
    }
    EXPECT_EQ(run.cycles, total) << i;
  }
  // The network is not degenerate: the hidden layers' activations are neither all 0 nor all saturated.
  const Reference r0 = reference(net, data.image(0), product);
  for (size_t l = 1; l < net.layers.size(); ++l) {
    const auto& x = r0.inputs[l];
    const uint32_t top = (1u << c.activation_bits) - 1;
    EXPECT_TRUE(std::any_of(x.begin(), x.end(), [&](uint32_t v) { return v > 0 && v < top; })) << "layer " << l;
  }
}

INSTANTIATE_TEST_SUITE_P(KindsAndPrecisions, MacCoreCase,
                         ::testing::Values(Case{"sc_cnn", 1, true, 8, 8, false}, Case{"sc_cnn", 4, true, 8, 8, false},
                                           Case{"sc_cnn", 1, false, 8, 8, false}, Case{"sc_cnn", 4, false, 6, 5, false},
                                           Case{"binary_mac", 1, true, 8, 8, false},
                                           Case{"binary_mac", 1, true, 4, 3, false},
                                           Case{"sc_cnn", 1, true, 8, 8, true}, Case{"sc_cnn", 4, false, 5, 4, true},
                                           Case{"sc_cnn", 4, true, 8, 8, true}, Case{"binary_mac", 1, true, 8, 8, true},
                                           Case{"binary_mac", 1, true, 3, 6, true}),
                         case_name);

// The SC product differs from the exact one: the core follows the kind's rule, not w x a.
TEST(MacCore, TheScKindsScoresDifferFromExactArithmetic) {
  const Network net = dense_network(8, 8, 21);
  const Dataset data = test::random_dataset(3, 6, 8, 22);
  MacCore core("core", small_array("sc_cnn"), sc_core::sc_time(2, sc_core::SC_NS));
  load(core, net);
  MacRunner runner("runner", core, data);
  sc_core::sc_start();
  bool differs = false;
  for (uint32_t i = 0; i < data.count(); ++i)
    differs |= runner.runs[i].scores !=
               reference(net, data.image(i), [](int32_t w, uint32_t a) { return int64_t(w) * a; }).scores;
  EXPECT_TRUE(differs);
}

// A weight outside the program's precision ends the run with an error naming it.
TEST(MacCore, BadProgramsEndTheRunWithTheError) {
  Network net = dense_network(4, 4, 31);
  net.layers[1].qweights[5] = 8;  // 4-bit weights are -7..7
  const Dataset data = test::random_dataset(1, 6, 8, 32);
  MacCore core("core", small_array("binary_mac"), sc_core::sc_time(2, sc_core::SC_NS));
  load(core, net);
  MacRunner runner("runner", core, data);
  sc_core::sc_start();
  ASSERT_EQ(runner.runs.size(), 1u);
  EXPECT_NE(runner.runs[0].error.find("layer 1 weight 5 is 8, outside the 4-bit range +-7"), std::string::npos)
      << runner.runs[0].error;
}

// Kept apart from any simulation: an exception thrown on the main stack after sc_start() ran
// coroutines trips AddressSanitizer's stack bookkeeping (a false stack-use-after-scope).
TEST(MacCore, ProgramsBeyondTheHardwareAreRefusedNamingTheParameter) {
  MacProgram too_wide = compile_quantised_network(dense_network(8, 8, 33)).program;
  MacParams narrow = small_array("sc_cnn");
  narrow.weight_bits = 6;
  const auto message = [](const MacParams& p, const MacProgram& prog) {
    try {
      check_mac_program(p, prog);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message(narrow, too_wide).find("accel.mac.weight_bits is 6"), std::string::npos);
  MacParams small_memory = small_array("sc_cnn");
  small_memory.weight_memory_bytes = 640;
  EXPECT_NE(message(small_memory, too_wide).find("accel.mac.weight_memory_bytes is 640"), std::string::npos);
  MacParams short_accumulator = small_array("sc_cnn");
  short_accumulator.accumulator_bits = 16;
  EXPECT_NE(message(short_accumulator, too_wide).find("accel.mac.accumulator_bits is 16"), std::string::npos);
}

// ---- The bus face ----

TEST(MacAccelerator, RegistersIdentifyTheMacArrayAndItsPrecision) {
  AcceleratorParams p;
  p.mac = small_array("sc_cnn", 4);
  MacAccelerator<64> accel("accel", p);
  const auto reg = [&](const std::string& n) {
    for (const Register& r : accel.registers().registers())
      if (r.name == n) return r.value;
    ADD_FAILURE() << "no register " << n;
    return 0u;
  };
  EXPECT_EQ(reg("ID"), 0x5CB11002u);
  EXPECT_EQ(reg("MAC_ROWS"), 4u);
  EXPECT_EQ(reg("MAC_COLUMNS"), 5u);
  EXPECT_EQ(reg("MAC_PRECISION"), 8u | (8u << 8) | (4u << 16));
  EXPECT_EQ(reg("QUANT_BITS"), 8u | (8u << 8));

  // The weight window reads back what was written; DMI grants read-only access to it.
  tlm::tlm_generic_payload tx;
  int8_t bytes[3] = {-7, 0, 5}, back[3] = {};
  const auto transport = [&](tlm::tlm_command cmd, uint64_t address, void* data, uint32_t len) {
    tx.set_command(cmd);
    tx.set_address(address);
    tx.set_data_ptr(static_cast<unsigned char*>(data));
    tx.set_data_length(len);
    tx.set_streaming_width(len);
    tx.set_byte_enable_ptr(nullptr);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    accel.b_transport(tx, delay);
    return tx.get_response_status();
  };
  EXPECT_EQ(transport(tlm::TLM_WRITE_COMMAND, addr::WEIGHT_WINDOW + 16, bytes, 3), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(transport(tlm::TLM_READ_COMMAND, addr::WEIGHT_WINDOW + 16, back, 3), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(std::vector<int8_t>(back, back + 3), std::vector<int8_t>(bytes, bytes + 3));
  EXPECT_EQ(transport(tlm::TLM_READ_COMMAND, addr::WEIGHT_WINDOW + 4094, back, 3), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  tlm::tlm_dmi dmi;
  tx.set_address(addr::WEIGHT_WINDOW + 16);
  ASSERT_TRUE(accel.get_direct_mem_ptr(tx, dmi));
  EXPECT_TRUE(dmi.is_read_allowed());
  EXPECT_FALSE(dmi.is_write_allowed());
  EXPECT_EQ(dmi.get_start_address(), addr::WEIGHT_WINDOW);
  EXPECT_EQ(dmi.get_end_address(), addr::WEIGHT_WINDOW + 4095);
  EXPECT_EQ(int8_t(dmi.get_dmi_ptr()[16]), -7);
  tx.set_address(addr::INPUT_WINDOW);
  EXPECT_FALSE(accel.get_direct_mem_ptr(tx, dmi));  // input writes are counted
}

// ---- The platform ----

namespace {

PlatformParams mac_platform(const std::string& pe) {
  PlatformParams p;
  p.accel.datapath = DatapathKind::mac;
  p.accel.mac = small_array(pe, pe == "sc_cnn" ? 2 : 1);
  p.seed = 5;
  p.derive();
  return p;
}

class MacPlatform : public ::testing::TestWithParam<const char*> {};

}  // namespace

// The host programs a generated quantised network through the bus and classifies every
// image; predictions and scores equal the reference with the kind's product; the report
// shows the MAC array, cycles per layer, energy and area.
TEST_P(MacPlatform, RunsAQuantisedNetworkThroughTheBus) {
  const std::string pe = GetParam();
  const Network net = conv_network(7, 6, 41);
  const Dataset data = test::random_dataset(5, 6, 6, 42, 2);
  const PlatformParams params = mac_platform(pe);
  Platform platform(params, net, data, 0, data.count());
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.records.size(), data.count());
  const MacPeKind& kind = mac_pe_kind(pe);
  for (uint32_t i = 0; i < data.count(); ++i) {
    const Reference ref = reference(net, data.image(i), [&](int32_t w, uint32_t a) { return kind.product(w, a, 7); });
    EXPECT_EQ(out.records[i].scores, ref.scores) << i;
    EXPECT_EQ(out.records[i].predicted, ref.predicted) << i;
    EXPECT_GT(out.records[i].cycles, 0u);
    // The network format's own evaluation (stimuli/evaluate.h) with the kind's product agrees.
    EXPECT_EQ(out.records[i].scores,
              quantised_scores(net, data.image(i), [&](int32_t w, uint32_t a) { return kind.product(w, a, 7); }))
        << i;
  }
  ASSERT_EQ(out.cycles.layers().size(), net.layers.size());
  EXPECT_TRUE(out.mapping.layers.empty());
  EXPECT_TRUE(out.errors.empty());  // no fault rate configured
  ASSERT_NE(platform.mac_accelerator(), nullptr);
  EXPECT_THROW(platform.accelerator(), std::logic_error);

  Config config;
  config.apply_override("accel.datapath=mac");
  const TechnologyPreset technology = technology_from(config);
  require_preset_covers(technology, out.actions.entries(), out.hardware.items());
  const PowerReport power = price_outcome(technology, params, net, out);
  RunInputs in;
  in.config = &config;
  in.params = &params;
  in.network = &net;
  in.dataset = &data;
  in.clock_mhz = params.accel.clock_mhz;
  in.power = &power;
  in.accelerator = &platform.face();
  const nlohmann::ordered_json report = make_report(in, out);
  EXPECT_EQ(report["datapath"]["kind"], "mac");
  EXPECT_EQ(report["datapath"]["pe"], pe);
  EXPECT_EQ(report["datapath"]["weight_bits"], 7);
  ASSERT_EQ(report["layers"].size(), net.layers.size());
  for (const auto& l : report["layers"]) {
    EXPECT_GT(l["cycles"].get<double>(), 0) << l;
    EXPECT_GT(l["energy_pj"].get<double>(), 0) << l;
  }
  EXPECT_GT(report["power"]["area_um2"].get<double>(), 0);
  const std::string text = format_report(report);
  EXPECT_NE(text.find("MAC array    4 x 5 " + pe + " PEs"), std::string::npos) << text;
  EXPECT_NE(text.find("requant"), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(Kinds, MacPlatform, ::testing::Values("sc_cnn", "binary_mac"));

// Injected faults are counted and replayable: the same seed gives the same flips.
TEST(MacPlatformFaults, TheAccumulatorFaultsAreTalliedInTheOutcome) {
  const Network net = dense_network(8, 8, 51);
  const Dataset data = test::random_dataset(3, 6, 8, 52);
  PlatformParams params = mac_platform("binary_mac");
  params.accel.mac.fault.accumulator_ber = 1e-3;
  params.accel.mac.fault.product_ber = 1e-3;
  Platform platform(params, net, data, 0, data.count());
  const RunOutcome out = platform.run();
  ASSERT_EQ(out.errors.count("mac_accumulator"), 1u);
  ASSERT_EQ(out.errors.count("mac_datapath"), 1u);
  const ErrorCount& a = out.errors.at("mac_accumulator");
  EXPECT_GT(a.opportunities, 0u);
  EXPECT_EQ(a.probability, 1e-3);
  // Binomial: within 5 standard deviations of the expected flips.
  const double mean = double(a.opportunities) * 1e-3, sd = std::sqrt(mean);
  EXPECT_NEAR(double(a.events), mean, 5 * sd + 1);
}

// ---- Refusals ----

TEST(MacPlatformErrors, TheDatapathMustMatchTheNetwork) {
  const Network quantised = dense_network(8, 8, 61);
  const Dataset data = test::random_dataset(1, 6, 8, 62);
  PlatformParams bnn;
  bnn.derive();
  const std::string on_bnn = test::error_of([&] { Platform(bnn, quantised, data, 0, 1); });
  EXPECT_NE(on_bnn.find("generated.scbnn is a quantised network"), std::string::npos) << on_bnn;
  EXPECT_NE(on_bnn.find("accel.datapath = mac"), std::string::npos) << on_bnn;

  Network binarized = test::random_network({48, 10}, 63, 6, 8);
  binarized.file = "bnn.scbnn";
  const std::string on_mac = test::error_of([&] { Platform(mac_platform("sc_cnn"), binarized, data, 0, 1); });
  EXPECT_NE(on_mac.find("bnn.scbnn is a binarized network: it runs on accel.datapath = bnn"), std::string::npos)
      << on_mac;

  PlatformParams narrow = mac_platform("sc_cnn");
  narrow.accel.mac.weight_bits = 6;
  const std::string wide = test::error_of([&] { Platform(narrow, quantised, data, 0, 1); });
  EXPECT_NE(wide.find("generated.scbnn has 8-bit weights but accel.mac.weight_bits is 6"), std::string::npos) << wide;

  PlatformParams small = mac_platform("sc_cnn");
  small.accel.mac.param_entries = 20;
  const std::string fit = test::error_of([&] { Platform(small, quantised, data, 0, 1); });
  EXPECT_NE(fit.find("the network does not fit the hardware: the network has 28 neurons but accel.mac.param_entries "
                     "is 20"),
            std::string::npos)
      << fit;
}

TEST(MacPlatformErrors, BadKeysAreRefusedNamingThem) {
  Config c;
  EXPECT_NE(test::error_of([&] { c.apply_override("accel.mac.rows=0"); }).find("accel.mac.rows = '0' is not valid"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { c.apply_override("accel.datapath=gpu"); }).find("accel.datapath = 'gpu'"),
            std::string::npos);
  EXPECT_NE(test::error_of([&] { c.apply_override("accel.mac.pe=tpu"); }).find("accel.mac.pe = 'tpu'"),
            std::string::npos);
  Config k;
  k.apply_override("accel.mac.stream_bits_per_cycle=3");
  EXPECT_NE(test::error_of([&] { platform_params(k); }).find("accel.mac.stream_bits_per_cycle = 3"), std::string::npos);
  Config acc;
  acc.apply_override("accel.mac.accumulator_bits=12");
  EXPECT_NE(test::error_of([&] { platform_params(acc); }).find("accel.mac.accumulator_bits = 12"), std::string::npos);
}

// docs/registers.md embeds the MAC-array accelerator's register table of the default configuration.
TEST(MacAccelerator, TheRegisterDocumentationIsCurrent) {
  AcceleratorParams p;
  p.datapath = DatapathKind::mac;
  MacAccelerator<64> accel("accel", p);
  std::ifstream in(std::string(SCBNN_SOURCE_DIR) + "/docs/registers.md");
  ASSERT_TRUE(in) << "docs/registers.md is missing";
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(doc.find(to_markdown(accel.registers())), std::string::npos)
      << "docs/registers.md is out of date: run scripts/update-docs.sh";
}
