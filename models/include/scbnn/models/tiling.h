#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "scbnn/base/errors.h"
#include "scbnn/base/layer_shape.h"
#include "scbnn/base/params.h"

namespace scbnn {

// The weight arrays (keys accel.array.*).
struct ArrayGeometry {
  uint32_t rows = 256;
  uint32_t columns = 256;  // a multiple of 64
  uint32_t count = 36;

  template <class V>
  void declare(V& v) {
    v("rows", rows, Range{1, 65536}, "rows", "rows (neurons) per weight array",
      "assumption: 256 x 256 = 64 kbit sub-arrays");
    v("columns", columns, Range{64, 65536}, "columns", "columns (inputs) per weight array; multiple of 64",
      "assumption: 256 x 256 = 64 kbit sub-arrays");
    v("count", count, Range{1, 65536}, "arrays", "weight arrays (one layer tile each)",
      "sized for the shipped 784-1024-1024-10 network");
  }
  // Throws InputError naming the keys: columns a multiple of 64, at most 1 GiB of weights.
  void validate() const {
    if (columns % 64 != 0)
      throw InputError("accel.array.columns = " + std::to_string(columns) + " must be a multiple of 64");
    const double weight_bytes = double(count) * rows * columns / 8;
    if (weight_bytes > double(1u << 30))
      throw InputError("accel.array.count x rows x columns asks for " + std::to_string(uint64_t(weight_bytes)) +
                       " bytes of weights; at most 1 GiB is simulated");
  }
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
