#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace scbnn {

struct ArrayGeometry {
  uint32_t rows = 256;
  uint32_t columns = 256;  // a multiple of 64
  uint32_t count = 36;
};

struct LayerShape {
  uint32_t inputs = 0, outputs = 0;
};

// One weight array holds one tile: a block of up to `rows` neurons (one per row) by up to
// `columns` inputs (one per column) of one layer.
struct Tile {
  uint32_t array = 0;
  uint32_t first_output = 0, outputs = 0;
  uint32_t first_input = 0, inputs = 0;
};

struct LayerMapping {
  LayerShape shape;
  uint32_t row_tiles = 0, col_tiles = 0;
  std::vector<Tile> tiles;  // row-tile major: tiles[rt * col_tiles + ct]
  const Tile& tile(uint32_t row_tile, uint32_t col_tile) const { return tiles[row_tile * col_tiles + col_tile]; }
};

struct Mapping {
  ArrayGeometry geometry;
  std::vector<LayerMapping> layers;
  uint32_t arrays_used = 0;
};

// Places the layers on arrays, in layer order, one tile per array. Throws
// std::invalid_argument naming accel.array.count when the network does not fit.
Mapping map_dense_layers(const std::vector<LayerShape>& shapes, const ArrayGeometry& geometry);

// Where weight (neuron `output`, input `input`) of a layer sits.
struct WeightLocation {
  uint32_t array, row, column;
};
WeightLocation locate_weight(const Mapping& m, uint32_t layer, uint32_t output, uint32_t input);

}  // namespace scbnn
