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

// Where the first layer must sit and the copies of its arrays the hardware wires (a
// bit-parallel fixed-point first layer senses one copy per bit-plane at the same time).
// The wiring is fixed: the first `arrays` arrays of the pool each have `copies - 1` copies,
// which are the last `(copies - 1) x arrays` arrays of the pool; a weight write to one of
// the first arrays is broadcast to its copies (BnnCore::program_weight).
struct FirstLayerPlacement {
  uint32_t arrays = 0;     // the first layer's tiles must fit in arrays 0 .. arrays - 1 (0: anywhere)
  uint32_t copies = 1;     // copies of each of those arrays, the array itself included (1: none)
  std::string arrays_key;  // the key that sizes `arrays` (for messages)
  uint32_t copy_arrays() const { return (copies - 1) * arrays; }
  // The array holding copy `copy` (0 = the array itself) of array `array` (< arrays) in a
  // pool of `count` arrays.
  uint32_t copy_of(uint32_t count, uint32_t array, uint32_t copy) const {
    return copy == 0 ? array : count - copy_arrays() + (copy - 1) * arrays + array;
  }
};

struct Mapping {
  ArrayGeometry geometry;
  std::vector<LayerMapping> layers;
  uint32_t arrays_used = 0;  // arrays holding weights, copies of the first layer's included
  FirstLayerPlacement first_layer;
  // The array of copy `copy` of a first-layer tile (copy 0: the tile's own array).
  uint32_t copy_array(const Tile& first_layer_tile, uint32_t copy) const {
    return first_layer.copy_of(geometry.count, first_layer_tile.array, copy);
  }
};

// Places the layers on arrays, in layer order from array 0, one tile per array, and the
// copies of the first layer's arrays `placement` asks for at the end of the pool. Throws
// std::invalid_argument naming accel.array.count when the network and the copies do not
// fit, or placement.arrays_key when the first layer needs more arrays than it has.
Mapping map_dense_layers(const std::vector<LayerShape>& shapes, const ArrayGeometry& geometry,
                         const FirstLayerPlacement& placement = {});

// Where weight (neuron `output`, input `input`) of a layer sits.
struct WeightLocation {
  uint32_t array, row, column;
};
WeightLocation locate_weight(const Mapping& m, uint32_t layer, uint32_t output, uint32_t input);

}  // namespace scbnn
