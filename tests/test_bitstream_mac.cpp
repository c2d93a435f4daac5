// The bitstream multiply (models/bitstream_mac.h) and the MAC-array PE kinds
// (models/mac_pe.h): closed forms against bit-by-bit walks, the proven rounding bound, the
// bit-parallel and early-termination cycles, each kind's step against a plain loop, the
// action counts, and the seeded fault injection (docs/sc-cnn.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <random>

#include "scbnn/base/errors.h"
#include "scbnn/models/bitstream_mac.h"
#include "scbnn/models/mac_pe.h"
#include "scbnn/power/catalogue.h"
#include "test_support.h"

using namespace scbnn;
using scbnn::test::error_of;

namespace {

// Independent of the library: reverse the m low bits by building the reversed number bit by bit.
uint32_t reversed(uint32_t x, uint32_t m) {
  uint32_t r = 0;
  for (uint32_t i = 0; i < m; ++i)
    if (x & (1u << i)) r |= 1u << (m - 1 - i);
  return r;
}
bool stream_bit(uint32_t v, uint32_t m, uint64_t t) { return reversed(uint32_t(t % (uint64_t(1) << m)), m) < v; }

// The SC multiply done as the hardware does it: k bits a cycle while the down counter holds
// bits, the last cycle masked. Returns the count of ones; `cycles` gets the cycles.
uint64_t walked_count(uint32_t v, uint32_t m, uint32_t a, uint32_t k, uint64_t* cycles = nullptr) {
  uint64_t ones = 0, t = 0, n = 0;
  for (int64_t left = a; left > 0; left -= k, ++n)
    for (uint32_t lane = 0; lane < k; ++lane, ++t)
      if (int64_t(lane) < left && stream_bit(v, m, t)) ++ones;
  if (cycles) *cycles = n;
  return ones;
}
int64_t walked_product(int32_t w, uint32_t a, uint32_t weight_bits, uint32_t k = 1) {
  const uint32_t m = weight_bits - 1;
  const int64_t c = int64_t(walked_count(uint32_t(std::abs(w)), m, a, k)) << m;
  return w < 0 ? -c : c;
}

uint64_t ceil_div(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

// A random array step of up to rows x columns, weights within the B-bit range (some columns
// all zero), activations within A bits (some zero).
struct RandomStep {
  std::vector<int8_t> weights;
  std::vector<uint8_t> activations;
  uint32_t rows, columns;
  MacStep step() const { return {weights.data(), columns, activations.data(), rows, columns}; }
};
RandomStep random_step(std::mt19937& rng, const MacArrayShape& shape, uint32_t weight_bits, uint32_t act_bits) {
  RandomStep s;
  s.rows = 1 + rng() % shape.rows;
  s.columns = 1 + rng() % shape.columns;
  const int32_t wmax = (1 << (weight_bits - 1)) - 1;
  std::uniform_int_distribution<int32_t> wd(-wmax, wmax);
  std::uniform_int_distribution<uint32_t> ad(0, (1u << act_bits) - 1);
  s.weights.resize(size_t(s.rows) * s.columns);
  s.activations.resize(s.columns);
  for (uint32_t c = 0; c < s.columns; ++c) {
    const bool zero_column = rng() % 5 == 0, zero_activation = rng() % 4 == 0;
    s.activations[c] = zero_activation ? uint8_t(0) : uint8_t(ad(rng));
    for (uint32_t r = 0; r < s.rows; ++r)
      s.weights[size_t(r) * s.columns + c] = int8_t(zero_column || rng() % 6 == 0 ? 0 : wd(rng));
  }
  return s;
}

std::unique_ptr<MacPeArray> make_array(const std::string& kind, const char* name, MacArrayShape shape,
                                       MacPrecision precision, MacFaultParams faults = {}, uint64_t seed = 1) {
  return mac_pe_kind(kind).make(name, shape, precision, faults, seed);
}

std::map<std::string, uint64_t> counts_of(const MacPeArray& array) {
  ActionLedger ledger;
  array.collect_actions(ledger);
  std::map<std::string, uint64_t> out;
  for (const auto& e : ledger.entries()) out[e.component_class + "." + e.action] += e.count;
  return out;
}

}  // namespace

TEST(Bitstream, BitReverseMatchesAReference) {
  for (uint32_t m = 0; m <= 10; ++m)
    for (uint32_t x = 0; x < (1u << m); ++x) EXPECT_EQ(bit_reverse(x, m), reversed(x, m)) << x << " " << m;
  EXPECT_EQ(bit_reverse(1, 32), 0x80000000u);
}

// The scheme's promises, counted bit by bit: v ones in every aligned period of 2^m bits, and
// ceil(v / 2^(m-j)) in every prefix of 2^j bits (of every period).
TEST(Bitstream, AlignedPeriodsAndPowerOfTwoPrefixesHaveExactCounts) {
  for (uint32_t m = 1; m <= 7; ++m) {
    const uint64_t period = uint64_t(1) << m;
    for (uint32_t v = 0; v <= period; ++v) {
      for (uint64_t p = 0; p < 4; ++p) {
        uint64_t ones = 0;
        for (uint64_t t = p * period; t < (p + 1) * period; ++t) ones += weight_stream_bit(v, m, t);
        EXPECT_EQ(ones, v) << "m " << m << " v " << v << " period " << p;
        for (uint32_t j = 0; j <= m; ++j) {
          uint64_t prefix = 0;
          for (uint64_t t = p * period; t < p * period + (uint64_t(1) << j); ++t) prefix += stream_bit(v, m, t);
          EXPECT_EQ(prefix, ceil_div(v, uint64_t(1) << (m - j))) << "m " << m << " v " << v << " j " << j;
        }
      }
    }
  }
}

TEST(Bitstream, ClosedFormOnesEqualTheBitWalkForEveryLength) {
  for (uint32_t m = 1; m <= 7; ++m) {
    const uint64_t period = uint64_t(1) << m;
    for (uint32_t v = 0; v <= period; ++v) {
      uint64_t walked = 0;
      for (uint64_t length = 0; length <= 3 * period; ++length) {
        ASSERT_EQ(weight_stream_ones(v, m, length), walked) << "m " << m << " v " << v << " length " << length;
        ASSERT_EQ(weight_stream_bit(v, m, length), stream_bit(v, m, length));
        walked += stream_bit(v, m, length);
      }
    }
  }
}

// Every operand pair at 4 bits (B = A = 4), every sign: the product is the walked count x 2^3
// with the weight's sign; a = 0 and w = 0 give 0; the largest magnitudes as walked.
TEST(Bitstream, ScProductEqualsTheWalkedCountForEveryPairAt4Bits) {
  const ScProductTable table(4, 4);
  for (int32_t w = -7; w <= 7; ++w)
    for (uint32_t a = 0; a < 16; ++a) {
      const int64_t expected = walked_product(w, a, 4);
      EXPECT_EQ(sc_product(w, a, 4), expected) << w << " x " << a;
      EXPECT_EQ(table(w, a), expected) << w << " x " << a;
      EXPECT_EQ(table.by_activation(a)[w], expected);
      EXPECT_EQ(sc_product(-w, a, 4), -sc_product(w, a, 4));
    }
  for (uint32_t a = 0; a < 16; ++a) EXPECT_EQ(sc_product(0, a, 4), 0);
  for (int32_t w = -7; w <= 7; ++w) EXPECT_EQ(sc_product(w, 0, 4), 0);
  // Hand-checked: S_7 over 3 bits is 1111 1110 repeated (only t = 7 reverses to 7, not < 7):
  // 15 bits hold 7 + 7 ones, 112 against w a = 105.
  EXPECT_EQ(sc_product(7, 15, 4), 8 * 14);
  EXPECT_EQ(sc_product(-7, 15, 4), -8 * 14);
  EXPECT_EQ(sc_product(7, 8, 4), 7 * 8);  // a whole period: exact
  EXPECT_EQ(sc_product(1, 1, 4), 8);      // bitrev(0) = 0 < 1: the first bit is a one
  EXPECT_EQ(sc_product(1, 7, 4), 8);
}

// The proven bound (docs/sc-cnn.md), exhaustively for every precision up to 8 bits: it holds
// for every pair, never exceeds 2^m popcount(r) - r, is attained when r is a power of two, and
// the largest error is the one the docs quote.
TEST(Bitstream, ProductErrorStaysWithinTheProvenBound) {
  const std::map<uint32_t, int64_t> largest_error = {{2, 1}, {3, 3}, {4, 9}, {5, 23}, {6, 57}, {7, 135}, {8, 313}};
  for (uint32_t b = 2; b <= 8; ++b) {
    const uint32_t m = b - 1;
    int64_t worst = 0;
    for (uint32_t a = 0; a < 256; ++a) {
      const uint64_t bound = sc_product_error_bound(a, b), r = a % (1u << m);
      EXPECT_LE(bound, (uint64_t(__builtin_popcount(uint32_t(r))) << m) - r);
      int64_t worst_here = 0;
      for (int32_t w = -int32_t((1u << m) - 1); w <= int32_t((1u << m) - 1); ++w) {
        const int64_t error = std::llabs(sc_product(w, a, b) - int64_t(w) * a);
        ASSERT_LE(uint64_t(error), bound) << w << " x " << a << " at " << b << " bits";
        worst_here = std::max(worst_here, error);
      }
      if (r == 0) {
        EXPECT_EQ(worst_here, 0);
      } else if (!(r & (r - 1))) {
        EXPECT_EQ(uint64_t(worst_here), bound) << a << " at " << b << " bits";
      }
      worst = std::max(worst, worst_here);
    }
    EXPECT_EQ(worst, largest_error.at(b)) << b << " bits";
  }
}

TEST(Bitstream, RandomEightBitPairsAgreeWithTheWalkAndTheBound) {
  std::mt19937 rng(16);
  std::uniform_int_distribution<int32_t> wd(-127, 127);
  std::uniform_int_distribution<uint32_t> ad(0, 255);
  for (int i = 0; i < 20000; ++i) {
    const int32_t w = wd(rng);
    const uint32_t a = ad(rng);
    const int64_t p = sc_product(w, a, 8);
    ASSERT_EQ(p, walked_product(w, a, 8)) << w << " x " << a;
    ASSERT_LE(uint64_t(std::llabs(p - int64_t(w) * a)), sc_product_error_bound(a, 8)) << w << " x " << a;
    ASSERT_LE(uint64_t(std::llabs(p - int64_t(w) * a)), (uint64_t(__builtin_popcount(a % 128)) << 7) - a % 128);
  }
}

// Bit-parallel: k bits a cycle with the last cycle masked counts the same ones in ceil(a / k) cycles.
TEST(Bitstream, BitParallelCountsTheSameInCeilAOverKCycles) {
  for (uint32_t k : {1u, 2u, 4u, 8u})
    for (uint32_t m = 1; m <= 7; ++m)
      for (uint32_t v = 0; v < (1u << m); ++v)
        for (uint32_t a = 0; a < 256; a += 1 + (a % 7)) {
          uint64_t cycles = 0;
          ASSERT_EQ(walked_count(v, m, a, k, &cycles), weight_stream_ones(v, m, a)) << k << " " << m << " " << v;
          ASSERT_EQ(cycles, ceil_div(a, k));
          ASSERT_EQ(sc_multiply_cycles(a, k), cycles);
        }
}

TEST(MacPeKinds, ShippedKindsAreRegisteredWithTheirClasses) {
  EXPECT_EQ(mac_pe_names(), (std::vector<std::string>{"binary_mac", "sc_cnn"}));
  std::ifstream in(SCBNN_SOURCE_DIR "/docs/sc-cnn.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), {});
  for (const auto& [name, kind] : mac_pe_registry().kinds()) {
    EXPECT_NE(doc.find("| `" + name + "`"), std::string::npos) << name << " missing in docs/sc-cnn.md";
    EXPECT_FALSE(kind.description.empty()) << name;
    EXPECT_FALSE(kind.reference.empty()) << name;
    for (const auto& c : kind.component_classes) {
      const ComponentClassSpec* spec = find_component_class(c.name);
      ASSERT_TRUE(spec) << name << ": " << c.name;
      for (const auto& a : c.actions) EXPECT_EQ(spec->action(a.name)->stage, Stage::array) << c.name;
    }
  }
  EXPECT_EQ(mac_pe_kind("sc_cnn").product(-5, 13, 4), sc_product(-5, 13, 4));
  EXPECT_EQ(mac_pe_kind("binary_mac").product(-5, 13, 4), -65);
  EXPECT_NE(error_of([] { mac_pe_kind("analog"); }).find("accel.mac.pe"), std::string::npos);
}

TEST(MacPeKinds, ValidationNamesTheKey) {
  MacPrecision p;
  p.stream_bits_per_cycle = 3;
  EXPECT_NE(error_of([&] { mac_pe_kind("sc_cnn").validate(p, {}); }).find("accel.mac.stream_bits_per_cycle"),
            std::string::npos);
  EXPECT_EQ(error_of([&] { mac_pe_kind("binary_mac").validate(p, {}); }), "");  // binary: k unused
  p = MacPrecision{};
  p.weight_bits = 9;
  EXPECT_NE(error_of([&] { mac_pe_kind("binary_mac").validate(p, {}); }).find("accel.mac.weight_bits"),
            std::string::npos);
  MacFaultParams f;
  f.stream_ber = 1.5;
  EXPECT_NE(error_of([&] { mac_pe_kind("sc_cnn").validate(MacPrecision{}, f); }).find("accel.mac.fault.stream_ber"),
            std::string::npos);
}

// The SC array's step against a plain loop: each row's sum of walked products, the cycles from
// the largest active activation, for every k and with early termination on and off.
TEST(MacPeKinds, ScCnnStepEqualsAPlainLoop) {
  const MacArrayShape shape{6, 9};
  std::vector<std::unique_ptr<MacPeArray>> arrays;
  int index = 0;
  for (uint32_t k : {1u, 2u, 4u, 8u})
    for (bool early : {true, false}) {
      MacPrecision p{6, 5, k, early, 32};
      arrays.push_back(make_array("sc_cnn", ("sc" + std::to_string(index++)).c_str(), shape, p));
    }
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const RandomStep rs = random_step(rng, shape, 6, 5);
    std::vector<int64_t> expected(rs.rows, 100);  // the accumulators' previous contents
    uint32_t largest = 0;
    for (uint32_t c = 0; c < rs.columns; ++c) {
      bool nonzero = false;
      for (uint32_t r = 0; r < rs.rows; ++r) {
        const int32_t w = rs.weights[size_t(r) * rs.columns + c];
        expected[r] += walked_product(w, rs.activations[c], 6, 1 + c % 4);
        nonzero |= w != 0;
      }
      if (nonzero) largest = std::max(largest, uint32_t(rs.activations[c]));
    }
    for (const auto& array : arrays) {
      std::vector<int64_t> sums(rs.rows, 100);
      const uint64_t cycles = array->step(rs.step(), sums.data());
      const MacPrecision& p = array->precision();
      ASSERT_EQ(sums, expected) << array->name() << " trial " << trial;
      ASSERT_EQ(cycles, p.early_termination ? ceil_div(largest, p.stream_bits_per_cycle)
                                            : ceil_div(31, p.stream_bits_per_cycle))
          << array->name() << " trial " << trial;
    }
  }
}

TEST(MacPeKinds, BinaryMacStepEqualsAPlainLoop) {
  const MacArrayShape shape{5, 11};
  auto array = make_array("binary_mac", "bin", shape, MacPrecision{7, 6, 1, true, 32});
  EXPECT_EQ(array->layer_fill_cycles(), 2u);
  std::mt19937 rng(8);
  for (int trial = 0; trial < 200; ++trial) {
    const RandomStep rs = random_step(rng, shape, 7, 6);
    std::vector<int64_t> expected(rs.rows, -7), sums(rs.rows, -7);
    for (uint32_t r = 0; r < rs.rows; ++r)
      for (uint32_t c = 0; c < rs.columns; ++c)
        expected[r] += int64_t(rs.weights[size_t(r) * rs.columns + c]) * rs.activations[c];
    ASSERT_EQ(array->step(rs.step(), sums.data()), 1u);
    ASSERT_EQ(sums, expected) << trial;
  }
}

// Early termination: a column with all-zero weights or a zero activation ends at once; the
// step lasts ceil(largest active a / k). Without it: ceil((2^A - 1) / k) whatever the operands.
TEST(MacPeKinds, EarlyTerminationCycles) {
  const MacArrayShape shape{2, 3};
  auto on = make_array("sc_cnn", "on", shape, MacPrecision{4, 4, 2, true, 32});
  auto off = make_array("sc_cnn", "off", shape, MacPrecision{4, 4, 2, false, 32});
  const int8_t weights[6] = {3, 0, -1, 5, 0, 0};  // column 1 all zero
  const uint8_t acts[3] = {9, 15, 4};
  int64_t s1[2] = {0, 0}, s2[2] = {0, 0};
  EXPECT_EQ(on->step({weights, 3, acts, 2, 3}, s1), 5u);   // ceil(9 / 2): the 15 is never counted
  EXPECT_EQ(off->step({weights, 3, acts, 2, 3}, s2), 8u);  // ceil(15 / 2)
  EXPECT_EQ(s1[0], s2[0]);
  EXPECT_EQ(s1[1], s2[1]);
  const uint8_t zeros[3] = {0, 0, 0};
  EXPECT_EQ(on->step({weights, 3, zeros, 2, 3}, s1), 0u);
  EXPECT_EQ(off->step({weights, 3, zeros, 2, 3}, s2), 8u);
}

// The actions of one hand-worked step. SC, 2 x 3 array, B = 4 (m = 3), A = 4, k = 2, early
// termination: weights {3, 0, -1 / 5, 0, 0}, activations {9, 15, 4}: columns 0 and 2 active
// (column 1's weights are zero): counted bits per row 9 + 4 = 13, count cycles ceil(9/2) +
// ceil(4/2) = 7, busy cycles 5; stream counter 3 - 1 = 2 bits; row register
// bits(3 x 15) + 1 = 7 bits.
TEST(MacPeKinds, ActionCountsOfAHandWorkedStep) {
  auto sc = make_array("sc_cnn", "sc", {2, 3}, MacPrecision{4, 4, 2, true, 32});
  const int8_t weights[6] = {3, 0, -1, 5, 0, 0};
  const uint8_t acts[3] = {9, 15, 4};
  int64_t sums[2] = {0, 0};
  {
    const CurrentLayer layer(1);
    EXPECT_EQ(sc->step({weights, 3, acts, 2, 3}, sums), 5u);
  }
  auto c = counts_of(*sc);
  EXPECT_EQ(c["sc_stream_counter.bit_step"], 2u * 5);
  EXPECT_EQ(c["sc_stream_comparator.compare_bit"], 2u * 3 * 2 * 7);  // rows x m x k x count cycles
  EXPECT_EQ(c["sc_down_counter.bit_step"], 4u * (3 + 7));            // A x (loads + count cycles)
  EXPECT_EQ(c["sc_row_counter.add_bit"], 2u * (13 + 7 * 5));         // rows x (counted + R x busy)
  EXPECT_EQ(c["mac_pe_register.bit_write"], 2u * (3 * 4 + 7 * 5));   // weights + step registers
  EXPECT_EQ(c["mac_accumulator.add_bit"], 2u * 32);
  ActionLedger ledger;
  sc->collect_actions(ledger);
  for (const auto& e : ledger.entries()) EXPECT_EQ(e.by_layer.layer(1), e.count) << e.component_class;
  EXPECT_EQ(sums[0], sc_product(3, 9, 4) + sc_product(-1, 4, 4));
  EXPECT_EQ(sums[1], sc_product(5, 9, 4));

  // Binary, same step, B + A = 8-bit products: 3 non-trivial products (3x9, -1x4, 5x9);
  // adder tree over 3 inputs: 8 + 9 bits per row; tree output over 3 columns: 10 bits.
  auto bin = make_array("binary_mac", "bin", {2, 3}, MacPrecision{4, 4, 1, true, 32});
  int64_t bsums[2] = {0, 0};
  EXPECT_EQ(bin->step({weights, 3, acts, 2, 3}, bsums), 1u);
  EXPECT_EQ(bsums[0], 27 - 4);
  EXPECT_EQ(bsums[1], 45);
  c = counts_of(*bin);
  EXPECT_EQ(c["mac_multiplier.multiply_bit"], 3u * 16);
  EXPECT_EQ(c["mac_adder_tree.add_bit"], 2u * (8 + 9));
  EXPECT_EQ(c["mac_pe_register.bit_write"], 6u * (4 + 8) + 3 * 4 + 2 * 10);
  EXPECT_EQ(c["mac_accumulator.add_bit"], 2u * 32);

  HardwareInventory inventory;
  sc->collect_hardware(inventory);
  bin->collect_hardware(inventory);
  std::map<std::string, double> units;
  for (const auto& h : inventory.items()) units[h.component_class] += h.quantity;
  EXPECT_EQ(units["sc_stream_counter"], 2);
  EXPECT_EQ(units["sc_stream_comparator"], 6 * 2 * 3);
  EXPECT_EQ(units["sc_down_counter"], 3 * 4);
  EXPECT_EQ(units["sc_row_counter"], 2 * (3 * 2 + 7));
  EXPECT_EQ(units["mac_multiplier"], 6 * 16);
  EXPECT_EQ(units["mac_adder_tree"], 2 * (8 + 9));
  EXPECT_EQ(units["mac_accumulator"], 2 * 32 * 2);
  EXPECT_EQ(units["mac_pe_register"], (6 * 4 + 2 * 7) + (6 * (4 + 8) + 3 * 4 + 2 * 10));
}

// A network below the built precision: the arithmetic follows the operand bits.
TEST(MacPeKinds, OperandBitsBelowTheBuiltPrecision) {
  auto sc = make_array("sc_cnn", "sc", {1, 2}, MacPrecision{8, 8, 1, false, 32});
  sc->set_operand_bits(4, 3);
  const int8_t weights[2] = {-7, 5};
  const uint8_t acts[2] = {7, 3};
  int64_t sum = 0;
  EXPECT_EQ(sc->step({weights, 2, acts, 1, 2}, &sum), 7u);  // worst case of 3-bit activations
  EXPECT_EQ(sum, sc_product(-7, 7, 4) + sc_product(5, 3, 4));
  EXPECT_NE(error_of([&] { sc->set_operand_bits(9, 3); }).find("accel.mac.weight_bits"), std::string::npos);
  EXPECT_NE(error_of([&] { sc->set_operand_bits(4, 9); }).find("accel.mac.activation_bits"), std::string::npos);
}

namespace {

// Runs `steps` random steps of image `image` through `array` and returns the sums.
std::vector<int64_t> run_image(MacPeArray& array, uint64_t image, uint32_t steps, uint32_t weight_bits,
                               uint32_t act_bits) {
  array.start_image(image);
  std::mt19937 rng(uint32_t(image) * 7919u + 1);
  std::vector<int64_t> sums(array.shape().rows, 0);
  for (uint32_t i = 0; i < steps; ++i) {
    const RandomStep rs = random_step(rng, array.shape(), weight_bits, act_bits);
    array.step(rs.step(), sums.data());
  }
  return sums;
}

}  // namespace

TEST(MacFaults, ZeroRatesGiveExactResults) {
  for (const char* kind : {"sc_cnn", "binary_mac"}) {
    auto faulty = make_array(kind, (std::string(kind) + "_f").c_str(), {8, 8}, MacPrecision{8, 8, 4, true, 32},
                             MacFaultParams{0, 0, 0}, 99);
    auto clean = make_array(kind, (std::string(kind) + "_c").c_str(), {8, 8}, MacPrecision{8, 8, 4, true, 32});
    EXPECT_EQ(run_image(*faulty, 3, 50, 8, 8), run_image(*clean, 3, 50, 8, 8)) << kind;
    EXPECT_EQ(faulty->datapath_faults().flips + faulty->accumulator_faults().flips, 0u);
    EXPECT_GT(faulty->datapath_faults().opportunities, 0u);
  }
}

// Flip counts at a fixed seed: Binomial(opportunities, rate); within 4 standard deviations.
TEST(MacFaults, FlipCountsFollowTheRates) {
  const double rate = 2e-3;
  for (const char* kind : {"sc_cnn", "binary_mac"}) {
    auto array = make_array(kind, kind, {8, 8}, MacPrecision{8, 8, 1, true, 32}, MacFaultParams{rate, rate, rate}, 5);
    for (uint64_t image = 0; image < 60; ++image) run_image(*array, image, 40, 8, 8);
    for (const MacFaultTally* t : {&array->datapath_faults(), &array->accumulator_faults()}) {
      const double mean = rate * double(t->opportunities), sd = std::sqrt(mean * (1 - rate));
      EXPECT_GT(mean, 400) << kind;  // enough events for the normal approximation
      EXPECT_NEAR(double(t->flips), mean, 4 * sd) << kind << ": " << t->flips << " flips of " << t->opportunities;
    }
  }
}

// A stream flip moves its row by exactly 2^m: with one PE (w = 1, so the stream is one at t = 0
// only in each period of 128), flips change the sum by multiples of 2^7, and the datapath
// alone (no accumulator faults) never leaves that lattice.
TEST(MacFaults, StreamFlipsMoveASumByTwoToTheM) {
  auto array = make_array("sc_cnn", "one", {1, 1}, MacPrecision{8, 8, 1, true, 32}, MacFaultParams{0.05, 0, 0}, 3);
  array->start_image(0);
  const int8_t w = 1;
  const uint8_t a = 200;
  int64_t total = 0;
  for (int i = 0; i < 100; ++i) {
    int64_t sum = 0;
    array->step({&w, 1, &a, 1, 1}, &sum);
    EXPECT_EQ(sum % 128, 0);
    total += sum;
  }
  const int64_t exact = 100 * sc_product(1, 200, 8);  // 2 ones x 128 per step
  EXPECT_GT(array->datapath_faults().flips, 0u);
  EXPECT_NE(total, exact);
  EXPECT_LE(std::llabs(total - exact), int64_t(array->datapath_faults().flips) * 128);
}

// Replayable: an image's faults depend on the seed, the component and the image only, not
// on the images simulated before it.
TEST(MacFaults, SameSeedAndImageReplay) {
  for (const char* kind : {"sc_cnn", "binary_mac"}) {
    auto array = make_array(kind, kind, {8, 8}, MacPrecision{8, 8, 2, true, 32}, MacFaultParams{0.01, 0.01, 1e-3}, 11);
    const auto first = run_image(*array, 5, 30, 8, 8);
    run_image(*array, 0, 30, 8, 8);
    EXPECT_EQ(run_image(*array, 5, 30, 8, 8), first) << kind;
    auto clean = make_array(kind, (std::string(kind) + "_c").c_str(), {8, 8}, MacPrecision{8, 8, 2, true, 32});
    EXPECT_NE(run_image(*clean, 5, 30, 8, 8), first) << kind << ": the faults changed nothing";
  }
}
