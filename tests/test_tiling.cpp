#include <gtest/gtest.h>

#include <random>
#include <set>
#include <tuple>
#include "scbnn/models/bit_kernels.h"
#include "scbnn/models/tiling.h"
#include "scbnn/stimuli/network.h"

using namespace scbnn;

TEST(Tiling, ShippedShapeNeeds36ArraysOf256) {
  const Mapping m = map_dense_layers({{784, 1024}, {1024, 1024}, {1024, 10}}, {256, 256, 36});
  EXPECT_EQ(m.arrays_used, 36u);
  EXPECT_EQ(m.layers[0].col_tiles, 4u);
  EXPECT_EQ(m.layers[0].row_tiles, 4u);
  EXPECT_EQ(m.layers[0].tile(0, 3).inputs, 784u - 768u);
  EXPECT_EQ(m.layers[2].tiles.size(), 4u);
  EXPECT_EQ(m.layers[2].tile(0, 0).outputs, 10u);
  EXPECT_EQ(m.layers[2].tile(0, 0).array, 32u);
  const WeightLocation w = locate_weight(m, 1, 300, 700);
  EXPECT_EQ(w.array, 16u + 1 * 4 + 2);
  EXPECT_EQ(w.row, 300u - 256u);
  EXPECT_EQ(w.column, 700u - 512u);
}

TEST(Tiling, EveryWeightHasExactlyOnePlace) {
  const std::vector<LayerShape> shapes = {{130, 70}, {70, 33}};
  const ArrayGeometry g{32, 64, 100};
  const Mapping m = map_dense_layers(shapes, g);
  std::set<std::tuple<uint32_t, uint32_t, uint32_t>> seen;
  for (uint32_t l = 0; l < shapes.size(); ++l)
    for (uint32_t o = 0; o < shapes[l].outputs; ++o)
      for (uint32_t i = 0; i < shapes[l].inputs; ++i) {
        const WeightLocation w = locate_weight(m, l, o, i);
        ASSERT_LT(w.array, m.arrays_used);
        ASSERT_LT(w.row, g.rows);
        ASSERT_LT(w.column, g.columns);
        ASSERT_TRUE(seen.insert({w.array, w.row, w.column}).second) << "two weights share a cell";
      }
}

TEST(Tiling, TooFewArraysNamesTheParameter) {
  try {
    map_dense_layers({{784, 1024}}, {256, 256, 10});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("accel.array.count is 10"), std::string::npos) << e.what();
  }
  EXPECT_THROW(map_dense_layers({{8, 8}}, {16, 100, 4}), std::invalid_argument);  // columns not a multiple of 64
}

TEST(BitKernels, XnorPopcountMatchesBitByBit) {
  std::mt19937_64 rng(5);
  for (size_t bits : {1u, 63u, 64u, 65u, 200u, 256u}) {
    std::vector<uint64_t> a((bits + 63) / 64), b(a.size());
    for (auto& w : a) w = rng();
    for (auto& w : b) w = rng();
    int32_t expected = 0;
    for (size_t i = 0; i < bits; ++i)
      expected += ((a[i / 64] >> (i % 64)) & 1) == ((b[i / 64] >> (i % 64)) & 1) ? 1 : -1;
    EXPECT_EQ(pm1_dot(a.data(), b.data(), bits), expected) << bits;
  }
}
